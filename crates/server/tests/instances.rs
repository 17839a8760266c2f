//! Two service instances on one database and one Redis, like two replicas behind a load
//! balancer: what one instance changes, the other stops serving from its hot caches at once
//! (the invalidation travels over Redis pub/sub), so revocation and privacy hold everywhere.

mod common;

use common::call;

use std::time::Duration;

use serde_json::json;

#[tokio::test]
async fn changes_on_one_instance_are_seen_at_once_by_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let Some((a, b)) = common::serve_pair_with_redis(dir.path(), "two-instance invalidation").await
    else {
        return;
    };
    use reqwest::Method;

    let body =
        json!({"email": "twin@example.com", "username": "twin", "password": common::PASSWORD});
    assert_eq!(
        call(
            Method::POST,
            format!("{}/api/v1/auth/register", a.base),
            None,
            Some(body)
        )
        .await
        .0,
        201
    );
    let (_, tokens) = call(
        Method::POST,
        format!("{}/api/v1/auth/login", a.base),
        None,
        Some(json!({"username": "twin", "password": common::PASSWORD})),
    )
    .await;
    let token = tokens["access_token"].as_str().unwrap().to_owned();

    // B has the user in its hot cache now.
    assert_eq!(
        call(
            Method::GET,
            format!("{}/api/v1/auth/me", b.base),
            Some(&token),
            None
        )
        .await
        .0,
        200
    );
    // A public build, read through B (cached there).
    let build = json!({"name": "Shared", "profession": "guardian", "specialization": "Firebrand", "game_mode": "wvw",
        "role": "support", "is_public": true});
    let (status, created) = call(
        Method::POST,
        format!("{}/api/v1/builds", a.base),
        Some(&token),
        Some(build),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        call(
            Method::GET,
            format!("{}/api/v1/builds/{id}", b.base),
            None,
            None
        )
        .await
        .0,
        200
    );

    // A makes it private: B refuses anonymous readers at once.
    let (status, _) = call(
        Method::PATCH,
        format!("{}/api/v1/builds/{id}", a.base),
        Some(&token),
        Some(json!({"is_public": false})),
    )
    .await;
    assert_eq!(status, 200);
    let mut seen = 0;
    for _ in 0..50 {
        seen = call(
            Method::GET,
            format!("{}/api/v1/builds/{id}", b.base),
            None,
            None,
        )
        .await
        .0;
        if seen == 403 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(seen, 403, "B still served the now-private build");

    // A password change on A revokes the token on B too, well before B's cache would expire.
    let (status, _) = call(Method::POST, format!("{}/api/v1/users/me/password", a.base), Some(&token),
        Some(json!({"current_password": common::PASSWORD, "new_password": "a brand new passphrase 42"}))).await;
    assert_eq!(status, 204);
    let started = std::time::Instant::now();
    let mut status = 200;
    while started.elapsed() < Duration::from_secs(1) {
        status = call(
            Method::GET,
            format!("{}/api/v1/auth/me", b.base),
            Some(&token),
            None,
        )
        .await
        .0;
        if status == 401 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        status, 401,
        "revoked token still accepted by the other instance"
    );
    assert!(
        started.elapsed() < server::hot::USER_TTL,
        "revocation arrived through Redis, not by expiry"
    );
}
