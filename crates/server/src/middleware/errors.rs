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

pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
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

/// The normaliser's answer: at once, or after reading the error's text.
pub type Normalized = futures_util::future::Either<
    std::future::Ready<Result<Response<Body>, std::convert::Infallible>>,
    futures_util::future::BoxFuture<'static, Result<Response<Body>, std::convert::Infallible>>,
>;

/// Errors produced outside our handlers (timeouts, tower layers, framework rejections we
/// do not wrap) arrive as plain text or empty bodies: give them the API's JSON error shape.
/// Successes and JSON errors pass at once, without a boxed future (reading an error's text
/// is the only part that waits).
pub fn normalize_error_body<B>(response: Response<B>) -> Normalized
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    use futures_util::FutureExt;
    let response = response.map(Body::new);
    let status = response.status();
    let is_json = || {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
    };
    if !(status.is_client_error() || status.is_server_error()) || is_json() {
        return futures_util::future::Either::Left(std::future::ready(Ok(response)));
    }
    futures_util::future::Either::Right(json_error_body(response).map(Ok).boxed())
}

/// The JSON error shape around a non-JSON error response's text.
async fn json_error_body(response: Response<Body>) -> Response<Body> {
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
