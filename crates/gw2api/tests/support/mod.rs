//! A local stand-in for api.guildwars2.com: serves `tests/fixtures/*.json` with the API's real
//! behaviours (ids batching limit, 206 / 404 for unknown ids, `ids=all`, id lists, `?id=`,
//! `?world=`, Cache-Control) plus switchable faults (429 with Retry-After, 500, slow answers, key
//! checks), and records every request so tests can count what reached it.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The recorded full responses shared by the project (absent on some machines).
pub fn shared_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/gw2-api")
}

/// Endpoint (as in `/v2/<endpoint>`) → fixture file name.
pub const FIXTURES: &[(&str, &str)] = &[
    ("professions", "professions.json"),
    ("specializations", "specializations.json"),
    ("traits", "traits.json"),
    ("skills", "skills.json"),
    ("items", "items.json"),
    ("itemstats", "itemstats.json"),
    ("legends", "legends.json"),
    ("pets", "pets.json"),
    ("wvw/matches", "wvw_matches.json"),
    ("wvw/objectives", "wvw_objectives.json"),
];

/// Synthetic items added to the fixtures so batching has something to split.
pub const SYNTHETIC_ITEM_START: u32 = 100_000;
pub const SYNTHETIC_ITEMS: u32 = 500;

#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    pub schema_version: Option<String>,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct ServerState {
    data: HashMap<String, Vec<Value>>,
    /// Endpoints that refuse `ids=all`, with the status they answer.
    pub no_ids_all: HashMap<String, u16>,
    hits: AtomicUsize,
    log: Mutex<Vec<Seen>>,
    /// Answer this many requests with 429 + `Retry-After: retry_after_secs`.
    pub fail_429: AtomicU32,
    pub retry_after_secs: AtomicU32,
    /// Answer this many requests with 500 (u32::MAX: "down").
    pub fail_500: AtomicU32,
    /// Delay before answering, in ms.
    pub delay_ms: AtomicU64,
    pub required_key: Mutex<Option<String>>,
    pub cache_control: Mutex<String>,
}

impl ServerState {
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn log(&self) -> Vec<Seen> {
        self.log.lock().expect("log").clone()
    }

    pub fn set_cache_control(&self, value: &str) {
        *self.cache_control.lock().expect("cc") = value.to_string();
    }

    pub fn require_key(&self, key: &str) {
        *self.required_key.lock().expect("key") = Some(key.to_string());
    }
}

pub struct TestServer {
    pub base_url: String,
    pub state: Arc<ServerState>,
}

impl TestServer {
    /// Serves the fixtures (plus synthetic items).
    pub async fn start() -> Self {
        let mut data = HashMap::new();
        for (endpoint, file) in FIXTURES {
            data.insert(endpoint.to_string(), load_array(&fixtures_dir().join(file)));
        }
        if let Some(items) = data.get_mut("items") {
            for id in SYNTHETIC_ITEM_START..SYNTHETIC_ITEM_START + SYNTHETIC_ITEMS {
                items.push(json!({
                    "id": id, "name": format!("Synthetic {id}"), "type": "Trinket",
                    "rarity": "Exotic", "level": 80, "vendor_value": 1, "flags": []
                }));
            }
        }
        Self::start_with(data).await
    }

    pub async fn start_with(data: HashMap<String, Vec<Value>>) -> Self {
        let state = Arc::new(ServerState {
            data,
            // The big endpoints do not expand ids=all on the real API.
            no_ids_all: HashMap::from([("items".to_string(), 400), ("skills".to_string(), 404)]),
            hits: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
            fail_429: AtomicU32::new(0),
            retry_after_secs: AtomicU32::new(1),
            fail_500: AtomicU32::new(0),
            delay_ms: AtomicU64::new(0),
            required_key: Mutex::new(None),
            cache_control: Mutex::new("public, max-age=300".to_string()),
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{addr}"),
            state,
        }
    }
}

/// A base URL where nothing listens: bind a port, then free it.
pub async fn refused_base_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

pub fn load_array(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn take(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n > 0).then(|| if n == u32::MAX { n } else { n - 1 })
        })
        .is_ok()
}

fn id_of(record: &Value) -> String {
    match record.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn reply(state: &ServerState, status: u16, body: &Value) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json; charset=utf-8");
    if (200..300).contains(&status) {
        let cc = state.cache_control.lock().expect("cc").clone();
        if !cc.is_empty() {
            builder = builder.header("cache-control", cc);
        }
    }
    builder
        .body(Body::from(body.to_string()))
        .expect("response")
}

fn text(state: &ServerState, status: u16, message: &str) -> Response {
    reply(state, status, &json!({ "text": message }))
}

async fn handle(State(state): State<Arc<ServerState>>, uri: Uri, headers: HeaderMap) -> Response {
    state.hits.fetch_add(1, Ordering::SeqCst);
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let seen = Seen {
        path: uri.path().to_string(),
        query,
        authorization: header("authorization"),
        schema_version: header("x-schema-version"),
    };
    state.log.lock().expect("log").push(seen.clone());

    if take(&state.fail_429) {
        let secs = state.retry_after_secs.load(Ordering::SeqCst);
        return Response::builder()
            .status(StatusCode::TOO_MANY_REQUESTS)
            .header("retry-after", secs.to_string())
            .header("content-type", "application/json")
            .body(Body::from(r#"{"text":"too many requests"}"#))
            .expect("response");
    }
    if take(&state.fail_500) {
        return text(&state, 500, "internal server error");
    }
    let delay = state.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if let Some(key) = state.required_key.lock().expect("key").clone() {
        if seen.authorization.as_deref() != Some(format!("Bearer {key}").as_str()) {
            return text(&state, 401, "Invalid access token");
        }
    }

    let Some(endpoint) = seen.path.strip_prefix("/v2/") else {
        return text(&state, 404, "not found");
    };
    let endpoint = endpoint.trim_end_matches('/');
    if endpoint == "broken" {
        return reply(&state, 200, &json!({ "not": "a list" }));
    }
    let Some(records) = state.data.get(endpoint) else {
        return text(&state, 404, "not found");
    };

    if let Some(world) = seen.param("world") {
        let Ok(world) = world.parse::<u64>() else {
            return text(&state, 400, "invalid world");
        };
        let found = records.iter().find(|m| {
            ["red", "blue", "green"].iter().any(|team| {
                m["all_worlds"][team]
                    .as_array()
                    .is_some_and(|ws| ws.iter().any(|w| w.as_u64() == Some(world)))
            })
        });
        return match found {
            Some(m) => reply(&state, 200, m),
            None => text(&state, 404, "world not currently in a match"),
        };
    }
    if let Some(id) = seen.param("id") {
        return match records.iter().find(|r| id_of(r) == id) {
            Some(r) => reply(&state, 200, r),
            None => text(&state, 404, "no such id"),
        };
    }
    if let Some(ids) = seen.param("ids") {
        if ids == "all" {
            if let Some(status) = state.no_ids_all.get(endpoint) {
                return match status {
                    404 => text(&state, 404, "all ids provided are invalid"),
                    s => text(&state, *s, "ids=all is not supported on this endpoint"),
                };
            }
            return reply(&state, 200, &Value::Array(records.clone()));
        }
        let wanted: Vec<&str> = ids.split(',').filter(|s| !s.is_empty()).collect();
        if wanted.len() > 200 {
            return text(
                &state,
                400,
                "id list too long; this endpoint is limited to 200 ids at once",
            );
        }
        let found: Vec<Value> = wanted
            .iter()
            .filter_map(|id| records.iter().find(|r| id_of(r) == *id).cloned())
            .collect();
        return if found.is_empty() {
            text(&state, 404, "all ids provided are invalid")
        } else if found.len() < wanted.len() {
            reply(&state, 206, &Value::Array(found))
        } else {
            reply(&state, 200, &Value::Array(found))
        };
    }
    let ids: Vec<Value> = records
        .iter()
        .map(|r| r.get("id").cloned().unwrap_or(Value::Null))
        .collect();
    reply(&state, 200, &Value::Array(ids))
}
