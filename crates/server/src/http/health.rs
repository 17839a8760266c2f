//! Liveness and readiness.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::CacheStatus;
use crate::extract::Json;
use crate::json_body::JsonBody;
use crate::state::AppState;

#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: String,
    pub version: String,
}

/// [`Health`]'s answer, the same on every call (load balancers ask many times a second).
const HEALTH: &str = concat!(
    r#"{"status":"ok","version":""#,
    env!("CARGO_PKG_VERSION"),
    r#""}"#
);

/// Liveness: the process is up and serving HTTP.
#[utoipa::path(get, path = "/health", tag = "health", operation_id = "get_health",
    responses((status = 200, body = Health)))]
pub async fn health() -> JsonBody {
    static BODY: std::sync::LazyLock<JsonBody> =
        std::sync::LazyLock::new(|| JsonBody::new(HEALTH.as_bytes()));
    BODY.clone()
}

// `health` under the API's prefix (its own handler: a route's path is its handler's).
/// Liveness: the process is up and serving HTTP.
#[utoipa::path(get, path = "/api/v1/health", tag = "health", operation_id = "get_api_v1_health",
    responses((status = 200, body = Health)))]
pub async fn health_v1() -> JsonBody {
    health().await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyState {
    /// `ok`, `unavailable` or `disabled`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ok`, `degraded` (an optional dependency is down; the service still answers),
    /// `unavailable` (the database is down) or `draining` (shutting down: still answering
    /// during the shutdown delay, but a load balancer should send nothing new).
    pub status: String,
    pub version: String,
    pub uptime_seconds: u64,
    pub database: DependencyState,
    pub database_backend: String,
    pub cache: CacheStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redis: Option<DependencyState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ollama: Option<DependencyState>,
}

/// Readiness: 200 when the database answers (optional dependencies that are down make it
/// `degraded`, not unready), 503 otherwise, and 503 `draining` from the shutdown signal on
/// (the instance is leaving the load balancer's rotation). Each dependency's state is listed.
#[utoipa::path(get, path = "/health/ready", tag = "health", operation_id = "get_health_ready",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(state: State<AppState>) -> (StatusCode, Json<Readiness>) {
    readiness(state).await
}

// `ready` under the API's prefix.
/// Readiness: 200 when the database answers (optional dependencies that are down make it
/// `degraded`, not unready), 503 otherwise, and 503 `draining` from the shutdown signal on
/// (the instance is leaving the load balancer's rotation). Each dependency's state is listed.
#[utoipa::path(get, path = "/api/v1/health/ready", tag = "health", operation_id = "get_api_v1_health_ready",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready_v1(state: State<AppState>) -> (StatusCode, Json<Readiness>) {
    readiness(state).await
}

async fn readiness(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    if state.draining.is_cancelled() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(draining(&state).await),
        );
    }
    let started = std::time::Instant::now();
    let db = tokio::time::timeout(Duration::from_secs(3), state.db.ping()).await;
    let database = match db {
        Ok(Ok(())) => ok_state(started),
        Ok(Err(err)) => down(err.to_string()),
        Err(_) => down("timed out after 3 s".into()),
    };
    let cache = state.cache.check().await;
    let redis = (cache.backend == "redis").then(|| DependencyState {
        status: cache.redis.to_owned(),
        detail: (cache.redis != "ok").then(|| "serving from the in-process cache".to_owned()),
        latency_ms: None,
    });
    let ollama = match &state.ollama {
        None => None,
        Some(client) => Some(check_ollama(client).await),
    };
    let db_ok = database.status == "ok";
    let degraded = redis.as_ref().is_some_and(|r| r.status != "ok")
        || ollama.as_ref().is_some_and(|o| o.status != "ok");
    let status = if !db_ok {
        "unavailable"
    } else if degraded {
        "degraded"
    } else {
        "ok"
    };
    let body = Readiness {
        status: status.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        uptime_seconds: state.started_at.elapsed().as_secs(),
        database,
        database_backend: state.db.backend().to_string(),
        cache,
        redis,
        ollama,
    };
    (
        if db_ok {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(body),
    )
}

/// What readiness answers once shutdown has begun: the database is not probed (the answer
/// no longer depends on it).
async fn draining(state: &AppState) -> Readiness {
    let skipped = || DependencyState {
        status: "draining".into(),
        detail: Some("the instance is shutting down".into()),
        latency_ms: None,
    };
    Readiness {
        status: "draining".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        uptime_seconds: state.started_at.elapsed().as_secs(),
        database: skipped(),
        database_backend: state.db.backend().to_string(),
        cache: state.cache.check().await,
        redis: None,
        ollama: None,
    }
}

fn ok_state(started: std::time::Instant) -> DependencyState {
    DependencyState {
        status: "ok".into(),
        detail: None,
        latency_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
    }
}

fn down(detail: String) -> DependencyState {
    DependencyState {
        status: "unavailable".into(),
        detail: Some(detail),
        latency_ms: None,
    }
}

/// Ollama's readiness probe (`GET /api/tags`): `ok` when it answers, has pulled the
/// configured model and its chats' circuit breaker is not open; otherwise `unavailable`,
/// saying which (chats are then answered from the engines alone).
async fn check_ollama(client: &ollama::OllamaClient) -> DependencyState {
    let probe = client.probe().await;
    if probe.is_ready() {
        DependencyState {
            status: "ok".into(),
            detail: Some(probe.describe()),
            latency_ms: Some(probe.latency.as_secs_f64() * 1000.0),
        }
    } else {
        down(probe.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixed_health_answer_is_a_health_document() {
        let health: Health = serde_json::from_str(HEALTH).unwrap();
        assert_eq!(health.status, "ok");
        assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    }
}
