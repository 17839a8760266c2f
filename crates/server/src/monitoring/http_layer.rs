//! The request metrics layer: per method, route template and status, a counter and a latency
//! histogram; and the requests in flight. It is the outermost layer, so the latency includes
//! the whole middleware stack, up to the response head (a streamed body is not waited for).
//!
//! Cheap on purpose (it runs on every request, `/health` included): one `Instant` pair, a
//! read-locked look-up of interned label values, one read-locked look-up of the cached counter
//! and histogram of that label set ([`record`]). The in-flight gauge's handle is taken once,
//! when the layer is built; when metrics are off the layer only passes requests through.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{OnceLock, RwLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::MatchedPath;
use axum::http::{Method, Request, Response};
use metrics::{Counter, Histogram};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use super::{label, HTTP_DURATION, HTTP_IN_FLIGHT, HTTP_REQUESTS};

/// Route label of requests no route matched (the web client's files, 404s).
pub const UNMATCHED: &str = "fallback";

#[derive(Clone)]
pub struct HttpMetricsLayer {
    /// `None` when metrics are not served: requests pass through untouched (the layer stays in
    /// the stack so that the stack is one type either way).
    in_flight: Option<metrics::Gauge>,
}

impl HttpMetricsLayer {
    /// Build after the recorder is installed: the in-flight gauge is bound to it here.
    pub fn new(enabled: bool) -> Self {
        HttpMetricsLayer {
            in_flight: enabled.then(|| metrics::gauge!(HTTP_IN_FLIGHT)),
        }
    }
}

impl<S> Layer<S> for HttpMetricsLayer {
    type Service = HttpMetrics<S>;
    fn layer(&self, inner: S) -> Self::Service {
        HttpMetrics {
            inner,
            in_flight: self.in_flight.clone(),
        }
    }
}

#[derive(Clone)]
pub struct HttpMetrics<S> {
    inner: S,
    in_flight: Option<metrics::Gauge>,
}

impl<S, B, ResBody> Service<Request<B>> for HttpMetrics<S>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Measured<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let Some(in_flight) = &self.in_flight else {
            return Measured {
                inner: self.inner.call(request),
                measure: None,
            };
        };
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or(UNMATCHED, |path| label(path.as_str()));
        let method = method_label(request.method());
        in_flight.increment(1.0);
        let guard = InFlightGuard(in_flight.clone());
        Measured {
            inner: self.inner.call(request),
            measure: Some(Measure {
                started: Instant::now(),
                route,
                method,
                _guard: guard,
            }),
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

/// What a measured request records when it is answered.
struct Measure {
    started: Instant,
    route: &'static str,
    method: &'static str,
    _guard: InFlightGuard,
}

pin_project! {
    pub struct Measured<F> {
        #[pin]
        inner: F,
        measure: Option<Measure>,
    }
}

impl<F, ResBody, E> Future for Measured<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = std::task::ready!(this.inner.poll(cx));
        let Some(measure) = this.measure.take() else {
            return Poll::Ready(result);
        };
        let status = match &result {
            Ok(response) => label(response.status().as_str()),
            Err(_) => "error",
        };
        let labels = [
            ("method", measure.method),
            ("route", measure.route),
            ("status", status),
        ];
        record(labels, measure.started.elapsed().as_secs_f64());
        Poll::Ready(result)
    }
}

/// Counts one request and records its latency. The registry's own look-up hashes and compares
/// the three label strings on every call (about 4 k instructions a request, measured with
/// callgrind); the handles are kept here instead, keyed by the label values' addresses (each
/// value is `'static` and interned, so its address is its identity). The key set is bounded by
/// the label values' own bounds.
fn record(labels: [(&'static str, &'static str); 3], seconds: f64) {
    type Key = [usize; 3];
    static HANDLES: OnceLock<RwLock<HashMap<Key, (Counter, Histogram)>>> = OnceLock::new();
    let key = labels.map(|(_, value)| value.as_ptr() as usize);
    let handles = HANDLES.get_or_init(RwLock::default);
    if let Some((counter, histogram)) = handles
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
    {
        counter.increment(1);
        histogram.record(seconds);
        return;
    }
    let counter = metrics::counter!(HTTP_REQUESTS, &labels);
    let histogram = metrics::histogram!(HTTP_DURATION, &labels);
    counter.increment(1);
    histogram.record(seconds);
    handles
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key, (counter, histogram));
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
