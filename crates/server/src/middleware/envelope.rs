//! The outermost layer: what is done around every request as a whole. It measures the request
//! (`monitoring::http_requests`), gives it its id (`request_id`), and writes on the response
//! the id and the headers every response carries (`common_headers`).
//!
//! Three jobs, one layer: each layer a request goes through moves the request once more on
//! the way in and wraps the response in one more future on the way out. As three layers these
//! jobs cost 155 (`/health`) to 213 (a build read) instructions a request more (callgrind).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::http::{HeaderValue, Request, Response};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

use super::common_headers::{CommonHeaders, Write};
use super::request_id;
use crate::monitoring::http_requests::{Measure, RequestMetrics};

#[derive(Clone)]
pub struct EnvelopeLayer {
    /// `None` when metrics are not served.
    pub metrics: Option<RequestMetrics>,
    /// Whether a new request id is also written on the request (the access log and traces
    /// read it there).
    pub id_on_request: bool,
    pub common: CommonHeaders,
}

impl<S> Layer<S> for EnvelopeLayer {
    type Service = Envelope<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Envelope {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Envelope<S> {
    inner: S,
    layer: EnvelopeLayer,
}

impl<S, B, ResBody> Service<Request<B>> for Envelope<S>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Enveloped<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let measure = self.layer.metrics.as_ref().map(|m| m.start(&request));
        let id = request_id::of_request(request.headers_mut(), self.layer.id_on_request);
        let common = self.layer.common.for_request(&request);
        Enveloped {
            inner: self.inner.call(request),
            pending: Some(Pending {
                measure,
                id,
                common,
            }),
        }
    }
}

/// What is left to do when the response is ready.
struct Pending {
    measure: Option<Measure>,
    id: HeaderValue,
    common: Write,
}

pin_project! {
    pub struct Enveloped<F> {
        #[pin]
        inner: F,
        pending: Option<Pending>,
    }
}

impl<F, ResBody, E> Future for Enveloped<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut result = std::task::ready!(this.inner.poll(cx));
        let Some(pending) = this.pending.take() else {
            return Poll::Ready(result);
        };
        let status = match &mut result {
            Ok(response) => {
                let headers = response.headers_mut();
                pending.common.apply(headers, pending.id);
                response.status().as_u16()
            }
            Err(_) => 0,
        };
        if let Some(measure) = pending.measure {
            measure.finish(status);
        }
        Poll::Ready(result)
    }
}
