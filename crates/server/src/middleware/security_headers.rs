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
//!   data, nothing in them may load or run); HTML pages set their own policy, which is left
//!   alone (the docs page allows exactly its inline script and style by hash);
//! - `Strict-Transport-Security` (V14.4.5) when the service is served over TLS, i.e. its
//!   public URL is `https://`, with the configured max-age.
//!
//! `Cache-Control: no-store` on token responses (RFC 6749 §5.1) is set by those handlers
//! (`http::auth::NoStore`).
//!
//! They are written with the other headers every response carries, in one pass
//! (`common_headers`).

use axum::http::{header, HeaderName, HeaderValue};

use super::common_headers::Rule;
use crate::config::Settings;

/// The policy of responses that do not set one: data only.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The headers: nosniff, framing, referrer and CSP unless the response has its own, and HSTS
/// when served over TLS.
pub fn list(settings: &Settings) -> Vec<(HeaderName, HeaderValue, Rule)> {
    let mut headers = vec![
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
            Rule::UnlessSet,
        ),
        (
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
            Rule::UnlessSet,
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
            Rule::UnlessSet,
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
            Rule::UnlessSet,
        ),
    ];
    if let Some(value) = hsts(settings) {
        headers.push((header::STRICT_TRANSPORT_SECURITY, value, Rule::Replace));
    }
    headers
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
