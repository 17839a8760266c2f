//! The one response future of the middleware's own layers: the inner service's response, with
//! an edit applied to its headers once it is ready. The request id is echoed and the common
//! headers (`common_headers`) are written this way.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::http::{HeaderMap, Response};
use pin_project_lite::pin_project;

/// What a layer writes on the response's headers.
pub trait EditHeaders {
    fn apply(self, headers: &mut HeaderMap);
}

pin_project! {
    pub struct Edited<F, E> {
        #[pin]
        inner: F,
        edit: Option<E>,
    }
}

impl<F, E> Edited<F, E> {
    pub fn new(inner: F, edit: E) -> Self {
        Edited {
            inner,
            edit: Some(edit),
        }
    }
}

impl<F, E, B, Err> Future for Edited<F, E>
where
    F: Future<Output = Result<Response<B>, Err>>,
    E: EditHeaders,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut result = std::task::ready!(this.inner.poll(cx));
        if let (Ok(response), Some(edit)) = (&mut result, this.edit.take()) {
            edit.apply(response.headers_mut());
        }
        Poll::Ready(result)
    }
}
