//! The web client's cookie session (`/api/v1/auth/session`): the login answers the access
//! token in the body and the refresh token in an HttpOnly, SameSite=Strict cookie scoped to
//! the session routes; refresh rotates it with `/auth/refresh`'s reuse detection; logout
//! revokes it; the anti-forgery header is required; a wrong password counts toward the
//! lockout like `/auth/login`. On every backend.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp, PASSWORD};
use serde_json::{json, Value};

const SESSION: &str = "/api/v1/auth/session";
const REFRESH: &str = "/api/v1/auth/session/refresh";
const CLEARED: &str =
    "gw2opt_refresh=; HttpOnly; SameSite=Strict; Path=/api/v1/auth/session; Max-Age=0";

/// A session request: with the anti-forgery header unless `csrf` is `None`, the cookie when
/// given, a JSON body when given, from `address` (X-Forwarded-For) when given.
async fn call(
    app: &TestApp,
    method: Method,
    uri: &str,
    csrf: Option<&str>,
    cookie: Option<&str>,
    body: Option<Value>,
    address: Option<&str>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(csrf) = csrf {
        request = request.header("x-requested-with", csrf);
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(address) = address {
        request = request.header("x-forwarded-for", address);
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    };
    app.send(request.unwrap()).await
}

async fn login(app: &TestApp, username: &str, password: &str) -> Reply {
    call(
        app,
        Method::POST,
        SESSION,
        Some("gw2opt"),
        None,
        Some(json!({"username": username, "password": password})),
        None,
    )
    .await
}

async fn refresh(app: &TestApp, cookie: &str) -> Reply {
    call(
        app,
        Method::POST,
        REFRESH,
        Some("gw2opt"),
        Some(cookie),
        None,
        None,
    )
    .await
}

async fn logout(app: &TestApp, cookie: Option<&str>) -> Reply {
    call(
        app,
        Method::DELETE,
        SESSION,
        Some("gw2opt"),
        cookie,
        None,
        None,
    )
    .await
}

fn set_cookie(reply: &Reply) -> String {
    let all: Vec<_> = reply.headers.get_all("set-cookie").iter().collect();
    assert_eq!(all.len(), 1, "one Set-Cookie: {all:?}");
    all[0].to_str().unwrap().to_owned()
}

/// The refresh token the Set-Cookie carries, as a browser would send it back (`name=value`).
fn cookie_of(reply: &Reply) -> String {
    let header = set_cookie(reply);
    header.split(';').next().unwrap().to_owned()
}

fn token_of(cookie: &str) -> &str {
    cookie.strip_prefix("gw2opt_refresh=").unwrap()
}

/// Status of `/auth/me` with `access`.
async fn me(app: &TestApp, access: &str) -> StatusCode {
    app.get("/api/v1/auth/me", Some(access)).await.status
}

#[tokio::test]
async fn login_answers_the_access_token_and_sets_the_refresh_cookie() {
    for app in TestApp::all().await {
        app.user("browser").await;
        let reply = login(&app, "browser", PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", app.backend());
        assert_eq!(
            reply.headers.get("cache-control").unwrap(),
            "no-store",
            "token responses are not cached"
        );
        let cookie = set_cookie(&reply);
        let token = token_of(cookie.split(';').next().unwrap()).to_owned();
        assert_eq!(
            cookie,
            format!(
                "gw2opt_refresh={token}; HttpOnly; SameSite=Strict; Path=/api/v1/auth/session; Max-Age=604800"
            )
        );
        let body = reply.body;
        let fields: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, ["access_token", "expires_in", "token_type"]);
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 1800);
        assert_eq!(
            me(&app, body["access_token"].as_str().unwrap()).await,
            StatusCode::OK
        );
        // The cookie holds a real refresh token: the token endpoint takes it too.
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": token}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_service_is_served_over_tls() {
    for app in TestApp::all_with(|s| {
        s.public_url = "https://gw2opt.example".into();
        s.refresh_token_ttl = std::time::Duration::from_secs(3 * 24 * 3600);
    })
    .await
    {
        app.user("tls").await;
        let reply = login(&app, "tls", PASSWORD).await;
        let cookie = set_cookie(&reply);
        let token = token_of(cookie.split(';').next().unwrap()).to_owned();
        assert_eq!(
            cookie,
            format!(
                "gw2opt_refresh={token}; HttpOnly; SameSite=Strict; Secure; Path=/api/v1/auth/session; Max-Age=259200"
            )
        );
        let cleared = logout(&app, None).await;
        assert_eq!(
            set_cookie(&cleared),
            "gw2opt_refresh=; HttpOnly; SameSite=Strict; Secure; Path=/api/v1/auth/session; Max-Age=0"
        );
    }
}

#[tokio::test]
async fn refresh_rotates_the_cookie_and_a_replayed_one_ends_the_login() {
    for app in TestApp::all().await {
        app.user("rotor").await;
        let first = cookie_of(&login(&app, "rotor", PASSWORD).await);
        let reply = refresh(&app, &first).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", app.backend());
        assert_eq!(reply.headers.get("cache-control").unwrap(), "no-store");
        assert!(reply.body.get("refresh_token").is_none());
        let second = cookie_of(&reply);
        assert_ne!(second, first, "rotated");
        let access = reply.body["access_token"].as_str().unwrap().to_owned();
        assert_eq!(me(&app, &access).await, StatusCode::OK);

        // The old cookie again (a copy someone kept): refused and cleared, and the whole
        // login is revoked, as with /auth/refresh.
        let replay = refresh(&app, &first).await;
        assert_eq!(set_cookie(&replay), CLEARED);
        let (detail, _) = replay.expect_error(StatusCode::UNAUTHORIZED);
        assert!(detail.contains("already used"), "{detail}");
        let after = refresh(&app, &second).await;
        assert_eq!(set_cookie(&after), CLEARED);
        after.expect_error(StatusCode::UNAUTHORIZED);
        assert_eq!(me(&app, &access).await, StatusCode::UNAUTHORIZED);

        // Another login is another family, untouched.
        let other = cookie_of(&login(&app, "rotor", PASSWORD).await);
        assert_eq!(refresh(&app, &other).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn no_cookie_is_no_session_and_a_bad_one_is_a_401_that_clears_it() {
    for app in TestApp::all().await {
        // No session cookie (none, another cookie, an empty one): nothing to resume, 204
        // without a body or a Set-Cookie.
        for cookie in [None, Some("theme=dark"), Some("gw2opt_refresh=")] {
            let reply = call(
                &app,
                Method::POST,
                REFRESH,
                Some("gw2opt"),
                cookie,
                None,
                None,
            )
            .await;
            assert_eq!(reply.status, StatusCode::NO_CONTENT, "{cookie:?}");
            assert!(reply.headers.get("set-cookie").is_none(), "{cookie:?}");
        }
        for cookie in [Some("gw2opt_refresh=not-a-token")] {
            let reply = call(
                &app,
                Method::POST,
                REFRESH,
                Some("gw2opt"),
                cookie,
                None,
                None,
            )
            .await;
            assert_eq!(set_cookie(&reply), CLEARED, "{cookie:?}");
            let (_, code) = reply.expect_error(StatusCode::UNAUTHORIZED);
            assert_eq!(code, "unauthorized");
        }
        // An access token is not a refresh token.
        let (_, access, _) = app.user("mixup").await;
        let reply = refresh(&app, &format!("gw2opt_refresh={access}")).await;
        reply.expect_error(StatusCode::UNAUTHORIZED);
        // Among other cookies, the session's is found.
        let cookie = cookie_of(&login(&app, "mixup", PASSWORD).await);
        let reply = refresh(&app, &format!("theme=dark; {cookie}; lang=fr")).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn logout_revokes_the_login_and_clears_the_cookie() {
    for app in TestApp::all().await {
        app.user("leaver").await;
        let reply = login(&app, "leaver", PASSWORD).await;
        let cookie = cookie_of(&reply);
        let access = reply.body["access_token"].as_str().unwrap().to_owned();
        // A second login of the same account stays.
        let other = login(&app, "leaver", PASSWORD).await;
        let other_access = other.body["access_token"].as_str().unwrap().to_owned();

        let out = logout(&app, Some(&cookie)).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", app.backend());
        assert_eq!(set_cookie(&out), CLEARED);
        // The refresh token and the access tokens of that login are dead.
        refresh(&app, &cookie)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert_eq!(me(&app, &access).await, StatusCode::UNAUTHORIZED);
        assert_eq!(me(&app, &other_access).await, StatusCode::OK);

        // Without a cookie, or with a dead or foreign one: nothing to revoke, still 204.
        for cookie in [None, Some(cookie.as_str()), Some("gw2opt_refresh=garbage")] {
            let out = logout(&app, cookie).await;
            assert_eq!(out.status, StatusCode::NO_CONTENT, "{cookie:?}");
            assert_eq!(set_cookie(&out), CLEARED);
        }
    }
}

#[tokio::test]
async fn every_session_route_needs_the_anti_forgery_header() {
    for app in TestApp::all().await {
        app.user("forged").await;
        let cookie = cookie_of(&login(&app, "forged", PASSWORD).await);
        for csrf in [None, Some("XMLHttpRequest"), Some("GW2OPT "), Some("")] {
            for (method, uri, body) in [
                (
                    Method::POST,
                    SESSION,
                    Some(json!({"username": "forged", "password": PASSWORD})),
                ),
                (Method::POST, REFRESH, None),
                (Method::DELETE, SESSION, None),
            ] {
                let reply = call(&app, method.clone(), uri, csrf, Some(&cookie), body, None).await;
                assert!(reply.headers.get("set-cookie").is_none());
                let (detail, code) = reply.expect_error(StatusCode::FORBIDDEN);
                assert_eq!(code, "forbidden");
                assert!(
                    detail.contains("X-Requested-With: gw2opt"),
                    "{method} {uri}"
                );
            }
        }
        // Nothing happened: the cookie still works.
        assert_eq!(refresh(&app, &cookie).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_header_is_allowed_to_configured_origins_only() {
    let app = TestApp::sqlite_with(|s| s.cors_origins = vec!["http://localhost:5173".into()]).await;
    let preflight = |origin: &'static str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(SESSION)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,x-requested-with",
            )
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.send(preflight("http://localhost:5173")).await;
    assert_eq!(
        allowed.headers.get("access-control-allow-origin").unwrap(),
        "http://localhost:5173"
    );
    let headers = allowed
        .headers
        .get("access-control-allow-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(headers.contains("x-requested-with"), "{headers}");
    let foreign = app.send(preflight("https://evil.example")).await;
    assert!(foreign.headers.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_wrong_password_is_a_401_that_counts_toward_the_lockout() {
    for app in TestApp::all_with(|s| {
        s.login_rate_per_minute = 100_000;
        s.trust_forwarded_for = true;
    })
    .await
    {
        app.user("guarded").await;
        let attempt = |password: &'static str, address: &'static str| {
            call(
                &app,
                Method::POST,
                SESSION,
                Some("gw2opt"),
                None,
                Some(json!({"username": "guarded", "password": password})),
                Some(address),
            )
        };
        for _ in 0..5 {
            let reply = attempt("wrong password!", "198.51.100.1").await;
            assert!(reply.headers.get("set-cookie").is_none());
            let (detail, _) = reply.expect_error(StatusCode::UNAUTHORIZED);
            assert_eq!(detail, "incorrect username or password");
        }
        // That address now waits, on this route and on /auth/login alike.
        let reply = attempt(PASSWORD, "198.51.100.1").await;
        assert_eq!(reply.headers.get("retry-after").unwrap(), "30");
        assert!(reply.headers.get("set-cookie").is_none());
        reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        let request = Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .header("x-forwarded-for", "198.51.100.1")
            .body(Body::from(
                json!({"username": "guarded", "password": PASSWORD}).to_string(),
            ))
            .unwrap();
        app.send(request)
            .await
            .expect_error(StatusCode::TOO_MANY_REQUESTS);
        // The owner, elsewhere, logs in; the history shows the session route's attempts.
        let reply = attempt(PASSWORD, "198.51.100.2").await;
        assert_eq!(reply.status, StatusCode::OK);
        let access = reply.body["access_token"].as_str().unwrap().to_owned();
        let history = app
            .get("/api/v1/users/me/login-history?limit=100", Some(&access))
            .await
            .expect(StatusCode::OK);
        let reasons: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons.iter().filter(|r| **r == "bad_password").count(), 5);
        assert!(reasons.contains(&"throttled"), "{reasons:?}");
    }
}

#[tokio::test]
async fn the_login_body_is_checked_like_auth_login() {
    for app in TestApp::all().await {
        app.user("strict").await;
        let post = |body: Value| {
            call(
                &app,
                Method::POST,
                SESSION,
                Some("gw2opt"),
                None,
                Some(body),
                None,
            )
        };
        let (_, code) = post(json!({"username": "strict"}))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code, "validation_error");
        let reply =
            post(json!({"username": "strict", "password": PASSWORD, "remember": true})).await;
        reply.expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        let reply = post(
            json!({"username": "strict", "password": PASSWORD, "grant_type": "client_credentials"}),
        )
        .await;
        let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "grant_type");
        // The e-mail works as the login, as on /auth/login.
        let reply = post(json!({"email": "strict@example.com", "password": PASSWORD})).await;
        assert_eq!(reply.status, StatusCode::OK);
        // A form post (what a cross-site HTML form sends) is not JSON: refused.
        let request = Request::post(SESSION)
            .header("x-requested-with", "gw2opt")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("username=strict&password={PASSWORD}")))
            .unwrap();
        app.send(request)
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}
