//! The request id: the client's `x-request-id` when it is usable, a new UUID (v4) otherwise.
//! It is set on the request's headers (which the access log and traces read) and echoed on
//! the response.
//!
//! One layer instead of tower-http's three (drop an unusable id, set, propagate): those clone
//! the header through the extensions and format the UUID through `Display`; here the UUID is
//! written into a stack buffer, the header value is cloned once, by reference count, and no
//! extension is added (each is a boxed entry in a map allocated per request).

use std::task::{Context, Poll};

use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, Response};
use tower::{Layer, Service};

use super::response_headers::{EditHeaders, Edited};

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest client-sent `x-request-id` kept (a UUID is 36; trace ids are up to 64).
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// A client's `x-request-id` is echoed in the response and written on every log line of the
/// request, so only one short, visible-ASCII id is kept (1–128 characters from `!` to `~`).
fn usable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty() && bytes.len() <= MAX_REQUEST_ID_LEN && bytes.iter().all(u8::is_ascii_graphic)
}

fn new_id() -> HeaderValue {
    let mut buffer = uuid::Uuid::encode_buffer();
    let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buffer);
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// `on_request`: whether a new id is also written on the request (for the access log and
/// traces, which read it there); it is echoed on the response either way.
#[derive(Clone, Copy, Default)]
pub struct RequestIdLayer {
    pub on_request: bool,
}

impl<S> Layer<S> for RequestIdLayer {
    type Service = SetRequestId<S>;
    fn layer(&self, inner: S) -> Self::Service {
        SetRequestId {
            inner,
            on_request: self.on_request,
        }
    }
}

#[derive(Clone)]
pub struct SetRequestId<S> {
    inner: S,
    on_request: bool,
}

impl<S, B, ResBody> Service<Request<B>> for SetRequestId<S>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Edited<S::Future, Echo>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let headers = request.headers_mut();
        let mut sent = headers.get_all(&REQUEST_ID).iter();
        let kept = match (sent.next(), sent.next()) {
            (Some(one), None) if usable(one) => Some(one.clone()),
            _ => None,
        };
        let id = kept.unwrap_or_else(|| {
            let id = new_id();
            if self.on_request {
                headers.insert(REQUEST_ID.clone(), id.clone());
            }
            id
        });
        Edited::new(self.inner.call(request), Echo(id))
    }
}

/// The id, echoed on the response (a handler's own id, none do today, wins, as with
/// tower-http's propagation).
pub struct Echo(HeaderValue);

impl EditHeaders for Echo {
    fn apply(self, headers: &mut HeaderMap) {
        headers.entry(&REQUEST_ID).or_insert(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_ids_are_short_visible_ascii() {
        assert!(usable(&HeaderValue::from_static("raid-night-42")));
        assert!(usable(&HeaderValue::from_str(&"a".repeat(128)).unwrap()));
        assert!(!usable(&HeaderValue::from_str(&"a".repeat(129)).unwrap()));
        assert!(!usable(&HeaderValue::from_static("")));
        assert!(!usable(&HeaderValue::from_static("with space")));
        assert!(!usable(&HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap()));
    }

    #[test]
    fn new_ids_are_hyphenated_uuids() {
        let id = new_id();
        let text = id.to_str().unwrap();
        assert_eq!(text.len(), 36);
        assert_eq!(uuid::Uuid::parse_str(text).unwrap().get_version_num(), 4);
        assert_ne!(new_id(), id);
    }
}
