//! Fresh databases for tests, on every backend available: SQLite always, PostgreSQL when
//! `GW2OPT_TEST_POSTGRES_URL` points at a server where the user may create databases.

use crate::{Backend, Db, DbOptions, StoreError};

/// The environment variable naming the PostgreSQL server tests may use.
pub const POSTGRES_ENV: &str = "GW2OPT_TEST_POSTGRES_URL";

/// A migrated, empty database. SQLite lives in a temporary directory removed on drop;
/// PostgreSQL gets a uniquely named database on the configured server.
pub struct TestDb {
    pub db: Db,
    /// The URL of this database (what the service and `gw2opt` commands are given).
    pub url: String,
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
        let path = dir.path().join("test.db");
        let db = Db::sqlite(&path, &DbOptions::default()).await?;
        db.migrate().await?;
        Ok(TestDb {
            db,
            url: format!("sqlite://{}", path.display()),
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
            url: url.clone(),
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
