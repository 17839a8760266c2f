//! The durable job queue (migration 0018) on every backend: claims take the oldest ready
//! job once, leases expire to another worker, only the lease holder completes, failures retry
//! with backoff until the last attempt, cancellation, and concurrent claimers never share a
//! job. Blobs (migration 0019): stored with their job, read back whole, swept once it ended.

use chrono::Duration;
use store::jobs::{self, Lease, NewJob};
use store::testing::TestDb;
use uuid::Uuid;

fn job(max_attempts: i32) -> NewJob {
    NewJob {
        id: Uuid::new_v4(),
        kind: "gear_optimization".into(),
        owner_id: None,
        input: r#"{"input":{}}"#.into(),
        max_attempts,
    }
}

const KINDS: [&str; 1] = ["gear_optimization"];

#[tokio::test]
async fn a_dead_workers_job_goes_to_another_and_completes_once() {
    for test in TestDb::all().await {
        let db = &test.db;
        let t0 = store::now();
        let lease = Duration::seconds(10);
        let first = jobs::enqueue(db, &job(3), t0).await.unwrap();
        let second = jobs::enqueue(db, &job(3), t0 + Duration::seconds(1))
            .await
            .unwrap();
        assert_eq!(first.status, "queued");
        assert_eq!(jobs::depth(db).await.unwrap(), (2, 0));
        // not of a kind this worker runs
        assert_eq!(
            jobs::claim(db, "a", &["other"], t0, t0 + lease)
                .await
                .unwrap(),
            None
        );

        let a = jobs::claim(db, "a", &KINDS, t0 + Duration::seconds(2), t0 + lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.id, first.id, "oldest first");
        assert_eq!((a.status.as_str(), a.attempts), ("running", 1));
        assert_eq!(a.lease_owner.as_deref(), Some("a"));
        let b = jobs::claim(db, "b", &KINDS, t0 + Duration::seconds(2), t0 + lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.id, second.id, "a held job is not claimed again");
        assert_eq!(
            jobs::claim(db, "c", &KINDS, t0 + Duration::seconds(3), t0 + lease)
                .await
                .unwrap(),
            None
        );
        assert_eq!(jobs::depth(db).await.unwrap(), (0, 2));

        // "a" beats; "c" may not
        let t1 = t0 + Duration::seconds(5);
        assert_eq!(
            jobs::heartbeat(
                db,
                first.id,
                "a",
                t1,
                t1 + lease,
                Some(r#"{"evaluated":7}"#)
            )
            .await
            .unwrap(),
            Lease::Held { cancel: false }
        );
        assert_eq!(
            jobs::heartbeat(db, first.id, "c", t1, t1 + lease, None)
                .await
                .unwrap(),
            Lease::Lost
        );
        assert_eq!(
            jobs::get(db, first.id)
                .await
                .unwrap()
                .unwrap()
                .progress
                .as_deref(),
            Some(r#"{"evaluated":7}"#)
        );

        assert_eq!(
            jobs::heartbeat(db, second.id, "b", t1, t1 + lease, None)
                .await
                .unwrap(),
            Lease::Held { cancel: false }
        );

        // "a" dies: after its lease (t1 + 10 s) "c" takes the job over
        assert_eq!(
            jobs::claim(
                db,
                "c",
                &KINDS,
                t1 + Duration::seconds(9),
                t1 + Duration::seconds(19)
            )
            .await
            .unwrap(),
            None
        );
        let t2 = t1 + lease + Duration::seconds(1);
        let c = jobs::claim(db, "c", &KINDS, t2, t2 + lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.id, first.id);
        assert_eq!((c.attempts, c.lease_owner.as_deref()), (2, Some("c")));

        // the presumed-dead "a" comes back: it can neither beat nor complete
        assert_eq!(
            jobs::heartbeat(db, first.id, "a", t2, t2 + lease, None)
                .await
                .unwrap(),
            Lease::Lost
        );
        assert!(!jobs::complete(db, first.id, "a", r#"{"by":"a"}"#, t2)
            .await
            .unwrap());
        assert!(jobs::complete(db, first.id, "c", r#"{"by":"c"}"#, t2)
            .await
            .unwrap());
        assert!(
            !jobs::complete(db, first.id, "c", r#"{"by":"c again"}"#, t2)
                .await
                .unwrap(),
            "once"
        );
        let done = jobs::get(db, first.id).await.unwrap().unwrap();
        assert_eq!(done.status, "done");
        assert_eq!(done.result.as_deref(), Some(r#"{"by":"c"}"#));
        assert_eq!(done.completed_by.as_deref(), Some("c"));
        assert_eq!(done.finished_at, Some(t2));
        // a finished job is never claimed again, even with an old lease
        assert_eq!(
            jobs::claim(
                db,
                "d",
                &KINDS,
                t2 + Duration::hours(1),
                t2 + Duration::hours(2)
            )
            .await
            .unwrap()
            .map(|j| j.id),
            Some(second.id),
            "only the other job's expired lease is taken"
        );
    }
}

#[tokio::test]
async fn failures_retry_with_backoff_until_the_last_attempt() {
    for test in TestDb::all().await {
        let db = &test.db;
        let t0 = store::now();
        let lease = Duration::seconds(10);
        let j = jobs::enqueue(db, &job(2), t0).await.unwrap();
        jobs::claim(db, "w", &KINDS, t0, t0 + lease)
            .await
            .unwrap()
            .unwrap();
        let retry_at = t0 + Duration::seconds(2);
        assert_eq!(
            jobs::retry_or_fail(db, j.id, "w", "boom", t0, retry_at)
                .await
                .unwrap()
                .as_deref(),
            Some("queued")
        );
        // not before its backoff
        assert_eq!(
            jobs::claim(db, "w", &KINDS, t0 + Duration::seconds(1), t0 + lease)
                .await
                .unwrap(),
            None
        );
        let again = jobs::claim(db, "w", &KINDS, retry_at, retry_at + lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((again.attempts, again.error.as_deref()), (2, Some("boom")));
        assert_eq!(
            jobs::retry_or_fail(db, j.id, "w", "boom twice", retry_at, retry_at)
                .await
                .unwrap()
                .as_deref(),
            Some("failed")
        );
        let failed = jobs::get(db, j.id).await.unwrap().unwrap();
        assert_eq!(
            (failed.status.as_str(), failed.error.as_deref()),
            ("failed", Some("boom twice"))
        );
        assert!(failed.finished_at.is_some());
        assert_eq!(
            jobs::claim(
                db,
                "w",
                &KINDS,
                retry_at + Duration::hours(1),
                retry_at + Duration::hours(2)
            )
            .await
            .unwrap(),
            None
        );

        // a job whose instance died on its last attempt is failed, not left running
        let k = jobs::enqueue(db, &job(1), t0).await.unwrap();
        jobs::claim(db, "dead", &KINDS, t0, t0 + lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            jobs::expire_exhausted(db, t0 + Duration::seconds(5))
                .await
                .unwrap(),
            0,
            "lease still valid"
        );
        assert_eq!(
            jobs::expire_exhausted(db, t0 + Duration::seconds(11))
                .await
                .unwrap(),
            1
        );
        let k = jobs::get(db, k.id).await.unwrap().unwrap();
        assert_eq!(k.status, "failed");
        assert!(k.error.unwrap().contains("stopped on every attempt"));
    }
}

#[tokio::test]
async fn cancelling_a_queued_job_ends_it_and_a_running_one_tells_its_worker() {
    for test in TestDb::all().await {
        let db = &test.db;
        let t0 = store::now();
        let lease = Duration::seconds(10);
        let queued = jobs::enqueue(db, &job(3), t0).await.unwrap();
        assert!(jobs::request_cancel(db, queued.id, t0).await.unwrap());
        let q = jobs::get(db, queued.id).await.unwrap().unwrap();
        assert_eq!((q.status.as_str(), q.cancel_requested), ("cancelled", true));
        assert_eq!(
            jobs::claim(db, "w", &KINDS, t0, t0 + lease).await.unwrap(),
            None
        );
        assert!(
            !jobs::request_cancel(db, queued.id, t0).await.unwrap(),
            "already ended"
        );

        let running = jobs::enqueue(db, &job(3), t0).await.unwrap();
        jobs::claim(db, "w", &KINDS, t0, t0 + lease)
            .await
            .unwrap()
            .unwrap();
        assert!(jobs::request_cancel(db, running.id, t0).await.unwrap());
        assert_eq!(
            jobs::get(db, running.id).await.unwrap().unwrap().status,
            "running"
        );
        assert_eq!(
            jobs::heartbeat(db, running.id, "w", t0, t0 + lease, None)
                .await
                .unwrap(),
            Lease::Held { cancel: true }
        );
        assert!(
            jobs::finish_cancelled(db, running.id, "w", Some(r#"{"best":1}"#), t0)
                .await
                .unwrap()
        );
        let r = jobs::get(db, running.id).await.unwrap().unwrap();
        assert_eq!(
            (r.status.as_str(), r.result.as_deref()),
            ("cancelled", Some(r#"{"best":1}"#))
        );
        // a cancelled job whose worker died is not taken over
        assert_eq!(
            jobs::claim(
                db,
                "x",
                &KINDS,
                t0 + Duration::hours(1),
                t0 + Duration::hours(2)
            )
            .await
            .unwrap(),
            None
        );
    }
}

#[tokio::test]
async fn concurrent_claimers_never_share_a_job() {
    for test in TestDb::all().await {
        let db = &test.db;
        let t0 = store::now();
        let mut ids = Vec::new();
        for i in 0..12 {
            ids.push(
                jobs::enqueue(db, &job(3), t0 + Duration::milliseconds(i))
                    .await
                    .unwrap()
                    .id,
            );
        }
        let mut tasks = Vec::new();
        for w in 0..6 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let name = format!("w{w}");
                let mut mine = Vec::new();
                let now = t0 + Duration::seconds(1);
                while let Some(j) =
                    jobs::claim(&db, &name, &KINDS, now, now + Duration::seconds(30))
                        .await
                        .unwrap()
                {
                    assert_eq!(j.lease_owner.as_deref(), Some(name.as_str()));
                    mine.push(j.id);
                }
                mine
            }));
        }
        let mut claimed = Vec::new();
        for t in tasks {
            claimed.extend(t.await.unwrap());
        }
        claimed.sort();
        ids.sort();
        assert_eq!(
            claimed,
            ids,
            "{}: every job claimed exactly once",
            test.backend()
        );
    }
}

#[tokio::test]
async fn a_jobs_blob_is_stored_with_it_read_back_whole_and_deleted_once_it_ended() {
    for test in TestDb::all().await {
        let db = &test.db;
        let t0 = store::now();
        // Two and a half chunks, with a pattern that shows any reordering.
        let data: Vec<u8> = (0..jobs::BLOB_CHUNK * 5 / 2)
            .map(|i| (i % 251) as u8)
            .collect();
        let new = NewJob {
            kind: "log_parse".into(),
            ..job(3)
        };
        let (row, size) = jobs::enqueue_with_blob(db, &new, t0, &mut data.as_slice())
            .await
            .unwrap();
        assert_eq!((row.status.as_str(), size), ("queued", data.len() as u64));
        assert_eq!(
            jobs::blob(db, new.id).await.unwrap().as_deref(),
            Some(data.as_slice()),
            "{}",
            db.backend()
        );
        assert_eq!(jobs::blob(db, Uuid::new_v4()).await.unwrap(), None);

        // A running job keeps its blob; a failed one loses it to the sweep.
        let claimed = jobs::claim(db, "w", &["log_parse"], t0, t0 + Duration::seconds(10))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.id, new.id);
        assert_eq!(jobs::delete_ended_blobs(db).await.unwrap(), 0);
        assert!(jobs::fail(db, new.id, "w", "not a log", t0).await.unwrap());
        let failed = jobs::get(db, new.id).await.unwrap().unwrap();
        assert_eq!(
            (
                failed.status.as_str(),
                failed.attempts,
                failed.error.as_deref()
            ),
            ("failed", 1, Some("not a log")),
            "failed for good on its first attempt"
        );
        assert!(
            !jobs::fail(db, new.id, "w", "again", t0).await.unwrap(),
            "only a running job's holder fails it"
        );
        assert_eq!(jobs::delete_ended_blobs(db).await.unwrap(), 3);
        assert_eq!(jobs::blob(db, new.id).await.unwrap(), None);

        // An empty blob stores no chunk.
        let empty = NewJob {
            kind: "log_parse".into(),
            ..job(3)
        };
        let (_, size) = jobs::enqueue_with_blob(db, &empty, t0, &mut &b""[..])
            .await
            .unwrap();
        assert_eq!(size, 0);
        assert_eq!(jobs::delete_blob(db, empty.id).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn an_owners_queued_and_running_jobs_of_a_kind_are_counted() {
    for test in TestDb::all().await {
        let db = &test.db;
        let t0 = store::now();
        let owner = store::users::create(
            db,
            &store::users::NewUser {
                email: "q@example.com".into(),
                username: "q".into(),
                hashed_password: "x".into(),
                full_name: None,
                is_superuser: false,
                is_verified: false,
            },
            t0,
        )
        .await
        .unwrap()
        .id;
        let mine = |kind: &str| NewJob {
            kind: kind.into(),
            owner_id: Some(owner),
            ..job(3)
        };
        let first = mine("log_parse");
        jobs::enqueue(db, &first, t0).await.unwrap();
        jobs::enqueue(db, &mine("log_parse"), t0).await.unwrap();
        jobs::enqueue(db, &mine("gear_optimization"), t0)
            .await
            .unwrap();
        assert_eq!(jobs::in_flight(db, owner, "log_parse").await.unwrap(), 2);
        jobs::request_cancel(db, first.id, t0).await.unwrap();
        assert_eq!(jobs::in_flight(db, owner, "log_parse").await.unwrap(), 1);
        assert_eq!(
            jobs::in_flight(db, Uuid::new_v4(), "log_parse")
                .await
                .unwrap(),
            0
        );
    }
}
