//! Property tests: no login or registration input, however malformed, makes the service
//! panic or answer 5xx, on every configured database (PostgreSQL refuses what SQLite
//! stores, so both are driven).

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::TestApp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A runtime and one app per configured backend, built once per test and shared by its cases.
fn apps_and_runtime() -> (tokio::runtime::Runtime, Vec<TestApp>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let apps = rt.block_on(TestApp::all_with(|s| {
        s.login_rate_per_minute = 1_000_000;
        s.register_rate_per_hour = 1_000_000;
    }));
    (rt, apps)
}

fn check(
    rt: &tokio::runtime::Runtime,
    app: &TestApp,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Result<(), TestCaseError> {
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    let reply = rt.block_on(app.send(request));
    prop_assert!(
        reply.status.is_client_error() || reply.status.is_success(),
        "{uri}: {} {}",
        reply.status,
        String::from_utf8_lossy(&reply.raw)
    );
    if reply.status.is_client_error() {
        prop_assert!(
            reply.body["detail"].is_string() && reply.body["code"].is_string(),
            "error shape: {}",
            String::from_utf8_lossy(&reply.raw)
        );
    }
    Ok(())
}

/// Strings that stress validators: unicode, controls, huge, SQL and HTML fragments.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9_.@+-]{0,80}",
        Just("' OR 1=1 --".to_owned()),
        Just("<script>alert(1)</script>@x.com".to_owned()),
        Just("a@b.c\u{0}".to_owned()),
        Just("x".repeat(5000)),
        Just("ä@ü.de".to_owned()),
    ]
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn register_never_fails_on_the_server_side() {
    let (rt, apps) = apps_and_runtime();
    for app in &apps {
        let strategy = (nasty(), nasty(), nasty(), proptest::option::of(nasty()));
        runner()
            .run(&strategy, |(email, username, password, full_name)| {
                let body = serde_json::json!({"email": email, "username": username, "password": password, "full_name": full_name});
                check(&rt, app, "/api/v1/auth/register", "application/json", body.to_string().into_bytes())
            })
            .unwrap_or_else(|e| panic!("{:?}: {e}", app.backend()));
    }
}

#[test]
fn login_never_fails_on_the_server_side() {
    let (rt, apps) = apps_and_runtime();
    for app in &apps {
        let strategy = (
            nasty(),
            nasty(),
            proptest::collection::vec(any::<u8>(), 0..300),
        );
        runner()
            .run(&strategy, |(username, password, raw)| {
                let body = serde_json::json!({"username": username, "password": password});
                check(
                    &rt,
                    app,
                    "/api/v1/auth/login",
                    "application/json",
                    body.to_string().into_bytes(),
                )?;
                let form = format!(
                    "username={}&password={}",
                    urlencode(&username),
                    urlencode(&password)
                );
                check(
                    &rt,
                    app,
                    "/api/v1/auth/login",
                    "application/x-www-form-urlencoded",
                    form.into_bytes(),
                )?;
                check(
                    &rt,
                    app,
                    "/api/v1/auth/login",
                    "application/x-www-form-urlencoded",
                    raw.clone(),
                )?;
                check(
                    &rt,
                    app,
                    "/api/v1/auth/login",
                    "application/json",
                    raw.clone(),
                )?;
                check(&rt, app, "/api/v1/auth/register", "application/json", raw)
            })
            .unwrap_or_else(|e| panic!("{:?}: {e}", app.backend()));
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
