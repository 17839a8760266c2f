//! The live WvW stream over real sockets with a real WebSocket client: session pushes as
//! logs are uploaded, authentication, heartbeats, back-pressure, live matches polled from a
//! local GW2 API server, and two service instances sharing events through Redis.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use server::config::Settings;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

use common::serve as start;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../evtc/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Registers and logs in over HTTP; returns the access token.
async fn token(base: &str, username: &str) -> String {
    let http = reqwest::Client::new();
    let body = json!({"email": format!("{username}@example.com"), "username": username, "password": common::PASSWORD});
    let reply = http
        .post(format!("{base}/api/v1/auth/register"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    let reply: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reply["access_token"].as_str().unwrap().to_owned()
}

async fn post_json(base: &str, path: &str, token: &str, body: Value) -> Value {
    let reply = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{}", reply.status());
    reply.json().await.unwrap()
}

async fn upload(base: &str, token: &str, session: &str, name: &str, bytes: &[u8]) -> Value {
    let boundary = "stream-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\n{session}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let reply = reqwest::Client::new()
        .post(format!("{base}/api/v1/mcm/logs"))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    reply.json().await.unwrap()
}

/// The next JSON message, skipping heartbeats; `None` on close or after 10 s.
async fn next_event(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
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

/// Reads until the server closes; returns the close code and how many texts came first.
async fn close_code(ws: &mut Ws) -> (Option<CloseCode>, usize) {
    let mut texts = 0;
    loop {
        match tokio::time::timeout(Duration::from_secs(20), ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return (frame.map(|f| f.code), texts),
            Ok(Some(Ok(Message::Text(_)))) => texts += 1,
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(_))) | Ok(None) | Err(_) => return (None, texts),
        }
    }
}

async fn connect(url: &str) -> Ws {
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

async fn send(ws: &mut Ws, value: Value) {
    ws.send(Message::Text(value.to_string().into()))
        .await
        .unwrap();
}

fn settings(dir: &std::path::Path) -> Settings {
    common::test_settings(dir)
}

#[tokio::test]
async fn uploads_are_pushed_to_session_subscribers() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(settings(dir.path())).await;
    let commander = token(&app.base, "commander").await;
    let squaddie = token(&app.base, "squaddie").await;
    let session = post_json(
        &app.base,
        "/api/v1/mcm/sessions",
        &commander,
        json!({"name": "Reset", "is_public": true}),
    )
    .await;
    let sid = session["id"].as_str().unwrap().to_owned();

    // The squad member follows the commander's public session (token in the query).
    let mut ws = connect(&format!("{}?token={squaddie}", app.ws)).await;
    let ready = next_event(&mut ws).await.unwrap();
    assert_eq!(ready["type"], "ready");
    assert_eq!(ready["user"], "squaddie");
    send(&mut ws, json!({"type": "subscribe", "session_id": sid})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "subscribed");
    let snapshot = next_event(&mut ws).await.unwrap();
    assert_eq!(snapshot["type"], "session_stats");
    assert_eq!(snapshot["stats"]["fights"], 0);

    let bytes = fixture("skirmish.zevtc");
    let uploaded = upload(&app.base, &commander, &sid, "fight.zevtc", &bytes).await;

    let mut progress = Vec::new();
    let added = loop {
        let event = next_event(&mut ws).await.expect("events after the upload");
        match event["type"].as_str().unwrap() {
            "parse_progress" => progress.push(event),
            "fight_added" => break event,
            other => panic!("unexpected {other}: {event}"),
        }
    };
    assert!(!progress.is_empty(), "parse progress was pushed");
    assert_eq!(progress.last().unwrap()["fraction"], 1.0);
    assert_eq!(added["fight"]["id"], uploaded["id"]);
    let stats = next_event(&mut ws).await.unwrap();
    assert_eq!(stats["type"], "session_stats");
    assert_eq!(stats["stats"]["fights"], 1);
    let expected = evtc::aggregate(&[evtc::analyze(&evtc::parse(&bytes).unwrap())]);
    assert_eq!(stats["stats"], serde_json::to_value(expected).unwrap());

    // Pings are answered; unsubscribing stops the pushes.
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "pong");
    send(&mut ws, json!({"type": "unsubscribe", "session_id": sid})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "unsubscribed");
    upload(
        &app.base,
        &commander,
        &sid,
        "again.evtc",
        &fixture("skirmish_rev0.evtc"),
    )
    .await;
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(
        next_event(&mut ws).await.unwrap()["type"],
        "pong",
        "nothing pushed after unsubscribe"
    );
    ws.close(None).await.unwrap();
}

#[tokio::test]
async fn clients_must_authenticate_and_may_follow_only_what_they_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(settings(dir.path())).await;
    let owner = token(&app.base, "owner").await;
    let other = token(&app.base, "other").await;
    let private = post_json(
        &app.base,
        "/api/v1/mcm/sessions",
        &owner,
        json!({"name": "secret"}),
    )
    .await;

    let mut ws = connect(&format!("{}?token=not-a-token", app.ws)).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["code"], "unauthorized");
    assert_eq!(close_code(&mut ws).await.0, Some(CloseCode::from(4401)));

    let mut ws = connect(&app.ws).await;
    send(
        &mut ws,
        json!({"type": "subscribe", "session_id": private["id"]}),
    )
    .await;
    assert_eq!(
        close_code(&mut ws).await.0,
        Some(CloseCode::from(4401)),
        "first message must be auth"
    );

    // Token in the first message.
    let mut ws = connect(&app.ws).await;
    send(&mut ws, json!({"type": "auth", "token": other})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "ready");
    send(
        &mut ws,
        json!({"type": "subscribe", "session_id": private["id"]}),
    )
    .await;
    let refused = next_event(&mut ws).await.unwrap();
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "forbidden");
    send(
        &mut ws,
        json!({"type": "subscribe", "session_id": uuid::Uuid::new_v4()}),
    )
    .await;
    assert_eq!(next_event(&mut ws).await.unwrap()["code"], "not_found");
    send(&mut ws, json!({"type": "subscribe"})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["code"], "bad_message");
    ws.send(Message::Text("{not json".into())).await.unwrap();
    assert_eq!(next_event(&mut ws).await.unwrap()["code"], "bad_message");
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(
        next_event(&mut ws).await.unwrap()["type"],
        "pong",
        "still connected after errors"
    );
    for _ in 0..10 {
        ws.send(Message::Text("garbage".into())).await.unwrap();
    }
    assert_eq!(close_code(&mut ws).await.0, Some(CloseCode::from(4400)));
}

#[tokio::test]
async fn silent_clients_are_closed_after_three_heartbeats() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path());
    s.ws_heartbeat = Duration::from_millis(150);
    let app = start(s).await;
    let user = token(&app.base, "sleepy").await;
    let mut ws = connect(&format!("{}?token={user}", app.ws)).await;
    // Not reading means not answering pings either.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let (code, _) = close_code(&mut ws).await;
    assert_eq!(code, Some(CloseCode::from(4408)));

    // A client that keeps reading (and so answers pings) stays connected.
    let mut ws = connect(&format!("{}?token={user}", app.ws)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_millis(900);
    let mut heartbeats = 0;
    while tokio::time::Instant::now() < deadline {
        if let Ok(Some(Ok(Message::Text(t)))) =
            tokio::time::timeout(Duration::from_millis(100), ws.next()).await
        {
            if t.as_str().contains("heartbeat") {
                heartbeats += 1;
            }
        }
    }
    assert!(heartbeats >= 3, "{heartbeats} heartbeats");
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "pong");
}

#[tokio::test]
async fn a_slow_client_is_dropped_without_slowing_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(settings(dir.path())).await;
    let owner = token(&app.base, "owner").await;
    let session = post_json(
        &app.base,
        "/api/v1/mcm/sessions",
        &owner,
        json!({"name": "busy"}),
    )
    .await;
    let sid = session["id"].as_str().unwrap().to_owned();
    let mut ws = connect(&format!("{}?token={owner}", app.ws)).await;
    send(&mut ws, json!({"type": "subscribe", "session_id": sid})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "ready");
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "subscribed");

    // 2,000 events of 32 KiB while the client reads nothing.
    let topic = format!("session:{sid}");
    let filler = "x".repeat(32 * 1024);
    let started = std::time::Instant::now();
    for n in 0..2000 {
        app.state
            .events
            .publish(&topic, &json!({"type": "filler", "n": n, "data": filler}))
            .await;
        if n % 100 == 0 {
            tokio::task::yield_now().await;
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "publishing never waits for a client"
    );
    // The server stays responsive.
    let health = reqwest::get(format!("{}/health", app.base)).await.unwrap();
    assert_eq!(health.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (code, received) = close_code(&mut ws).await;
    assert_eq!(code, Some(CloseCode::from(4429)), "closed as too slow");
    assert!(received < 2000, "{received} messages before the close");
}

/// A local GW2 API answering `/v2/wvw/matches` like the real one, with a score that the
/// test changes and a request counter.
struct FakeApi {
    base: String,
    requests: Arc<AtomicUsize>,
    document: Arc<Mutex<Value>>,
}

fn match_document(red: i64, keep_owner: &str) -> Value {
    json!({"id": "1-1", "start_time": "2026-11-20T02:00:00Z", "end_time": "2026-11-27T01:58:00Z",
        "scores": {"red": red, "blue": 900, "green": 800}, "worlds": {"red": 1001, "blue": 1002, "green": 1003},
        "all_worlds": {"red": [1001], "blue": [1002], "green": [1003]},
        "deaths": {"red": 10, "blue": 20, "green": 30}, "kills": {"red": 30, "blue": 20, "green": 10},
        "victory_points": {"red": 50, "blue": 40, "green": 30},
        "skirmishes": [{"id": 1, "scores": {"red": red, "blue": 900, "green": 800},
            "map_scores": [{"type": "Center", "scores": {"red": red, "blue": 900, "green": 800}}]}],
        "maps": [{"id": 38, "type": "Center", "scores": {"red": red, "blue": 900, "green": 800}, "bonuses": [],
            "deaths": {"red": 10, "blue": 20, "green": 30}, "kills": {"red": 30, "blue": 20, "green": 10},
            "objectives": [{"id": "38-15", "type": "Castle", "owner": keep_owner, "last_flipped": "2026-11-25T18:00:00Z",
                "claimed_by": null, "points_tick": 12, "points_capture": 24, "yaks_delivered": 0, "guild_upgrades": []}]}]})
}

async fn fake_api() -> FakeApi {
    use axum::extract::{Path, Query, State};
    use axum::routing::get;
    type Shared = (Arc<AtomicUsize>, Arc<Mutex<Value>>);
    let requests = Arc::new(AtomicUsize::new(0));
    let document = Arc::new(Mutex::new(match_document(1000, "Red")));
    async fn by_id(
        State((n, doc)): State<Shared>,
        Path(id): Path<String>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        n.fetch_add(1, Ordering::SeqCst);
        if id == "1-1" {
            axum::Json(doc.lock().unwrap().clone()).into_response()
        } else {
            (
                axum::http::StatusCode::NOT_FOUND,
                axum::Json(json!({"text": "no such id"})),
            )
                .into_response()
        }
    }
    async fn by_world(
        State((n, doc)): State<Shared>,
        Query(q): Query<std::collections::HashMap<String, String>>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        n.fetch_add(1, Ordering::SeqCst);
        // The API answers `?world=` and `?id=` on the same path (and `/{id}` too).
        match (
            q.get("world").map(String::as_str),
            q.get("id").map(String::as_str),
        ) {
            // Matches change often: the API lets them be cached briefly.
            (Some("1001"), _) | (None, Some("1-1")) => (
                [("cache-control", "public, max-age=1")],
                axum::Json(doc.lock().unwrap().clone()),
            )
                .into_response(),
            (Some(_), _) => (
                axum::http::StatusCode::NOT_FOUND,
                axum::Json(json!({"text": "world not currently in a match"})),
            )
                .into_response(),
            (None, Some(_)) => (
                axum::http::StatusCode::NOT_FOUND,
                axum::Json(json!({"text": "no such id"})),
            )
                .into_response(),
            (None, None) => axum::Json(json!(["1-1"])).into_response(),
        }
    }
    let app = axum::Router::new()
        .route("/v2/wvw/matches/{id}", get(by_id))
        .route("/v2/wvw/matches", get(by_world))
        .with_state((requests.clone(), document.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    FakeApi {
        base: format!("http://{addr}"),
        requests,
        document,
    }
}

#[tokio::test]
async fn live_matches_are_polled_once_for_all_subscribers_and_pushed_as_diffs() {
    let api = fake_api().await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path());
    s.gw2_api_url = api.base.clone();
    s.match_poll_interval = Duration::from_millis(300);
    let app = start(s).await;
    let user = token(&app.base, "scout").await;

    let mut first = connect(&format!("{}?token={user}", app.ws)).await;
    assert_eq!(next_event(&mut first).await.unwrap()["type"], "ready");
    send(&mut first, json!({"type": "subscribe", "world_id": 1001})).await;
    let subscribed = next_event(&mut first).await.unwrap();
    assert_eq!(subscribed["topic"], "match:1-1");
    let snapshot = next_event(&mut first).await.unwrap();
    assert_eq!(snapshot["type"], "match_snapshot");
    assert_eq!(snapshot["match"]["scores"]["red"], 1000);

    let mut second = connect(&format!("{}?token={user}", app.ws)).await;
    assert_eq!(next_event(&mut second).await.unwrap()["type"], "ready");
    send(&mut second, json!({"type": "subscribe", "match_id": "1-1"})).await;
    assert_eq!(next_event(&mut second).await.unwrap()["type"], "subscribed");
    assert_eq!(
        next_event(&mut second).await.unwrap()["match"]["scores"]["red"],
        1000,
        "snapshot without a new fetch"
    );

    // Red takes the castle and scores.
    *api.document.lock().unwrap() = match_document(1035, "Blue");
    for ws in [&mut first, &mut second] {
        let diff = next_event(ws).await.unwrap();
        assert_eq!(diff["type"], "match_diff", "{diff}");
        assert_eq!(diff["scores"]["red"], 1035);
        assert!(
            diff.get("kills").is_none(),
            "unchanged figures are not resent: {diff}"
        );
        assert_eq!(diff["objective_flips"][0]["id"], "38-15");
        assert_eq!(diff["objective_flips"][0]["from"], "Red");
        assert_eq!(diff["objective_flips"][0]["to"], "Blue");
    }
    // One poller for both subscribers, polling every 300 ms through the client's cache
    // (the API allows 1 s here): over 1.5 s the API sees one or two requests, not the ten
    // that two independent 300 ms pollers would send.
    let before = api.requests.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let polled = api.requests.load(Ordering::SeqCst) - before;
    assert!((1..=3).contains(&polled), "{polled} API requests in 1.5 s");
    assert_eq!(app.state.matches.watched(), 1);

    send(
        &mut first,
        json!({"type": "subscribe", "match_id": "../../etc"}),
    )
    .await;
    assert_eq!(
        next_event(&mut first).await.unwrap()["code"],
        "match_unavailable"
    );
    send(&mut first, json!({"type": "subscribe", "world_id": 4242})).await;
    assert_eq!(
        next_event(&mut first).await.unwrap()["code"],
        "match_unavailable"
    );

    // When everyone leaves, polling stops.
    first.close(None).await.unwrap();
    second.close(None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(app.state.matches.watched(), 0);
    let after = api.requests.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        api.requests.load(Ordering::SeqCst),
        after,
        "no polling without subscribers"
    );
}

#[tokio::test]
async fn two_instances_share_events_through_redis() {
    // Both instances use the same database and the same Redis, like two replicas.
    let dir = tempfile::tempdir().unwrap();
    let Some((a, b)) = common::serve_pair_with_redis(dir.path(), "two-instance fan-out").await
    else {
        return;
    };

    let commander = token(&a.base, "commander").await;
    let session = post_json(
        &a.base,
        "/api/v1/mcm/sessions",
        &commander,
        json!({"name": "two instances"}),
    )
    .await;
    let sid = session["id"].as_str().unwrap().to_owned();

    // The client follows the session on instance B...
    let mut ws = connect(&format!("{}?token={commander}", b.ws)).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "ready");
    send(&mut ws, json!({"type": "subscribe", "session_id": sid})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "subscribed");
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "session_stats");

    // ...and the log is uploaded to instance A.
    let uploaded = upload(
        &a.base,
        &commander,
        &sid,
        "a.zevtc",
        &fixture("skirmish.zevtc"),
    )
    .await;
    let added = loop {
        let event = next_event(&mut ws)
            .await
            .expect("event from the other instance");
        if event["type"] == "fight_added" {
            break event;
        }
    };
    assert_eq!(added["fight"]["id"], uploaded["id"]);
    let stats = next_event(&mut ws).await.unwrap();
    assert_eq!(stats["type"], "session_stats");
    assert_eq!(stats["stats"]["fights"], 1);
    // Delivered once, not once per path.
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "pong");
}
