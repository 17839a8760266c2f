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

#[tokio::test]
async fn progress_reaches_the_socket_whichever_instance_runs_the_job() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
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

    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}?token={token}", a.ws))
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
