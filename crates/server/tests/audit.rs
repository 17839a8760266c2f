//! The audit log (issue #22): security events and administrative actions written through
//! one service, listed for superusers only (`GET /api/v1/admin/audit`, filters and paging),
//! never holding a secret; on every configured database backend.

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, PASSWORD};
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "a brand new long passphrase";
const RESET_PASSWORD: &str = "plum tractor seventeen";
/// Typed as a login by someone without an account: it could be a password in the wrong
/// field, so it must not be kept.
const TYPED_LOGIN: &str = "my-secret-typed-in-the-wrong-field";

fn actions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

fn outbox_token(dir: &std::path::Path, marker: &str) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("outbox"))
        .expect("outbox")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let text = files
        .iter()
        .rev()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|t| t.contains(marker))
        .expect("mail");
    let text = text.replace("=\r\n", "").replace("=3D", "=");
    let start = text.find("token=").expect("token in mail") + 6;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn security_events_and_admin_actions_are_audited_for_superusers_only() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let root = app
            .state
            .accounts
            .create_superuser("root@example.com", "root", PASSWORD)
            .await
            .unwrap();
        let root_tokens = app.login("root", PASSWORD).await.expect(StatusCode::OK);
        let root_access = root_tokens["access_token"].as_str().unwrap().to_owned();
        let (alice_id, _, _) = app.user("alice").await;
        let (_, bob_access, _) = app.user("bob").await;
        let mut secrets = vec![
            root_access.clone(),
            root_tokens["refresh_token"].as_str().unwrap().to_owned(),
            bob_access.clone(),
        ];

        // Five wrong passwords lock this address out of alice's account; the sixth guess
        // is refused before it is checked.
        for _ in 0..5 {
            app.login("alice", "not alice's password")
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
        }
        app.login("alice", PASSWORD)
            .await
            .expect_error(StatusCode::TOO_MANY_REQUESTS);
        app.login(TYPED_LOGIN, "whatever it was")
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.state.clock.advance(chrono::Duration::seconds(31));

        // alice logs in, changes her password, deletes a build; root deletes another of hers.
        let tokens = app.login("alice", PASSWORD).await.expect(StatusCode::OK);
        let access = tokens["access_token"].as_str().unwrap().to_owned();
        app.post(
            "/api/v1/users/me/password",
            json!({"current_password": "wrong again", "new_password": NEW_PASSWORD}),
            Some(&access),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
        app.post(
            "/api/v1/users/me/password",
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
            Some(&access),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let tokens = app
            .login("alice", NEW_PASSWORD)
            .await
            .expect(StatusCode::OK);
        let access = tokens["access_token"].as_str().unwrap().to_owned();
        let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
        secrets.extend([access.clone(), refresh.clone()]);
        let build = json!({"name": "Audited", "profession": "Guardian", "game_mode": "wvw", "role": "support", "is_public": true});
        let own = app
            .post("/api/v1/builds", build.clone(), Some(&access))
            .await
            .expect(StatusCode::CREATED);
        let own_id = own["id"].as_str().unwrap().to_owned();
        app.request(
            Method::DELETE,
            &format!("/api/v1/builds/{own_id}"),
            None,
            Some(&access),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let other = app
            .post("/api/v1/builds", build, Some(&access))
            .await
            .expect(StatusCode::CREATED);
        let other_id = other["id"].as_str().unwrap().to_owned();
        app.request(
            Method::DELETE,
            &format!("/api/v1/builds/{other_id}"),
            None,
            Some(&root_access),
        )
        .await
        .expect(StatusCode::NO_CONTENT);

        // A reused refresh token, a logout, a reset by mail, and a superuser's flag change.
        let rotated = app
            .post(
                "/api/v1/auth/refresh",
                json!({"refresh_token": refresh}),
                None,
            )
            .await
            .expect(StatusCode::OK);
        secrets.push(rotated["refresh_token"].as_str().unwrap().to_owned());
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": refresh}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
        let tokens = app
            .login("alice", NEW_PASSWORD)
            .await
            .expect(StatusCode::OK);
        let access = tokens["access_token"].as_str().unwrap().to_owned();
        app.request(Method::POST, "/api/v1/auth/logout", None, Some(&access))
            .await
            .expect(StatusCode::NO_CONTENT);
        app.post(
            "/api/v1/auth/forgot-password",
            json!({"email": "alice@example.com"}),
            None,
        )
        .await
        .expect(StatusCode::ACCEPTED);
        app.state.background.drain().await;
        let reset = outbox_token(app.data_dir.path(), "reset-password");
        secrets.push(reset.clone());
        app.post(
            "/api/v1/auth/reset-password",
            json!({"token": reset, "new_password": RESET_PASSWORD}),
            None,
        )
        .await
        .expect(StatusCode::OK);
        app.request(
            Method::PATCH,
            &format!("/api/v1/admin/users/{alice_id}"),
            Some(json!({"is_active": false})),
            Some(&root_access),
        )
        .await
        .expect(StatusCode::OK);

        // Superusers only.
        app.get("/api/v1/admin/audit", None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let (_, code) = app
            .get("/api/v1/admin/audit", Some(&bob_access))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        assert_eq!(code, "forbidden");

        let all = app
            .get("/api/v1/admin/audit?limit=100", Some(&root_access))
            .await;
        let raw = String::from_utf8(all.raw.to_vec()).unwrap();
        let all = all.expect(StatusCode::OK);
        let names = actions(&all);
        assert_eq!(names[0], "user.flags_changed", "newest first ({backend})");
        for expected in [
            "user.superuser_created",
            "login.succeeded",
            "login.failed",
            "login.locked",
            "login.throttled",
            "password.check_failed",
            "password.changed",
            "build.deleted",
            "token.reuse_detected",
            "token.revoked",
            "password.reset",
            "user.flags_changed",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert_eq!(all["total"].as_i64().unwrap() as usize, names.len());
        for secret in secrets.iter().map(String::as_str).chain([
            PASSWORD,
            NEW_PASSWORD,
            RESET_PASSWORD,
            TYPED_LOGIN,
            "not alice's password",
            "whatever it was",
        ]) {
            assert!(
                !raw.contains(secret),
                "a secret in the audit log ({backend})"
            );
        }

        let entry = |action: &str, pick: &dyn Fn(&Value) -> bool| -> Value {
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["action"] == action && pick(e))
                .unwrap_or_else(|| panic!("{action} in {names:?}"))
                .clone()
        };
        let flags = entry("user.flags_changed", &|_| true);
        assert_eq!(flags["actor_name"], "root");
        assert_eq!(flags["actor_id"], root.id.to_string());
        assert_eq!(flags["target_type"], "user");
        assert_eq!(flags["target_id"], alice_id.as_str());
        assert_eq!(flags["detail"]["is_active"], false);
        let by_root = entry("build.deleted", &|e| e["target_id"] == other_id.as_str());
        assert_eq!(by_root["actor_name"], "root");
        assert_eq!(by_root["detail"]["owner_id"], alice_id.as_str());
        assert_eq!(by_root["detail"]["as_superuser"], true);
        let by_alice = entry("build.deleted", &|e| e["target_id"] == own_id.as_str());
        assert_eq!(by_alice["detail"]["as_superuser"], false);
        let locked = entry("login.locked", &|_| true);
        assert_eq!(locked["detail"]["scope"], "address");
        assert_eq!(locked["detail"]["seconds"], 30);
        assert_eq!(locked["actor_name"], "alice");
        let unknown = entry("login.failed", &|e| e["detail"]["reason"] == "unknown_user");
        assert_eq!(unknown["actor_id"], Value::Null);
        let revoked = entry("token.revoked", &|_| true);
        assert_eq!(revoked["detail"]["reason"], "logout");
        assert_eq!(revoked["target_type"], "token_family");

        // Filters: an action, a prefix, an actor by name or id, a time; and paging.
        let failed = app
            .get(
                "/api/v1/admin/audit?action=login.failed&limit=100",
                Some(&root_access),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            failed["total"], 6,
            "five wrong passwords and one unknown account"
        );
        assert!(actions(&failed).iter().all(|a| a == "login.failed"));
        let logins = app
            .get(
                "/api/v1/admin/audit?action=login.&limit=100",
                Some(&root_access),
            )
            .await
            .expect(StatusCode::OK);
        assert!(actions(&logins).iter().all(|a| a.starts_with("login.")));
        assert!(logins["total"].as_i64().unwrap() > failed["total"].as_i64().unwrap());
        let by_name = app
            .get(
                "/api/v1/admin/audit?actor=ALICE&limit=100",
                Some(&root_access),
            )
            .await
            .expect(StatusCode::OK);
        let by_id = app
            .get(
                &format!("/api/v1/admin/audit?actor={alice_id}&limit=100"),
                Some(&root_access),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(by_name["total"], by_id["total"]);
        assert!(by_id["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor_id"] == alice_id.as_str()));
        assert!(actions(&by_id).contains(&"password.changed".to_owned()));
        let later = app
            .get(
                "/api/v1/admin/audit?since=2999-01-01T00:00:00Z",
                Some(&root_access),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(later["total"], 0);
        let earlier = app
            .get(
                "/api/v1/admin/audit?since=2000-01-01T00:00:00%2B02:00&limit=1",
                Some(&root_access),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(earlier["total"], all["total"]);
        assert_eq!(earlier["items"].as_array().unwrap().len(), 1);
        let page2 = app
            .get("/api/v1/admin/audit?skip=1&limit=1", Some(&root_access))
            .await
            .expect(StatusCode::OK);
        assert_eq!(page2["items"][0]["id"], all["items"][1]["id"]);
        let bad = app
            .get("/api/v1/admin/audit?since=yesterday", Some(&root_access))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["field"], "since");
        app.get("/api/v1/admin/audit?limit=101", Some(&root_access))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn an_account_deletion_outlives_the_account_in_the_log() {
    for app in TestApp::all().await {
        app.state
            .accounts
            .create_superuser("boss@example.com", "boss", PASSWORD)
            .await
            .unwrap();
        let boss = app.login("boss", PASSWORD).await.expect(StatusCode::OK);
        let boss = boss["access_token"].as_str().unwrap().to_owned();
        let (carol_id, carol, _) = app.user("carol").await;
        app.request(
            Method::DELETE,
            "/api/v1/users/me",
            Some(json!({"password": PASSWORD})),
            Some(&carol),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let page = app
            .get("/api/v1/admin/audit?action=account.deleted", Some(&boss))
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["actor_id"], carol_id.as_str());
        assert_eq!(page["items"][0]["actor_name"], "carol");
        assert_eq!(page["items"][0]["ip"], "203.0.113.7");
    }
}
