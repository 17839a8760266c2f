//! The hot reads (`server::http::hot_reads`) answer exactly as the router does: the same
//! requests, sent through the service as it runs and through the same service with every
//! request routed by axum, get the same status, headers and body, on every available backend.

mod common;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use common::TestApp;
use serde_json::json;
use tower::ServiceExt;

/// Status, headers (but the per-response request id and date) and body of `request`.
async fn answer(
    router: &Router,
    request: Request<Body>,
) -> (StatusCode, Vec<(String, String)>, bytes::Bytes) {
    let reply = common::send_to(router, request).await;
    (reply.status, comparable(&reply.headers), reply.raw)
}

fn comparable(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| {
            (
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    kept.sort();
    kept
}

fn request(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn hot_reads_answer_as_the_router_does() {
    for app in TestApp::all().await {
        let routed = Router::new()
            .fallback_service(server::app::service_through_router(app.state.clone()))
            .layer(MockConnectInfo(common::PEER));
        let (_, owner, _) = app.user("hotowner").await;
        let (_, other, _) = app.user("hotother").await;
        let build = |public: bool, name: &'static str| {
            let body = json!({"name": name, "profession": "Guardian", "specialization": "Firebrand",
                "game_mode": "wvw", "role": "support", "is_public": public});
            let app = &app;
            let owner = owner.clone();
            async move {
                app.post("/api/v1/builds", body, Some(&owner))
                    .await
                    .expect(StatusCode::CREATED)["id"]
                    .as_str()
                    .expect("id")
                    .to_owned()
            }
        };
        let public = build(true, "Hot public").await;
        let private = build(false, "Hot private").await;
        let slots = json!([{"build_id": public, "party": 1, "position": 1, "player_name": "lead"}]);
        let mut teams = Vec::new();
        for is_public in [true, false] {
            let team = app
                .post(
                    "/api/v1/teams",
                    json!({"name": "Hot squad", "game_mode": "wvw", "is_public": is_public, "slots": slots}),
                    Some(&owner),
                )
                .await
                .expect(StatusCode::CREATED);
            teams.push(team["id"].as_str().expect("team id").to_owned());
        }
        let missing = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let owner_auth = format!("Bearer {owner}");
        let other_auth = format!("Bearer {other}");
        let bearers: [&[(&str, &str)]; 6] = [
            &[],
            &[("authorization", &owner_auth)],
            &[("authorization", &other_auth)],
            &[("authorization", "Bearer not.a.token")],
            &[("authorization", "Basic aG90OnJlYWRz")],
            &[
                ("authorization", &owner_auth),
                ("accept-encoding", "gzip"),
                ("origin", "https://example.com"),
            ],
        ];
        let mut uris = vec![
            "/health".to_owned(),
            "/api/v1/health".to_owned(),
            "/api/v1/auth/me".to_owned(),
            "/api/v1/builds".to_owned(),
            "/api/v1/builds?profession=guardian&game_mode=wvw&sort=top&limit=20".to_owned(),
            "/api/v1/builds?limit=abc".to_owned(),
            "/api/v1/builds?sort=sideways".to_owned(),
            "/api/v1/builds?search=%00".to_owned(),
            format!("/api/v1/builds/{missing}"),
            format!("/api/v1/teams/{missing}"),
        ];
        for (kind, id) in [
            ("builds", &public),
            ("builds", &private),
            ("teams", &teams[0]),
            ("teams", &teams[1]),
        ] {
            uris.push(format!("/api/v1/{kind}/{id}"));
            uris.push(format!("/api/v1/{kind}/{}", id.to_uppercase()));
            uris.push(format!("/api/v1/{kind}/{}", id.replace('-', "")));
            uris.push(format!("/api/v1/{kind}/{id}?ignored=1"));
        }
        let mut compared = 0;
        for uri in &uris {
            for headers in bearers {
                for forwarded in [None, Some("198.51.100.4")] {
                    let mut headers = headers.to_vec();
                    if let Some(address) = forwarded {
                        headers.push(("x-forwarded-for", address));
                    }
                    // Hot first, then routed: a build's first view by a viewer counts, and the
                    // second, by the same viewer, shows the same count.
                    let hot = answer(&app.router, request(uri, &headers)).await;
                    let through_router = answer(&routed, request(uri, &headers)).await;
                    assert_eq!(
                        hot,
                        through_router,
                        "{uri} {headers:?} ({:?})",
                        app.backend()
                    );
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, uris.len() * bearers.len() * 2);
        // The comparison saw what each kind of answer looks like, not only errors.
        let owner_only: &[(&str, &str)] = &[("authorization", &owner_auth)];
        let other_only: &[(&str, &str)] = &[("authorization", &other_auth)];
        for (uri, headers, status) in [
            ("/api/v1/auth/me".to_owned(), owner_only, StatusCode::OK),
            (
                "/api/v1/auth/me".to_owned(),
                &[][..],
                StatusCode::UNAUTHORIZED,
            ),
            (
                format!("/api/v1/builds/{private}"),
                owner_only,
                StatusCode::OK,
            ),
            (
                format!("/api/v1/builds/{private}"),
                other_only,
                StatusCode::FORBIDDEN,
            ),
            (
                format!("/api/v1/teams/{}", teams[0]),
                &[][..],
                StatusCode::OK,
            ),
            (
                format!("/api/v1/builds/{missing}"),
                &[][..],
                StatusCode::NOT_FOUND,
            ),
            (
                "/api/v1/builds?limit=abc".to_owned(),
                &[][..],
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            let (seen, _, _) = answer(&app.router, request(&uri, headers)).await;
            assert_eq!(seen, status, "{uri} {headers:?}");
        }
    }
}

/// The layer answers the hot reads itself and passes everything else on (here to a service
/// that answers 418 to all).
#[tokio::test]
async fn hot_reads_never_reach_the_router() {
    use axum::response::{IntoResponse, Response};
    use server::http::hot_reads::HotReadsLayer;
    use tower::Layer;

    let app = TestApp::sqlite_with(|_| {}).await;
    let teapot = tower::service_fn(|_: Request<Body>| async {
        Ok::<Response, std::convert::Infallible>(StatusCode::IM_A_TEAPOT.into_response())
    });
    let service = HotReadsLayer::new(app.state.clone()).layer(teapot);
    let missing = "0f8fad5b-d9cb-469f-a165-70867728950e";
    for (method, uri, status) in [
        ("GET", "/health".to_owned(), StatusCode::OK),
        (
            "GET",
            "/api/v1/auth/me".to_owned(),
            StatusCode::UNAUTHORIZED,
        ),
        ("GET", "/api/v1/builds".to_owned(), StatusCode::OK),
        (
            "GET",
            format!("/api/v1/builds/{missing}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "GET",
            format!("/api/v1/teams/{missing}"),
            StatusCode::NOT_FOUND,
        ),
        ("HEAD", "/health".to_owned(), StatusCode::IM_A_TEAPOT),
        ("POST", "/api/v1/builds".to_owned(), StatusCode::IM_A_TEAPOT),
        (
            "GET",
            format!("/api/v1/builds/{missing}/export"),
            StatusCode::IM_A_TEAPOT,
        ),
        (
            "GET",
            "/api/v1/builds/not-an-id".to_owned(),
            StatusCode::IM_A_TEAPOT,
        ),
        ("GET", "/health/ready".to_owned(), StatusCode::IM_A_TEAPOT),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(&uri)
            .body(Body::empty())
            .expect("request");
        let response = service.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), status, "{method} {uri}");
    }
    // And with the layer off, all of them reach the service behind it.
    let off = HotReadsLayer::off().layer(tower::service_fn(|_: Request<Body>| async {
        Ok::<Response, std::convert::Infallible>(StatusCode::IM_A_TEAPOT.into_response())
    }));
    let response = off
        .oneshot(request("/health", &[]))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
}
