//! A serialized JSON answer with its `Content-Length` value, both made once.
//!
//! The hot reads (a build, `me`, a page of builds, a team) are answered from JSON kept in
//! memory (`hot`) and sent many times over. Given bare bytes, axum writes the length on every
//! response: it formats the number and copies it into a new allocation, ~450 instructions a
//! request (callgrind). Kept with the bytes, the value is shared like them.

use std::ops::Deref;

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::error::ApiError;

/// A JSON document, ready to send as `application/json` (200, or the status given beside it:
/// `(status, body)`, as errors are).
#[derive(Debug, Clone)]
pub struct JsonBody {
    bytes: Bytes,
    length: HeaderValue,
}

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Headers a JSON answer has when it leaves the router: its type and length. Sized for the
/// ones the middleware then adds, the map is not grown (and rehashed) on the way out.
const RESPONSE_HEADERS: usize = 2 + crate::middleware::MOST_ADDED_HEADERS;

impl JsonBody {
    /// `bytes` must already be a JSON document.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        JsonBody {
            length: HeaderValue::from(bytes.len()),
            bytes,
        }
    }

    /// `value` serialized.
    pub fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, ApiError> {
        serde_json::to_vec(value)
            .map(JsonBody::new)
            .map_err(|err| ApiError::Internal(format!("response not serializable: {err}")))
    }
}

impl Deref for JsonBody {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl IntoResponse for JsonBody {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::with_capacity(RESPONSE_HEADERS);
        headers.insert(header::CONTENT_TYPE, JSON);
        headers.insert(header::CONTENT_LENGTH, self.length);
        let mut response = Response::new(axum::body::Body::from(self.bytes));
        *response.headers_mut() = headers;
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn the_answer_carries_its_type_and_exact_length() {
        let body = JsonBody::of(&serde_json::json!({"name": "Firebrand", "views": 12})).unwrap();
        assert_eq!(&body[..], br#"{"name":"Firebrand","views":12}"#);
        let response = body.clone().into_response();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["content-length"], "31");
        let sent = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(sent.len(), 31);
        assert_eq!(&sent[..], &body[..]);
        let empty = JsonBody::new(Bytes::new()).into_response();
        assert_eq!(empty.headers()["content-length"], "0");
    }
}
