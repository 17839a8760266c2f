//! Log uploads under attack and accident, on every configured database: oversized bodies and
//! zip bombs are refused while streaming (413) and leave no file and no fight behind, an
//! account has a bounded number of uploads in flight, logs that are not fights are 422, and
//! a log cut short is stored with where it stops.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use serde_json::Value;

const BOUNDARY: &str = "gw2opt-upload-boundary-5c1e";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../evtc/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

async fn upload(app: &TestApp, token: &str, file_name: &str, bytes: &[u8]) -> Reply {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/mcm/logs")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

/// Files left in the upload spool directory (must be none once a request is answered).
fn spooled_files(app: &TestApp) -> Vec<String> {
    let dir = app.data_dir.path().join("uploads");
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn fight_count(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/mcm/fights?mine=true", Some(token))
        .await
        .expect(StatusCode::OK)["total"]
        .as_i64()
        .expect("total")
}

/// A `.zevtc` whose single member inflates to `size` zero bytes.
fn zip_bomb(size: usize) -> Vec<u8> {
    evtc::zip::write_single("bomb.evtc", &vec![0u8; size])
}

#[tokio::test]
async fn oversized_logs_are_refused_while_streaming_and_leave_nothing() {
    for app in TestApp::all_with(|s| s.upload_limit = 1024 * 1024).await {
        let (_, token, _) = app.user("big").await;
        let two_mib = vec![7u8; 2 * 1024 * 1024];
        let reply = upload(&app, &token, "big.evtc", &two_mib).await;
        let (detail, code) = reply.expect_error(StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(code, "payload_too_large", "{detail}");
        assert!(spooled_files(&app).is_empty(), "{:?}", spooled_files(&app));
        assert_eq!(fight_count(&app, &token).await, 0);
    }
}

#[tokio::test]
async fn zip_bombs_are_refused_as_they_inflate() {
    for app in TestApp::all_with(|s| s.upload_limit = 1024 * 1024).await {
        let (_, token, _) = app.user("bomber").await;
        // 64 MiB of zeros in about 64 KiB: well under the upload limit, far over the cap.
        let bomb = zip_bomb(64 * 1024 * 1024);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let reply = upload(&app, &token, "bomb.zevtc", &bomb).await;
        let (detail, _) = reply.expect_error(StatusCode::PAYLOAD_TOO_LARGE);
        assert!(detail.contains("inflates"), "{detail}");
        assert!(spooled_files(&app).is_empty());
        assert_eq!(fight_count(&app, &token).await, 0);

        // The real log still goes through the same path.
        let reply = upload(&app, &token, "skirmish.zevtc", &fixture("skirmish.zevtc")).await;
        let body = reply.expect(StatusCode::CREATED);
        assert_eq!(body["fight"]["truncated_at"], Value::Null);
        assert!(spooled_files(&app).is_empty());
    }
}

#[tokio::test]
async fn an_account_has_a_bounded_number_of_uploads_in_flight() {
    for app in TestApp::all_with(|s| s.uploads_per_user = 2).await {
        let (ann, ann_token, _) = app.user("annie").await;
        let (_, bo_token, _) = app.user("bobby").await;
        let ann_id = ann.parse().expect("uuid");
        // Two uploads of Ann's are in flight (held as the upload handler holds them).
        let first = app.state.uploads.begin(ann_id).expect("slot");
        let _second = app.state.uploads.begin(ann_id).expect("slot");
        let log = fixture("skirmish.zevtc");
        let reply = upload(&app, &ann_token, "skirmish.zevtc", &log).await;
        assert!(reply.headers.contains_key("retry-after"));
        reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        upload(&app, &bo_token, "skirmish.zevtc", &log)
            .await
            .expect(StatusCode::CREATED);
        drop(first);
        upload(&app, &ann_token, "skirmish.zevtc", &log)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(app.state.uploads.in_flight(ann_id), 1, "only the held slot");
    }
}

#[tokio::test]
async fn logs_without_agents_or_events_are_not_fights() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("empty").await;
        // A header and nothing else.
        let header_only = evtc::write::write_evtc(&evtc::write::LogBuilder::new(1).build());
        let reply = upload(&app, &token, "empty.evtc", &header_only).await;
        let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "file");
        assert!(
            body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("not a fight"),
            "{body}"
        );
        // Agents but no events.
        let mut builder = evtc::write::LogBuilder::new(1);
        builder.player("Ann", "ann.1234", 1, 1, 0);
        let no_events = evtc::write::write_evtc(&builder.build());
        let body = upload(&app, &token, "quiet.evtc", &no_events)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("no combat events"),
            "{body}"
        );
        // A zip whose member is not a log says so.
        let not_a_log = evtc::zip::write_single("notes.txt", b"hello, this is not a log");
        let body = upload(&app, &token, "notes.zevtc", &not_a_log)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let detail = body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("member") && detail.contains("notes.txt"),
            "{detail}"
        );
        assert_eq!(fight_count(&app, &token).await, 0, "nothing stored");
        assert!(spooled_files(&app).is_empty());
    }
}

#[tokio::test]
async fn a_log_cut_mid_event_is_stored_with_where_it_stops() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("crashed").await;
        let whole = fixture("skirmish.evtc");
        // Cut 20 bytes into the last 64-byte event (a client that crashed while writing).
        let cut = &whole[..whole.len() - 44];
        let expected_at = (whole.len() - 64) as i64;
        let body = upload(&app, &token, "crash.evtc", cut)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(body["fight"]["truncated_at"], expected_at, "{body}");
        let id = body["id"].as_str().expect("id").to_owned();
        let stored = app
            .get(&format!("/api/v1/mcm/fights/{id}"), Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            stored["fight"]["truncated_at"], expected_at,
            "the stored fight: {stored}"
        );
        assert_eq!(stored["report"]["truncated_at"], expected_at, "its report");
        let list = app
            .get("/api/v1/mcm/fights?mine=true", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list["items"][0]["truncated_at"], expected_at);
        // The whole log is a different upload, complete.
        let body = upload(&app, &token, "whole.evtc", &whole)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(body["fight"]["truncated_at"], Value::Null);
    }
}

/// Damaged logs (cut anywhere, bytes flipped, zip members mangled) through the whole upload
/// path on every database: never a 5xx, never a leftover temporary file, and an accepted
/// one is readable back.
#[test]
fn damaged_logs_never_fail_on_the_server_side() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let apps = rt.block_on(TestApp::all_with(|s| s.uploads_per_user = 64));
    let evtc = fixture("skirmish.evtc");
    let zevtc = fixture("skirmish.zevtc");
    for app in &apps {
        let (_, token, _) = rt.block_on(app.user("fuzzer"));
        let strategy = (
            any::<bool>(),
            any::<prop::sample::Index>(),
            proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        );
        let mut runner = TestRunner::new(Config {
            cases: 48,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&strategy, |(zipped, cut, flips)| {
                let source = if zipped { &zevtc } else { &evtc };
                let mut bytes = source[..cut.index(source.len()) + 1].to_vec();
                for (at, value) in flips {
                    let at = at.index(bytes.len());
                    bytes[at] = value;
                }
                let reply = rt.block_on(upload(app, &token, "fuzz.zevtc", &bytes));
                prop_assert!(
                    matches!(reply.status.as_u16(), 200 | 201 | 413 | 422),
                    "{:?}: {} {}",
                    app.backend(),
                    reply.status,
                    String::from_utf8_lossy(&reply.raw)
                );
                prop_assert!(spooled_files(app).is_empty());
                if reply.status.is_success() {
                    let id = reply.body["id"].as_str().unwrap_or_default().to_owned();
                    let back =
                        rt.block_on(app.get(&format!("/api/v1/mcm/fights/{id}"), Some(&token)));
                    prop_assert_eq!(back.status, StatusCode::OK);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{:?}: {e}", app.backend()));
    }
}
