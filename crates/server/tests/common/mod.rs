//! Test harness: the real router on a fresh database of each available backend, driven
//! in-process with `tower::ServiceExt::oneshot` (every middleware included).

#![allow(dead_code)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use server::auth::password::PasswordCost;
use server::cache::Cache;
use server::config::Settings;
use server::state::AppState;
use store::testing::TestDb;
use tower::ServiceExt;

/// The client address requests come from in process (`MockConnectInfo`).
pub const PEER: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7)),
    40000,
);

/// The password `TestApp::user` gives every account.
pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub data_dir: tempfile::TempDir,
    _db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: bytes::Bytes,
}

impl Reply {
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.raw)
        );
        self.body
    }

    /// Asserts the API's error shape and returns (detail, code).
    #[track_caller]
    pub fn expect_error(self, status: StatusCode) -> (String, String) {
        let body = self.expect(status);
        let detail = body["detail"]
            .as_str()
            .unwrap_or_else(|| panic!("no detail in {body}"))
            .to_owned();
        let code = body["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no code in {body}"))
            .to_owned();
        (detail, code)
    }
}

/// `request` answered by `router`, its body read whole.
pub async fn send_to(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        raw,
    }
}

pub fn test_settings(data_dir: &std::path::Path) -> Settings {
    Settings {
        data_dir: data_dir.to_owned(),
        secret_key: Some("test-secret-key-0123456789-abcdefghijklmnop".into()),
        password_cost: PasswordCost::minimal(),
        ..Settings::default()
    }
}

impl TestApp {
    /// One app per available backend (SQLite always, PostgreSQL when configured).
    pub async fn all() -> Vec<TestApp> {
        Self::all_with(|_| {}).await
    }

    pub async fn all_with(tweak: impl Fn(&mut Settings)) -> Vec<TestApp> {
        let mut apps = Vec::new();
        for db in TestDb::all().await {
            apps.push(Self::with_db(db, &tweak));
        }
        apps
    }

    pub async fn sqlite_with(tweak: impl Fn(&mut Settings)) -> TestApp {
        Self::with_db(TestDb::sqlite().await.expect("sqlite"), &tweak)
    }

    fn with_db(db: TestDb, tweak: &impl Fn(&mut Settings)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let mut settings = test_settings(data_dir.path());
        tweak(&mut settings);
        let state = state_on(&db.db, settings);
        let router = server::app::router(state.clone()).layer(MockConnectInfo(PEER));
        TestApp {
            state,
            router,
            data_dir,
            _db: db,
        }
    }

    pub fn backend(&self) -> store::Backend {
        self.state.db.backend()
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(&self.router, request).await
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Reply {
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
        .expect("request");
        self.send(request).await
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        self.request(Method::GET, uri, None, token).await
    }

    pub async fn post(&self, uri: &str, body: Value, token: Option<&str>) -> Reply {
        self.request(Method::POST, uri, Some(body), token).await
    }

    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            builder = builder.header(
                "content-type",
                HeaderValue::from_str(ct).expect("content type"),
            );
        }
        self.send(builder.body(body.into()).expect("request")).await
    }

    /// Registers `username` (e-mail `username@example.com`) and logs in; returns
    /// (user id, access token, refresh token).
    pub async fn user(&self, username: &str) -> (String, String, String) {
        let password = PASSWORD;
        let body = json!({"email": format!("{username}@example.com"), "username": username, "password": password});
        let user = self
            .post("/api/v1/auth/register", body, None)
            .await
            .expect(StatusCode::CREATED);
        let tokens = self.login(username, password).await.expect(StatusCode::OK);
        (
            user["id"].as_str().expect("id").to_owned(),
            tokens["access_token"].as_str().expect("access").to_owned(),
            tokens["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_owned(),
        )
    }

    /// Uploads `bytes` as an arcdps log through `POST /api/v1/mcm/logs` (a multipart `file`
    /// field, as the web client sends it).
    pub async fn upload_log(&self, token: &str, file_name: &str, bytes: &[u8]) -> Reply {
        const BOUNDARY: &str = "gw2opt-common-upload-boundary";
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
        self.send(request).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            json!({"username": login, "password": password}),
            None,
        )
        .await
    }
}

/// The bytes of one of the arcdps logs under `crates/evtc/tests/fixtures`.
pub fn evtc_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../evtc/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

/// A service instance serving on a real loopback socket (WebSocket and multi-instance
/// tests); stops when dropped.
pub struct Served {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `ws://127.0.0.1:PORT/api/v1/ws/mcm`
    pub ws: String,
    pub state: AppState,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn serve(settings: Settings) -> Served {
    serve_state(server::build_state(settings).await.expect("state")).await
}

/// The service state on an existing database (instances sharing one database).
pub fn state_on(db: &store::Db, settings: Settings) -> AppState {
    let cache = match &settings.redis_url {
        Some(url) => {
            Cache::with_redis(1024, url, std::time::Duration::from_millis(200)).expect("redis url")
        }
        None => Cache::in_memory(1024),
    };
    let secret = settings.secret_key.clone().unwrap_or_default();
    AppState::new(settings, db.clone(), cache, secret).expect("state")
}

/// Serves `state` on a loopback socket until the returned handle is dropped.
pub async fn serve_state(state: AppState) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server::serve(listener, state.clone(), async move {
        let _ = rx.await;
    }));
    Served {
        base: format!("http://{addr}"),
        ws: format!("ws://{addr}/api/v1/ws/mcm"),
        state,
        _stop: tx,
    }
}

/// Two instances on one database and one Redis (`GW2OPT_TEST_REDIS_URL`), both listening to
/// each other's events, like two replicas; `None` (with a note) when no Redis is configured.
pub async fn serve_pair_with_redis(dir: &std::path::Path, what: &str) -> Option<(Served, Served)> {
    let Ok(redis_url) = std::env::var("GW2OPT_TEST_REDIS_URL") else {
        eprintln!("note: {what} skipped (GW2OPT_TEST_REDIS_URL not set)");
        return None;
    };
    let mut settings = test_settings(dir);
    settings.redis_url = Some(redis_url);
    let a = serve(settings.clone()).await;
    let b = serve(settings).await;
    for instance in [&a, &b] {
        assert!(
            instance
                .state
                .events
                .wait_until_listening(std::time::Duration::from_secs(5))
                .await,
            "subscribed to Redis events"
        );
    }
    Some((a, b))
}

/// One HTTP call to a served instance: (status, JSON body or null).
pub async fn call(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A JSON file of the repository (`presets/...`).
pub fn repo_json(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("repository file");
    serde_json::from_str(&text).expect("JSON")
}

/// A build's `equipment.gear` with `prefix` in every armor, trinket and two-handed slot.
pub fn full_gear(prefix: &str) -> Value {
    const SLOTS: [&str; 13] = [
        "helm",
        "shoulders",
        "coat",
        "gloves",
        "leggings",
        "boots",
        "amulet",
        "ring1",
        "ring2",
        "accessory1",
        "accessory2",
        "back",
        "two_handed",
    ];
    Value::Object(
        SLOTS
            .iter()
            .map(|s| ((*s).to_owned(), serde_json::json!(prefix)))
            .collect(),
    )
}

/// A gear search of minutes (every prefix of the game data as a candidate: about 50 s in a
/// release build to its proven optimum, far longer in a debug one), for the tests of what
/// happens while a search runs; it has a best so far within a fraction of a second.
pub fn big_gear_search() -> Value {
    let mut input = repo_json("presets/gear/condi-firebrand.json");
    let every: Vec<&str> = gw2::GameData::embedded()
        .itemstats()
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    input["affixes"] = json!(every);
    input
}
