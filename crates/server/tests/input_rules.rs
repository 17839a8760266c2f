//! The input rules every route shares, each shown by the attack or careless request that
//! used to get through, on every configured database: control characters in any text,
//! unknown JSON fields, one paging policy, bounded request ids, escaped markdown, and the
//! documented health paths.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn nul_and_control_characters_are_422_naming_the_field_everywhere() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("writer").await;
        // Each of these was a 500 on PostgreSQL (and silently stored on SQLite).
        let cases: Vec<(Method, &str, Option<serde_json::Value>, &str)> = vec![
            (
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"username": "writer\u{0}", "password": "x"})),
                "username",
            ),
            (
                Method::POST,
                "/api/v1/auth/forgot-password",
                Some(json!({"email": "a\u{0}@example.com"})),
                "email",
            ),
            (
                Method::GET,
                "/api/v1/builds?author=wri%00ter",
                None,
                "author",
            ),
            (Method::GET, "/api/v1/builds?tag=zerg%00", None, "tag"),
            (
                Method::PATCH,
                "/api/v1/users/me",
                Some(json!({"full_name": "Ann\u{0}"})),
                "full_name",
            ),
            (
                Method::PATCH,
                "/api/v1/users/me",
                Some(json!({"preferences": {"theme": "dark\u{0}"}})),
                "preferences.theme",
            ),
            (
                Method::POST,
                "/api/v1/teams",
                Some(json!({"name": "Team\u{0}", "game_mode": "wvw"})),
                "name",
            ),
            (
                Method::POST,
                "/api/v1/mcm/sessions",
                Some(json!({"name": "Reset\u{1b}[31m"})),
                "name",
            ),
            (
                Method::POST,
                "/api/v1/teams",
                Some(json!({"name": "T", "game_mode": "wvw",
                "slots": [{"party": 1, "position": 1, "player_name": "a\u{7}"}]})),
                "slots[0].player_name",
            ),
            // One line only outside prose fields.
            (
                Method::POST,
                "/api/v1/mcm/sessions",
                Some(json!({"name": "two\nlines"})),
                "name",
            ),
        ];
        for (method, uri, body, field) in cases {
            let reply = app.request(method.clone(), uri, body, Some(&token)).await;
            let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["field"], field, "{method} {uri}: {body}");
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("control character"),
                "{body}"
            );
        }
        // Prose keeps its paragraphs.
        let session = app
            .post(
                "/api/v1/mcm/sessions",
                json!({"name": "Reset night", "description": "EBG first,\n\tthen Desert BL"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(session["description"], "EBG first,\n\tthen Desert BL");
        // Nothing was stored by the refused requests.
        let teams = app
            .get("/api/v1/teams", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(teams["total"], 0);
    }
}

#[tokio::test]
async fn unknown_json_fields_are_422_naming_them() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("careless").await;
        // This team used to be created with no slots and no error.
        let reply = app
            .post(
                "/api/v1/teams",
                json!({"name": "Zerg", "game_mode": "wvw", "build_ids": ["00000000-0000-4000-8000-000000000000"], "team_size": 5}),
                Some(&token),
            )
            .await;
        let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "build_ids", "{body}");
        assert!(body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("unknown field"));
        let reply = app
            .post(
                "/api/v1/teams",
                json!({"name": "Zerg", "game_mode": "wvw", "slots": [{"party": 1, "position": 1, "build": "fb"}]}),
                Some(&token),
            )
            .await;
        assert_eq!(
            reply.expect(StatusCode::UNPROCESSABLE_ENTITY)["field"],
            "slots[0].build"
        );
        let teams = app
            .get("/api/v1/teams", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(teams["total"], 0, "nothing was created");
        // Build import: chat code form and JSON form are each checked.
        let reply = app
            .post(
                "/api/v1/builds/import",
                json!({"chat_code": "[&DQ==]", "nmae": "typo"}),
                Some(&token),
            )
            .await;
        assert_eq!(
            reply.expect(StatusCode::UNPROCESSABLE_ENTITY)["field"],
            "nmae"
        );
        // The OAuth2 form fields standard clients send in JSON are known, not rejected.
        let reply = app
            .post(
                "/api/v1/auth/login",
                json!({"username": "careless", "password": common::PASSWORD, "grant_type": "password", "scope": "", "client_id": "web"}),
                None,
            )
            .await;
        reply.expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn every_list_has_one_paging_policy() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("pager").await;
        app.state
            .accounts
            .create_superuser("root@example.com", "rooted", common::PASSWORD)
            .await
            .expect("superuser");
        let admin = app
            .login("rooted", common::PASSWORD)
            .await
            .expect(StatusCode::OK)["access_token"]
            .as_str()
            .expect("token")
            .to_owned();
        let lists = [
            ("/api/v1/builds", &token),
            ("/api/v1/teams", &token),
            ("/api/v1/mcm/fights", &token),
            ("/api/v1/mcm/sessions", &token),
            ("/api/v1/users/me/login-history", &token),
            ("/api/v1/admin/users", &admin),
        ];
        for (list, token) in lists {
            for bad in ["0", "101", "-1", "many"] {
                let reply = app.get(&format!("{list}?limit={bad}"), Some(token)).await;
                let body = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(body["field"], "limit", "{list}?limit={bad}: {body}");
            }
            let page = app
                .get(&format!("{list}?limit=100&skip=0"), Some(token))
                .await
                .expect(StatusCode::OK);
            assert_eq!(
                (page["skip"].as_i64(), page["limit"].as_i64()),
                (Some(0), Some(100)),
                "{list}"
            );
            assert!(
                page["items"].is_array() && page["total"].is_i64(),
                "{list}: {page}"
            );
            let page = app.get(list, Some(token)).await.expect(StatusCode::OK);
            assert_eq!(page["limit"], 20, "{list}: default");
        }
    }
}

#[tokio::test]
async fn request_ids_are_short_visible_ascii_or_replaced() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let send = |id: Vec<u8>| {
        let request = Request::builder()
            .uri("/health")
            .header(
                "x-request-id",
                axum::http::HeaderValue::from_bytes(&id).expect("header"),
            )
            .body(Body::empty())
            .expect("request");
        app.send(request)
    };
    let reply = send(b"trace-0123456789abcdef".to_vec()).await;
    assert_eq!(reply.headers["x-request-id"], "trace-0123456789abcdef");
    let reply = send(vec![b'a'; 128]).await;
    assert_eq!(reply.headers["x-request-id"].len(), 128);
    for bad in [
        vec![b'a'; 70 * 1024],
        vec![b'a'; 129],
        b"has space".to_vec(),
        "é".as_bytes().to_vec(),
    ] {
        let reply = send(bad.clone()).await;
        let echoed = reply.headers["x-request-id"].to_str().expect("ascii");
        assert_eq!(
            echoed.len(),
            36,
            "a generated UUID replaces {} bytes",
            bad.len()
        );
        assert!(uuid::Uuid::parse_str(echoed).is_ok(), "{echoed}");
    }
}

#[tokio::test]
async fn markdown_export_escapes_html_from_user_text() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("xss").await;
        let build = app
            .post(
                "/api/v1/builds",
                json!({"name": "<img src=x onerror=alert(1)>", "profession": "Guardian", "specialization": "Firebrand",
                       "game_mode": "wvw", "role": "support",
                       "description": "Stay on tag. <script>alert('x')</script>\n\n**Bold** stays markdown.",
                       "synergies": ["<b>Scourge</b>"], "tags": ["a`b"]}),
                Some(&token),
            )
            .await
            .expect(StatusCode::CREATED);
        let uri = format!(
            "/api/v1/builds/{}/export?format=markdown",
            build["id"].as_str().expect("id")
        );
        let reply = app.get(&uri, None).await;
        assert_eq!(reply.status, StatusCode::OK);
        let md = String::from_utf8_lossy(&reply.raw).into_owned();
        for raw in ["<img", "<script>", "<b>"] {
            assert!(!md.contains(raw), "raw HTML {raw:?} in:\n{md}");
        }
        for escaped in [
            "# &lt;img src=x onerror=alert(1)&gt;",
            "&lt;script&gt;",
            "- &lt;b&gt;Scourge&lt;/b&gt;",
            "**Bold** stays markdown.",
        ] {
            assert!(md.contains(escaped), "{escaped:?} missing from:\n{md}");
        }
    }
}

#[tokio::test]
async fn readiness_is_served_where_the_readme_says() {
    let app = TestApp::sqlite_with(|_| {}).await;
    for path in [
        "/health/ready",
        "/api/v1/health/ready",
        "/health",
        "/api/v1/health",
    ] {
        let body = app.get(path, None).await.expect(StatusCode::OK);
        assert!(body["status"].is_string(), "{path}: {body}");
    }
}
