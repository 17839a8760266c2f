//! Security headers on every response (ASVS 4.0.3 §14.4), the docs page's policy against
//! its own script, HSTS only over TLS, and `no-store` on token responses (RFC 6749 §5.1).

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, PASSWORD};
use serde_json::json;

fn header<'a>(reply: &'a common::Reply, name: &str) -> Option<&'a str> {
    reply.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let (_, access, _) = app.user("headed").await;
    let replies = [
        app.get("/health", None).await,
        app.get("/api/v1/auth/me", Some(&access)).await,
        app.get("/api/v1/auth/me", None).await,       // 401
        app.get("/api/v1/no-such-route", None).await, // 404
        app.request(Method::DELETE, "/health", None, None).await, // 405
        app.raw(
            Method::POST,
            "/api/v1/auth/register",
            Some("application/json"),
            "{",
        )
        .await, // 400
        app.get("/api/v1/openapi.json", None).await,
        app.get("/docs", None).await,
    ];
    for reply in &replies {
        assert_eq!(
            header(reply, "x-content-type-options"),
            Some("nosniff"),
            "{}",
            reply.status
        );
        assert_eq!(header(reply, "x-frame-options"), Some("DENY"));
        assert_eq!(header(reply, "referrer-policy"), Some("no-referrer"));
        let csp = header(reply, "content-security-policy").expect("CSP");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert_eq!(
            header(reply, "strict-transport-security"),
            None,
            "not over TLS"
        );
    }
    // Data responses may load and run nothing.
    assert_eq!(
        header(&replies[1], "content-security-policy"),
        Some(server::middleware::API_CSP)
    );
}

#[tokio::test]
async fn the_docs_page_policy_allows_exactly_its_own_inline_script_and_style() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let app = TestApp::sqlite_with(|_| {}).await;
    let reply = app.get("/docs", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(header(&reply, "content-type")
        .unwrap()
        .starts_with("text/html"));
    let page = String::from_utf8(reply.raw.to_vec()).unwrap();
    let csp = header(&reply, "content-security-policy")
        .unwrap()
        .to_owned();
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in {csp}"))
            .to_owned()
    };
    // Every inline <script>/<style> of the served page is allowed by its hash, and nothing
    // else: no 'unsafe-inline', no other origin.
    for tag in ["script", "style"] {
        let open = format!("<{tag}>");
        let start = page.find(&open).unwrap() + open.len();
        let end = start + page[start..].find(&format!("</{tag}>")).unwrap();
        let hash =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&page[start..end]));
        let allowed = directive(&format!("{tag}-src"));
        assert_eq!(allowed, format!("{tag}-src 'sha256-{hash}'"));
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert!(
        !page.contains("<script src") && !page.contains("<link"),
        "no external resources"
    );
    // It fetches the document from this origin, which the policy allows.
    assert!(page.contains("fetch(\"/api/v1/openapi.json\")"));
    assert_eq!(directive("connect-src"), "connect-src 'self'");
}

#[tokio::test]
async fn hsts_only_when_served_over_tls() {
    let tls = TestApp::sqlite_with(|s| s.public_url = "https://gw2opt.example".into()).await;
    for reply in [
        tls.get("/health", None).await,
        tls.get("/api/v1/nope", None).await,
    ] {
        assert_eq!(
            header(&reply, "strict-transport-security"),
            Some("max-age=31536000; includeSubDomains")
        );
    }
    let off = TestApp::sqlite_with(|s| {
        s.public_url = "https://gw2opt.example".into();
        s.hsts_max_age = std::time::Duration::ZERO;
    })
    .await;
    assert_eq!(
        header(&off.get("/health", None).await, "strict-transport-security"),
        None
    );
}

#[tokio::test]
async fn token_responses_are_never_cached() {
    for app in TestApp::all().await {
        app.user("cached").await;
        let form = format!(
            "grant_type=password&username=cached&password={}",
            PASSWORD.replace(' ', "+")
        );
        let login = app.login("cached", PASSWORD).await;
        let token = app
            .raw(
                Method::POST,
                "/api/v1/auth/token",
                Some("application/x-www-form-urlencoded"),
                form,
            )
            .await;
        let refresh = app
            .post(
                "/api/v1/auth/refresh",
                json!({"refresh_token": login.body["refresh_token"]}),
                None,
            )
            .await;
        for reply in [&login, &token, &refresh] {
            assert_eq!(reply.status, StatusCode::OK, "{}", app.backend());
            assert_eq!(header(reply, "cache-control"), Some("no-store"));
            assert_eq!(header(reply, "pragma"), Some("no-cache"));
        }
    }
}
