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

use crate::config::Settings;

/// The policy of responses that do not set one: data only.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// How many [`NAMES`] there are.
pub const COUNT: usize = 4;

/// The headers every response gets unless it set its own (HSTS apart: [`hsts`]).
pub const NAMES: [HeaderName; COUNT] = [
    header::X_CONTENT_TYPE_OPTIONS,
    header::X_FRAME_OPTIONS,
    header::REFERRER_POLICY,
    header::CONTENT_SECURITY_POLICY,
];

const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const DENY: HeaderValue = HeaderValue::from_static("DENY");
const NO_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");
const DATA_ONLY: HeaderValue = HeaderValue::from_static(API_CSP);

/// Writes [`NAMES`] with their values through `put`. The values are constants, so each
/// response gets copies made at compile time: no reference count, no validation.
#[inline]
pub fn each(mut put: impl FnMut(HeaderName, HeaderValue)) {
    put(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    put(header::X_FRAME_OPTIONS, DENY);
    put(header::REFERRER_POLICY, NO_REFERRER);
    put(header::CONTENT_SECURITY_POLICY, DATA_ONLY);
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
    fn each_writes_exactly_the_names_in_order() {
        let mut written = Vec::new();
        each(|name, value| written.push((name, value)));
        let names: Vec<&HeaderName> = written.iter().map(|(name, _)| name).collect();
        assert_eq!(names, NAMES.iter().collect::<Vec<_>>());
        assert_eq!(written[3].1, API_CSP);
    }

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
