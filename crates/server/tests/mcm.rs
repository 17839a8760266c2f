//! WvW analytics through the real router: log upload (multipart), fights, sessions and
//! their aggregates, permissions and bad input, on every configured database backend.

mod common;

use axum::http::{Method, StatusCode};
use common::{Reply, TestApp};
use serde_json::{json, Value};

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../evtc/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

const BOUNDARY: &str = "gw2opt-test-boundary-7d3f";

/// A multipart/form-data body: text fields, then optionally a file.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(
    app: &TestApp,
    token: Option<&str>,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let mut builder = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/mcm/logs")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    app.send(
        builder
            .body(axum::body::Body::from(multipart(fields, file)))
            .unwrap(),
    )
    .await
}

/// Uploads a fixture and returns the new fight's id (201 expected).
async fn uploaded_id(app: &TestApp, token: &str, fields: &[(&str, &str)], name: &str) -> String {
    upload(app, Some(token), fields, Some((name, &fixture(name))))
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The report our parser gives for these bytes, as JSON (what the service must store).
fn expected_report(bytes: &[u8]) -> Value {
    let log = evtc::parse(bytes).expect("fixture parses");
    serde_json::to_value(evtc::analyze(&log)).unwrap()
}

#[tokio::test]
async fn upload_stores_the_report_and_deduplicates() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("commander").await;
        let bytes = fixture("skirmish.zevtc");
        let created = upload(&app, Some(&token), &[], Some(("skirmish.zevtc", &bytes)))
            .await
            .expect(StatusCode::CREATED);
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(created["duplicate"], false);
        let expected = expected_report(&bytes);
        let fight = &created["fight"];
        assert_eq!(fight["uploader"], "commander");
        assert_eq!(fight["file_name"], "skirmish.zevtc");
        assert_eq!(fight["file_size"], bytes.len());
        assert_eq!(fight["duration_ms"], expected["duration_ms"]);
        assert_eq!(fight["squad_size"], expected["squad_size"]);
        assert_eq!(fight["enemy_count"], expected["enemy_count"]);
        assert_eq!(fight["squad_damage"], expected["outcome"]["squad_damage"]);
        assert_eq!(fight["is_public"], false);
        assert_eq!(fight["raw_log_kept"], false);

        // The stored report is exactly what the parser computes.
        let full = app
            .get(&format!("/api/v1/mcm/fights/{id}"), Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(full["report"], expected, "{:?}", app.backend());

        // The same bytes again: no second fight.
        let again = upload(&app, Some(&token), &[], Some(("renamed.zevtc", &bytes)))
            .await
            .expect(StatusCode::OK);
        assert_eq!(again["duplicate"], true);
        assert_eq!(again["id"], id.as_str());
        let mine = app
            .get("/api/v1/mcm/fights?mine=true", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(mine["total"], 1);

        // The uncompressed log of the same fight is a different file but the same report.
        let plain = fixture("skirmish.evtc");
        let second = upload(
            &app,
            Some(&token),
            &[("is_public", "true"), ("keep_raw", "true")],
            Some(("skirmish.evtc", &plain)),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(second["fight"]["is_public"], true);
        assert_eq!(second["fight"]["raw_log_kept"], true);
        let kept = app
            .data_dir
            .path()
            .join("logs")
            .join(format!("{}.evtc", second["id"].as_str().unwrap()));
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            plain,
            "raw log kept byte for byte"
        );

        // Other formats of the same report.
        let ei = app
            .get(
                &format!("/api/v1/mcm/fights/{id}?format=ei-json"),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        assert!(
            ei["players"].as_array().is_some_and(|p| !p.is_empty()),
            "{ei}"
        );
        let table = app
            .get(
                &format!("/api/v1/mcm/fights/{id}?format=table"),
                Some(&token),
            )
            .await;
        assert_eq!(table.status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&table.raw)
            .contains(expected["players"][0]["name"].as_str().unwrap()));
        app.get(&format!("/api/v1/mcm/fights/{id}?format=xml"), Some(&token))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);

        // Deleting the fight with a kept raw log removes the file too.
        app.request(
            Method::DELETE,
            &format!("/api/v1/mcm/fights/{}", second["id"].as_str().unwrap()),
            None,
            Some(&token),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        assert!(!kept.exists());
    }
}

#[tokio::test]
async fn fights_are_private_unless_public() {
    for app in TestApp::all().await {
        let (_, owner, _) = app.user("owner").await;
        let (_, other, _) = app.user("other").await;
        let private = uploaded_id(&app, &owner, &[], "skirmish.zevtc").await;
        let public =
            uploaded_id(&app, &owner, &[("is_public", "true")], "skirmish_rev0.evtc").await;
        let path = |id: &str| format!("/api/v1/mcm/fights/{id}");
        app.get(&path(&private), Some(&other))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get(&path(&private), None)
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get(&path(&public), None).await.expect(StatusCode::OK);
        app.get(&path(&uuid::Uuid::new_v4().to_string()), Some(&owner))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        app.get("/api/v1/mcm/fights/not-a-uuid", Some(&owner))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);

        let anonymous = app
            .get("/api/v1/mcm/fights", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(anonymous["total"], 1, "only the public fight");
        let owners = app
            .get("/api/v1/mcm/fights", Some(&owner))
            .await
            .expect(StatusCode::OK);
        assert_eq!(owners["total"], 2);
        app.get("/api/v1/mcm/fights?mine=true", None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);

        app.request(Method::DELETE, &path(&private), None, Some(&other))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.request(Method::DELETE, &path(&private), None, None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.request(Method::DELETE, &path(&private), None, Some(&owner))
            .await
            .expect(StatusCode::NO_CONTENT);
        app.get(&path(&private), Some(&owner))
            .await
            .expect_error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn bad_uploads_get_clear_errors_and_store_nothing() {
    let app = TestApp::sqlite_with(|s| s.upload_limit = 256 * 1024).await;
    let (_, token, _) = app.user("uploader").await;
    upload(&app, None, &[], Some(("a.evtc", &fixture("skirmish.evtc"))))
        .await
        .expect_error(StatusCode::UNAUTHORIZED);

    let (detail, _) = upload(
        &app,
        Some(&token),
        &[],
        Some(("junk.evtc", b"definitely not an arcdps log")),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(detail.contains("arcdps"), "{detail}");

    // A log cut in the middle of its agent table.
    let mut truncated = fixture("skirmish.evtc");
    truncated.truncate(100);
    let (detail, _) = upload(&app, Some(&token), &[], Some(("cut.evtc", &truncated)))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(detail.contains("offset"), "names where it broke: {detail}");

    // A zip that is not a log.
    let (detail, _) = upload(
        &app,
        Some(&token),
        &[],
        Some(("bad.zevtc", b"PK\x03\x04garbage")),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!detail.is_empty());

    upload(&app, Some(&token), &[], Some(("empty.evtc", b"")))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    let (_, code) = upload(&app, Some(&token), &[("is_public", "true")], None)
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code, "validation_error");
    upload(
        &app,
        Some(&token),
        &[("is_public", "maybe")],
        Some(("a.evtc", &fixture("skirmish.evtc"))),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    upload(
        &app,
        Some(&token),
        &[("session_id", "nope")],
        Some(("a.evtc", &fixture("skirmish.evtc"))),
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    upload(
        &app,
        Some(&token),
        &[("session_id", &uuid::Uuid::new_v4().to_string())],
        Some(("a.evtc", &fixture("skirmish.evtc"))),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND);

    // Over the upload limit: 413, whatever the content.
    let big = vec![0u8; 300 * 1024];
    upload(&app, Some(&token), &[], Some(("big.evtc", &big)))
        .await
        .expect_error(StatusCode::PAYLOAD_TOO_LARGE);

    // Not multipart at all.
    app.post("/api/v1/mcm/logs", json!({"file": "x"}), Some(&token))
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A broken multipart body.
    let reply = app
        .send(
            axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/mcm/logs")
                .header("authorization", format!("Bearer {token}"))
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(axum::body::Body::from(format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"
                )))
                .unwrap(),
        )
        .await;
    reply.expect_error(StatusCode::BAD_REQUEST);

    let mine = app
        .get("/api/v1/mcm/fights?mine=true", Some(&token))
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine["total"], 0, "nothing stored from bad uploads");

    // And a good log still goes through afterwards.
    upload(
        &app,
        Some(&token),
        &[],
        Some(("a.evtc", &fixture("skirmish.evtc"))),
    )
    .await
    .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn sessions_aggregate_their_fights() {
    for app in TestApp::all().await {
        let (_, owner, _) = app.user("commander").await;
        let (_, other, _) = app.user("squaddie").await;
        let logs = [fixture("skirmish.evtc"), fixture("skirmish_rev0.evtc")];
        let mut ids = Vec::new();
        for (i, bytes) in logs.iter().enumerate() {
            let reply = upload(
                &app,
                Some(&owner),
                &[],
                Some((&format!("f{i}.evtc"), bytes)),
            )
            .await
            .expect(StatusCode::CREATED);
            ids.push(reply["id"].as_str().unwrap().to_owned());
        }
        let session = app
            .post(
                "/api/v1/mcm/sessions",
                json!({"name": "Reset night", "fight_ids": [ids[0]]}),
                Some(&owner),
            )
            .await
            .expect(StatusCode::CREATED);
        let sid = session["id"].as_str().unwrap().to_owned();
        assert_eq!(session["fight_count"], 1);
        assert_eq!(session["fights"].as_array().unwrap().len(), 1);
        assert_eq!(session["stats"]["fights"], 1);

        let added = app
            .post(
                &format!("/api/v1/mcm/sessions/{sid}/fights"),
                json!({"fight_ids": [ids[1]]}),
                Some(&owner),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(added["fight_count"], 2);
        // The aggregate equals the evtc crate's aggregate of the two reports.
        let reports: Vec<evtc::FightReport> = logs
            .iter()
            .map(|b| evtc::analyze(&evtc::parse(b).unwrap()))
            .collect();
        let expected = serde_json::to_value(evtc::aggregate(&reports)).unwrap();
        assert_eq!(added["stats"], expected);
        assert!(added["stats"]["rankings"]["damage"]
            .as_array()
            .is_some_and(|r| !r.is_empty()));

        // Private: other users cannot read or change it.
        let path = format!("/api/v1/mcm/sessions/{sid}");
        app.get(&path, Some(&other))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get(&path, None)
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.post(
            &format!("{path}/fights"),
            json!({"fight_ids": []}),
            Some(&other),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);
        app.request(Method::DELETE, &path, None, Some(&other))
            .await
            .expect_error(StatusCode::FORBIDDEN);

        // Someone else's private fight cannot be added to a session.
        let theirs = uploaded_id(&app, &other, &[], "skirmish.zevtc").await;
        let (_, code) = app
            .post(
                &format!("{path}/fights"),
                json!({"fight_ids": [theirs]}),
                Some(&owner),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code, "validation_error");
        app.post("/api/v1/mcm/sessions", json!({"name": "  "}), Some(&owner))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        app.post(
            "/api/v1/mcm/sessions",
            json!({"name": "x", "fight_ids": [uuid::Uuid::new_v4()]}),
            Some(&owner),
        )
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);

        // Uploading straight into the session adds the fight.
        let third = upload(
            &app,
            Some(&owner),
            &[("session_id", &sid)],
            Some(("third.zevtc", &fixture("skirmish.zevtc"))),
        )
        .await
        .expect(StatusCode::CREATED);
        assert_eq!(third["session_id"], sid.as_str());
        let listed = app
            .get(
                &format!("/api/v1/mcm/fights?session_id={sid}"),
                Some(&owner),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["total"], 3);
        let sessions = app
            .get("/api/v1/mcm/sessions", Some(&owner))
            .await
            .expect(StatusCode::OK);
        assert_eq!(sessions["total"], 1);
        assert_eq!(sessions["items"][0]["fight_count"], 3);
        assert_eq!(
            app.get("/api/v1/mcm/sessions", None)
                .await
                .expect(StatusCode::OK)["total"],
            0
        );

        // Removing a fight from the session keeps the fight.
        app.request(
            Method::DELETE,
            &format!("{path}/fights/{}", ids[0]),
            None,
            Some(&owner),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        app.request(
            Method::DELETE,
            &format!("{path}/fights/{}", ids[0]),
            None,
            Some(&owner),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        app.get(&format!("/api/v1/mcm/fights/{}", ids[0]), Some(&owner))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            app.get(&path, Some(&owner)).await.expect(StatusCode::OK)["fight_count"],
            2
        );

        // Deleting a user deletes their fights and sessions (cascade).
        app.request(Method::DELETE, &path, None, Some(&owner))
            .await
            .expect(StatusCode::NO_CONTENT);
        app.get(&path, Some(&owner))
            .await
            .expect_error(StatusCode::NOT_FOUND);
    }
}
