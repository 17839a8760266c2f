//! The middleware every request goes through, wrapped once around the whole router.
//!
//! Outermost first:
//! 1. the envelope (`envelope.rs`): request metrics (latency includes the whole stack;
//!    labelled by route template), the request id (the client's when usable, else a new one;
//!    echoed on the response), and the headers every response carries (security headers, the
//!    `Vary` of requests CORS and compression let pass), written in one pass;
//! 2. the access log / trace span, when logged or exported; 3. CORS; 4. compression;
//! 5. the guard (`guard.rs`): the JSON error shape for errors produced outside handlers, the
//!    request timeout (armed only once a request waits), a handler's panic answered as a 500;
//! 6. the hot reads (`crate::http::hot_reads`): the reads every page makes, answered by their
//!    handlers without axum's router;
//! 7. the default body limit (upload routes set their own inside the router).
//!
//! Why around the router and not `Router::layer`: each `Router::layer` call wraps every
//! route in one more boxed service, and each request clones its route's whole chain and boxes
//! a future at each level. Here the stack is one concrete type, boxed once, cloned once per
//! request (each layer's clone is a reference count or nothing). With the per-route stack
//! `/health` cost 40.8 k instructions a request (callgrind), against 14.3 k for a bare axum
//! endpoint; the measured figures now are in the README's load section.

mod common_headers;
mod compression;
mod cors;
mod envelope;
mod errors;
mod guard;
mod request_id;
mod security_headers;

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, Response};
use axum::Router;
use tower::util::{BoxCloneSyncService, Either};
use tower::ServiceBuilder;
use tower_http::trace::TraceLayer;

pub use common_headers::MOST_ADDED as MOST_ADDED_HEADERS;
pub use errors::error_body;
pub use request_id::{MAX_REQUEST_ID_LEN, REQUEST_ID};
pub use security_headers::{hsts, API_CSP};

use crate::config::Settings;
use crate::http::hot_reads::HotReadsLayer;
use crate::monitoring::http_requests::{RequestMetrics, RouteTemplates};

/// The application as one service: what each connection calls.
pub type App = BoxCloneSyncService<Request<Body>, Response<Body>, Infallible>;

/// `router` inside the middleware, with `hot_reads` in front of it. `routes` are its path
/// templates (metrics and traces are labelled by them); `metrics` says whether request metrics
/// are recorded.
pub fn around(
    router: Router,
    hot_reads: HotReadsLayer,
    settings: &Settings,
    routes: RouteTemplates,
    metrics: bool,
) -> App {
    let cors = cors::cors_layer(&settings.cors_origins, settings.cors_credentials);
    let common = common_headers::CommonHeaders::new(security_headers::hsts(settings), cors.clone());
    let core = ServiceBuilder::new()
        .layer(cors)
        .layer(compression::compression_layer())
        .layer(guard::GuardLayer::new(settings.request_timeout))
        .layer(hot_reads)
        .layer(DefaultBodyLimit::max(settings.body_limit))
        // The router's future holds the request until it is first polled; boxed here, each
        // layer above moves a pointer instead of copying it again.
        .map_future(Box::pin)
        .service(router);
    // One access-log line per request unless switched off (load tests); errors are logged
    // by the error type either way. The request's span is also what traces export (the
    // route template, the request id, and its trace id written on its log lines).
    let logs_requests = settings.access_log || crate::telemetry::traces_exported();
    let envelope = envelope::EnvelopeLayer {
        metrics: metrics.then(|| RequestMetrics::new(routes.clone())),
        id_on_request: logs_requests,
        common,
    };
    let logged = if logs_requests {
        Either::Left(
            ServiceBuilder::new()
                .map_response(|response: Response<_>| response.map(Body::new))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(move |request: &Request<Body>| {
                            request_span(request, &routes)
                        })
                        .on_request(())
                        .on_response(
                            tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                        ),
                )
                .service(core),
        )
    } else {
        Either::Right(core)
    };
    BoxCloneSyncService::new(ServiceBuilder::new().layer(envelope).service(logged))
}

/// The span of one request: its id, method, path and route template; the trace id is written
/// on it when traces are exported.
fn request_span(request: &Request<Body>, routes: &RouteTemplates) -> tracing::Span {
    // The request id layer (outside this one) has set a usable id on the headers.
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    let route = match routes.of(request.uri().path()) {
        crate::monitoring::http_requests::UNMATCHED => "-",
        template => template,
    };
    let span = tracing::info_span!("request", request_id = %request_id, method = %request.method(),
        path = %request.uri().path(), route = route, trace_id = tracing::field::Empty,
        otel.name = tracing::field::Empty, otel.kind = tracing::field::Empty);
    crate::telemetry::link_request_span(&span, request.method().as_str(), route);
    span
}
