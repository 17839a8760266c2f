//! Text search over builds through the word index, on every configured backend.

use store::builds::{self, BuildData, ListFilter};
use store::testing::TestDb;
use store::users::{self, NewUser};

fn build(name: &str, description: &str) -> BuildData {
    BuildData {
        name: name.into(),
        profession: "Necromancer".into(),
        specialization: Some("Reaper".into()),
        game_mode: "raid".into(),
        role: "dps".into(),
        trait_lines: "[]".into(),
        skills: "{}".into(),
        equipment: "{}".into(),
        synergies: "[]".into(),
        counters: "[]".into(),
        description: Some(description.into()),
        tags: vec![],
        is_public: true,
    }
}

async fn names(db: &store::Db, q: &str) -> Vec<String> {
    let filter = ListFilter {
        q: Some(q.into()),
        limit: 50,
        ..ListFilter::default()
    };
    let (rows, total) = builds::list(db, &filter).await.unwrap();
    assert_eq!(total, rows.len() as i64);
    let mut names: Vec<String> = rows.into_iter().map(|r| r.name).collect();
    names.sort();
    names
}

#[test]
fn words_are_lowercase_unique_alphanumeric_runs() {
    assert_eq!(
        builds::search_words(
            "Power Reaper — GS/Axe",
            Some("Reaper's shroud, 100% uptime!")
        ),
        ["100", "axe", "gs", "power", "reaper", "shroud", "uptime"]
    );
    assert!(builds::search_words("a % _", None).is_empty());
    assert_eq!(
        builds::search_words("Élémentaliste Tempête", None),
        ["tempête", "élémentaliste"]
    );
}

#[tokio::test]
async fn q_finds_builds_by_whole_words_in_any_order() {
    for test in TestDb::all().await {
        let db = &test.db;
        let author = users::create(
            db,
            &NewUser {
                email: "a@example.com".into(),
                username: "author".into(),
                hashed_password: "x".into(),
                full_name: None,
                is_superuser: false,
                is_verified: true,
            },
            store::now(),
        )
        .await
        .unwrap()
        .id;
        let reaper = builds::create(
            db,
            author,
            &build("Power Reaper", "Greatsword cleave for the zerg"),
            store::now(),
        )
        .await
        .unwrap();
        builds::create(
            db,
            author,
            &build("Condi Scourge", "Barrier and boon corrupts for the ZERG"),
            store::now(),
        )
        .await
        .unwrap();
        assert_eq!(names(db, "reaper").await, ["Power Reaper"]);
        assert_eq!(names(db, "ZERG").await, ["Condi Scourge", "Power Reaper"]);
        assert_eq!(
            names(db, "zerg greatsword").await,
            ["Power Reaper"],
            "every word must match"
        );
        assert_eq!(names(db, "greatsword barrier").await, Vec::<String>::new());
        assert_eq!(
            names(db, "%").await,
            Vec::<String>::new(),
            "nothing searchable matches nothing"
        );

        // An update re-indexes.
        builds::update(
            db,
            reaper,
            &build("Power Reaper", "Now a dagger build"),
            store::now(),
        )
        .await
        .unwrap();
        assert_eq!(names(db, "greatsword").await, Vec::<String>::new());
        assert_eq!(names(db, "dagger").await, ["Power Reaper"]);

        // Builds written without words (before migration 0006, bulk copies) get indexed.
        store::on_write!(db, pool => sqlx::query("DELETE FROM build_words").execute(pool).await.map(|_| ())).unwrap();
        assert_eq!(names(db, "dagger").await, Vec::<String>::new());
        assert_eq!(builds::index_missing_words(db).await.unwrap(), 2);
        assert_eq!(names(db, "dagger").await, ["Power Reaper"]);
        assert_eq!(
            builds::index_missing_words(db).await.unwrap(),
            0,
            "nothing left to index"
        );
    }
}
