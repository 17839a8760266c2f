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

        // Logout (with the access token) revokes the refresh token named in the body.
        app.post(
            "/api/v1/auth/logout",
            json!({"refresh_token": new_refresh}),
            Some(access),
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

async fn refresh_with(app: &TestApp, refresh: &str) -> common::Reply {
    app.post(
        "/api/v1/auth/refresh",
        json!({"refresh_token": refresh}),
        None,
    )
    .await
}

fn text(value: &serde_json::Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn logout_revokes_the_access_token_and_its_login_at_once() {
    for app in TestApp::all().await {
        let (user_id, access, refresh) = app.user("leaving").await;
        let me = "/api/v1/auth/me";
        // Without a token: 401, with or without a body.
        app.request(Method::POST, "/api/v1/auth/logout", None, None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.post(
            "/api/v1/auth/logout",
            json!({"refresh_token": refresh}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
        let other = app.login("leaving", PASSWORD).await.expect(StatusCode::OK);

        // A valid token and no body at all (no content type either): 204.
        app.request(Method::POST, "/api/v1/auth/logout", None, Some(&access))
            .await
            .expect(StatusCode::NO_CONTENT);
        // The access token is refused at once (not in 30 minutes), and its login is over.
        let (detail, _) = app
            .get(me, Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert!(detail.contains("revoked"), "{detail}");
        app.request(Method::POST, "/api/v1/auth/logout", None, Some(&access))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        refresh_with(&app, &refresh)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        // Another login of the same account goes on.
        app.get(me, Some(&text(&other, "access_token")))
            .await
            .expect(StatusCode::OK);

        // A body naming another login's refresh token ends that login too: its refresh token
        // and the access tokens issued in it.
        let third = app.login("leaving", PASSWORD).await.expect(StatusCode::OK);
        let rotated = refresh_with(&app, &text(&other, "refresh_token"))
            .await
            .expect(StatusCode::OK);
        app.post(
            "/api/v1/auth/logout",
            json!({"refresh_token": text(&rotated, "refresh_token")}),
            Some(&text(&third, "access_token")),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        for token in [&other, &rotated, &third] {
            app.get(me, Some(&text(token, "access_token")))
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
        }
        refresh_with(&app, &text(&rotated, "refresh_token"))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);

        // Someone else's refresh token in the body: 401, and nothing of theirs is revoked.
        let (_, mallory, mallory_refresh) = app.user("mallory").await;
        let fourth = app.login("leaving", PASSWORD).await.expect(StatusCode::OK);
        app.post(
            "/api/v1/auth/logout",
            json!({"refresh_token": mallory_refresh}),
            Some(&text(&fourth, "access_token")),
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
        app.get(me, Some(&mallory)).await.expect(StatusCode::OK);
        // A body that is not JSON is refused clearly.
        let bad = Request::post("/api/v1/auth/logout")
            .header(
                "authorization",
                format!("Bearer {}", text(&fourth, "access_token")),
            )
            .header("content-type", "application/json")
            .body(Body::from("{not json"))
            .unwrap();
        assert_eq!(app.send(bad).await.status, StatusCode::BAD_REQUEST);

        // The deny-list is in the database, each entry until its tokens have expired.
        let id: uuid::Uuid = user_id.parse().unwrap();
        let rows: i64 = store::on_read!(&app.state.db, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM revoked_tokens WHERE user_id = $1").bind(id).fetch_one(pool).await).unwrap();
        assert!(rows >= 3, "{}: {rows} entries", app.backend());
        let later = store::now() + chrono::Duration::minutes(31);
        assert_eq!(
            store::tokens::purge_denied(&app.state.db, later)
                .await
                .unwrap(),
            rows as u64,
            "{}: purged once expired",
            app.backend()
        );
    }
}

#[tokio::test]
async fn a_replayed_refresh_token_revokes_the_access_tokens_of_its_login() {
    for app in TestApp::all().await {
        let (_, access, first) = app.user("replayed").await;
        let second = refresh_with(&app, &first).await.expect(StatusCode::OK);
        let me = "/api/v1/auth/me";
        app.get(me, Some(&text(&second, "access_token")))
            .await
            .expect(StatusCode::OK);
        // A thief replays the first refresh token: the family goes, with every access token
        // issued in it, at once.
        refresh_with(&app, &first)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        for token in [access.clone(), text(&second, "access_token")] {
            let (detail, _) = app
                .get(me, Some(&token))
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
            assert!(detail.contains("revoked"), "{}: {detail}", app.backend());
        }
        // A new login is a new family.
        let fresh = app.login("replayed", PASSWORD).await.expect(StatusCode::OK);
        app.get(me, Some(&text(&fresh, "access_token")))
            .await
            .expect(StatusCode::OK);
    }
}

/// `POST /auth/token` is the OAuth2 token URL (RFC 6749 §4.3.2): the same handler as the form
/// login, named by the OpenAPI password flow.
#[tokio::test]
async fn the_oauth2_token_url_is_the_form_login() {
    for app in TestApp::all_with(|s| s.login_rate_per_minute = 1000).await {
        app.user("oauth").await;
        let form = |password: &str, grant: &str| {
            format!(
                "grant_type={grant}&username=oauth&password={}&scope=&client_id=&client_secret=",
                password.replace(' ', "+")
            )
        };
        let form_ct = Some("application/x-www-form-urlencoded");
        let tokens = app
            .raw(
                Method::POST,
                "/api/v1/auth/token",
                form_ct,
                form(PASSWORD, "password"),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(tokens["token_type"], "bearer");
        app.get(
            "/api/v1/auth/me",
            Some(tokens["access_token"].as_str().unwrap()),
        )
        .await
        .expect(StatusCode::OK);
        // JSON too, like /auth/login.
        app.post(
            "/api/v1/auth/token",
            json!({"username": "oauth", "password": PASSWORD}),
            None,
        )
        .await
        .expect(StatusCode::OK);
        let err = app
            .raw(
                Method::POST,
                "/api/v1/auth/token",
                form_ct,
                form(PASSWORD, "client_credentials"),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "grant_type");
        // Wrong passwords there count like on /auth/login: the same throttle.
        for _ in 0..5 {
            app.raw(
                Method::POST,
                "/api/v1/auth/token",
                form_ct,
                form("wrong password!", "password"),
            )
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        }
        app.login("oauth", PASSWORD)
            .await
            .expect_error(StatusCode::TOO_MANY_REQUESTS);
    }
    // The document lists it, and the password flow points at it.
    let app = TestApp::sqlite_with(|_| {}).await;
    let doc = app
        .get("/api/v1/openapi.json", None)
        .await
        .expect(StatusCode::OK);
    assert!(doc["paths"]["/api/v1/auth/token"]["post"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["flows"]["password"]["tokenUrl"],
        "/api/v1/auth/token"
    );
}

#[tokio::test]
async fn registration_rules_and_clashes() {
    for app in TestApp::all().await {
        app.user("bob").await;
        let clash = |email: &str, username: &str| json!({"email": email, "username": username, "password": PASSWORD});
        // Each clash names the field to change (a form shows the message there).
        let body = app
            .post(
                "/api/v1/auth/register",
                clash("BOB@example.com", "other"),
                None,
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert!(body["detail"].as_str().unwrap().contains("email"), "{body}");
        assert_eq!(body["field"], "email", "{body}");
        assert_eq!(body["code"], "conflict", "{body}");
        let body = app
            .post(
                "/api/v1/auth/register",
                clash("new@example.com", "BoB"),
                None,
            )
            .await
            .expect(StatusCode::CONFLICT);
        assert!(
            body["detail"].as_str().unwrap().contains("username"),
            "{body}"
        );
        assert_eq!(body["field"], "username", "{body}");

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

/// ASVS 2.1: at least 12 characters, no composition rules, common and guessable passwords
/// (zxcvbn score below 3) refused with the reason, on every path that sets a password.
const WEAK: [(&str, &str); 6] = [
    ("1234567890", "at least 12 characters"),
    ("aaaaaaaaaaaa", "too easy to guess"),
    ("            ", "too easy to guess"),
    ("password1234", "common"),
    ("qwertyuiopasdf", "too easy to guess"),
    ("Weakling-2024 phrase", "username"),
];

#[tokio::test]
async fn weak_passwords_are_refused_with_the_reason_everywhere() {
    for app in TestApp::all().await {
        // Registration: 422 on `password`, nothing stored.
        for (password, why) in WEAK.into_iter().chain([("zed.mailer stuff", "e-mail")]) {
            let body = json!({"email": "zed.mailer@example.com", "username": "weakling", "password": password});
            let err = app
                .post("/api/v1/auth/register", body, None)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], "password", "{password:?}: {err}");
            assert!(
                err["detail"].as_str().unwrap().contains(why),
                "{password:?}: {err}"
            );
        }
        app.login("weakling", "1234567890")
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        // A long passphrase without digits or capitals is fine; 256 characters are allowed,
        // 257 are not.
        let long: String = (0..256u32)
            .map(|i| char::from(b'a' + ((i * 37 + i * i) % 26) as u8))
            .collect();
        app.post(
            "/api/v1/auth/register",
            json!({"email": "long@example.com", "username": "longpass", "password": long}),
            None,
        )
        .await
        .expect(StatusCode::CREATED);
        app.login("longpass", &long).await.expect(StatusCode::OK);
        let err = app
            .post(
                "/api/v1/auth/register",
                json!({"email": "longer@example.com", "username": "longer", "password": format!("{long}x")}),
                None,
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["detail"].as_str().unwrap().contains("at most 256"));

        // Change password: 422 on `new_password`, the old password still works.
        let (_, access, _) = app.user("weakling").await;
        for (password, why) in WEAK {
            let err = change(&app, PASSWORD, password, &access)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], "new_password", "{password:?}: {err}");
            assert!(
                err["detail"].as_str().unwrap().contains(why),
                "{password:?}: {err}"
            );
        }
        app.get("/api/v1/auth/me", Some(&access))
            .await
            .expect(StatusCode::OK);

        // Reset: the refused password does not spend the link.
        app.post(
            "/api/v1/auth/forgot-password",
            json!({"email": "weakling@example.com"}),
            None,
        )
        .await
        .expect(StatusCode::ACCEPTED);
        app.state.background.drain().await;
        let token = outbox_token(app.data_dir.path(), "reset-password");
        for (password, why) in WEAK {
            let err = app
                .post(
                    "/api/v1/auth/reset-password",
                    json!({"token": token, "new_password": password}),
                    None,
                )
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], "new_password", "{password:?}: {err}");
            assert!(
                err["detail"].as_str().unwrap().contains(why),
                "{password:?}: {err}"
            );
        }
        app.post(
            "/api/v1/auth/reset-password",
            json!({"token": token, "new_password": "plum tractor seventeen"}),
            None,
        )
        .await
        .expect(StatusCode::OK);
        app.login("weakling", "plum tractor seventeen")
            .await
            .expect(StatusCode::OK);

        // Superuser creation (what `gw2opt user create-superuser` calls).
        for (password, why) in WEAK {
            let err = app
                .state
                .accounts
                .create_superuser(
                    "weakling2@example.org",
                    "weakling2",
                    &password.replace("Weakling", "Weakling2"),
                )
                .await
                .unwrap_err();
            assert!(
                matches!(&err, server::error::ApiError::Validation { field, message }
                    if field == "password" && message.contains(why)),
                "{password:?}: {err:?}"
            );
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

/// Login settings for throttling tests: the per-IP token bucket out of the way, and the
/// client address taken from `X-Forwarded-For` so a test can speak from several.
fn throttled(s: &mut server::config::Settings) {
    s.login_rate_per_minute = 100_000;
    s.trust_forwarded_for = true;
}

/// A JSON login from `address` (or from the test peer, 203.0.113.7, when `None`).
async fn login_from(
    app: &TestApp,
    address: Option<&str>,
    login: &str,
    password: &str,
) -> common::Reply {
    let mut request =
        Request::post("/api/v1/auth/login").header("content-type", "application/json");
    if let Some(address) = address {
        request = request.header("x-forwarded-for", address);
    }
    app.send(
        request
            .body(Body::from(
                json!({"username": login, "password": password}).to_string(),
            ))
            .unwrap(),
    )
    .await
}

fn retry_after(reply: &common::Reply) -> Option<u64> {
    reply
        .headers
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap())
}

#[tokio::test]
async fn failed_logins_are_delayed_per_account_and_address_with_growing_waits() {
    for app in TestApp::all_with(throttled).await {
        app.user("target").await;
        let (a, b) = (Some("198.51.100.1"), Some("198.51.100.2"));
        // Five wrong passwords are checked and answered 401.
        for _ in 0..5 {
            let (detail, _) = login_from(&app, a, "target", "wrong password!")
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
            assert_eq!(detail, "incorrect username or password");
        }
        // Then that address waits 30 s, even with the right password (it is not checked).
        let reply = login_from(&app, a, "target", PASSWORD).await;
        assert_eq!(retry_after(&reply), Some(30));
        let (_, code) = reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(code, "rate_limited");
        // Nobody else is locked out: the owner logs in from another address.
        login_from(&app, b, "target", PASSWORD)
            .await
            .expect(StatusCode::OK);
        // Each further failure doubles the wait.
        for wait in [60, 120, 240] {
            app.state
                .clock
                .advance(chrono::Duration::seconds(wait / 2 + 1));
            login_from(&app, a, "target", "wrong password!")
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
            let reply = login_from(&app, a, "target", PASSWORD).await;
            assert_eq!(retry_after(&reply), Some(wait as u64), "{}", app.backend());
            reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        }
        // Once the wait is over, the right password works and the address starts afresh.
        app.state.clock.advance(chrono::Duration::seconds(241));
        login_from(&app, a, "target", PASSWORD)
            .await
            .expect(StatusCode::OK);
        for _ in 0..4 {
            login_from(&app, a, "target", "wrong password!")
                .await
                .expect_error(StatusCode::UNAUTHORIZED);
        }
        login_from(&app, a, "target", PASSWORD)
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn unknown_names_and_real_accounts_answer_the_same_through_the_whole_sequence() {
    for app in TestApp::all_with(throttled).await {
        app.user("known").await;
        let mut statuses = Vec::new();
        let hashes = || app.state.passwords.verifications();
        for step in 0..10 {
            if step == 7 {
                app.state.clock.advance(chrono::Duration::seconds(31));
            }
            let before = hashes();
            let real = login_from(&app, Some("192.0.2.9"), "known", "wrong password!").await;
            let real_work = hashes() - before;
            let ghost = login_from(&app, Some("192.0.2.9"), "nobody-here", "wrong password!").await;
            let ghost_work = hashes() - before - real_work;
            assert_eq!(real.status, ghost.status, "step {step}");
            assert_eq!(real.body, ghost.body, "step {step}");
            assert_eq!(retry_after(&real), retry_after(&ghost), "step {step}");
            // The same work, so the same time: one argon2 verification for a checked guess
            // (against a dummy hash for the unknown name), none while waiting.
            let expected = u64::from(real.status == StatusCode::UNAUTHORIZED);
            assert_eq!((real_work, ghost_work), (expected, expected), "step {step}");
            statuses.push((real.status.as_u16(), retry_after(&real)));
        }
        assert_eq!(
            statuses,
            [
                (401, None),
                (401, None),
                (401, None),
                (401, None),
                (401, None),
                (429, Some(30)),
                (429, Some(30)),
                (401, None),
                (429, Some(60)),
                (429, Some(60)),
            ],
            "{}",
            app.backend()
        );
        // No 423 and no lock: the owner's right password from elsewhere works.
        login_from(&app, Some("192.0.2.10"), "known", PASSWORD)
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn the_per_account_ceiling_spares_the_owners_known_device() {
    for app in TestApp::all_with(|s| {
        throttled(s);
        s.login_throttle.per_account_free = 6;
    })
    .await
    {
        // The owner logged in from 203.0.113.7 (the test peer): a known device.
        app.user("popular").await;
        // A botnet: six addresses, one guess each (each far below the per-address limit),
        // at the real account and at a name nobody has.
        for i in 0..6 {
            let address = format!("198.51.100.{}", 10 + i);
            for login in ["popular", "ghost-account"] {
                login_from(&app, Some(&address), login, "wrong password!")
                    .await
                    .expect_error(StatusCode::UNAUTHORIZED);
            }
        }
        // Any new address now waits, for both, with the same answer.
        let real = login_from(&app, Some("192.0.2.50"), "popular", PASSWORD).await;
        let ghost = login_from(&app, Some("192.0.2.50"), "ghost-account", PASSWORD).await;
        assert_eq!(
            real.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            app.backend()
        );
        assert_eq!((real.status, &real.body), (ghost.status, &ghost.body));
        assert_eq!(retry_after(&real), retry_after(&ghost));
        // The owner's known device still logs in with the right password.
        login_from(&app, None, "popular", PASSWORD)
            .await
            .expect(StatusCode::OK);
        // After the wait, the next failure from anywhere doubles it.
        app.state.clock.advance(chrono::Duration::seconds(31));
        login_from(&app, Some("192.0.2.51"), "popular", "wrong password!")
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        let reply = login_from(&app, Some("192.0.2.52"), "popular", PASSWORD).await;
        assert_eq!(retry_after(&reply), Some(60));
        // A password reset by the owner clears every count.
        let tokens = app.login("popular", PASSWORD).await.expect(StatusCode::OK);
        let access = text(&tokens, "access_token");
        change(&app, PASSWORD, "seven ravens at dawn", &access)
            .await
            .expect(StatusCode::NO_CONTENT);
        login_from(&app, Some("192.0.2.52"), "popular", "seven ravens at dawn")
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn concurrent_wrong_logins_count_every_failure() {
    for app in TestApp::all_with(throttled).await {
        let (user_id, _, _) = app.user("hammered").await;
        let attempts: Vec<_> = (0..12)
            .map(|_| {
                let router = app.router.clone();
                tokio::spawn(async move {
                    use tower::ServiceExt;
                    let request = Request::post("/api/v1/auth/login")
                        .header("content-type", "application/json")
                        .header("x-forwarded-for", "198.51.100.99")
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
                .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
            "{statuses:?}"
        );
        let checked = statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count() as i32;
        let rows = store::users::throttles(&app.state.db, &user_id, "198.51.100.99")
            .await
            .unwrap();
        let count = |address: &str| {
            rows.iter()
                .find(|r| r.address == address)
                .map(|r| r.failures)
        };
        assert_eq!(
            count("198.51.100.99"),
            Some(checked),
            "{}: each checked failure counted once",
            app.backend()
        );
        assert_eq!(count("*"), Some(checked));
        assert!(checked >= 5, "{statuses:?}");
        // The address now waits.
        login_from(&app, Some("198.51.100.99"), "hammered", PASSWORD)
            .await
            .expect_error(StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn password_checks_of_signed_in_users_are_throttled_too() {
    for app in TestApp::all_with(throttled).await {
        let (_, access, _) = app.user("guarded").await;
        // A stolen session guessing the password through "change password": five wrong
        // current passwords are checked (422), then the address waits.
        for _ in 0..5 {
            let err = change(&app, "not my password", "a new long passphrase", &access)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], "current_password");
        }
        for _ in 0..2 {
            let reply = change(&app, PASSWORD, "a new long passphrase", &access).await;
            assert_eq!(retry_after(&reply), Some(30), "{}", app.backend());
            reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        }
        // The same count guards account deletion and login from that address.
        let reply = app
            .request(
                Method::DELETE,
                "/api/v1/users/me",
                Some(json!({"password": PASSWORD})),
                Some(&access),
            )
            .await;
        reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
        app.login("guarded", PASSWORD)
            .await
            .expect_error(StatusCode::TOO_MANY_REQUESTS);
        // Deletion's own wrong passwords count as well (from another address).
        let from = |password: &str| {
            let request = Request::delete("/api/v1/users/me")
                .header("authorization", format!("Bearer {access}"))
                .header("content-type", "application/json")
                .header("x-forwarded-for", "192.0.2.200")
                .body(Body::from(json!({"password": password}).to_string()))
                .unwrap();
            app.send(request)
        };
        for _ in 0..5 {
            from("not my password")
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
        }
        from(PASSWORD)
            .await
            .expect_error(StatusCode::TOO_MANY_REQUESTS);
        // After the wait, the owner changes the password.
        app.state.clock.advance(chrono::Duration::seconds(31));
        change(&app, PASSWORD, "a new long passphrase", &access)
            .await
            .expect(StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn password_endpoints_share_the_per_address_rate_limit() {
    let app = TestApp::sqlite_with(|s| s.login_rate_per_minute = 3).await;
    let (_, access, _) = app.user("limited").await; // its login took one
    change(&app, "not my password", "a new long passphrase", &access)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    app.request(
        Method::DELETE,
        "/api/v1/users/me",
        Some(json!({"password": "not my password"})),
        Some(&access),
    )
    .await
    .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let reply = change(&app, PASSWORD, "a new long passphrase", &access).await;
    assert!(retry_after(&reply).is_some());
    reply.expect_error(StatusCode::TOO_MANY_REQUESTS);
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
        app.state
            .accounts
            .create_superuser("admin@example.com", "admin", PASSWORD)
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
