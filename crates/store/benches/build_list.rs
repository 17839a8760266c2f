//! Build listing at 100k builds: the queries behind `GET /api/v1/builds` with each filter
//! and sort, on SQLite (and PostgreSQL when GW2OPT_TEST_POSTGRES_URL is set).
//!
//! `cargo bench -p gw2opt-store --bench build_list`
//!
//! Data: 100 authors; builds spread evenly over professions, modes and roles; 80% public;
//! 10% tagged `zerg` (all public), the rest spread over 500 tags.

use criterion::{criterion_group, criterion_main, Criterion};
use store::builds::{self, ListFilter, Sort};
use store::testing::TestDb;
use store::users::{self, NewUser};
use uuid::Uuid;

const BUILDS: usize = 100_000;
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
const MODES: [&str; 6] = ["pve", "raid", "fractals", "strikes", "wvw", "pvp"];
const ROLES: [&str; 6] = ["dps", "boon_dps", "support", "healer", "tank", "utility"];

async fn seed(db: &store::Db) -> Uuid {
    let mut authors = Vec::new();
    for i in 0..100 {
        let user = NewUser {
            email: format!("author{i}@example.com"),
            username: format!("author{i}"),
            hashed_password: "x".into(),
            full_name: None,
            is_superuser: false,
            is_verified: true,
        };
        authors.push(
            users::create(db, &user, store::now())
                .await
                .expect("user")
                .id,
        );
    }
    let start = std::time::Instant::now();
    let mut last = Uuid::nil();
    // Batches of 5,000 rows per transaction: seeding through the one-transaction-per-build
    // API path would take minutes and measure nothing the list query depends on.
    let sql = "INSERT INTO builds (id, user_id, name, profession, game_mode, role, description, tags, is_public, \
               score, views, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)";
    for chunk in (0..BUILDS).collect::<Vec<_>>().chunks(5_000) {
        let rows: Vec<(Uuid, usize)> = chunk.iter().map(|i| (Uuid::new_v4(), *i)).collect();
        last = rows.last().map(|r| r.0).unwrap_or(last);
        store::on_write!(db, pool => {
            let mut tx = pool.begin().await.expect("tx");
            for (id, i) in &rows {
                let i = *i;
                let tag = if i % 10 == 3 { "zerg".to_owned() } else { format!("tag{}", i % 500) };
                let at = store::now() - chrono::Duration::seconds(i64::try_from(BUILDS - i).unwrap_or(0));
                sqlx::query(sql)
                    .bind(id).bind(authors[i % 100]).bind(format!("Build {i} {}", PROFESSIONS[i % 9])).bind(PROFESSIONS[i % 9])
                    .bind(MODES[i % 6]).bind(ROLES[(i / 6) % 6]).bind(format!("Guide number {i}")).bind(format!("[{tag:?}]"))
                    .bind(i % 5 != 0).bind(i32::try_from(i % 97).unwrap_or(0)).bind(i64::try_from(i % 1013).unwrap_or(0)).bind(at)
                    .execute(&mut *tx).await.expect("insert build");
                sqlx::query("INSERT INTO build_tags (build_id, tag) VALUES ($1, $2)").bind(id).bind(tag)
                    .execute(&mut *tx).await.expect("insert tag");
            }
            tx.commit().await.expect("commit");
        });
    }
    // Text search reads the word index, which the API path fills on every write.
    builds::index_missing_words(db).await.expect("index words");
    let _ = builds::by_id(db, last)
        .await
        .expect("seeded build readable");
    // What the service does at start-up (SQLite) and autovacuum does (PostgreSQL): give the
    // planner statistics about the freshly loaded table.
    db.optimize().await.expect("analyze");
    eprintln!(
        "seeded {BUILDS} builds in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    last
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut dbs = vec![rt.block_on(TestDb::sqlite()).expect("sqlite")];
    if let Ok(Some(pg)) = rt.block_on(TestDb::postgres()) {
        dbs.push(pg);
    }
    for test in &dbs {
        let db = &test.db;
        let viewer = rt.block_on(seed(db));
        let _ = viewer;
        let backend = test.backend();
        let cases: Vec<(&str, ListFilter)> = vec![
            (
                "public_newest",
                ListFilter {
                    limit: 20,
                    ..Default::default()
                },
            ),
            (
                "profession_top",
                ListFilter {
                    profession: Some("Mesmer".into()),
                    sort: Sort::Top,
                    limit: 20,
                    ..Default::default()
                },
            ),
            (
                "mode_role_views",
                ListFilter {
                    game_mode: Some("wvw".into()),
                    role: Some("support".into()),
                    sort: Sort::Views,
                    limit: 20,
                    ..Default::default()
                },
            ),
            (
                "tag",
                ListFilter {
                    tag: Some("zerg".into()),
                    limit: 20,
                    ..Default::default()
                },
            ),
            (
                "author",
                ListFilter {
                    author: Some("author42".into()),
                    limit: 20,
                    ..Default::default()
                },
            ),
            (
                "text_search",
                ListFilter {
                    q: Some("number 4242".into()),
                    limit: 20,
                    ..Default::default()
                },
            ),
            (
                "deep_page",
                ListFilter {
                    skip: 5_000,
                    limit: 20,
                    ..Default::default()
                },
            ),
        ];
        let mut group = c.benchmark_group(format!("build_list_100k_{backend}"));
        group.sample_size(20);
        group.measurement_time(std::time::Duration::from_secs(3));
        for (name, filter) in cases {
            group.bench_function(name, |b| {
                b.to_async(&rt)
                    .iter(|| async { builds::list(db, &filter).await.expect("list") });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
