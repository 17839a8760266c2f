//! The OpenAPI document and a self-contained page that renders it for people. The page has
//! no external scripts or stylesheets, so it works offline and behind strict firewalls, and
//! its Content-Security-Policy allows exactly its own inline script and stylesheet (by
//! SHA-256, CSP Level 2 §4.2.4) and fetching the document from this origin: nothing
//! injected into it could run or load anything.

use std::sync::OnceLock;

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse};

const PAGE: &str = include_str!("docs.html");

pub async fn docs_page() -> impl IntoResponse {
    ([(header::CONTENT_SECURITY_POLICY, docs_csp())], Html(PAGE))
}

/// The docs page's policy, computed once from the page itself, so editing the page's
/// script or style cannot leave a stale hash behind.
pub fn docs_csp() -> HeaderValue {
    static CSP: OnceLock<HeaderValue> = OnceLock::new();
    CSP.get_or_init(|| {
        let scripts = inline_hashes(PAGE, "script");
        let styles = inline_hashes(PAGE, "style");
        let policy = format!(
            "default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; \
             img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        );
        HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static(crate::middleware::API_CSP))
    })
    .clone()
}

/// `'sha256-…'` sources for the text of every `<tag>…</tag>` element of `html` (elements
/// with attributes, e.g. `<script src=…>`, are not inline and are not listed).
pub fn inline_hashes(html: &str, tag: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut sources = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let body = &rest[start + open.len()..];
        let Some(end) = body.find(&close) else { break };
        let digest = Sha256::digest(&body.as_bytes()[..end]);
        sources.push(format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        ));
        rest = &body[end + close.len()..];
    }
    if sources.is_empty() {
        "'none'".to_owned()
    } else {
        sources.join(" ")
    }
}

/// Serves the pre-serialized document (built once at start-up).
pub fn openapi_json(
    document: bytes::Bytes,
) -> impl Fn() -> std::future::Ready<axum::response::Response> + Clone {
    move || {
        std::future::ready(
            (
                [(header::CONTENT_TYPE, "application/json")],
                document.clone(),
            )
                .into_response(),
        )
    }
}
