//! `GET /metrics`: the Prometheus text exposition (see `monitoring`). It is served either on
//! the main address behind a bearer token (`GW2OPT_METRICS_TOKEN`) or on a separate address
//! (`GW2OPT_METRICS_BIND`, token optional there); with neither, metrics are off and the path
//! answers 404. It is an operator's endpoint, not part of the API (not in the OpenAPI
//! document).

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The Prometheus text format's content type.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `/metrics` on the main address: served only when a token is set and no separate address.
pub async fn on_main(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.settings.metrics_on_main() {
        return ApiError::NotFound(
            "metrics are not served on this address (see GW2OPT_METRICS_TOKEN and GW2OPT_METRICS_BIND)"
                .into(),
        )
        .into_response();
    }
    scrape(&state, &headers)
}

/// The router of the separate metrics address: `/metrics` and nothing else.
pub fn separate_router(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(
                |State(state): State<AppState>, headers: HeaderMap| async move {
                    scrape(&state, &headers)
                },
            ),
        )
        .fallback(|| async { ApiError::NotFound("this address serves /metrics only".into()) })
        .with_state(state)
}

fn scrape(state: &AppState, headers: &HeaderMap) -> Response {
    if let Some(token) = &state.settings.metrics_token {
        if !bearer_matches(headers, token) {
            let mut response =
                ApiError::Unauthorized("send the metrics token as `Authorization: Bearer`".into())
                    .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
    }
    let Some(handle) = &state.metrics else {
        return ApiError::NotFound("metrics are not enabled".into()).into_response();
    };
    let text = crate::monitoring::render(handle, &state.metrics_snapshot());
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(TEXT_FORMAT)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response()
}

/// Compares digests, so the time taken says nothing about how much of the token matched.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    Sha256::digest(given.trim().as_bytes()) == Sha256::digest(token.as_bytes())
}
