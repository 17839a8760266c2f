//! What every answer is held to, in one layer: a handler's panic is answered as a 500
//! (`errors::panic_response`), a request is answered within the time limit (an empty 503
//! after it), and an error produced outside our handlers (axum's rejections, tower-http's
//! plain-text 413 or 405, the timeout's 503) gets the API's JSON error shape.
//!
//! One layer, one future: as three (tower-http's `CatchPanic`, a timeout, a normaliser) each
//! request was moved twice more on the way in and each answer went through two more futures.
//!
//! The timeout is armed only once a request has to wait: an answer ready at its first poll
//! (`/health`, every cached read) never touches the timer wheel. tower-http's `TimeoutLayer`
//! registers a timer for every request and removes it again, about a thousand instructions of
//! a `/health` answer's 24 k (callgrind). A request that does wait gets its timer at that
//! first poll, so the limit counts from within microseconds of its start.
//!
//! A response that needs no rewrite (a success, or an error already in JSON) goes through
//! without being boxed or awaited again: only a rewrite, which reads the body, is a future of
//! its own.

use std::convert::Infallible;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Response, StatusCode};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use pin_project_lite::pin_project;
use tokio::time::Sleep;
use tower::{Layer, Service};

use super::errors::{json_error_body, needs_rewrite, panic_response};

#[derive(Debug, Clone, Copy)]
pub struct GuardLayer {
    limit: Duration,
}

impl GuardLayer {
    /// `limit`: how long a request may take before it is answered 503.
    pub fn new(limit: Duration) -> Self {
        GuardLayer { limit }
    }
}

impl<S> Layer<S> for GuardLayer {
    type Service = Guard<S>;
    fn layer(&self, inner: S) -> Guard<S> {
        Guard {
            inner,
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Guard<S> {
    inner: S,
    limit: Duration,
}

impl<S, R> Service<R> for Guard<S>
where
    S: Service<R, Response = Response<Body>, Error = Infallible>,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Guarded<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(inner) => Guarded::Answering {
                inner,
                limit: self.limit,
                timer: None,
            },
            Err(panic) => Guarded::Rewriting {
                rewrite: std::future::ready(panic_response(panic)).boxed(),
            },
        }
    }
}

pin_project! {
    #[project = Step]
    pub enum Guarded<F> {
        Answering {
            #[pin]
            inner: F,
            limit: Duration,
            timer: Option<Pin<Box<Sleep>>>,
        },
        Rewriting { rewrite: BoxFuture<'static, Response<Body>> },
    }
}

impl<F> Future for Guarded<F>
where
    F: Future<Output = Result<Response<Body>, Infallible>>,
{
    type Output = Result<Response<Body>, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = match self.as_mut().project() {
            Step::Answering {
                inner,
                limit,
                timer,
            } => match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Ready(Ok(response))) => response,
                Err(panic) => panic_response(panic),
                Ok(Poll::Pending) => {
                    let limit = *limit;
                    let timer = timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                    match timer.as_mut().poll(cx) {
                        Poll::Ready(()) => {
                            let mut response = Response::new(Body::empty());
                            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                            response
                        }
                        Poll::Pending => return Poll::Pending,
                    }
                }
            },
            Step::Rewriting { rewrite } => return rewrite.poll_unpin(cx).map(Ok),
        };
        if !needs_rewrite(&response) {
            return Poll::Ready(Ok(response));
        }
        let mut rewrite = json_error_body(response).boxed();
        let first = rewrite.poll_unpin(cx);
        self.set(Guarded::Rewriting { rewrite });
        first.map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::http::header;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    type Answer = tower::util::BoxCloneService<(), Response<Body>, Infallible>;

    fn answer_after(wait: Duration) -> Answer {
        tower::util::BoxCloneService::new(tower::service_fn(move |()| async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            Ok::<_, Infallible>(Response::new(Body::from("done")))
        }))
    }

    async fn json_of(response: Response<Body>) -> (StatusCode, serde_json::Value) {
        let status = response.status();
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_answer_is_cut_at_the_limit_and_a_timely_one_is_kept() {
        let layer = GuardLayer::new(Duration::from_secs(2));
        let slow = layer.layer(answer_after(Duration::from_secs(3)));
        let started = tokio::time::Instant::now();
        let response = slow.oneshot(()).await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["code"], "service_unavailable");

        let timely = layer.layer(answer_after(Duration::from_millis(1_999)));
        let response = timely.oneshot(()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);

        let mut at_once = layer.layer(answer_after(Duration::ZERO));
        let mut call = Box::pin(at_once.call(()));
        // Ready at its first poll: no timer was ever made.
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let polled = call.as_mut().poll(&mut cx);
        assert!(matches!(polled, Poll::Ready(Ok(ref r)) if r.status() == StatusCode::OK));
        assert!(matches!(
            call.as_ref().get_ref(),
            Guarded::Answering { timer: None, .. }
        ));
    }

    #[tokio::test]
    async fn a_panic_in_the_handler_or_in_the_call_is_a_json_500() {
        let layer = GuardLayer::new(Duration::from_secs(2));
        let in_handler: Answer =
            tower::util::BoxCloneService::new(tower::service_fn(|()| async move {
                if std::hint::black_box(true) {
                    panic!("handler bug");
                }
                Ok::<_, Infallible>(Response::new(Body::empty()))
            }));
        let (status, body) = json_of(layer.layer(in_handler).oneshot(()).await.unwrap()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["detail"], "internal error");

        let in_call = tower::service_fn(
            |()| -> std::future::Ready<Result<Response<Body>, Infallible>> {
                panic!("service bug")
            },
        );
        let (status, body) = json_of(layer.layer(in_call).oneshot(()).await.unwrap()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["code"], "internal_error");
    }

    #[tokio::test]
    async fn a_plain_text_error_gets_the_json_shape_and_json_errors_are_kept() {
        let layer = GuardLayer::new(Duration::from_secs(2));
        let plain = tower::service_fn(|()| async {
            let mut response = Response::new(Body::from(
                "Failed to buffer the request body: length limit exceeded\n",
            ));
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            Ok::<_, Infallible>(response)
        });
        let (status, body) = json_of(layer.layer(plain).oneshot(()).await.unwrap()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            body["detail"],
            "Failed to buffer the request body: length limit exceeded"
        );

        let json = tower::service_fn(|()| async {
            let mut response = Response::new(Body::from(r#"{"detail":"mine","code":"conflict"}"#));
            *response.status_mut() = StatusCode::CONFLICT;
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
            Ok::<_, Infallible>(response)
        });
        let (status, body) = json_of(layer.layer(json).oneshot(()).await.unwrap()).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["detail"], "mine");
    }
}
