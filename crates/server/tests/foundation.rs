//! The service foundation through the real router: health, readiness (database, Redis,
//! Ollama), OpenAPI and docs, the error shape, request ids, middleware and shutdown.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn health_says_ok_with_the_version() {
    for app in TestApp::all().await {
        let body = app.get("/health", None).await.expect(StatusCode::OK);
        assert_eq!(
            body,
            json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
        );
        let body = app.get("/api/v1/health", None).await.expect(StatusCode::OK);
        assert_eq!(body["status"], "ok");
    }
}

#[tokio::test]
async fn readiness_reports_the_database() {
    for app in TestApp::all().await {
        let body = app.get("/health/ready", None).await.expect(StatusCode::OK);
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"]["status"], "ok");
        assert_eq!(body["database_backend"], app.backend().to_string());
        assert_eq!(body["cache"]["backend"], "memory");
        assert!(
            body.get("redis").is_none() && body.get("ollama").is_none(),
            "unconfigured dependencies are not listed"
        );
    }
}

#[tokio::test]
async fn readiness_is_503_when_the_database_is_gone() {
    let app = TestApp::sqlite_with(|_| {}).await;
    app.state.db.close().await;
    let reply = app.get("/health/ready", None).await;
    let body = reply.expect(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"]["status"], "unavailable");
    // Requests that need the database get a clear 503 too, not a 500.
    let reply = app
        .post(
            "/api/v1/auth/login",
            json!({"username": "x", "password": "y"}),
            None,
        )
        .await;
    let (_, code) = reply.expect_error(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code, "service_unavailable");
}

/// A port with nothing listening: connection refused at once.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn redis_down_means_degraded_and_the_cache_still_works() {
    let port = closed_port();
    let app =
        TestApp::sqlite_with(|s| s.redis_url = Some(format!("redis://127.0.0.1:{port}"))).await;
    let body = app.get("/health/ready", None).await.expect(StatusCode::OK);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["redis"]["status"], "unavailable");
    assert_eq!(body["cache"]["backend"], "redis");
    // The in-process cache keeps serving.
    let cache = &app.state.cache;
    cache
        .set(
            "k",
            bytes::Bytes::from_static(b"v"),
            Duration::from_secs(60),
        )
        .await;
    assert_eq!(cache.get("k").await.as_deref(), Some(&b"v"[..]));
}

/// Starts `redis-server` on `port` when the binary is installed (CI installs it).
fn spawn_redis(port: u16) -> Option<std::process::Child> {
    std::process::Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .ok()
}

#[tokio::test]
async fn the_cache_goes_back_to_redis_when_it_returns() {
    let port = closed_port();
    let app =
        TestApp::sqlite_with(|s| s.redis_url = Some(format!("redis://127.0.0.1:{port}"))).await;
    assert_eq!(app.state.cache.check().await.redis, "unavailable");
    let Some(mut redis) = spawn_redis(port) else {
        eprintln!("note: redis recovery part skipped (redis-server not installed)");
        return;
    };
    let mut recovered = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if app.state.cache.check().await.redis == "ok" {
            recovered = true;
            break;
        }
    }
    let body = app.get("/health/ready", None).await.expect(StatusCode::OK);
    redis.kill().ok();
    redis.wait().ok();
    assert!(recovered, "breaker closed again once Redis answered");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["redis"]["status"], "ok");
    assert_eq!(body["cache"]["breaker"], "closed");
}

#[tokio::test]
async fn redis_shares_entries_between_instances() {
    let Ok(url) = std::env::var("GW2OPT_TEST_REDIS_URL") else {
        eprintln!("note: shared-cache part skipped (GW2OPT_TEST_REDIS_URL not set)");
        return;
    };
    let a = server::cache::Cache::with_redis(1024, &url, Duration::from_secs(1)).unwrap();
    let b = server::cache::Cache::with_redis(1024, &url, Duration::from_secs(1)).unwrap();
    let key = format!("test-{}", uuid::Uuid::new_v4());
    a.set(
        &key,
        bytes::Bytes::from_static(b"shared"),
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(
        b.get(&key).await.as_deref(),
        Some(&b"shared"[..]),
        "written by one, read by the other"
    );
    b.delete(&key).await;
    assert_eq!(
        a.get(&key).await,
        None,
        "deleted by one, gone for the other"
    );
    assert_eq!(a.check().await.redis, "ok");
}

/// A tiny HTTP server that answers Ollama's `GET /api/tags` after `delay`.
async fn fake_ollama(delay: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                tokio::time::sleep(delay).await;
                let (status, body) = if request.starts_with("GET /api/tags ") {
                    ("200 OK", r#"{"models":[{"name":"mistral:latest"}]}"#)
                } else {
                    ("404 Not Found", r#"{"error":"not found"}"#)
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn readiness_checks_ollama_when_configured() {
    let url = fake_ollama(Duration::ZERO).await;
    let app = TestApp::sqlite_with(|s| s.ollama_url = Some(url.clone())).await;
    let body = app.get("/health/ready", None).await.expect(StatusCode::OK);
    assert_eq!(body["ollama"]["status"], "ok");
    assert_eq!(body["status"], "ok");

    let port = closed_port();
    let app =
        TestApp::sqlite_with(|s| s.ollama_url = Some(format!("http://127.0.0.1:{port}"))).await;
    let body = app.get("/health/ready", None).await.expect(StatusCode::OK);
    assert_eq!(body["ollama"]["status"], "unavailable");
    assert_eq!(body["status"], "degraded");
}

#[tokio::test]
async fn slow_requests_time_out_with_a_clear_503() {
    let url = fake_ollama(Duration::from_secs(5)).await;
    let app = TestApp::sqlite_with(|s| {
        s.ollama_url = Some(url.clone());
        s.request_timeout = Duration::from_millis(300);
    })
    .await;
    let (detail, code) = app
        .get("/health/ready", None)
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code, "service_unavailable");
    assert!(!detail.is_empty());
}

#[tokio::test]
async fn openapi_document_and_docs_page() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let doc = app
        .get("/api/v1/openapi.json", None)
        .await
        .expect(StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/health",
        "/health/ready",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/me",
        "/api/v1/users/me",
        "/api/v1/users/me/login-history",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{id}",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let reply = app.get("/docs", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&reply.raw);
    assert!(html.contains("/api/v1/openapi.json") && html.contains("<html"));
}

#[tokio::test]
async fn every_failure_has_the_error_shape() {
    let app = TestApp::sqlite_with(|s| s.body_limit = 4096).await;
    // Unknown route.
    let (_, code) = app
        .get("/api/v1/nope", None)
        .await
        .expect_error(StatusCode::NOT_FOUND);
    assert_eq!(code, "not_found");
    // Wrong method.
    let (_, code) = app
        .request(Method::DELETE, "/health", None, None)
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code, "method_not_allowed");
    // Malformed JSON.
    let reply = app
        .raw(
            Method::POST,
            "/api/v1/auth/register",
            Some("application/json"),
            "{\"email\": ",
        )
        .await;
    let (detail, code) = reply.expect_error(StatusCode::BAD_REQUEST);
    assert_eq!(code, "bad_request");
    assert!(detail.contains("JSON"), "{detail}");
    // Well-formed JSON of the wrong shape: 422 naming the field.
    let reply = app
        .post(
            "/api/v1/auth/register",
            json!({"email": "a@b.co", "username": 5, "password": "x"}),
            None,
        )
        .await;
    let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "validation_error");
    assert_eq!(body["field"], "username", "{body}");
    let reply = app
        .post(
            "/api/v1/auth/register",
            json!({"email": "a@b.co", "password": "x"}),
            None,
        )
        .await;
    assert_eq!(
        reply.expect(StatusCode::UNPROCESSABLE_ENTITY)["field"],
        "username"
    );
    // Wrong content type.
    let reply = app
        .raw(
            Method::POST,
            "/api/v1/auth/register",
            Some("text/plain"),
            "{}",
        )
        .await;
    let (_, code) = reply.expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code, "unsupported_media_type");
    let reply = app
        .raw(Method::POST, "/api/v1/auth/register", None, "{}")
        .await;
    reply.expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Oversized body.
    let big = format!("{{\"email\": \"{}\"}}", "x".repeat(10_000));
    let reply = app
        .raw(
            Method::POST,
            "/api/v1/auth/register",
            Some("application/json"),
            big,
        )
        .await;
    let (_, code) = reply.expect_error(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code, "payload_too_large");
    // Bad path parameter.
    let (_, token, _) = {
        let admin = app
            .state
            .accounts
            .create_superuser("root@example.com", "root", common::PASSWORD)
            .await
            .unwrap();
        let tokens = app
            .login("root", common::PASSWORD)
            .await
            .expect(StatusCode::OK);
        (
            admin.id,
            tokens["access_token"].as_str().unwrap().to_owned(),
            (),
        )
    };
    let reply = app
        .request(
            Method::PATCH,
            "/api/v1/admin/users/not-a-uuid",
            Some(json!({})),
            Some(&token),
        )
        .await;
    let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "path");
    // Bad query parameter.
    let reply = app
        .get("/api/v1/admin/users?limit=lots", Some(&token))
        .await;
    assert_eq!(
        reply.expect(StatusCode::UNPROCESSABLE_ENTITY)["code"],
        "validation_error"
    );
}

#[tokio::test]
async fn request_ids_are_generated_or_propagated() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let reply = app.get("/health", None).await;
    let generated = reply
        .headers
        .get("x-request-id")
        .expect("generated")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    let request = Request::get("/api/v1/nope")
        .header("x-request-id", "raid-night-42")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(
        reply.headers.get("x-request-id").unwrap(),
        "raid-night-42",
        "kept on errors too"
    );
}

#[tokio::test]
async fn responses_are_gzipped_on_request_and_cors_follows_the_settings() {
    let app = TestApp::sqlite_with(|s| s.cors_origins = vec!["https://squad.example".into()]).await;
    let request = Request::get("/api/v1/openapi.json")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.headers.get("content-encoding").unwrap(), "gzip");
    assert!(reply
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v == "accept-encoding"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&reply.raw[..])
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("\"openapi\""));

    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/auth/me")
        .header("origin", "https://squad.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(preflight).await;
    assert_eq!(
        reply.headers.get("access-control-allow-origin").unwrap(),
        "https://squad.example"
    );
    let other = Request::get("/health")
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(other).await;
    assert!(reply.headers.get("access-control-allow-origin").is_none());
}

/// Requests without `Origin` skip tower-http's CORS layer (`middleware::cors`): their
/// responses must carry the same `Vary` as that layer's (a shared cache keys them on the
/// origin), the exposed headers only go to cross-origin readers, and anything CORS decides
/// (an origin, a preflight, an `*` origin) still goes through it.
#[tokio::test]
async fn cors_headers_are_the_same_whether_or_not_the_layer_is_skipped() {
    let app = TestApp::sqlite_with(|s| s.cors_origins = vec!["https://squad.example".into()]).await;
    let plain = app.get("/health", None).await;
    let allowed = app
        .send(
            Request::get("/health")
                .header("origin", "https://squad.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let plain_vary: Vec<_> = plain.headers.get_all("vary").iter().collect();
    let cors_vary: Vec<_> = allowed.headers.get_all("vary").iter().collect();
    assert_eq!(plain_vary, cors_vary);
    assert!(plain
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v == "origin, access-control-request-method, access-control-request-headers"));
    assert!(plain.headers.get("access-control-expose-headers").is_none());
    assert_eq!(
        allowed.headers["access-control-expose-headers"],
        "x-request-id"
    );
    // Not compressed (no Accept-Encoding), but caches are told the answer depends on it.
    assert!(plain.headers.get("content-encoding").is_none());
    assert!(plain
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v == "accept-encoding"));
    assert!(plain.headers.get("access-control-allow-origin").is_none());
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://squad.example"
    );
    // An OPTIONS request is a preflight even without an origin (as tower-http answers it).
    let preflight = app
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri("/api/v1/builds")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK);
    assert!(preflight.headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PATCH"));

    let any = TestApp::sqlite_with(|s| s.cors_origins = vec!["*".into()]).await;
    let reply = any.get("/health", None).await;
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn graceful_shutdown_lets_in_flight_requests_finish() {
    let ollama = fake_ollama(Duration::from_millis(800)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    settings.ollama_url = Some(ollama);
    let state = server::build_state(settings).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(listener, state, async move {
        let _ = stop_rx.await;
    }));
    // A readiness check that takes ~800 ms (the slow Ollama), then a shutdown request.
    let in_flight = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /health/ready HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop_tx.send(()).unwrap();
    let response = in_flight.await.unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "in-flight request completed: {response}"
    );
    server.await.unwrap().unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "no longer listening"
    );
    // The embedded database was created in the data dir, in WAL mode.
    assert!(dir.path().join("gw2opt.db").exists());
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let store::Db::Sqlite { write, .. } = &app.state.db else {
        unreachable!()
    };
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(write)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}
