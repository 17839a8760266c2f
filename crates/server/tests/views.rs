//! Build views count each viewer once per window: an anonymous client by its address (kept
//! as a keyed hash), a signed-in one by account; the author's own views never count. On each
//! database, the counts checked both in the answers and in the stored rows.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

fn public_build(name: &str) -> Value {
    json!({"name": name, "profession": "guardian", "specialization": "Firebrand", "game_mode": "wvw",
        "role": "support", "is_public": true})
}

/// Views the build from `address` (sent as `X-Forwarded-For`; the test apps trust it).
async fn view_from(app: &TestApp, uri: &str, address: &str, token: Option<&str>) -> Value {
    let mut request = Request::get(uri).header("x-forwarded-for", address);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    app.send(request.body(Body::empty()).unwrap())
        .await
        .expect(StatusCode::OK)
}

/// A new public build by a new author; returns (build URI, build id, author's token).
async fn build(app: &TestApp, author: &str) -> (String, uuid::Uuid, String) {
    let (_, token, _) = app.user(author).await;
    let b = app
        .post("/api/v1/builds", public_build(author), Some(&token))
        .await
        .expect(StatusCode::CREATED);
    let id: uuid::Uuid = b["id"].as_str().unwrap().parse().unwrap();
    (format!("/api/v1/builds/{id}"), id, token)
}

/// The stored count after writing what is pending.
async fn stored_views(app: &TestApp, id: uuid::Uuid) -> i64 {
    app.state.flush_views().await.unwrap();
    store::builds::by_id(&app.state.db, id)
        .await
        .unwrap()
        .unwrap()
        .views
}

async fn apps(window: Duration) -> Vec<TestApp> {
    TestApp::all_with(|s| {
        s.trust_forwarded_for = true;
        s.view_window = window;
    })
    .await
}

#[tokio::test]
async fn one_anonymous_client_counts_once_however_often_it_asks() {
    for app in apps(Duration::from_secs(3600)).await {
        let (uri, id, _) = build(&app, "reloaded").await;
        for _ in 0..10 {
            let b = view_from(&app, &uri, "198.51.100.7", None).await;
            assert_eq!(b["views"], 1, "{:?}", app.backend());
        }
        assert_eq!(stored_views(&app, id).await, 1, "{:?}", app.backend());
        // Written and cached again: still one.
        view_from(&app, &uri, "198.51.100.7", None).await;
        assert_eq!(stored_views(&app, id).await, 1);
    }
}

#[tokio::test]
async fn two_clients_count_two_and_an_ipv6_network_counts_once() {
    for app in apps(Duration::from_secs(3600)).await {
        let (uri, id, _) = build(&app, "twoviews").await;
        // Each answer shows the views so far, the new one included (a build's JSON is kept
        // rendered per view count: a new count is never answered with an old rendering).
        for round in 0..3 {
            let first = view_from(&app, &uri, "198.51.100.1", None).await;
            assert_eq!(first["views"], if round == 0 { 1 } else { 2 });
            let second = view_from(&app, &uri, "198.51.100.2", None).await;
            assert_eq!(second["views"], 2, "{:?}", app.backend());
        }
        assert_eq!(stored_views(&app, id).await, 2, "{:?}", app.backend());
        // Two addresses of one IPv6 /64 are one subscriber; another /64 is another viewer.
        view_from(&app, &uri, "2001:db8:5:6::1", None).await;
        view_from(&app, &uri, "2001:db8:5:6:ffff::2", None).await;
        view_from(&app, &uri, "2001:db8:5:7::1", None).await;
        assert_eq!(stored_views(&app, id).await, 4, "{:?}", app.backend());
    }
}

#[tokio::test]
async fn a_signed_in_viewer_counts_once_from_anywhere_and_the_author_never() {
    for app in apps(Duration::from_secs(3600)).await {
        let (uri, id, author) = build(&app, "authored").await;
        let (_, reader, _) = app.user("reader").await;
        for address in ["198.51.100.10", "198.51.100.11", "2001:db8::1"] {
            view_from(&app, &uri, address, Some(&reader)).await;
            view_from(&app, &uri, address, Some(&reader)).await;
        }
        assert_eq!(stored_views(&app, id).await, 1, "{:?}", app.backend());
        for address in ["198.51.100.20", "198.51.100.21"] {
            let b = view_from(&app, &uri, address, Some(&author)).await;
            assert_eq!(b["views"], 1, "the author's views do not count");
        }
        assert_eq!(stored_views(&app, id).await, 1);
    }
}

#[tokio::test]
async fn after_the_window_a_viewer_counts_again() {
    for app in apps(Duration::from_millis(300)).await {
        let (uri, id, _) = build(&app, "windowed").await;
        let (_, reader, _) = app.user("returning").await;
        view_from(&app, &uri, "198.51.100.30", None).await;
        view_from(&app, &uri, "198.51.100.31", Some(&reader)).await;
        view_from(&app, &uri, "198.51.100.30", None).await;
        view_from(&app, &uri, "198.51.100.31", Some(&reader)).await;
        assert_eq!(stored_views(&app, id).await, 2, "{:?}", app.backend());
        tokio::time::sleep(Duration::from_millis(450)).await;
        view_from(&app, &uri, "198.51.100.30", None).await;
        view_from(&app, &uri, "198.51.100.31", Some(&reader)).await;
        assert_eq!(stored_views(&app, id).await, 4, "{:?}", app.backend());
    }
}

#[tokio::test]
async fn concurrent_first_views_of_distinct_clients_all_count() {
    for app in apps(Duration::from_secs(3600)).await {
        let (uri, id, _) = build(&app, "crowded").await;
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let router = app.router.clone();
                let uri = uri.clone();
                tokio::spawn(async move {
                    use tower::ServiceExt;
                    // 20 clients, each asking twice at the same time.
                    let address = format!("203.0.113.{}", i % 20);
                    router
                        .oneshot(
                            Request::get(&uri)
                                .header("x-forwarded-for", address)
                                .body(Body::empty())
                                .unwrap(),
                        )
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), StatusCode::OK);
        }
        assert_eq!(stored_views(&app, id).await, 20, "{:?}", app.backend());
    }
}
