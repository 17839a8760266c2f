//! CORS for the web client on another origin (`GW2OPT_CORS_ORIGINS`), by tower-http.
//!
//! Most requests are not cross-origin (no `Origin` header: the UI served by this binary, curl,
//! the game's overlays, load balancers' health checks). For them tower-http's layer only adds
//! `Vary` and `Access-Control-Expose-Headers`, yet it clones its whole configuration on
//! every request and builds a header map. [`CorsGate`] lets them pass; the same `Vary` is
//! written with the other common headers (`common_headers`: a shared cache then keys every
//! answer on the origin), the exposed headers are left out (only a
//! cross-origin reader looks at them, and a request with an `Origin` goes through tower-http),
//! and hands the request to tower-http's layer only when CORS has something to decide: an
//! `Origin` header, or an `OPTIONS` request (answered as a preflight), or an `*` origin
//! (which tower-http answers on every response).
//!
//! With no origin configured (the default: the UI is served by this binary) there is no CORS
//! at all: no response would ever allow another origin, so none varies by origin either, and
//! a preflight is answered as any other `OPTIONS` request (the browser then refuses the
//! cross-origin call, as it would have).

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response};
use futures_util::future::Either;
use tower::{Layer, Service};
use tower_http::cors::{AllowOrigin, Cors, CorsLayer};

use super::request_id::REQUEST_ID;

/// tower-http's default `Vary` (kept identical, so a shared cache keys answers on the origin
/// whichever path they took).
pub(super) const VARY: HeaderValue = HeaderValue::from_static(
    "origin, access-control-request-method, access-control-request-headers",
);

/// `credentials` with a `*` origin is refused at start (`Settings::check_cors`): the layer
/// is then built without credentials rather than panicking. No `origins`: requests pass.
pub fn cors_layer(origins: &[String], credentials: bool) -> CorsGateLayer {
    if origins.iter().all(|o| o.trim().is_empty()) {
        return CorsGateLayer { cors: None };
    }
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
        cors: Some(Configured {
            layer: Arc::new(layer),
            always: any,
        }),
    }
}

#[derive(Clone)]
pub struct CorsGateLayer {
    /// `None` when no origin is configured.
    cors: Option<Configured>,
}

#[derive(Clone)]
struct Configured {
    layer: Arc<CorsLayer>,
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
    type Future = Either<S::Future, <Cors<S> as Service<Request<B>>>::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        match &self.layer.cors {
            Some(configured) if configured.decides(&request) => {
                // `inner` is ready; the clone handed to tower-http takes its place (tower's
                // rule for services that move their readiness into a call).
                let clone = self.inner.clone();
                let ready = std::mem::replace(&mut self.inner, clone);
                let mut cors = configured.layer.layer(ready);
                Either::Right(cors.call(request))
            }
            _ => Either::Left(self.inner.call(request)),
        }
    }
}

impl Configured {
    /// Whether tower-http's layer has something to decide: an origin, a preflight, or an `*`
    /// origin (written on every response).
    fn decides<B>(&self, request: &Request<B>) -> bool {
        self.always
            || request.method() == Method::OPTIONS
            || request.headers().contains_key(header::ORIGIN)
    }
}

impl CorsGateLayer {
    /// Whether `request` passes a configured CORS layer untouched: its response then needs
    /// the layer's `Vary` ([`VARY`]) all the same.
    pub(super) fn passes_same_origin<B>(&self, request: &Request<B>) -> bool {
        self.cors
            .as_ref()
            .is_some_and(|configured| !configured.decides(request))
    }
}
