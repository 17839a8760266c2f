//! The gear optimizer as a job and as a WebSocket stream, over a real socket with a real
//! WebSocket client.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::TestApp;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// A served instance and an account on it; returns the stream's URL with the account's token
/// (the stream needs an account), the bare URL, and what keeps the instance alive.
async fn start_server() -> (String, String, common::Served, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let served = common::serve(common::test_settings(dir.path())).await;
    let client = reqwest::Client::new();
    let register = client
        .post(format!("{}/api/v1/auth/register", served.base))
        .json(&json!({"email": "streamer@example.com", "username": "streamer", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 201);
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"username": "streamer", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bare = served.ws.replace("/ws/mcm", "/ws/optimize");
    let url = format!("{bare}?token={}", tokens["access_token"].as_str().unwrap());
    (url, bare, served, dir)
}

async fn next_json(
    ws: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin),
) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(60), ws.next())
            .await
            .ok()??
        {
            Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).ok(),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

#[tokio::test]
async fn websocket_streams_the_result_of_a_search() {
    let (url, _, _served, _dir) = start_server().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    ws.send(Message::Text(
        common::repo_json("presets/gear/power-berserker.json")
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let started = next_json(&mut ws).await.unwrap();
    assert_eq!(started["type"], "started");
    let mut last = None;
    while let Some(msg) = next_json(&mut ws).await {
        let kind = msg["type"].as_str().unwrap().to_owned();
        assert!(kind == "progress" || kind == "result", "{msg}");
        last = Some(msg);
        if kind == "result" {
            break;
        }
    }
    let result = last.expect("a final message");
    assert_eq!(result["type"], "result");
    assert_eq!(result["search"]["proven_optimal"], true);
    assert!(result["results"][0]["dps"].as_f64().unwrap() > 30_000.0);
}

#[tokio::test]
async fn websocket_rejects_bad_input_and_cancels_on_request() {
    let (url, _, _served, _dir) = start_server().await;
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    ws.send(Message::Text("{\"affixes\": 5}".into()))
        .await
        .unwrap();
    let err = next_json(&mut ws).await.unwrap();
    assert_eq!(err["type"], "error");
    assert_eq!(err["code"], "validation_error");

    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    ws.send(Message::Text(common::big_gear_search().to_string().into()))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await.unwrap()["type"], "started");
    tokio::time::sleep(Duration::from_millis(300)).await;
    ws.send(Message::Text("cancel".into())).await.unwrap();
    let result = loop {
        let msg = next_json(&mut ws).await.expect("result after cancel");
        if msg["type"] == "result" {
            break msg;
        }
    };
    assert_eq!(result["search"]["cancelled"], true);
    assert_eq!(result["search"]["proven_optimal"], false);
}

#[tokio::test]
async fn long_searches_become_jobs_that_can_be_polled_and_cancelled() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let (_, token, _) = app.user("jobber").await;
    let reply = app
        .post(
            "/api/v1/optimize/gear",
            common::big_gear_search(),
            Some(&token),
        )
        .await;
    let job = reply.expect(StatusCode::ACCEPTED);
    let url = job["status_url"].as_str().unwrap().to_owned();
    let running = app.get(&url, Some(&token)).await.expect(StatusCode::OK);
    assert_eq!(running["status"], "running");
    // A job is its owner's: anonymous callers are 401, another account sees nothing.
    app.get(&url, None)
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
    let (_, other, _) = app.user("snooper").await;
    app.get(&url, Some(&other))
        .await
        .expect_error(StatusCode::NOT_FOUND);
    app.request(axum::http::Method::DELETE, &url, None, Some(&other))
        .await
        .expect_error(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&url, Some(&token)).await.expect(StatusCode::OK)["status"],
        "running",
        "another account cannot cancel it"
    );
    app.request(axum::http::Method::DELETE, &url, None, Some(&token))
        .await
        .expect(StatusCode::ACCEPTED);
    let mut done = Value::Null;
    for _ in 0..100 {
        done = app.get(&url, Some(&token)).await.expect(StatusCode::OK);
        if done["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["output"]["search"]["cancelled"], true);
    app.get(
        &format!("/api/v1/optimize/gear/jobs/{}", uuid::Uuid::new_v4()),
        Some(&token),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_stream_needs_an_account() {
    let (_, bare, _served, _dir) = start_server().await;
    for url in [bare.clone(), format!("{bare}?token=not-a-token")] {
        match tokio_tungstenite::connect_async(&url).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 401, "{url}");
                let body: Value =
                    serde_json::from_slice(response.body().as_deref().unwrap_or_default()).unwrap();
                assert_eq!(body["code"], "unauthorized", "{body}");
            }
            other => panic!("{url}: expected a 401 handshake, got {other:?}"),
        }
    }
}
