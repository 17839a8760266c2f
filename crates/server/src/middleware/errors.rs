//! What the middleware answers on its own: the JSON error shape around errors produced
//! outside our handlers, and the answer to a handler's panic.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use http_body_util::BodyExt;

use crate::error::{code_for_status, ErrorBody};

pub fn error_body(status: StatusCode, detail: &str) -> ErrorBody {
    ErrorBody {
        detail: detail.to_owned(),
        code: code_for_status(status).to_owned(),
        field: None,
    }
}

pub(super) fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    let body = serde_json::to_vec(&error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error",
    ))
    .unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An error status whose body is not JSON.
pub(super) fn needs_rewrite(response: &Response<Body>) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && !response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// The API's JSON error shape for an error response produced outside our handlers (axum's
/// rejections, tower-http's layers: a plain-text 413, 405...; the timeout's empty 503), with
/// its text, if any, as the detail.
pub(super) async fn json_error_body(response: Response<Body>) -> Response<Body> {
    let status = response.status();
    let (mut parts, body) = response.into_parts();
    let text = match http_body_util::Limited::new(body, 4096).collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes())
            .trim()
            .to_owned(),
        Err(_) => String::new(),
    };
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let body = serde_json::to_vec(&error_body(status, &detail)).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
