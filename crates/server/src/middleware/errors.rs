//! What the middleware answers on its own: the JSON error shape around errors produced
//! outside our handlers, and the answer to a handler's panic.

use std::pin::Pin;
use std::task::{Context, Poll};

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
/// Gives error responses produced outside our handlers (axum's rejections, tower-http's
/// layers: a plain-text 413, 408, 405...) the API's JSON error shape. A response that needs
/// nothing (a success, or an error already in JSON) goes through without being boxed or
/// awaited again: only a rewrite, which reads the body, is a future of its own.
#[derive(Clone, Copy, Default)]
pub struct NormalizeErrorsLayer;

impl<S> tower::Layer<S> for NormalizeErrorsLayer {
    type Service = NormalizeErrors<S>;
    fn layer(&self, inner: S) -> Self::Service {
        NormalizeErrors { inner }
    }
}

#[derive(Clone)]
pub struct NormalizeErrors<S> {
    inner: S,
}

impl<S, R, B> tower::Service<R> for NormalizeErrors<S>
where
    S: tower::Service<R, Response = Response<B>, Error = std::convert::Infallible>,
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = std::convert::Infallible;
    type Future = Normalized<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        Normalized::Answering {
            inner: self.inner.call(request),
        }
    }
}

type Rewrite = futures_util::future::BoxFuture<'static, Response<Body>>;

pin_project_lite::pin_project! {
    /// The inner service's answer, then its rewrite when it needs one.
    #[project = Step]
    pub enum Normalized<F> {
        Answering { #[pin] inner: F },
        Rewriting { rewrite: Rewrite },
    }
}

impl<F, B> std::future::Future for Normalized<F>
where
    F: std::future::Future<Output = Result<Response<B>, std::convert::Infallible>>,
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response<Body>, std::convert::Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        use futures_util::FutureExt;
        loop {
            let rewrite = match self.as_mut().project() {
                Step::Answering { inner } => {
                    let Ok(response) = std::task::ready!(inner.poll(cx));
                    let response = response.map(Body::new);
                    if !needs_rewrite(&response) {
                        return Poll::Ready(Ok(response));
                    }
                    json_error_body(response).boxed()
                }
                Step::Rewriting { rewrite } => return rewrite.poll_unpin(cx).map(Ok),
            };
            self.set(Normalized::Rewriting { rewrite });
        }
    }
}

/// An error status whose body is not JSON.
fn needs_rewrite(response: &Response<Body>) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && !response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

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
