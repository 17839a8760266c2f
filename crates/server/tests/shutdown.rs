//! Graceful shutdown (issue #22): the listener closes, in-flight requests finish, open
//! WebSockets are closed with 1001 "going away", all within the configurable drain timeout,
//! after which the service stops anyway.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};
use server::config::Settings;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

struct Running {
    base: String,
    state: server::state::AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    served: tokio::task::JoinHandle<Result<(), server::StartError>>,
}

async fn start(settings: Settings) -> Running {
    let state = server::build_state(settings).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(server::serve(listener, state.clone(), async move {
        let _ = stopped.await;
    }));
    Running {
        base,
        state,
        stop,
        served,
    }
}

/// A gear search that runs for the whole anonymous budget, started once the engines hold it.
async fn slow_request(
    running: &Running,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let request = reqwest::Client::new()
        .post(format!("{}/api/v1/optimize/gear", running.base))
        .json(&common::big_gear_search())
        .send();
    let handle = tokio::spawn(request);
    for _ in 0..1000 {
        if running.state.engines.running() == 1 {
            return handle;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the search never started");
}

async fn access_token(base: &str) -> String {
    let client = reqwest::Client::new();
    client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": "leaving@example.com", "username": "leaving", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "leaving", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_requests_and_closes_websockets_going_away() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.anonymous_search_budget = Duration::from_millis(1500);
    settings.drain_timeout = Duration::from_secs(15);
    let running = start(settings).await;
    let token = access_token(&running.base).await;
    let ws_url = format!(
        "{}/api/v1/ws/mcm?token={token}",
        running.base.replace("http://", "ws://")
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    let ready = socket.next().await.unwrap().unwrap();
    assert!(ready.to_text().unwrap().contains("\"ready\""));
    let in_flight = slow_request(&running).await;

    running.stop.send(()).unwrap();

    // The socket is told to go away, with the code clients reconnect on.
    let code = loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => {
                break frame.map(|f| (f.code, f.reason.to_string()))
            }
            Ok(Some(Ok(_))) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    };
    assert_eq!(code, Some((CloseCode::Away, "going away".to_owned())));
    // New connections are refused at once.
    assert!(reqwest::get(format!("{}/health", running.base))
        .await
        .is_err());
    // The request in flight is answered.
    let answered = in_flight.await.unwrap().expect("answered during the drain");
    assert_eq!(answered.status(), 200);
    drop(socket);
    // And the service stops once everything is done, well before the drain timeout.
    tokio::time::timeout(Duration::from_secs(10), running.served)
        .await
        .expect("stopped after the drain")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drain_timeout_bounds_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.anonymous_search_budget = Duration::from_secs(4);
    settings.drain_timeout = Duration::from_millis(300);
    let running = start(settings).await;
    let in_flight = slow_request(&running).await;

    running.stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running.served)
        .await
        .expect("the drain timeout stops the service")
        .unwrap()
        .unwrap();
    assert!(
        !in_flight.is_finished(),
        "the service stopped before its 4 s request was answered"
    );
    // Its search ends at its budget (a timer of this runtime stops it): let it, so the
    // test's runtime does not wait on an unbounded search when it shuts down.
    let _ = in_flight.await;
}

/// Behind a load balancer (issue #22, rolling restarts): from the shutdown signal on,
/// `/health/ready` answers 503 `draining` while the service keeps accepting and serving for
/// the shutdown delay, so the balancer's health checks take the instance out of rotation
/// before its listener closes; only then are WebSockets told to go away and new connections
/// refused. On each backend.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_during_the_shutdown_delay_while_requests_are_still_served() {
    for db in store::testing::TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = common::test_settings(dir.path());
        settings.database_url = Some(db.url.clone());
        settings.shutdown_delay = Duration::from_secs(2);
        settings.drain_timeout = Duration::from_secs(10);
        let running = start(settings).await;
        let ready = reqwest::get(format!("{}/health/ready", running.base))
            .await
            .unwrap();
        assert_eq!(ready.status(), 200, "{}", db.url);
        let token = access_token(&running.base).await;
        let ws_url = format!(
            "{}/api/v1/ws/mcm?token={token}",
            running.base.replace("http://", "ws://")
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
        let hello = socket.next().await.unwrap().unwrap();
        assert!(hello.to_text().unwrap().contains("\"ready\""));

        let signalled = std::time::Instant::now();
        running.stop.send(()).unwrap();

        // Readiness fails at once, on new connections (the listener still accepts)...
        let draining = loop {
            let reply = reqwest::Client::new()
                .get(format!("{}/health/ready", running.base))
                .send()
                .await
                .expect("still accepting during the shutdown delay");
            if reply.status() == 503 {
                break reply.json::<Value>().await.unwrap();
            }
            assert!(
                signalled.elapsed() < Duration::from_millis(500),
                "readiness still {} after the signal",
                reply.status()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        assert_eq!(draining["status"], "draining", "{draining}");
        // ...while everything else is still served, writes included.
        let client = reqwest::Client::new();
        let health = client
            .get(format!("{}/health", running.base))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200);
        let me = client
            .get(format!("{}/api/v1/auth/me", running.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
        assert!(
            signalled.elapsed() < Duration::from_secs(2),
            "the checks above ran within the delay"
        );

        // The socket is told to go away only once the delay is over.
        let code = loop {
            match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => {
                    break frame.map(|f| (f.code, f.reason.to_string()))
                }
                Ok(Some(Ok(_))) => continue,
                other => panic!("no close frame: {other:?}"),
            }
        };
        assert!(
            signalled.elapsed() >= Duration::from_millis(1900),
            "closed {:?} after the signal, before the 2 s delay ended",
            signalled.elapsed()
        );
        assert_eq!(code, Some((CloseCode::Away, "going away".to_owned())));
        assert!(reqwest::get(format!("{}/health", running.base))
            .await
            .is_err());
        drop(socket);
        tokio::time::timeout(Duration::from_secs(10), running.served)
            .await
            .expect("stopped after the drain")
            .unwrap()
            .unwrap();
    }
}
