//! Security headers on every response (OWASP ASVS 4.0.3 §14.4, OWASP Secure Headers and
//! REST Security cheat sheets):
//!
//! - `X-Content-Type-Options: nosniff` (V14.4.4): a browser never guesses a JSON error or an
//!   export to be HTML or script;
//! - `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'` (V14.4.7): nothing of ours can
//!   be framed (clickjacking);
//! - `Referrer-Policy: no-referrer` (V14.4.6): URLs with tokens (the e-mail verification
//!   link) are never sent on to another site;
//! - `Content-Security-Policy` (V14.4.3): API responses get `default-src 'none'` (they are
//!   data, nothing in them may load or run); HTML pages set their own policy, which this
//!   layer leaves alone (the docs page allows exactly its inline script and style by hash);
//! - `Strict-Transport-Security` (V14.4.5) when the service is served over TLS, i.e. its
//!   public URL is `https://`, with the configured max-age.
//!
//! `Cache-Control: no-store` on token responses (RFC 6749 §5.1) is set by those handlers
//! (`http::auth::NoStore`).

//!
//! One layer sets them all: the headers are kept in one shared list and each response gets
//! them in one pass (tower-http's `SetResponseHeader`, one layer per header, cloned the whole
//! chain on every request).

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Request, Response};
use tower::{Layer, Service};

use super::response_headers::{EditHeaders, Edited};

use crate::config::Settings;

/// The policy of responses that do not set one: data only.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// How a header is set: only when the response lacks it, or always.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    IfNotPresent,
    Overriding,
}

#[derive(Clone)]
pub struct SecurityHeadersLayer {
    headers: Arc<[(HeaderName, HeaderValue, Mode)]>,
}

/// The layer adding the headers: nosniff, framing, referrer and CSP when the response does not
/// have them already, and HSTS when served over TLS.
pub fn security_headers(settings: &Settings) -> SecurityHeadersLayer {
    let mut headers = vec![
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
            Mode::IfNotPresent,
        ),
        (
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
            Mode::IfNotPresent,
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
            Mode::IfNotPresent,
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
            Mode::IfNotPresent,
        ),
    ];
    if let Some(value) = hsts(settings) {
        headers.push((header::STRICT_TRANSPORT_SECURITY, value, Mode::Overriding));
    }
    SecurityHeadersLayer {
        headers: headers.into(),
    }
}

impl<S> Layer<S> for SecurityHeadersLayer {
    type Service = SecurityHeaders<S>;
    fn layer(&self, inner: S) -> Self::Service {
        SecurityHeaders {
            inner,
            headers: self.headers.clone(),
        }
    }
}

#[derive(Clone)]
pub struct SecurityHeaders<S> {
    inner: S,
    headers: Arc<[(HeaderName, HeaderValue, Mode)]>,
}

impl<S, B, ResBody> Service<Request<B>> for SecurityHeaders<S>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Edited<S::Future, HeaderList>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        Edited::new(self.inner.call(request), HeaderList(self.headers.clone()))
    }
}

/// The list, written on one response.
pub struct HeaderList(Arc<[(HeaderName, HeaderValue, Mode)]>);

impl EditHeaders for HeaderList {
    fn apply(self, headers: &mut HeaderMap) {
        headers.reserve(self.0.len());
        for (name, value, mode) in self.0.iter() {
            match mode {
                // Whether the handler set it, by a scan of the response's few headers: cheaper
                // than a hashed look-up (the web pages set their own CSP; API answers none).
                Mode::IfNotPresent => {
                    if !headers.keys().any(|set| set == name) {
                        headers.append(name, value.clone());
                    }
                }
                Mode::Overriding => {
                    headers.insert(name, value.clone());
                }
            }
        }
    }
}

/// `max-age=N; includeSubDomains` when the public URL is https and the max-age not zero.
pub fn hsts(settings: &Settings) -> Option<HeaderValue> {
    let age = settings.hsts_max_age.as_secs();
    (settings.is_tls() && age > 0)
        .then(|| HeaderValue::from_str(&format!("max-age={age}; includeSubDomains")).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_over_tls() {
        let mut settings = Settings::default();
        assert_eq!(hsts(&settings), None, "http public URL");
        settings.public_url = "https://gw2opt.example".into();
        assert_eq!(
            hsts(&settings).unwrap(),
            "max-age=31536000; includeSubDomains"
        );
        settings.hsts_max_age = std::time::Duration::ZERO;
        assert_eq!(hsts(&settings), None, "switched off");
    }
}
