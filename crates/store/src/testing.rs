//! Fresh databases for tests, on every backend available: SQLite always, PostgreSQL when
//! `GW2OPT_TEST_POSTGRES_URL` points at a server where the user may create databases.

use crate::{Backend, Db, DbOptions, StoreError};

/// The environment variable naming the PostgreSQL server tests may use.
pub const POSTGRES_ENV: &str = "GW2OPT_TEST_POSTGRES_URL";

/// A migrated, empty database. SQLite lives in a temporary directory removed on drop;
/// PostgreSQL gets a uniquely named database on the configured server.
pub struct TestDb {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    /// (server URL, database name) of a PostgreSQL test database, dropped with this value.
    drop_on_exit: Option<(String, String)>,
}

impl Drop for TestDb {
    /// Drops the PostgreSQL database on its own thread and runtime (this may run inside a
    /// test's runtime, which must not be blocked on itself). `WITH (FORCE)` ends the pool's
    /// connections still open.
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.drop_on_exit.take() else {
            return;
        };
        let cleanup = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(Db::Postgres(pool)) = Db::connect(
                    &admin_url,
                    &DbOptions {
                        max_connections: 1,
                        ..DbOptions::default()
                    },
                )
                .await
                {
                    // The name was generated from hex digits, never from input.
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&pool)
                        .await;
                    pool.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

impl TestDb {
    pub async fn sqlite() -> Result<TestDb, StoreError> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Config(e.to_string()))?;
        let db = Db::sqlite(&dir.path().join("test.db"), &DbOptions::default()).await?;
        db.migrate().await?;
        Ok(TestDb {
            db,
            _dir: Some(dir),
            drop_on_exit: None,
        })
    }

    /// `None` when no PostgreSQL server is configured (the caller says it skipped).
    pub async fn postgres() -> Result<Option<TestDb>, StoreError> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            return Ok(None);
        };
        if admin_url.trim().is_empty() {
            return Ok(None);
        }
        let name = format!("gw2opt_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Db::connect(
            &admin_url,
            &DbOptions {
                max_connections: 2,
                ..DbOptions::default()
            },
        )
        .await?;
        if let Db::Postgres(pool) = &admin {
            // The name is generated above from hex digits only, never from input.
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(pool)
                .await?;
        }
        admin.close().await;
        let url = with_database(&admin_url, &name);
        let db = Db::connect(
            &url,
            &DbOptions {
                max_connections: 8,
                ..DbOptions::default()
            },
        )
        .await?;
        db.migrate().await?;
        Ok(Some(TestDb {
            db,
            _dir: None,
            drop_on_exit: Some((admin_url, name)),
        }))
    }

    /// Every available backend, each with a fresh database. Prints which were skipped.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = Vec::new();
        match TestDb::sqlite().await {
            Ok(db) => dbs.push(db),
            Err(err) => panic!("cannot create a SQLite test database: {err}"),
        }
        match TestDb::postgres().await {
            Ok(Some(db)) => dbs.push(db),
            Ok(None) => eprintln!("note: PostgreSQL part skipped ({POSTGRES_ENV} not set)"),
            Err(err) => panic!("{POSTGRES_ENV} is set but unusable: {err}"),
        }
        dbs
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }
}

/// Replaces the database name (the URL path) of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Copies build `template` `count` times (load tests and benchmarks): same content, spread
/// over the given authors, the nine professions (the template's own specialization kept on
/// its profession only), game modes and roles, 80% public, created one second apart, with
/// tags, in transactions of 5,000 rows. Far faster than the one-transaction-per-build path
/// and measures nothing the list queries depend on. Returns the new ids.
pub async fn clone_builds(
    db: &Db,
    template: uuid::Uuid,
    authors: &[uuid::Uuid],
    count: usize,
) -> Result<Vec<uuid::Uuid>, StoreError> {
    const MODES: [&str; 6] = ["pve", "raid", "fractals", "strikes", "wvw", "pvp"];
    const ROLES: [&str; 6] = ["dps", "boon_dps", "support", "healer", "tank", "utility"];
    const PROFESSIONS: [&str; 9] = [
        "Guardian",
        "Warrior",
        "Engineer",
        "Ranger",
        "Thief",
        "Elementalist",
        "Mesmer",
        "Necromancer",
        "Revenant",
    ];
    let Some(row) = crate::builds::by_id(db, template).await? else {
        return Err(StoreError::NotFound);
    };
    if authors.is_empty() {
        return Ok(Vec::new());
    }
    let sql = "INSERT INTO builds (id, user_id, name, profession, specialization, game_mode, role, trait_lines, skills, \
               equipment, synergies, counters, description, tags, is_public, score, views, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, 0, $16, $16)";
    let start = crate::now() - chrono::Duration::seconds(i64::try_from(count).unwrap_or(0));
    let ids: Vec<uuid::Uuid> = (0..count).map(|_| uuid::Uuid::new_v4()).collect();
    for (chunk_index, chunk) in ids.chunks(5_000).enumerate() {
        crate::on_write!(db, pool => {
            let mut tx = pool.begin().await?;
            for (offset, id) in chunk.iter().enumerate() {
                let i = chunk_index * 5_000 + offset;
                let tag = if i % 10 == 3 { "zerg".to_owned() } else { format!("tag{}", i % 500) };
                let at = start + chrono::Duration::seconds(i64::try_from(i).unwrap_or(0));
                sqlx::query(sql)
                    .bind(id).bind(authors[i % authors.len()]).bind(format!("{} #{i}", row.name)).bind(PROFESSIONS[i % 9])
                    .bind(if PROFESSIONS[i % 9] == row.profession { row.specialization.clone() } else { None }).bind(MODES[i % 6]).bind(ROLES[(i / 6) % 6]).bind(&row.trait_lines)
                    .bind(&row.skills).bind(&row.equipment).bind(&row.synergies).bind(&row.counters)
                    .bind(format!("Guide number {i}")).bind(format!("[{tag:?}]")).bind(i % 5 != 0).bind(at)
                    .execute(&mut *tx).await?;
                sqlx::query("INSERT INTO build_tags (build_id, tag) VALUES ($1, $2)").bind(id).bind(tag)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
    }
    crate::builds::index_missing_words(db).await?;
    db.optimize().await?;
    Ok(ids)
}
