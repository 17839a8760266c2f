//! CORS for the web client on another origin (`GW2OPT_CORS_ORIGINS`), by tower-http.
//!
//! Most requests are not cross-origin (no `Origin` header: the UI served by this binary, curl,
//! the game's overlays, load balancers' health checks). For them tower-http's layer only adds
//! `Vary` and `Access-Control-Expose-Headers`, yet it clones its whole configuration on
//! every request and builds a header map. [`CorsGate`] adds the same `Vary` itself (a shared
//! cache then keys every answer on the origin), leaves out the exposed headers (only a
//! cross-origin reader looks at them, and a request with an `Origin` goes through tower-http),
//! and hands the request to tower-http's layer only when CORS has something to decide: an
//! `Origin` header, or an `OPTIONS` request (answered as a preflight), or an `*` origin
//! (which tower-http answers on every response).

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response};
use futures_util::future::Either;
use tower::{Layer, Service};
use tower_http::cors::{AllowOrigin, Cors, CorsLayer};

use super::request_id::REQUEST_ID;
use super::response_headers::Edited;

/// tower-http's default `Vary` (kept identical, so a shared cache keys answers on the origin
/// whichever path they took).
const VARY: HeaderValue = HeaderValue::from_static(
    "origin, access-control-request-method, access-control-request-headers",
);

/// `credentials` with a `*` origin is refused at start (`Settings::check_cors`): the layer
/// is then built without credentials rather than panicking.
pub fn cors_layer(origins: &[String], credentials: bool) -> CorsGateLayer {
    let parsed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            REQUEST_ID.clone(),
            HeaderName::from_static(crate::http::session::CSRF_HEADER),
        ])
        .expose_headers([REQUEST_ID.clone()])
        .max_age(Duration::from_secs(3600));
    let any = origins.iter().any(|o| o.trim() == "*");
    let layer = if any {
        layer.allow_origin(AllowOrigin::any())
    } else {
        layer
            .allow_origin(AllowOrigin::list(parsed))
            .allow_credentials(credentials)
    };
    CorsGateLayer {
        cors: Arc::new(layer),
        always: any,
    }
}

#[derive(Clone)]
pub struct CorsGateLayer {
    cors: Arc<CorsLayer>,
    /// An `*` origin: every response carries `Access-Control-Allow-Origin`.
    always: bool,
}

impl<S> Layer<S> for CorsGateLayer {
    type Service = CorsGate<S>;
    fn layer(&self, inner: S) -> Self::Service {
        CorsGate {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct CorsGate<S> {
    inner: S,
    layer: CorsGateLayer,
}

impl<S, B, ResBody> Service<Request<B>> for CorsGate<S>
where
    S: Service<Request<B>, Response = Response<ResBody>> + Clone,
    ResBody: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future =
        Either<Edited<S::Future, fn(&mut HeaderMap)>, <Cors<S> as Service<Request<B>>>::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let cross_origin = self.layer.always
            || request.method() == Method::OPTIONS
            || request.headers().contains_key(header::ORIGIN);
        if cross_origin {
            // `inner` is ready; the clone handed to tower-http takes its place (tower's rule
            // for services that move their readiness into a call).
            let clone = self.inner.clone();
            let ready = std::mem::replace(&mut self.inner, clone);
            let mut cors = self.layer.cors.layer(ready);
            Either::Right(cors.call(request))
        } else {
            let edit: fn(&mut HeaderMap) = same_origin_headers;
            Either::Left(Edited::new(self.inner.call(request), edit))
        }
    }
}

/// What a response to a request without `Origin` needs of CORS: its `Vary`.
fn same_origin_headers(headers: &mut HeaderMap) {
    headers.append(header::VARY, VARY);
}
