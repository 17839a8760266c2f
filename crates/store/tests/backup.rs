//! Online backups and restores (issue #22) on every configured backend: a backup taken while
//! writes go on holds every write acknowledged before it started, and the restored database
//! passes its integrity check.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::backup::{self, BackupError};
use store::testing::TestDb;
use store::{Backend, Db, DbOptions};

/// Writes feedback rows `w0, w1, ...` until told to stop; each one is listed once its insert
/// returned (acknowledged).
fn start_writer(
    db: Db,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<String>>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut i = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let target = format!("w{i}");
            store::feedback::create(&db, None, &target, 5, Some("during backup"), store::now())
                .await
                .expect("write");
            acked.lock().unwrap().push(target);
            i += 1;
        }
    })
}

async fn wait_for(acked: &Mutex<Vec<String>>, n: usize) {
    for _ in 0..500 {
        if acked.lock().unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the writer did not write {n} rows");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_during_writes_restores_every_acknowledged_write() {
    for source in TestDb::all().await {
        let backend = source.backend();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("nested").join("gw2opt.backup");
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let writer = start_writer(source.db.clone(), stop.clone(), acked.clone());
        wait_for(&acked, 50).await;

        let before: Vec<String> = acked.lock().unwrap().clone();
        let report = backup::backup(&source.url, &file).await.expect("backup");
        let during = acked.lock().unwrap().len();
        wait_for(&acked, during + 20).await; // the service went on writing
        stop.store(true, Ordering::Relaxed);
        writer.await.unwrap();

        assert_eq!(report.backend, backend);
        assert!(report.bytes > 0 && file.is_file(), "{backend}");
        assert!(!dir
            .path()
            .join("nested")
            .join("gw2opt.backup.partial")
            .exists());
        if backend == Backend::Sqlite {
            let checked = report.integrity.expect("the copy is checked");
            assert!(checked
                .tables
                .iter()
                .any(|(t, n)| t == "ai_feedback" && *n >= before.len() as i64));
        } else {
            assert!(report.method.contains("pg_dump"), "{}", report.method);
        }
        // A backup never overwrites a file.
        assert!(matches!(
            backup::backup(&source.url, &file).await,
            Err(BackupError::Exists(_))
        ));

        // Restore into another database and look for every acknowledged write.
        let target = match backend {
            Backend::Sqlite => TestDb::sqlite().await.unwrap(),
            Backend::Postgres => TestDb::postgres().await.unwrap().unwrap(),
        };
        target.db.close().await;
        let restored = backup::restore(&target.url, &file).await.expect("restore");
        let integrity = restored.integrity.expect("checked after a restore");
        assert!(integrity.migrations >= 15, "{backend}: {integrity:?}");
        let db = Db::connect(&target.url, &DbOptions::default())
            .await
            .unwrap();
        db.integrity_check().await.expect("integrity");
        for id in &before {
            assert_eq!(
                store::feedback::of_target(&db, id).await.unwrap().len(),
                1,
                "{backend}: acknowledged write {id} before the backup is missing"
            );
        }
        let rows = integrity
            .tables
            .iter()
            .find(|(t, _)| t == "ai_feedback")
            .map(|(_, n)| *n)
            .unwrap();
        assert!(rows >= before.len() as i64 && rows <= acked.lock().unwrap().len() as i64);
        db.close().await;
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_and_the_database_kept() {
    let db = TestDb::sqlite().await.unwrap();
    store::feedback::create(&db.db, None, "kept", 7, None, store::now())
        .await
        .unwrap();
    db.db.close().await;
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not an SQLite database, only some text").unwrap();
    let refused = backup::restore(&db.url, &junk).await;
    assert!(
        matches!(refused, Err(BackupError::NotABackup { .. })),
        "{refused:?}"
    );
    let missing = backup::restore(&db.url, &dir.path().join("nothing.db")).await;
    assert!(matches!(missing, Err(BackupError::Missing(_))));
    let reopened = Db::connect(&db.url, &DbOptions::default()).await.unwrap();
    assert_eq!(
        store::feedback::of_target(&reopened, "kept")
            .await
            .unwrap()
            .len(),
        1
    );
    reopened.close().await;
}
