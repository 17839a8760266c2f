//! `/api/v1/jobs` through the real router on every backend: a gear optimization queued,
//! run by the instance's worker to the engine's optimum, read by its owner only, followed
//! over `/ws/mcm`; bad input refused when submitted; cancellation. (That a job outlives its
//! instance is `tests/job_failover.rs`, with real processes.)

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

fn preset(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../../presets/gear/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

async fn finished(app: &TestApp, id: &str, token: &str) -> Value {
    for _ in 0..600 {
        let job = app
            .get(&format!("/api/v1/jobs/{id}"), Some(token))
            .await
            .expect(StatusCode::OK);
        if job["status"] != "queued" && job["status"] != "running" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {id} still unfinished after 60 s");
}

#[tokio::test]
async fn a_queued_gear_optimization_runs_to_the_engines_optimum_for_its_owner_only() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (_, owner, _) = app.user("owner").await;
        let (_, other, _) = app.user("other").await;
        let input = preset("power-berserker");
        let expected =
            optimizer::gear::run(&serde_json::from_value(input.clone()).unwrap()).unwrap();

        let body = json!({"kind": "gear_optimization", "input": {"input": input}});
        app.post("/api/v1/jobs", body.clone(), None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let queued = app
            .post("/api/v1/jobs", body, Some(&owner))
            .await
            .expect(StatusCode::ACCEPTED);
        assert_eq!(queued["status"], "queued", "{queued}");
        assert_eq!(queued["kind"], "gear_optimization");
        let id = queued["id"].as_str().unwrap().to_owned();
        let done = finished(&app, &id, &owner).await;
        assert_eq!(done["status"], "done", "{backend}: {done}");
        assert_eq!(done["attempts"], 1);
        assert!(done["completed_by"].as_str().unwrap().contains('#'));
        assert_eq!(
            done["result"]["results"][0]["score"].as_f64().unwrap(),
            expected.results[0].score,
            "{backend}: the engine's optimum"
        );
        assert!(done["finished_at"].is_string());
        // another account's job is as good as unknown
        app.get(&format!("/api/v1/jobs/{id}"), Some(&other))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        app.request(
            Method::DELETE,
            &format!("/api/v1/jobs/{id}"),
            None,
            Some(&other),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        // cancelling a finished job changes nothing
        let again = app
            .request(
                Method::DELETE,
                &format!("/api/v1/jobs/{id}"),
                None,
                Some(&owner),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(again["status"], "done");
    }
}

#[tokio::test]
async fn bad_jobs_are_refused_when_submitted() {
    for app in TestApp::all().await {
        let (_, owner, _) = app.user("owner").await;
        let mut unknown_prefix = preset("power-berserker");
        unknown_prefix["affixes"] = json!(["berserker", "jedi"]);
        for (body, field) in [
            (json!({"kind": "chess", "input": {}}), "kind"),
            (
                json!({"kind": "gear_optimization", "input": {"nope": 1}}),
                "input",
            ),
            (
                json!({"kind": "gear_optimization", "input": {"input": unknown_prefix}}),
                "input.input",
            ),
            (
                json!({"kind": "gear_optimization", "input": {"input": preset("power-berserker"), "max_seconds": 0}}),
                "input.max_seconds",
            ),
            (
                json!({"kind": "gear_optimization", "input": {"input": preset("power-berserker")}, "priority": 9}),
                "priority",
            ),
        ] {
            let refused = app
                .post("/api/v1/jobs", body.clone(), Some(&owner))
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(refused["field"], field, "{body} → {refused}");
        }
        app.get(
            "/api/v1/jobs/00000000-0000-0000-0000-000000000000",
            Some(&owner),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_running_job_is_cancelled_with_its_best_result_so_far() {
    // One worker that takes its time: the 9-prefix WvW search runs for seconds.
    for app in TestApp::all().await {
        let (_, owner, _) = app.user("owner").await;
        let mut input = preset("wvw-support-firebrand");
        input["affixes"] = json!([
            "minstrel", "harrier", "magi", "cleric", "knight", "soldier", "giver", "nomad",
            "sentinel"
        ]);
        let queued = app
            .post(
                "/api/v1/jobs",
                json!({"kind": "gear_optimization", "input": {"input": input}}),
                Some(&owner),
            )
            .await
            .expect(StatusCode::ACCEPTED);
        let id = queued["id"].as_str().unwrap().to_owned();
        for _ in 0..200 {
            let job = app
                .get(&format!("/api/v1/jobs/{id}"), Some(&owner))
                .await
                .expect(StatusCode::OK);
            if job["status"] != "queued" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let asked = app
            .request(
                Method::DELETE,
                &format!("/api/v1/jobs/{id}"),
                None,
                Some(&owner),
            )
            .await
            .expect(StatusCode::OK);
        assert!(
            ["running", "cancelled", "done"].contains(&asked["status"].as_str().unwrap()),
            "{asked}"
        );
        let ended = finished(&app, &id, &owner).await;
        // a search faster than the cancel ends done; otherwise cancelled, keeping its best
        match ended["status"].as_str().unwrap() {
            "cancelled" => assert!(
                ended["result"].is_null() || ended["result"]["results"].is_array(),
                "{ended}"
            ),
            "done" => assert!(ended["result"]["results"].is_array()),
            other => panic!("unexpected end {other}: {ended}"),
        }
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_event(ws: &mut Ws) -> Option<Value> {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        match tokio::time::timeout(Duration::from_secs(60), ws.next())
            .await
            .ok()??
        {
            Ok(Message::Text(t)) => {
                let value: Value = serde_json::from_str(t.as_str()).unwrap();
                if value["type"] != "heartbeat" {
                    return Some(value);
                }
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// A socket on `ws_url` (as `token`'s owner) subscribed to job `id`: `ready`, then `subscribed`.
async fn subscribed_to_job(ws_url: &str, token: &str, id: &str) -> Ws {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{ws_url}?token={token}"))
        .await
        .unwrap();
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "ready");
    ws.send(Message::Text(
        json!({"type": "subscribe", "job_id": id})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "subscribed");
    ws
}

#[tokio::test]
async fn progress_reaches_the_socket_whichever_instance_runs_the_job() {
    let Ok(redis_url) = std::env::var("GW2OPT_TEST_REDIS_URL") else {
        eprintln!(
            "note: the cross-instance job stream test is skipped (GW2OPT_TEST_REDIS_URL not set)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.redis_url = Some(redis_url);
    // A accepts jobs and holds the socket but runs none; B runs them.
    let mut a_settings = settings.clone();
    a_settings.job_workers = 0;
    a_settings.instance_name = "front".into();
    let mut b_settings = settings;
    b_settings.job_workers = 1;
    b_settings.instance_name = "back".into();
    let a = common::serve(a_settings).await;
    let b = common::serve(b_settings).await;
    for instance in [&a, &b] {
        assert!(
            instance
                .state
                .events
                .wait_until_listening(Duration::from_secs(5))
                .await
        );
    }
    let http = reqwest::Client::new();
    http.post(format!("{}/api/v1/auth/register", a.base))
        .json(
            &json!({"email": "jobs@example.com", "username": "jobs", "password": common::PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    let login: Value = http
        .post(format!("{}/api/v1/auth/login", a.base))
        .json(&json!({"username": "jobs", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let mut input = preset("wvw-support-firebrand");
    input["affixes"] =
        json!(["minstrel", "harrier", "magi", "cleric", "knight", "soldier", "giver"]);
    let queued: Value = http
        .post(format!("{}/api/v1/jobs", a.base))
        .bearer_auth(&token)
        .json(&json!({"kind": "gear_optimization", "input": {"input": input}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = queued["id"].as_str().unwrap().to_owned();

    let mut ws = subscribed_to_job(&a.ws, &token, &id).await;
    let snapshot = next_event(&mut ws).await.unwrap();
    assert_eq!(snapshot["type"], "job", "{snapshot}");
    let mut status = snapshot["job"]["status"].as_str().unwrap().to_owned();
    let mut seen = Vec::new();
    while status == "queued" || status == "running" {
        let event = next_event(&mut ws).await.expect("an event before the end");
        seen.push(event["type"].as_str().unwrap().to_owned());
        if event["type"] == "job_done" {
            status = event["status"].as_str().unwrap().to_owned();
        }
    }
    assert_eq!(status, "done", "events: {seen:?}");
    let job: Value = http
        .get(format!("{}/api/v1/jobs/{id}", a.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(job["completed_by"], "back#0", "{job}");
    eprintln!("front's socket saw {seen:?} from the job run on back");
}

// ---- log_parse jobs: `POST /mcm/logs?async=true` ----

const BOUNDARY: &str = "gw2opt-log-job-boundary";

/// The multipart body of a log upload: text fields, then the file.
fn log_form(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload_log(
    app: &TestApp,
    uri: &str,
    token: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: &[u8],
) -> common::Reply {
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(log_form(fields, file_name, bytes)))
        .unwrap();
    app.send(request).await
}

/// The fight fields that must not depend on how the log was uploaded.
fn same_fight_fields(fight: &Value) -> Value {
    let mut fight = fight.clone();
    for volatile in ["id", "uploader", "created_at"] {
        fight.as_object_mut().unwrap().remove(volatile);
    }
    fight
}

#[tokio::test]
async fn a_queued_log_parse_stores_the_same_fight_as_a_synchronous_upload() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (_, queued_by, _) = app.user("queued").await;
        let (_, direct, _) = app.user("direct").await;
        // A whole log, and one cut in the middle of its last event (`truncated_at`).
        let whole = common::evtc_fixture("skirmish.evtc");
        let cut = whole[..whole.len() - 44].to_vec();
        for (name, bytes) in [
            ("skirmish.zevtc", common::evtc_fixture("skirmish.zevtc")),
            ("cut.evtc", cut),
        ] {
            let mut results = Vec::new();
            for (token, queue) in [(&queued_by, true), (&direct, false)] {
                let session = app
                    .post(
                        "/api/v1/mcm/sessions",
                        json!({"name": "reset night"}),
                        Some(token),
                    )
                    .await
                    .expect(StatusCode::CREATED)["id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let fields = [("session_id", session.as_str()), ("is_public", "true")];
                let out = if queue {
                    let job = upload_log(
                        &app,
                        "/api/v1/mcm/logs?async=true",
                        token,
                        &fields,
                        name,
                        &bytes,
                    )
                    .await
                    .expect(StatusCode::ACCEPTED);
                    assert_eq!(
                        (job["kind"].as_str(), job["status"].as_str()),
                        (Some("log_parse"), Some("queued")),
                        "{job}"
                    );
                    let id = job["id"].as_str().unwrap().to_owned();
                    let done = finished(&app, &id, token).await;
                    assert_eq!(done["status"], "done", "{backend}: {done}");
                    assert_eq!(done["attempts"], 1);
                    let out = done["result"].clone();
                    assert_eq!(out["id"], id.as_str(), "the fight takes the job's id");
                    assert_eq!(out["duplicate"], false);
                    let blob = store::jobs::blob(&app.state.db, id.parse().unwrap())
                        .await
                        .unwrap();
                    assert!(
                        blob.is_none(),
                        "{backend}: the stored log is deleted once parsed"
                    );
                    out
                } else {
                    upload_log(&app, "/api/v1/mcm/logs", token, &fields, name, &bytes)
                        .await
                        .expect(StatusCode::CREATED)
                };
                assert_eq!(out["session_id"], session.as_str());
                let fight_id = out["id"].as_str().unwrap().to_owned();
                let stored = app
                    .get(&format!("/api/v1/mcm/fights/{fight_id}"), Some(token))
                    .await
                    .expect(StatusCode::OK);
                let in_session = app
                    .get(&format!("/api/v1/mcm/sessions/{session}"), Some(token))
                    .await
                    .expect(StatusCode::OK);
                assert_eq!(
                    in_session["fights"][0]["id"],
                    fight_id.as_str(),
                    "{in_session}"
                );
                results.push((out, stored, in_session["stats"].clone()));
            }
            let (
                (queued_out, queued_stored, queued_stats),
                (direct_out, direct_stored, direct_stats),
            ) = (&results[0], &results[1]);
            assert_eq!(queued_out["fight"]["uploader"], "queued");
            assert_eq!(
                same_fight_fields(&queued_out["fight"]),
                same_fight_fields(&direct_out["fight"]),
                "{backend} {name}: the job's answer is the synchronous upload's"
            );
            assert_eq!(
                queued_stored["report"], direct_stored["report"],
                "{backend} {name}: same report"
            );
            assert_eq!(
                same_fight_fields(&queued_stored["fight"]),
                same_fight_fields(&direct_stored["fight"])
            );
            assert_eq!(queued_stats, direct_stats, "the same session aggregate");
            if name == "cut.evtc" {
                assert_eq!(
                    queued_stored["fight"]["truncated_at"],
                    (whole.len() - 64) as i64
                );
            }
        }
        // Queued again by the same account: the existing fight, as synchronously.
        let bytes = common::evtc_fixture("skirmish.zevtc");
        let job = upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &queued_by,
            &[],
            "again.zevtc",
            &bytes,
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let id = job["id"].as_str().unwrap().to_owned();
        let done = finished(&app, &id, &queued_by).await;
        assert_eq!(done["result"]["duplicate"], true, "{done}");
        assert_ne!(done["result"]["id"], id.as_str());
        // Another account's job is as good as unknown.
        app.get(&format!("/api/v1/jobs/{id}"), Some(&direct))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        // Jobs of this kind come with their log only.
        let refused = app
            .post(
                "/api/v1/jobs",
                json!({"kind": "log_parse", "input": {}}),
                Some(&queued_by),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "kind");
    }
}

#[tokio::test]
async fn a_corrupt_log_fails_its_job_at_once_and_stores_nothing() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (_, token, _) = app.user("corrupt").await;
        let garbage = b"this is not an arcdps log, only words pretending to be one".repeat(20);
        let job = upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &token,
            &[],
            "bad.evtc",
            &garbage,
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let id = job["id"].as_str().unwrap().to_owned();
        let failed = finished(&app, &id, &token).await;
        assert_eq!(failed["status"], "failed", "{backend}: {failed}");
        assert_eq!(
            failed["attempts"], 1,
            "not retried: it would fail the same way"
        );
        let error = failed["error"].as_str().unwrap();
        assert!(error.contains("not a readable arcdps log"), "{error}");
        assert!(failed["result"].is_null());
        let mine = app
            .get("/api/v1/mcm/fights?mine=true", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(mine["total"], 0, "nothing stored");
        assert!(store::jobs::blob(&app.state.db, id.parse().unwrap())
            .await
            .unwrap()
            .is_none());
        // Refused before anything is queued: an empty file, a session that is not yours.
        let (detail, _) = upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &token,
            &[],
            "empty.evtc",
            b"",
        )
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(detail.contains("empty"), "{detail}");
        let (_, other, _) = app.user("other").await;
        let theirs = app
            .post(
                "/api/v1/mcm/sessions",
                json!({"name": "theirs"}),
                Some(&other),
            )
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &token,
            &[("session_id", &theirs)],
            "x.evtc",
            &common::evtc_fixture("skirmish.evtc"),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);
        upload_log(
            &app,
            "/api/v1/mcm/logs?async=maybe",
            &token,
            &[],
            "x.evtc",
            &garbage,
        )
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn queued_log_parses_are_limited_per_account_and_cancelled_with_their_log() {
    // No worker on this instance: jobs stay queued.
    for app in TestApp::all_with(|s| {
        s.job_workers = 0;
        s.uploads_per_user = 2;
    })
    .await
    {
        let backend = app.backend();
        let (_, token, _) = app.user("limited").await;
        let bytes = common::evtc_fixture("skirmish.evtc");
        let mut ids = Vec::new();
        for n in 0..2 {
            let job = upload_log(
                &app,
                "/api/v1/mcm/logs?async=true",
                &token,
                &[],
                &format!("{n}.evtc"),
                &bytes,
            )
            .await
            .expect(StatusCode::ACCEPTED);
            ids.push(job["id"].as_str().unwrap().to_owned());
        }
        let reply = upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &token,
            &[],
            "3.evtc",
            &bytes,
        )
        .await;
        assert!(reply.headers.contains_key("retry-after"));
        let (detail, code) = reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(code, "rate_limited");
        assert!(detail.contains("log parses"), "{detail}");
        // Another account is not affected.
        let (_, other, _) = app.user("unlimited").await;
        upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &other,
            &[],
            "o.evtc",
            &bytes,
        )
        .await
        .expect(StatusCode::ACCEPTED);

        let first = ids[0].parse().unwrap();
        assert_eq!(
            store::jobs::blob(&app.state.db, first)
                .await
                .unwrap()
                .as_deref(),
            Some(bytes.as_slice()),
            "{backend}: the log waits in the database byte for byte"
        );
        app.request(
            Method::DELETE,
            &format!("/api/v1/jobs/{}", ids[0]),
            None,
            Some(&other),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        let cancelled = app
            .request(
                Method::DELETE,
                &format!("/api/v1/jobs/{}", ids[0]),
                None,
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
        assert!(
            store::jobs::blob(&app.state.db, first)
                .await
                .unwrap()
                .is_none(),
            "its log is gone"
        );
        // A cancelled parse frees its place.
        upload_log(
            &app,
            "/api/v1/mcm/logs?async=true",
            &token,
            &[],
            "3.evtc",
            &bytes,
        )
        .await
        .expect(StatusCode::ACCEPTED);
        let mine = app
            .get("/api/v1/mcm/fights?mine=true", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(mine["total"], 0, "nothing parsed");
    }
}

#[tokio::test]
async fn a_log_parse_is_followed_on_the_socket_of_another_instance() {
    let Ok(redis_url) = std::env::var("GW2OPT_TEST_REDIS_URL") else {
        eprintln!("note: the cross-instance log job stream test is skipped (GW2OPT_TEST_REDIS_URL not set)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.redis_url = Some(redis_url);
    // A accepts the upload and holds the socket but runs no job; B parses. The log's bytes
    // reach B through the database only: B has its own data dir.
    let dir_b = tempfile::tempdir().unwrap();
    let mut a_settings = settings.clone();
    a_settings.job_workers = 0;
    a_settings.instance_name = "front".into();
    let mut b_settings = settings;
    b_settings.data_dir = dir_b.path().to_owned();
    b_settings.job_workers = 1;
    b_settings.instance_name = "back".into();
    let a = common::serve(a_settings).await;
    assert!(
        a.state
            .events
            .wait_until_listening(Duration::from_secs(5))
            .await
    );
    let (status, _) = common::call(
        reqwest::Method::POST,
        format!("{}/api/v1/auth/register", a.base),
        None,
        Some(
            json!({"email": "logs@example.com", "username": "logs", "password": common::PASSWORD}),
        ),
    )
    .await;
    assert_eq!(status, 201);
    let (_, login) = common::call(
        reqwest::Method::POST,
        format!("{}/api/v1/auth/login", a.base),
        None,
        Some(json!({"username": "logs", "password": common::PASSWORD})),
    )
    .await;
    let token = login["access_token"].as_str().unwrap().to_owned();
    let bytes = common::evtc_fixture("skirmish.zevtc");
    let queued: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/mcm/logs?async=true", a.base))
        .bearer_auth(&token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(log_form(&[], "skirmish.zevtc", &bytes))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queued["status"], "queued", "{queued}");
    let id = queued["id"].as_str().unwrap().to_owned();

    let mut ws = subscribed_to_job(&a.ws, &token, &id).await;
    assert_eq!(
        next_event(&mut ws).await.unwrap()["job"]["status"],
        "queued"
    );
    // Only now does B start (with a worker), so the socket sees everything.
    let _b = common::state_on(&a.state.db, b_settings);
    let mut seen = Vec::new();
    let end = loop {
        let event = next_event(&mut ws).await.expect("an event before the end");
        seen.push(event.clone());
        if event["type"] == "job_done" {
            break event;
        }
    };
    assert_eq!(end["status"], "done", "{seen:?}");
    assert!(
        seen.iter()
            .any(|e| e["type"] == "job_running" && e["worker"] == "back#0"),
        "{seen:?}"
    );
    let progress: Vec<&Value> = seen
        .iter()
        .filter(|e| e["type"] == "job_progress")
        .collect();
    assert!(!progress.is_empty(), "{seen:?}");
    assert_eq!(progress.last().unwrap()["progress"]["fraction"], 1.0);
    let (_, job) = common::call(
        reqwest::Method::GET,
        format!("{}/api/v1/jobs/{id}", a.base),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(job["completed_by"], "back#0", "{job}");
    assert_eq!(job["result"]["fight"]["file_name"], "skirmish.zevtc");
}
