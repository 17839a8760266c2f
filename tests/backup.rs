//! `gw2opt backup --to FILE` and `gw2opt restore --from FILE` as an operator runs them, on
//! SQLite and (when configured) PostgreSQL: the backup is taken while another process keeps
//! writing, and the restored database holds every write acknowledged before it started.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::testing::TestDb;

async fn gw2opt(args: &[&str], database_url: &str) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_and_restore_from_the_command_line_during_writes() {
    for source in TestDb::all().await {
        let backend = source.backend();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gw2opt.backup");
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));
        let writer = {
            let (db, stop, acked) = (source.db.clone(), stop.clone(), acked.clone());
            tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let id = format!("cli{i}");
                    store::feedback::create(&db, None, &id, 3, None, store::now())
                        .await
                        .unwrap();
                    acked.lock().unwrap().push(id);
                    i += 1;
                }
            })
        };
        while acked.lock().unwrap().len() < 30 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let before = acked.lock().unwrap().clone();
        let out = gw2opt(&["backup", "--to", file.to_str().unwrap()], &source.url).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{backend}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.starts_with(&format!("backed up {backend} database")),
            "{text}"
        );
        assert!(
            !text.contains("gw2opt:gw2opt@"),
            "no password in the report: {text}"
        );
        let again = gw2opt(&["backup", "--to", file.to_str().unwrap()], &source.url).await;
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
        stop.store(true, Ordering::Relaxed);
        writer.await.unwrap();

        let target = match backend {
            store::Backend::Sqlite => TestDb::sqlite().await.unwrap(),
            store::Backend::Postgres => TestDb::postgres().await.unwrap().unwrap(),
        };
        target.db.close().await;
        let out = gw2opt(&["restore", "--from", file.to_str().unwrap()], &target.url).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{backend}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("integrity ok"), "{text}");
        let db = store::Db::connect(&target.url, &store::DbOptions::default())
            .await
            .unwrap();
        db.integrity_check().await.unwrap();
        for id in &before {
            assert_eq!(
                store::feedback::of_target(&db, id).await.unwrap().len(),
                1,
                "{backend}: {id} acknowledged before the backup"
            );
        }
        db.close().await;
    }
}
