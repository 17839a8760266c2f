//! Migrations on an empty and on an already-migrated database, on every backend.

use store::testing::TestDb;
use store::users::{self, NewUser};
use store::{Db, DbOptions, StoreError};

#[tokio::test]
async fn migrating_twice_is_a_no_op_and_keeps_data() {
    for test in TestDb::all().await {
        let db = &test.db;
        // TestDb already ran every migration on an empty database.
        let again = db.migrate().await.expect("second run");
        assert_eq!(
            again.applied,
            0,
            "{}: nothing left to apply",
            test.backend()
        );
        assert!(again.total >= 2);

        let user = users::create(db, &new_user("keep@example.com", "keeper"), store::now())
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let found = users::by_id(db, user.id).await.unwrap();
        assert_eq!(
            found.as_ref(),
            Some(&user),
            "{}: data survives a re-run",
            test.backend()
        );
    }
}

#[tokio::test]
async fn a_fresh_sqlite_file_is_created_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested-is-not-needed.db");
    let db = Db::sqlite(&path, &DbOptions::default()).await.unwrap();
    let report = db.migrate().await.unwrap();
    assert_eq!(report.applied, report.total);
    assert!(path.exists());
    db.ping().await.unwrap();
    db.close().await;
    // Re-open: the schema is there and nothing is applied again.
    let db = Db::connect(
        &format!("sqlite://{}", path.display()),
        &DbOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(db.migrate().await.unwrap().applied, 0);
}

#[tokio::test]
async fn unsupported_urls_are_refused_clearly() {
    let err = Db::connect("mysql://u:secret@h/db", &DbOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Config(_)));
    assert!(
        !err.to_string().contains("secret"),
        "the password is redacted: {err}"
    );
}

#[tokio::test]
async fn unique_email_and_username_ignore_case() {
    for test in TestDb::all().await {
        let db = &test.db;
        users::create(db, &new_user("Ann@Example.com", "Ann"), store::now())
            .await
            .unwrap();
        let clash = users::create(db, &new_user("ann@example.COM", "other"), store::now())
            .await
            .unwrap_err();
        assert!(
            matches!(clash, StoreError::Conflict(ref c) if c.contains("email")),
            "{}: {clash:?}",
            test.backend()
        );
        let clash = users::create(db, &new_user("other@example.com", "ANN"), store::now())
            .await
            .unwrap_err();
        assert!(
            matches!(clash, StoreError::Conflict(ref c) if c.contains("username")),
            "{}: {clash:?}",
            test.backend()
        );
    }
}

#[tokio::test]
async fn concurrent_failed_logins_are_all_counted() {
    for test in TestDb::all().await {
        let db = test.db.clone();
        let now = store::now();
        let window_start = now - chrono::Duration::hours(24);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    users::count_login_failure(&db, "counter", "198.51.100.4", now, window_start)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut counts = Vec::new();
        for t in tasks {
            counts.push(t.await.unwrap());
        }
        counts.sort();
        assert_eq!(
            counts,
            (1..=20).collect::<Vec<_>>(),
            "{}: every failure counted once",
            test.backend()
        );
        let until = now + chrono::Duration::minutes(15);
        users::block_login(&db, "counter", "198.51.100.4", until)
            .await
            .unwrap();
        // A shorter block never shortens a longer one.
        users::block_login(&db, "counter", "198.51.100.4", now)
            .await
            .unwrap();
        let rows = users::throttles(&db, "counter", "198.51.100.4")
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].failures, 20);
        assert_eq!(rows[0].blocked_until, Some(until));
        // A failure after the window starts a new run and lifts the block.
        let later = now + chrono::Duration::hours(25);
        let n = users::count_login_failure(
            &db,
            "counter",
            "198.51.100.4",
            later,
            later - chrono::Duration::hours(24),
        )
        .await
        .unwrap();
        assert_eq!(n, 1, "{}", test.backend());
        let rows = users::throttles(&db, "counter", "198.51.100.4")
            .await
            .unwrap();
        assert_eq!(rows[0].blocked_until, None);
    }
}

fn new_user(email: &str, username: &str) -> NewUser {
    NewUser {
        email: email.into(),
        username: username.into(),
        hashed_password: "$argon2id$placeholder-not-a-real-hash".into(),
        full_name: None,
        is_superuser: false,
        is_verified: false,
    }
}
