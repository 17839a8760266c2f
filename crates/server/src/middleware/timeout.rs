//! The request timeout, armed only once a request has to wait: an answer ready at its first
//! poll (`/health`, every cached read) never touches the timer wheel. tower-http's
//! `TimeoutLayer` registers a timer for every request and removes it again, about a thousand
//! instructions of a `/health` answer's 24 k (callgrind). A request that does wait gets its
//! timer at that first poll, so the limit counts from within microseconds of its start.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{Response, StatusCode};
use pin_project_lite::pin_project;
use tokio::time::Sleep;
use tower::{Layer, Service};

/// Answers `503` (the error shape is written by the layer outside) when the inner service has
/// not answered within `limit`.
#[derive(Debug, Clone, Copy)]
pub struct RequestTimeoutLayer {
    limit: Duration,
}

impl RequestTimeoutLayer {
    pub fn new(limit: Duration) -> Self {
        RequestTimeoutLayer { limit }
    }
}

impl<S> Layer<S> for RequestTimeoutLayer {
    type Service = RequestTimeout<S>;

    fn layer(&self, inner: S) -> RequestTimeout<S> {
        RequestTimeout {
            inner,
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RequestTimeout<S> {
    inner: S,
    limit: Duration,
}

impl<S, R, B> Service<R> for RequestTimeout<S>
where
    S: Service<R, Response = Response<B>>,
    B: Default,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = Timed<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        Timed {
            inner: self.inner.call(request),
            limit: self.limit,
            timer: None,
        }
    }
}

pin_project! {
    /// The inner response future, with a timer once it has returned `Pending` (boxed: most
    /// requests never need one, and the future stays small for them).
    pub struct Timed<F> {
        #[pin]
        inner: F,
        limit: Duration,
        timer: Option<Pin<Box<Sleep>>>,
    }
}

impl<F, B, E> Future for Timed<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(answer) = this.inner.poll(cx) {
            return Poll::Ready(answer);
        }
        let limit = *this.limit;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                let mut response = Response::new(B::default());
                *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                Poll::Ready(Ok(response))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    use axum::body::Body;
    use tower::ServiceExt;

    fn answer_after(
        wait: Duration,
    ) -> tower::util::BoxCloneService<(), Response<Body>, Infallible> {
        tower::util::BoxCloneService::new(tower::service_fn(move |()| async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            Ok::<_, Infallible>(Response::new(Body::from("done")))
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_answer_is_cut_at_the_limit_and_a_timely_one_is_kept() {
        let layer = RequestTimeoutLayer::new(Duration::from_secs(2));
        let slow = layer.layer(answer_after(Duration::from_secs(3)));
        let started = tokio::time::Instant::now();
        let response = slow.oneshot(()).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(started.elapsed(), Duration::from_secs(2));

        let timely = layer.layer(answer_after(Duration::from_millis(1_999)));
        let response = timely.oneshot(()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);

        let mut at_once = layer.layer(answer_after(Duration::ZERO));
        let mut call = Box::pin(at_once.call(()));
        // Ready at its first poll: no timer was ever made.
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let polled = call.as_mut().poll(&mut cx);
        assert!(matches!(polled, Poll::Ready(Ok(ref r)) if r.status() == StatusCode::OK));
        assert!(call.as_ref().get_ref().timer.is_none());
    }
}
