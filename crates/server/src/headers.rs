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

use axum::http::{header, HeaderValue};
use tower::layer::util::{Identity, Stack};
use tower::util::Either;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Settings;

/// The policy of responses that do not set one: data only.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

type Set = SetResponseHeaderLayer<HeaderValue>;
/// nosniff, framing, referrer, CSP, then HSTS when served over TLS.
type Layers =
    Stack<Either<Set, Identity>, Stack<Set, Stack<Set, Stack<Set, Stack<Set, Identity>>>>>;

/// The layer adding the headers (each only when the response does not have it already).
pub fn security_headers(settings: &Settings) -> ServiceBuilder<Layers> {
    ServiceBuilder::new()
        .layer(Set::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(Set::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(Set::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(Set::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        ))
        .option_layer(
            hsts(settings).map(|value| Set::overriding(header::STRICT_TRANSPORT_SECURITY, value)),
        )
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
