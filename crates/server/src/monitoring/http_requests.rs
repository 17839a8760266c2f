//! Request metrics: per method, route template and status, a counter and a latency histogram;
//! and the requests in flight. The middleware's outermost layer (`crate::middleware::envelope`)
//! starts a [`Measure`] when a request comes in and finishes it when the response head is
//! ready, so the latency includes the whole middleware stack (a streamed body is not waited
//! for).
//!
//! Cheap on purpose (it runs on every request, `/health` included): two readings of quanta's
//! clock (the TSC: 24 ns against 36 ns for `std::time::Instant`), the route template looked up
//! in [`RouteTemplates`], one read-locked look-up of the cached counter and histogram of that
//! label set ([`record`]). The in-flight gauge's handle is taken once, at start; when metrics
//! are off nothing here runs.
//!
//! The middleware wraps the router as a whole (see `crate::middleware`), so axum's `MatchedPath`
//! is not known yet when a request comes in: the template is found by matching the path
//! against the router's own templates, with the same matcher axum uses (`matchit`).

use std::sync::Arc;

use axum::http::{Method, Request};
use metrics::{Counter, Histogram};

use super::{label, KeptHandles, HTTP_DURATION, HTTP_IN_FLIGHT, HTTP_REQUESTS};

/// Route label of requests no route matched (the web client's files, 404s).
pub const UNMATCHED: &str = "fallback";

/// The router's path templates (`/api/v1/builds/{id}`), to label a request by the route that
/// will serve it. Paths no template matches are [`UNMATCHED`].
#[derive(Clone)]
pub struct RouteTemplates(Arc<matchit::Router<&'static str>>);

impl RouteTemplates {
    /// `templates` in axum's syntax (`{param}`, `{*rest}`). A template the matcher refuses
    /// (a conflict) is skipped: its requests are counted under the one it conflicts with.
    pub fn new<'a>(templates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut router = matchit::Router::new();
        for template in templates {
            let _ = router.insert(template, label(template));
        }
        RouteTemplates(Arc::new(router))
    }

    /// The template of `path`, as axum's `MatchedPath` would give it.
    pub fn of(&self, path: &str) -> &'static str {
        self.0.at(path).map_or(UNMATCHED, |found| *found.value)
    }
}

/// What request metrics need once the recorder is installed: the in-flight gauge's handle
/// (taken once, here) and the route templates.
#[derive(Clone)]
pub struct RequestMetrics {
    in_flight: metrics::Gauge,
    routes: RouteTemplates,
}

impl RequestMetrics {
    /// Build after the recorder is installed: the in-flight gauge is bound to it here.
    pub fn new(routes: RouteTemplates) -> Self {
        RequestMetrics {
            in_flight: metrics::gauge!(HTTP_IN_FLIGHT),
            routes,
        }
    }

    /// A request comes in: it is in flight until the returned measure is finished or dropped.
    pub fn start<B>(&self, request: &Request<B>) -> Measure {
        let route = self.routes.of(request.uri().path());
        let method = method_label(request.method());
        self.in_flight.increment(1.0);
        Measure {
            started: quanta::Instant::now(),
            route,
            method,
            _guard: InFlightGuard(self.in_flight.clone()),
        }
    }
}

/// Keeps the in-flight gauge right when a request is dropped before it is answered.
struct InFlightGuard(metrics::Gauge);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// One request being measured.
pub struct Measure {
    started: quanta::Instant,
    route: &'static str,
    method: &'static str,
    _guard: InFlightGuard,
}

impl Measure {
    /// The request is answered with `status` (0: the service failed without a response).
    pub fn finish(self, status: u16) {
        let seconds = quanta::Instant::now()
            .saturating_duration_since(self.started)
            .as_secs_f64();
        record(self.method, self.route, status, seconds);
    }
}

/// Counts one request and records its latency, through handles kept by the method's and
/// route's addresses (each value is `'static` and interned, so its address is its identity)
/// and the status code (0: the service failed without a response).
fn record(method: &'static str, route: &'static str, status: u16, seconds: f64) {
    static HANDLES: KeptHandles<(usize, usize, u16), (Counter, Histogram)> = KeptHandles::new();
    let key = (method.as_ptr() as usize, route.as_ptr() as usize, status);
    HANDLES.with(
        key,
        || {
            let status = if status == 0 {
                "error"
            } else {
                label(&status.to_string())
            };
            let labels = [("method", method), ("route", route), ("status", status)];
            (
                metrics::counter!(HTTP_REQUESTS, &labels),
                metrics::histogram!(HTTP_DURATION, &labels),
            )
        },
        |(counter, histogram)| {
            counter.increment(1);
            histogram.record(seconds);
        },
    );
}

/// The standard methods by name; anything else is `other` (methods are client input).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
