//! Accounts and security through the real router, on every available backend.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn register_login_me_refresh_logout() {
    for app in TestApp::all().await {
        let body = json!({"email": "Ann@Example.com", "username": "ann", "password": PASSWORD, "full_name": "Ann Thrope"});
        let user = app
            .post("/api/v1/auth/register", body, None)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(user["username"], "ann");
        assert_eq!(user["is_verified"], false);
        assert!(
            user.get("hashed_password").is_none() && !user.to_string().contains("argon2"),
            "never the hash"
        );

        // JSON login by e-mail (any case) and form login by username.
        let tokens = app
            .login("ann@example.com", PASSWORD)
            .await
            .expect(StatusCode::OK);
        assert_eq!(tokens["token_type"], "bearer");
        assert_eq!(tokens["expires_in"], 1800);
        let form = app
            .raw(
                Method::POST,
                "/api/v1/auth/login",
                Some("application/x-www-form-urlencoded"),
                format!(
                    "grant_type=password&username=ANN&password={}",
                    PASSWORD.replace(' ', "+")
                ),
            )
            .await
            .expect(StatusCode::OK);
        let access = form["access_token"].as_str().unwrap();
        let me = app
            .get("/api/v1/auth/me", Some(access))
            .await
            .expect(StatusCode::OK);
        assert_eq!(me["email"], "Ann@Example.com");
        assert_eq!(
            app.get("/api/v1/users/me", Some(access))
                .await
                .expect(StatusCode::OK)["id"],
            user["id"]
        );

        // Rotation: the new pair works, the old refresh token is dead.
        let refresh = tokens["refresh_token"].as_str().unwrap();
        let rotated = app
            .post(
                "/api/v1/auth/refresh",
                json!({"refresh_token": refresh}),
                None,
            )
            .await
            .expect(StatusCode::OK);
        let new_refresh = rotated["refresh_token"].as_str().unwrap();
        assert_ne!(new_refresh, refresh);
        app.get(
            "/api/v1/auth/me",
            Some(rotated["access_token"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);

        // Logout revokes.
        app.post(
            "/api/v1/auth/logout",
            json!({"refresh_token": new_refresh}),
            None,
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": new_refresh}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn registration_rules_and_clashes() {
    for app in TestApp::all().await {
        app.user("bob").await;
        let clash = |email: &str, username: &str| json!({"email": email, "username": username, "password": PASSWORD});
        let (detail, _) = app
            .post(
                "/api/v1/auth/register",
                clash("BOB@example.com", "other"),
                None,
            )
            .await
            .expect_error(StatusCode::CONFLICT);
        assert!(detail.contains("email"), "{detail}");
        let (detail, _) = app
            .post(
                "/api/v1/auth/register",
                clash("new@example.com", "BoB"),
                None,
            )
            .await
            .expect_error(StatusCode::CONFLICT);
        assert!(detail.contains("username"), "{detail}");

        let cases = [
            (
                json!({"email": "not-an-email", "username": "carl", "password": PASSWORD}),
                "email",
            ),
            (
                json!({"email": "c@example.com", "username": "c", "password": PASSWORD}),
                "username",
            ),
            (
                json!({"email": "c@example.com", "username": "carl <script>", "password": PASSWORD}),
                "username",
            ),
            (
                json!({"email": "c@example.com", "username": "carl", "password": "short"}),
                "password",
            ),
            (
                json!({"email": "c@example.com", "username": "carl", "password": "carl-is-my-password"}),
                "password",
            ),
        ];
        for (body, field) in cases {
            let reply = app.post("/api/v1/auth/register", body.clone(), None).await;
            let err = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], field, "{body}: {err}");
        }
    }
}

#[tokio::test]
async fn token_attacks_are_all_401_never_500() {
    for app in TestApp::all().await {
        let (user_id, access, refresh) = app.user("victim").await;
        let me = "/api/v1/auth/me";
        app.get(me, None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.get(me, Some("garbage"))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let basic = Request::get(me)
            .header("authorization", "Basic dXNlcjpwYXNz")
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.send(basic).await.status, StatusCode::UNAUTHORIZED);

        // Refresh token used as an access token, and the reverse.
        app.get(me, Some(&refresh))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": access}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);

        // Signed with another key.
        let id: uuid::Uuid = user_id.parse().unwrap();
        let other = server::auth::jwt::TokenKeys::new("some-other-secret-key-of-sufficient-length");
        let forged = other.issue(
            id,
            server::auth::jwt::TokenType::Access,
            uuid::Uuid::new_v4(),
            chrono::Utc::now(),
            std::time::Duration::from_secs(600),
        );
        app.get(me, Some(&forged))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);

        // Expired (issued two hours ago for 30 minutes), with the right key.
        let keys = &app.state.keys;
        let expired = keys.issue(
            id,
            server::auth::jwt::TokenType::Access,
            uuid::Uuid::new_v4(),
            chrono::Utc::now() - chrono::Duration::hours(2),
            std::time::Duration::from_secs(1800),
        );
        let (detail, _) = app
            .get(me, Some(&expired))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert!(detail.contains("expired"), "{detail}");

        // `alg: none` with the same claims.
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let claims = access.split('.').nth(1).unwrap();
        let none = format!(
            "{}.{}.",
            b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
            claims
        );
        app.get(me, Some(&none))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        // Tampered payload, original signature.
        let mut parts: Vec<String> = access.split('.').map(str::to_owned).collect();
        let payload = String::from_utf8(b64.decode(&parts[1]).unwrap())
            .unwrap()
            .replace(&user_id, &uuid::Uuid::new_v4().to_string());
        parts[1] = b64.encode(payload);
        app.get(me, Some(&parts.join(".")))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);

        // Still valid before the account changes.
        app.get(me, Some(&access)).await.expect(StatusCode::OK);

        // Inactive user: tokens stop working and login is refused.
        store::users::admin_update(&app.state.db, id, Some(false), None, store::now())
            .await
            .unwrap();
        // A change made outside this instance's services is announced on the event bus
        // (as another instance does); without the announcement it shows within USER_TTL.
        app.state.hot.user_changed(id).await;
        app.get(me, Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.login("victim", PASSWORD)
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": refresh}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);

        // Deleted user.
        store::users::delete(&app.state.db, id).await.unwrap();
        app.state.hot.user_changed(id).await;
        let (detail, _) = app
            .get(me, Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert!(detail.contains("no longer exists"), "{detail}");
    }
}

#[tokio::test]
async fn refresh_reuse_revokes_the_whole_family() {
    for app in TestApp::all().await {
        let (_, _, first) = app.user("rotator").await;
        let second = app
            .post(
                "/api/v1/auth/refresh",
                json!({"refresh_token": first}),
                None,
            )
            .await
            .expect(StatusCode::OK);
        let second = second["refresh_token"].as_str().unwrap().to_owned();
        // A thief replays the first token: refused, and the legitimate second one dies too.
        let (detail, _) = app
            .post(
                "/api/v1/auth/refresh",
                json!({"refresh_token": first}),
                None,
            )
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert!(detail.contains("already used"), "{detail}");
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": second}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
        // Another login (another family) is unaffected.
        let other = app.login("rotator", PASSWORD).await.expect(StatusCode::OK);
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": other["refresh_token"]}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn five_failures_lock_for_fifteen_minutes() {
    for app in TestApp::all().await {
        app.user("target").await;
        for _ in 0..5 {
            let (detail, _) = app
                .login("target", "wrong password!")
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
            assert_eq!(detail, "incorrect username or password");
        }
        // Locked: even the right password is refused, with a clear detail.
        let (detail, code) = app
            .login("target", PASSWORD)
            .await
            .expect_error(StatusCode::LOCKED);
        assert_eq!(code, "account_locked");
        assert!(detail.contains("15 more minute"), "{detail}");

        app.state.clock.advance(chrono::Duration::minutes(14));
        app.login("target", PASSWORD)
            .await
            .expect_error(StatusCode::LOCKED);
        app.state.clock.advance(chrono::Duration::minutes(2));
        app.login("target", PASSWORD).await.expect(StatusCode::OK);

        // Success reset the counter: four new failures do not lock.
        for _ in 0..4 {
            app.login("target", "wrong password!")
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
        }
        app.login("target", PASSWORD).await.expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn unknown_users_and_wrong_passwords_look_the_same() {
    let app = TestApp::sqlite_with(|_| {}).await;
    app.user("known").await;
    let a = app.login("known", "wrong password!").await;
    let b = app.login("nobody-here", "wrong password!").await;
    assert_eq!(a.status, b.status);
    assert_eq!(a.body, b.body);
}

#[tokio::test]
async fn concurrent_wrong_logins_count_every_failure() {
    for app in TestApp::all_with(|s| s.login_rate_per_minute = 1000).await {
        let (user_id, _, _) = app.user("hammered").await;
        let attempts: Vec<_> = (0..12)
            .map(|_| {
                let router = app.router.clone();
                tokio::spawn(async move {
                    use tower::ServiceExt;
                    let request = Request::post("/api/v1/auth/login")
                        .header("content-type", "application/json")
                        .body(Body::from(
                            json!({"username": "hammered", "password": "wrong password!"})
                                .to_string(),
                        ))
                        .unwrap();
                    router.oneshot(request).await.unwrap().status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for a in attempts {
            statuses.push(a.await.unwrap());
        }
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::LOCKED),
            "{statuses:?}"
        );
        let user = store::users::by_id(&app.state.db, user_id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        let unauthorized = statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count() as i32;
        assert_eq!(
            user.failed_login_attempts,
            unauthorized,
            "{}: each checked failure counted once",
            app.backend()
        );
        assert!(user.locked_until.is_some());
    }
}

#[tokio::test]
async fn login_and_register_are_rate_limited_per_ip() {
    let app = TestApp::sqlite_with(|s| {
        s.login_rate_per_minute = 3;
        s.register_rate_per_hour = 2;
    })
    .await;
    for _ in 0..3 {
        app.login("nobody", "whatever-password")
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
    }
    let reply = app.login("nobody", "whatever-password").await;
    let retry: u64 = reply
        .headers
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    let (_, code) = reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(code, "rate_limited");

    let reg = |n: u32| json!({"email": format!("u{n}@example.com"), "username": format!("user{n}"), "password": PASSWORD});
    app.post("/api/v1/auth/register", reg(1), None)
        .await
        .expect(StatusCode::CREATED);
    app.post("/api/v1/auth/register", reg(2), None)
        .await
        .expect(StatusCode::CREATED);
    app.post("/api/v1/auth/register", reg(3), None)
        .await
        .expect_error(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn login_history_records_every_attempt() {
    for app in TestApp::all().await {
        let (_, access, _) = app.user("historian").await;
        app.login("historian", "wrong password!")
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let request = Request::post("/api/v1/auth/login")
            .header("content-type", "application/json")
            .header("user-agent", "ArcDPS-Uploader/1.0")
            .body(Body::from(
                json!({"username": "historian", "password": PASSWORD}).to_string(),
            ))
            .unwrap();
        assert_eq!(app.send(request).await.status, StatusCode::OK);
        let page = app
            .get("/api/v1/users/me/login-history?limit=2", Some(&access))
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["total"], 3);
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["success"], true);
        assert_eq!(items[0]["user_agent"], "ArcDPS-Uploader/1.0");
        assert_eq!(items[0]["ip"], "203.0.113.7");
        assert_eq!(items[1]["success"], false);
        assert_eq!(items[1]["reason"], "bad_password");
        let rest = app
            .get("/api/v1/users/me/login-history?skip=2", Some(&access))
            .await
            .expect(StatusCode::OK);
        assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn profile_updates_are_validated() {
    for app in TestApp::all().await {
        let (_, access, _) = app.user("profiler").await;
        let patch =
            |body| app.request(Method::PATCH, "/api/v1/users/me", Some(body), Some(&access));
        let updated = patch(json!({"full_name": "Pro Filer", "bio": "Firebrand main", "profile_picture_url": "https://img.example/p.png",
            "preferences": {"language": "fr", "favorite_modes": ["wvw"]}})).await.expect(StatusCode::OK);
        assert_eq!(updated["full_name"], "Pro Filer");
        assert_eq!(updated["preferences"]["language"], "fr");
        // Absent fields stay; null clears.
        let updated = patch(json!({"bio": null})).await.expect(StatusCode::OK);
        assert_eq!(updated["full_name"], "Pro Filer");
        assert!(updated["bio"].is_null());

        let bad = [
            (
                json!({"profile_picture_url": "javascript:alert(1)"}),
                "profile_picture_url",
            ),
            (json!({"preferences": [1, 2]}), "preferences"),
            (
                json!({"preferences": {"blob": "x".repeat(17 * 1024)}}),
                "preferences",
            ),
            (json!({"full_name": "x".repeat(101)}), "full_name"),
        ];
        for (body, field) in bad {
            let err = patch(body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], field);
        }
        let me = app
            .get("/api/v1/users/me", Some(&access))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            me["profile_picture_url"], "https://img.example/p.png",
            "rejected updates change nothing"
        );
    }
}

#[tokio::test]
async fn password_change_revokes_every_session() {
    for app in TestApp::all().await {
        let (_, access, refresh) = app.user("changer").await;
        let err = change(&app, "not my password", "another long password", &access)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "current_password");
        let err = change(&app, PASSWORD, "short", &access)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "new_password");

        // Every token issued before the change stops working, even within the same second.
        let fresh = app.login("changer", PASSWORD).await.expect(StatusCode::OK);
        let fresh_access = fresh["access_token"].as_str().unwrap();
        change(&app, PASSWORD, "another long password", fresh_access)
            .await
            .expect(StatusCode::NO_CONTENT);
        app.get("/api/v1/auth/me", Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.get("/api/v1/auth/me", Some(fresh_access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.post(
            "/api/v1/auth/refresh",
            json!({"refresh_token": refresh}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
        app.login("changer", PASSWORD)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let new = app
            .login("changer", "another long password")
            .await
            .expect(StatusCode::OK);
        app.get(
            "/api/v1/auth/me",
            Some(new["access_token"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
    }
}

async fn change(app: &TestApp, current: &str, new: &str, token: &str) -> common::Reply {
    app.post(
        "/api/v1/users/me/password",
        json!({"current_password": current, "new_password": new}),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn account_deletion_needs_the_password_and_cascades() {
    for app in TestApp::all().await {
        let (user_id, access, _) = app.user("leaver").await;
        let id: uuid::Uuid = user_id.parse().unwrap();
        // Something the user owns, written directly (builds come with their own API).
        store::on_write!(&app.state.db, pool => sqlx::query(
            "INSERT INTO builds (id, user_id, name, profession, game_mode, role, created_at, updated_at) VALUES ($1, $2, 'b', 'Guardian', 'wvw', 'support', $3, $3)")
            .bind(uuid::Uuid::new_v4()).bind(id).bind(store::now()).execute(pool).await.map(|_| ())).unwrap();
        let err = app
            .request(
                Method::DELETE,
                "/api/v1/users/me",
                Some(json!({"password": "nope nope nope"})),
                Some(&access),
            )
            .await;
        assert_eq!(
            err.expect(StatusCode::UNPROCESSABLE_ENTITY)["field"],
            "password"
        );
        app.request(
            Method::DELETE,
            "/api/v1/users/me",
            Some(json!({"password": PASSWORD})),
            Some(&access),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let builds: i64 = store::on_read!(&app.state.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM builds WHERE user_id = $1").bind(id).fetch_one(pool).await).unwrap();
        assert_eq!(
            builds,
            0,
            "{}: builds deleted with the account",
            app.backend()
        );
        app.get("/api/v1/auth/me", Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.login("leaver", PASSWORD)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
    }
}

/// The newest .eml in the outbox, decoded enough to find a token.
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
async fn email_verification_through_the_outbox() {
    for app in TestApp::all().await {
        let (_, access, _) = app.user("verifier").await;
        app.state.background.drain().await;
        let token = outbox_token(app.data_dir.path(), "verify-email");
        let wrong = app
            .get("/api/v1/auth/verify-email?token=not-the-token", None)
            .await;
        wrong.expect_error(StatusCode::BAD_REQUEST);
        app.get(&format!("/api/v1/auth/verify-email?token={token}"), None)
            .await
            .expect(StatusCode::OK);
        let me = app
            .get("/api/v1/auth/me", Some(&access))
            .await
            .expect(StatusCode::OK);
        assert_eq!(me["is_verified"], true);
        // Single use.
        app.post("/api/v1/auth/verify-email", json!({"token": token}), None)
            .await
            .expect_error(StatusCode::BAD_REQUEST);
        app.post("/api/v1/auth/resend-verification", json!({}), Some(&access))
            .await
            .expect_error(StatusCode::CONFLICT);
    }
}

#[tokio::test]
async fn verification_links_expire_after_24_hours() {
    let app = TestApp::sqlite_with(|_| {}).await;
    app.user("late").await;
    app.state.background.drain().await;
    let token = outbox_token(app.data_dir.path(), "verify-email");
    app.state.clock.advance(chrono::Duration::hours(25));
    app.post("/api/v1/auth/verify-email", json!({"token": token}), None)
        .await
        .expect_error(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn password_reset_is_single_use_and_expires() {
    for app in TestApp::all().await {
        let (_, access, _) = app.user("forgetful").await;
        // Unknown addresses get the same answer.
        let a = app
            .post(
                "/api/v1/auth/forgot-password",
                json!({"email": "nobody@example.com"}),
                None,
            )
            .await;
        let b = app
            .post(
                "/api/v1/auth/forgot-password",
                json!({"email": "forgetful@example.com"}),
                None,
            )
            .await;
        assert_eq!((a.status, &a.body), (b.status, &b.body));
        assert_eq!(b.status, StatusCode::ACCEPTED);
        app.state.background.drain().await;
        let token = outbox_token(app.data_dir.path(), "reset-password");
        let reset = |t: &str, p: &str| {
            app.post(
                "/api/v1/auth/reset-password",
                json!({"token": t, "new_password": p}),
                None,
            )
        };
        reset(&token, "brand new password")
            .await
            .expect(StatusCode::OK);
        reset(&token, "another new password")
            .await
            .expect_error(StatusCode::BAD_REQUEST);
        app.get("/api/v1/auth/me", Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.login("forgetful", "brand new password")
            .await
            .expect(StatusCode::OK);

        // A second link expires after an hour.
        app.post(
            "/api/v1/auth/forgot-password",
            json!({"email": "forgetful@example.com"}),
            None,
        )
        .await
        .expect(StatusCode::ACCEPTED);
        app.state.background.drain().await;
        app.state.clock.advance(chrono::Duration::minutes(61));
        let late = outbox_token(app.data_dir.path(), "reset-password");
        assert_ne!(late, token);
        reset(&late, "too late password")
            .await
            .expect_error(StatusCode::BAD_REQUEST);
    }
}

/// A minimal SMTP server (RFC 5321 subset) that records each message's DATA.
async fn smtp_listener() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write
                    .write_all(b"220 test.smtp ESMTP ready\r\n")
                    .await
                    .unwrap();
                let mut in_data = false;
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            tx.send(std::mem::take(&mut data)).ok();
                            write.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-test.smtp\r\n250 8BITMIME\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 2.0.0 ok\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 end with <CRLF>.<CRLF>\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 2.0.0 bye\r\n").await.ok();
                            return;
                        }
                        _ => b"502 5.5.2 not implemented\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn verification_mail_goes_over_smtp_when_configured() {
    let (port, mut received) = smtp_listener().await;
    let app = TestApp::sqlite_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let (_, access, _) = app.user("smtpuser").await;
    let mail = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
        .await
        .expect("mail in time")
        .unwrap();
    assert!(mail.contains("To: smtpuser@example.com"), "{mail}");
    assert!(mail.contains("Subject: Confirm your GW2Optimizer e-mail address"));
    let text = mail.replace("=\n", "").replace("=3D", "=");
    let start = text.find("token=").unwrap() + 6;
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    app.post("/api/v1/auth/verify-email", json!({"token": token}), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&access))
            .await
            .expect(StatusCode::OK)["is_verified"],
        true
    );
    assert!(
        !app.data_dir.path().join("outbox").exists(),
        "nothing written to the outbox"
    );
}

#[tokio::test]
async fn superusers_administer_accounts() {
    for app in TestApp::all().await {
        server::services::accounts::create_superuser(
            &app.state,
            "admin@example.com",
            "admin",
            PASSWORD,
        )
        .await
        .unwrap();
        let admin = app.login("admin", PASSWORD).await.expect(StatusCode::OK);
        let admin = admin["access_token"].as_str().unwrap().to_owned();
        let (user_id, user_access, _) = app.user("regular").await;

        app.get("/api/v1/admin/users", Some(&user_access))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get("/api/v1/admin/users", None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let page = app
            .get("/api/v1/admin/users?limit=10", Some(&admin))
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["total"], 2);

        let uri = format!("/api/v1/admin/users/{user_id}");
        let updated = app
            .request(
                Method::PATCH,
                &uri,
                Some(json!({"is_active": false})),
                Some(&admin),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(updated["is_active"], false);
        app.get("/api/v1/auth/me", Some(&user_access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.login("regular", PASSWORD)
            .await
            .expect_error(StatusCode::FORBIDDEN);

        app.request(
            Method::PATCH,
            &uri,
            Some(json!({"is_active": true, "is_superuser": true})),
            Some(&admin),
        )
        .await
        .expect(StatusCode::OK);
        let tokens = app.login("regular", PASSWORD).await.expect(StatusCode::OK);
        app.get(
            "/api/v1/admin/users",
            Some(tokens["access_token"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);

        let missing = format!("/api/v1/admin/users/{}", uuid::Uuid::new_v4());
        app.request(
            Method::PATCH,
            &missing,
            Some(json!({"is_active": false})),
            Some(&admin),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
    }
}
