//! `GET /metrics` (issue #22): the Prometheus text format behind a token or on a separate
//! address, series per route template (never raw paths), bounded label sets, and the
//! service's own series (database pools and queries, caches, breakers, WebSockets, log
//! parses, optimizer runs, build info).
//!
//! The recorder is process-wide, so the tests of this file share its series: they assert
//! what their own requests must have added (at least), never exact totals.

mod common;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::json;

const TOKEN: &str = "metrics-token-0123456789abcdef";

async fn scrape(app: &TestApp) -> String {
    let reply = app
        .send(
            Request::builder()
                .uri("/metrics")
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    String::from_utf8(reply.raw.to_vec()).unwrap()
}

/// Every sample of `name`: its label set (as written) → value.
fn samples(text: &str, name: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let labels = match series.split_once('{') {
                Some((n, rest)) if n == name => rest.trim_end_matches('}').to_owned(),
                None if series == name => String::new(),
                _ => return None,
            };
            Some((labels, value.parse().ok()?))
        })
        .collect()
}

fn value(text: &str, name: &str, labels: &str) -> f64 {
    samples(text, name).get(labels).copied().unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_need_the_token() {
    for app in TestApp::all_with(|s| s.metrics_token = Some(TOKEN.into())).await {
        let missing = app.get("/metrics", None).await;
        assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
        assert_eq!(missing.headers["www-authenticate"], "Bearer");
        assert_eq!(missing.body["code"], "unauthorized");
        let wrong = app
            .get("/metrics", Some("metrics-token-0123456789abcdeX"))
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        // An API access token is not the metrics token.
        let (_, access, _) = app.user("watcher").await;
        assert_eq!(
            app.get("/metrics", Some(&access)).await.status,
            StatusCode::UNAUTHORIZED
        );
        let text = scrape(&app).await;
        assert!(text.contains("# TYPE gw2opt_http_requests_total counter"));
        assert!(text.contains("# TYPE gw2opt_http_request_duration_seconds histogram"));
    }
}

#[tokio::test]
async fn without_a_token_or_address_metrics_are_not_served() {
    for app in TestApp::all().await {
        assert!(app.state.metrics.is_none(), "nothing is recorded");
        let (_, code) = app
            .get("/metrics", None)
            .await
            .expect_error(StatusCode::NOT_FOUND);
        assert_eq!(code, "not_found");
    }
    let weak = TestApp::sqlite_with(|_| {}).await;
    let mut settings = weak.state.settings.clone();
    settings.metrics_token = Some("short".into());
    assert!(matches!(
        settings.check_metrics(),
        Err(server::config::ConfigError::WeakMetricsToken)
    ));
}

#[tokio::test]
async fn requests_are_counted_by_route_template_with_bounded_labels() {
    for app in TestApp::all_with(|s| s.metrics_token = Some(TOKEN.into())).await {
        let (_, token, _) = app.user("counted").await;
        let build = app
            .post(
                "/api/v1/builds",
                json!({"name": "Counted", "profession": "Guardian", "game_mode": "wvw", "role": "support"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::CREATED);
        let build_id = build["id"].as_str().unwrap().to_owned();
        let before = scrape(&app).await;
        let series_before = samples(&before, "gw2opt_http_requests_total").len();
        let route = r#"method="GET",route="/api/v1/builds/{id}",status="404""#;
        let not_found_before = value(&before, "gw2opt_http_requests_total", route);

        // 1,000 distinct raw paths on one route, and 1,000 that match no route at all.
        for i in 0..1000 {
            let missing = uuid::Uuid::new_v4();
            assert_eq!(
                app.get(&format!("/api/v1/builds/{missing}"), None)
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                app.get(&format!("/api/v1/no-such-thing-{i}"), None)
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
        }
        app.get(&format!("/api/v1/builds/{build_id}"), None)
            .await
            .expect(StatusCode::OK);

        let after = scrape(&app).await;
        let requests = samples(&after, "gw2opt_http_requests_total");
        assert!(
            requests.len() <= series_before + 10,
            "2,000 distinct paths added {} series",
            requests.len() - series_before
        );
        for labels in requests.keys() {
            assert!(!labels.contains(&build_id), "a raw path in {labels}");
            assert!(!labels.contains("no-such-thing"), "a raw path in {labels}");
        }
        assert!(value(&after, "gw2opt_http_requests_total", route) >= not_found_before + 1000.0);
        assert!(
            value(
                &after,
                "gw2opt_http_requests_total",
                r#"method="GET",route="/api/v1/builds/{id}",status="200""#
            ) >= 1.0
        );
        assert!(
            value(
                &after,
                "gw2opt_http_requests_total",
                r#"method="GET",route="fallback",status="404""#
            ) >= 1000.0
        );
        assert!(
            value(
                &after,
                "gw2opt_http_request_duration_seconds_count",
                r#"method="GET",route="/api/v1/builds/{id}",status="404""#
            ) >= 1000.0,
            "latency histogram"
        );
        let buckets = samples(&after, "gw2opt_http_request_duration_seconds_bucket");
        assert!(buckets
            .keys()
            .any(|l| l.contains(r#"route="/api/v1/builds/{id}""#) && l.contains(r#"le="0.005""#)));
        // The request being answered is in flight while the page is rendered.
        assert!(value(&after, "gw2opt_http_requests_in_flight", "") >= 1.0);
    }
}

#[tokio::test]
async fn the_service_series_are_exposed() {
    for app in TestApp::all_with(|s| s.metrics_token = Some(TOKEN.into())).await {
        let (_, token, _) = app.user("observer").await;
        // A user read through the hot cache (a miss, then hits), a page, a search.
        for _ in 0..3 {
            app.get("/api/v1/auth/me", Some(&token))
                .await
                .expect(StatusCode::OK);
        }
        app.get("/api/v1/builds", None).await.expect(StatusCode::OK);
        app.get("/api/v1/builds", None).await.expect(StatusCode::OK);
        let squad = common::repo_json("presets/squad/raid10.json");
        app.post("/api/v1/teams/optimize", squad, None)
            .await
            .expect(StatusCode::OK);
        let text = scrape(&app).await;

        let backend = app.backend().to_string();
        let queries = samples(&text, "gw2opt_db_query_duration_seconds_count");
        for op in ["read", "write"] {
            let labels = format!(r#"backend="{backend}",op="{op}""#);
            assert!(
                queries.get(&labels).copied().unwrap_or(0.0) >= 1.0,
                "{labels} in {queries:?}"
            );
        }
        let pools = samples(&text, "gw2opt_db_pool_max_connections");
        match app.backend() {
            store::Backend::Sqlite => {
                assert_eq!(pools.get(r#"pool="sqlite_write""#), Some(&1.0));
                assert!(pools.contains_key(r#"pool="sqlite_read""#));
            }
            store::Backend::Postgres => assert!(pools.contains_key(r#"pool="postgres""#)),
        }
        assert!(!samples(&text, "gw2opt_db_pool_idle_connections").is_empty());
        assert!(
            value(
                &text,
                "gw2opt_cache_requests_total",
                r#"cache="users",result="hit""#
            ) >= 2.0
        );
        assert!(
            value(
                &text,
                "gw2opt_cache_requests_total",
                r#"cache="pages",result="miss""#
            ) >= 1.0
        );
        assert!(
            value(
                &text,
                "gw2opt_cache_requests_total",
                r#"cache="pages",result="hit""#
            ) >= 1.0
        );
        assert_eq!(
            samples(&text, "gw2opt_circuit_breaker_state").get(r#"dependency="gw2_api""#),
            Some(&0.0),
            "closed"
        );
        assert!(value(&text, "gw2opt_optimizer_searches_total", r#"kind="squad""#) >= 1.0);
        assert!(
            value(
                &text,
                "gw2opt_optimizer_search_duration_seconds_count",
                r#"kind="squad""#
            ) >= 1.0
        );
        let info = samples(&text, "gw2opt_build_info");
        assert_eq!(
            info.get(&format!(r#"version="{}""#, env!("CARGO_PKG_VERSION"))),
            Some(&1.0)
        );
    }
}

#[tokio::test]
async fn log_parses_and_websockets_are_counted() {
    use futures_util::StreamExt;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.metrics_token = Some(TOKEN.into());
    let served = common::serve(settings).await;
    let scrape = |base: String| async move {
        reqwest::Client::new()
            .get(format!("{base}/metrics"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let client = reqwest::Client::new();
    let email = "parser@example.com";
    client
        .post(format!("{}/api/v1/auth/register", served.base))
        .json(&json!({"email": email, "username": "parser", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    let tokens: serde_json::Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"username": "parser", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();

    let before = scrape(served.base.clone()).await;
    let bytes_before = value(&before, "gw2opt_log_parse_bytes_total", "");
    let log = std::fs::read(format!(
        "{}/../evtc/tests/fixtures/skirmish.evtc",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let boundary = "metrics-test-boundary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"skirmish.evtc\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&log);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let uploaded = client
        .post(format!("{}/api/v1/mcm/logs", served.base))
        .bearer_auth(&access)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);

    let (mut socket, _) = tokio_tungstenite::connect_async(format!("{}?token={access}", served.ws))
        .await
        .unwrap();
    let ready = socket.next().await.unwrap().unwrap();
    assert!(ready.to_text().unwrap().contains("ready"));
    let during = scrape(served.base.clone()).await;
    assert!(value(&during, "gw2opt_log_parse_bytes_total", "") >= bytes_before + log.len() as f64);
    assert!(
        value(
            &during,
            "gw2opt_log_parse_duration_seconds_count",
            r#"result="ok""#
        ) >= 1.0
    );
    assert!(value(&during, "gw2opt_websocket_connections", r#"endpoint="mcm""#) >= 1.0);
    drop(socket);
}

#[tokio::test]
async fn a_separate_address_serves_metrics_and_the_main_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_addr = listener.local_addr().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.metrics_bind = Some(metrics_addr);
    let served = common::serve(settings).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server::serve_metrics(
        listener,
        served.state.clone(),
        async move {
            let _ = stopped.await;
        },
    ));
    let client = reqwest::Client::new();
    client
        .get(format!("{}/health", served.base))
        .send()
        .await
        .unwrap();
    let on_main = client
        .get(format!("{}/metrics", served.base))
        .send()
        .await
        .unwrap();
    assert_eq!(on_main.status(), 404, "not on the main address");
    let separate = client
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        separate.status(),
        200,
        "no token needed there unless one is set"
    );
    let text = separate.text().await.unwrap();
    assert!(
        value(
            &text,
            "gw2opt_http_requests_total",
            r#"method="GET",route="/health",status="200""#
        ) >= 1.0
    );
    let other = client
        .get(format!("http://{metrics_addr}/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        404,
        "the metrics address serves nothing else"
    );
    drop(stop);
}

/// A WebSocket client on a socket with a small receive buffer, so that a client that stops
/// reading fills its buffers after a few dozen kilobytes instead of megabytes.
async fn small_buffer_socket(
    url: &str,
) -> tokio_tungstenite::WebSocketStream<tokio::net::TcpStream> {
    let address = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap()
        .parse::<std::net::SocketAddr>()
        .unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(address).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(url, stream).await.unwrap();
    ws
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_dropped_and_counted_while_others_keep_receiving() {
    use futures_util::{SinkExt, StreamExt};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio_tungstenite::tungstenite::Message;

    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.metrics_token = Some(TOKEN.into());
    let served = common::serve(settings).await;
    let http = reqwest::Client::new();
    http.post(format!("{}/api/v1/auth/register", served.base))
        .json(&json!({"email": "flood@example.com", "username": "flood", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    let tokens: serde_json::Value = http
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"username": "flood", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let session: serde_json::Value = http
        .post(format!("{}/api/v1/mcm/sessions", served.base))
        .bearer_auth(&access)
        .json(&json!({"name": "flooded"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sid = session["id"].as_str().unwrap().to_owned();
    let scrape = || async {
        let text = reqwest::Client::new()
            .get(format!("{}/metrics", served.base))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        value(&text, "gw2opt_websocket_slow_clients_dropped_total", "")
    };
    let url = format!("{}?token={access}", served.ws);
    let subscribe = Message::Text(
        json!({"type": "subscribe", "session_id": sid})
            .to_string()
            .into(),
    );

    // Both clients subscribe and read up to their `subscribed`; then the slow one stops.
    let mut slow = small_buffer_socket(&url).await;
    let mut fast = small_buffer_socket(&url).await;
    for ws in [&mut slow, &mut fast] {
        ws.send(subscribe.clone()).await.unwrap();
        loop {
            let message = ws.next().await.unwrap().unwrap();
            if message.to_text().unwrap().contains("\"subscribed\"") {
                break;
            }
        }
    }
    let dropped_before = scrape().await;

    // The fast client reads everything, counting the flood's events it sees.
    let received = Arc::new(AtomicUsize::new(0));
    let reader = {
        let received = received.clone();
        tokio::spawn(async move {
            let mut close = None;
            while let Some(Ok(message)) = fast.next().await {
                match message {
                    Message::Text(t) if t.as_str().contains("\"flood\"") => {
                        received.fetch_add(1, Ordering::SeqCst);
                    }
                    Message::Close(frame) => {
                        close = frame.map(|f| u16::from(f.code));
                        break;
                    }
                    _ => {}
                }
                if received.load(Ordering::SeqCst) == EVENTS {
                    break;
                }
            }
            close
        })
    };
    // The publisher floods 8 KiB events, never more than 32 ahead of the fast client (so the
    // fast client cannot fall behind; the slow one, reading nothing, must).
    const EVENTS: usize = 2000;
    let topic = format!("session:{sid}");
    let filler = "x".repeat(8 * 1024);
    let started = std::time::Instant::now();
    for n in 0..EVENTS {
        while n >= received.load(Ordering::SeqCst) + 32 {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "the fast client stopped receiving at {}",
                received.load(Ordering::SeqCst)
            );
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        served
            .state
            .events
            .publish(&topic, &json!({"type": "flood", "n": n, "data": filler}))
            .await;
    }
    let fast_close = tokio::time::timeout(std::time::Duration::from_secs(60), reader)
        .await
        .expect("the fast client read the whole flood")
        .unwrap();
    assert_eq!(fast_close, None, "the fast client was not closed");
    assert_eq!(
        received.load(Ordering::SeqCst),
        EVENTS,
        "the fast client received every event"
    );

    // The slow client, reading at last, finds a few events and then its 4429 close.
    let mut slow_events = 0;
    let slow_close = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(Ok(message)) = slow.next().await {
            match message {
                Message::Text(t) if t.as_str().contains("\"flood\"") => slow_events += 1,
                Message::Close(frame) => return frame.map(|f| u16::from(f.code)),
                _ => {}
            }
        }
        None
    })
    .await
    .expect("the slow client's connection ends");
    assert_eq!(
        slow_close,
        Some(4429),
        "dropped as too slow after {slow_events} events"
    );
    assert!(
        slow_events < EVENTS,
        "{slow_events} events reached the slow client"
    );
    let dropped_after = scrape().await;
    assert!(
        dropped_after >= dropped_before + 1.0,
        "gw2opt_websocket_slow_clients_dropped_total: {dropped_before} → {dropped_after}"
    );
    eprintln!(
        "slow client: dropped after {slow_events} of {EVENTS} events; counter {dropped_before} → {dropped_after}; fast client: all {EVENTS} in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}
