//! Sessions end everywhere at once: a logout or a revoked login is refused by every instance
//! sharing the database (at once through Redis, within the recheck period without it or
//! while it is down), and open WebSockets close (4401) when their token is revoked, the
//! password changes, the account is disabled or the token expires — on every backend.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Method, Request, StatusCode};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use server::cache::Cache;
use server::config::Settings;
use server::state::AppState;
use store::testing::TestDb;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tower::ServiceExt;

use common::{call as http, PASSWORD};

/// One service instance on a given database, driven in-process.
struct Instance {
    state: AppState,
    router: axum::Router,
}

fn instance(db: &store::Db, dir: &std::path::Path, tweak: impl Fn(&mut Settings)) -> Instance {
    let mut settings = common::test_settings(dir);
    tweak(&mut settings);
    let cache = match &settings.redis_url {
        Some(url) => Cache::with_redis(1024, url, Duration::from_millis(200)).expect("redis url"),
        None => Cache::in_memory(1024),
    };
    let secret = settings.secret_key.clone().unwrap_or_default();
    let state = AppState::new(settings, db.clone(), cache, secret).expect("state");
    let router = server::app::router(state.clone()).layer(MockConnectInfo(common::PEER));
    Instance { state, router }
}

impl Instance {
    async fn call(
        &self,
        method: Method,
        uri: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Registers and logs in; returns (access, refresh).
    async fn user(&self, username: &str) -> (String, String) {
        let body = json!({"email": format!("{username}@example.com"), "username": username, "password": PASSWORD});
        let (status, _) = self
            .call(Method::POST, "/api/v1/auth/register", Some(body), None)
            .await;
        assert_eq!(status, StatusCode::CREATED);
        self.login(username).await
    }

    async fn login(&self, username: &str) -> (String, String) {
        let (status, tokens) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"username": username, "password": PASSWORD})),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{tokens}");
        (
            tokens["access_token"].as_str().unwrap().to_owned(),
            tokens["refresh_token"].as_str().unwrap().to_owned(),
        )
    }

    async fn me(&self, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, "/api/v1/auth/me", None, Some(token))
            .await
    }
}

/// Polls `/auth/me` on `instance` until it answers 401; returns how long that took.
async fn refused_within(instance: &Instance, token: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let (status, body) = instance.me(token).await;
        assert!(!status.is_server_error(), "{status}: {body}");
        if status == StatusCode::UNAUTHORIZED {
            assert!(
                body["detail"].as_str().unwrap().contains("revoked"),
                "{body}"
            );
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "still accepted after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Two instances on one database: a logout on A and a revoked login (a replayed refresh
/// token) on A are refused by B, which had already accepted (and cached) the tokens.
async fn revoked_on_a_refused_on_b(
    a: &Instance,
    b: &Instance,
    username: &str,
    limit: Duration,
) -> Duration {
    let (access, _) = a.user(username).await;
    assert_eq!(b.me(&access).await.0, StatusCode::OK);
    let (status, _) = a
        .call(Method::POST, "/api/v1/auth/logout", None, Some(&access))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        a.me(&access).await.0,
        StatusCode::UNAUTHORIZED,
        "at once on A"
    );
    let logout = refused_within(b, &access, limit).await;

    // A thief replays a rotated refresh token on A: B refuses the login's access tokens.
    let (access, first) = a.login(username).await;
    let (status, second) = a
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            Some(json!({"refresh_token": first})),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let newest = second["access_token"].as_str().unwrap().to_owned();
    assert_eq!(b.me(&newest).await.0, StatusCode::OK);
    let (status, _) = a
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            Some(json!({"refresh_token": first})),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let family = refused_within(b, &newest, limit).await;
    refused_within(b, &access, limit).await;
    logout.max(family)
}

#[tokio::test]
async fn without_redis_another_instance_honours_the_database_within_the_recheck_period() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let recheck = |s: &mut Settings| s.revocation_recheck = Duration::from_millis(300);
        let a = instance(&db.db, dir.path(), recheck);
        let b = instance(&db.db, dir.path(), recheck);
        let took = revoked_on_a_refused_on_b(&a, &b, "twin", Duration::from_secs(3)).await;
        eprintln!("{}: refused on B after {took:?}", db.backend());
    }
}

#[tokio::test]
async fn with_redis_down_the_database_is_still_honoured() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let settings = |s: &mut Settings| {
            s.revocation_recheck = Duration::from_millis(300);
            // Nothing listens there: every Redis call fails and the breaker opens.
            s.redis_url = Some("redis://127.0.0.1:1".into());
        };
        let a = instance(&db.db, dir.path(), settings);
        let b = instance(&db.db, dir.path(), settings);
        revoked_on_a_refused_on_b(&a, &b, "stormy", Duration::from_secs(3)).await;
    }
}

#[tokio::test]
async fn with_redis_the_revocation_reaches_the_other_instance_at_once() {
    let Ok(redis) = std::env::var("GW2OPT_TEST_REDIS_URL") else {
        eprintln!("note: skipped (GW2OPT_TEST_REDIS_URL not set)");
        return;
    };
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let settings = |s: &mut Settings| {
            // Far longer than the test waits: only the pushed revocation can do it.
            s.revocation_recheck = Duration::from_secs(120);
            s.redis_url = Some(redis.clone());
        };
        let a = instance(&db.db, dir.path(), settings);
        let b = instance(&db.db, dir.path(), settings);
        for i in [&a, &b] {
            assert!(
                i.state
                    .events
                    .wait_until_listening(Duration::from_secs(5))
                    .await
            );
        }
        let took = revoked_on_a_refused_on_b(&a, &b, "pushed", Duration::from_secs(2)).await;
        eprintln!("{}: refused on B after {took:?}", db.backend());
    }
}

// ---- WebSockets -------------------------------------------------------------------------

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An instance on a real socket, on a given database.
type Live = common::Served;

async fn live(db: &store::Db, dir: &std::path::Path, tweak: impl Fn(&mut Settings)) -> Live {
    let mut settings = common::test_settings(dir);
    settings.ws_auth_recheck = Duration::from_millis(200);
    tweak(&mut settings);
    common::serve_state(common::state_on(db, settings)).await
}

async fn account(base: &str, username: &str) -> String {
    let body = json!({"email": format!("{username}@example.com"), "username": username, "password": PASSWORD});
    let (status, _) = http(
        reqwest::Method::POST,
        format!("{base}/api/v1/auth/register"),
        None,
        Some(body),
    )
    .await;
    assert_eq!(status, 201);
    login(base, username, PASSWORD).await
}

async fn login(base: &str, username: &str, password: &str) -> String {
    let (status, tokens) = http(
        reqwest::Method::POST,
        format!("{base}/api/v1/auth/login"),
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// Opens the stream with `token` and waits for `ready`.
async fn open(ws_url: &str, token: &str) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{ws_url}?token={token}"))
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let Message::Text(text) = first else {
        panic!("{first:?}")
    };
    let ready: Value = serde_json::from_str(text.as_str()).unwrap();
    assert_eq!(ready["type"], "ready", "{ready}");
    ws
}

/// Reads until the server closes the socket, within `limit`; the close code and how long.
async fn closed_within(ws: &mut Ws, limit: Duration) -> (Option<CloseCode>, Duration) {
    let started = Instant::now();
    loop {
        let left = limit.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => {
                return (frame.map(|f| f.code), started.elapsed())
            }
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(_))) | Ok(None) => return (None, started.elapsed()),
            Err(_) => panic!("still open after {limit:?}"),
        }
    }
}

/// The socket is still open and answering.
async fn still_open(ws: &mut Ws) {
    ws.send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.as_str().contains("pong") => return,
            Ok(Some(Ok(Message::Close(frame)))) => panic!("closed: {frame:?}"),
            Ok(Some(Ok(_))) => {}
            other => panic!("{other:?}"),
        }
    }
}

const UNAUTHORIZED: CloseCode = CloseCode::Library(4401);

#[tokio::test]
async fn open_sockets_close_when_their_session_ends() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        // A recheck far longer than the test: the pushes must close the sockets.
        let svc = live(&db.db, dir.path(), |s| {
            s.ws_auth_recheck = Duration::from_secs(120);
        })
        .await;
        let backend = db.backend();
        let bystander = account(&svc.base, "bystander").await;
        let mut other = open(&svc.ws, &bystander).await;

        // 1. Logout.
        let token = account(&svc.base, "quitter").await;
        let mut ws = open(&svc.ws, &token).await;
        let (status, _) = http(
            reqwest::Method::POST,
            format!("{}/api/v1/auth/logout", svc.base),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (code, took) = closed_within(&mut ws, Duration::from_secs(3)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{backend}: logout");
        eprintln!("{backend}: closed {took:?} after the logout");

        // 2. Password change (another session of the same user).
        let token = account(&svc.base, "changer").await;
        let mut ws = open(&svc.ws, &token).await;
        let (status, body) = http(
            reqwest::Method::POST,
            format!("{}/api/v1/users/me/password", svc.base),
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "sixty quiet lanterns"})),
        )
        .await;
        assert_eq!(status, 204, "{body}");
        let (code, _) = closed_within(&mut ws, Duration::from_secs(3)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{backend}: password change");

        // 3. Account disabled by a superuser.
        svc.state
            .accounts
            .create_superuser("root@example.com", "root", PASSWORD)
            .await
            .unwrap();
        let admin = login(&svc.base, "root", PASSWORD).await;
        let token = account(&svc.base, "troll").await;
        let (_, me) = http(
            reqwest::Method::GET,
            format!("{}/api/v1/auth/me", svc.base),
            Some(&token),
            None,
        )
        .await;
        let mut ws = open(&svc.ws, &token).await;
        let (status, _) = http(
            reqwest::Method::PATCH,
            format!(
                "{}/api/v1/admin/users/{}",
                svc.base,
                me["id"].as_str().unwrap()
            ),
            Some(&admin),
            Some(json!({"is_active": false})),
        )
        .await;
        assert_eq!(status, 200);
        let (code, _) = closed_within(&mut ws, Duration::from_secs(3)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{backend}: disabled");

        // 4. Account deleted.
        let token = account(&svc.base, "leaver").await;
        let mut ws = open(&svc.ws, &token).await;
        let (status, _) = http(
            reqwest::Method::DELETE,
            format!("{}/api/v1/users/me", svc.base),
            Some(&token),
            Some(json!({"password": PASSWORD})),
        )
        .await;
        assert_eq!(status, 204);
        let (code, _) = closed_within(&mut ws, Duration::from_secs(3)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{backend}: deleted");

        // Nobody else's socket was touched.
        still_open(&mut other).await;
    }
}

#[tokio::test]
async fn a_socket_closes_when_its_token_expires() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let svc = live(&db.db, dir.path(), |s| {
            s.access_token_ttl = Duration::from_secs(2);
            s.ws_auth_recheck = Duration::from_secs(120);
        })
        .await;
        let token = account(&svc.base, "mayfly").await;
        let mut ws = open(&svc.ws, &token).await;
        // The token lives 2 s from its (whole-second) issue time.
        let (code, took) = closed_within(&mut ws, Duration::from_secs(4)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{}", db.backend());
        assert!(took <= Duration::from_millis(2600), "{took:?}");
    }
}

/// A change whose announcement never came (made straight in the database, as another
/// instance with Redis down would) still closes the socket: the periodic check reads the
/// account again once this instance's cached copy expires (at most 5 s).
#[tokio::test]
async fn the_periodic_check_catches_what_no_announcement_told() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let svc = live(&db.db, dir.path(), |s| {
            s.ws_auth_recheck = Duration::from_millis(200);
            s.revocation_recheck = Duration::from_millis(500);
        })
        .await;
        let token = account(&svc.base, "silent").await;
        let (_, me) = http(
            reqwest::Method::GET,
            format!("{}/api/v1/auth/me", svc.base),
            Some(&token),
            None,
        )
        .await;
        let id: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
        let mut ws = open(&svc.ws, &token).await;
        store::users::admin_update(&svc.state.db, id, Some(false), None, store::now())
            .await
            .unwrap();
        let (code, took) = closed_within(&mut ws, Duration::from_secs(7)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{}", db.backend());
        eprintln!("{}: closed {took:?} after a silent change", db.backend());

        // A logout written straight to the deny-list (no announcement either).
        let token = account(&svc.base, "silent2").await;
        let claims = svc
            .state
            .keys
            .verify(&token, server::auth::jwt::TokenType::Access)
            .unwrap();
        let mut ws = open(&svc.ws, &token).await;
        store::tokens::deny(
            &svc.state.db,
            claims.jti,
            store::tokens::Revoked::Access,
            claims.sub,
            store::now() + chrono::Duration::minutes(30),
            store::now(),
        )
        .await
        .unwrap();
        let (code, _) = closed_within(&mut ws, Duration::from_secs(7)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{}", db.backend());
    }
}

#[tokio::test]
async fn a_logout_on_one_instance_closes_the_socket_on_another() {
    let Ok(redis) = std::env::var("GW2OPT_TEST_REDIS_URL") else {
        eprintln!("note: skipped (GW2OPT_TEST_REDIS_URL not set)");
        return;
    };
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let settings = |s: &mut Settings| {
            s.redis_url = Some(redis.clone());
            s.ws_auth_recheck = Duration::from_secs(120);
            s.revocation_recheck = Duration::from_secs(120);
        };
        let a = live(&db.db, dir.path(), settings).await;
        let b = live(&db.db, dir.path(), settings).await;
        for i in [&a, &b] {
            assert!(
                i.state
                    .events
                    .wait_until_listening(Duration::from_secs(5))
                    .await
            );
        }
        let token = account(&a.base, "roamer").await;
        let mut ws = open(&b.ws, &token).await;
        let (status, _) = http(
            reqwest::Method::POST,
            format!("{}/api/v1/auth/logout", a.base),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (code, took) = closed_within(&mut ws, Duration::from_secs(2)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{}", db.backend());
        eprintln!(
            "{}: socket on B closed {took:?} after the logout on A",
            db.backend()
        );
    }
}

/// The gear stream may search for minutes: a logout ends the search and closes the socket.
#[tokio::test]
async fn a_running_optimization_stream_stops_when_its_session_ends() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let svc = live(&db.db, dir.path(), |s| {
            s.ws_auth_recheck = Duration::from_secs(120);
        })
        .await;
        let token = account(&svc.base, "optimist").await;
        let url = svc.ws.replace("/ws/mcm", "/ws/optimize");
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("{url}?token={token}"))
            .await
            .unwrap();
        // A search of every prefix: minutes in a debug build.
        let input = common::big_gear_search();
        ws.send(Message::Text(input.to_string().into()))
            .await
            .unwrap();
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), ws.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            if let Message::Text(t) = message {
                let value: Value = serde_json::from_str(t.as_str()).unwrap();
                assert_ne!(
                    value["type"], "result",
                    "the search ended before the test could log out"
                );
                if value["type"] == "started" {
                    break;
                }
            }
        }
        let (status, _) = http(
            reqwest::Method::POST,
            format!("{}/api/v1/auth/logout", svc.base),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (code, took) = closed_within(&mut ws, Duration::from_secs(3)).await;
        assert_eq!(code, Some(UNAUTHORIZED), "{}", db.backend());
        eprintln!(
            "{}: optimization stream closed {took:?} after the logout",
            db.backend()
        );
    }
}
