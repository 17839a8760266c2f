//! Saved builds ("My Builds") through the real router, on every available backend, in the
//! original client's shape (`savedBuilds.service.ts`).

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

const URI: &str = "/api/v1/saved-builds";

/// A chat code from the gw2 crate's cited test vectors, by its constant's name.
fn vector(name: &str) -> String {
    let vectors = include_str!("../../gw2/tests/chatcode.rs");
    let line = vectors
        .lines()
        .find(|l| l.starts_with(&format!("const {name}: &str = ")))
        .unwrap_or_else(|| panic!("no {name} in the test vectors"));
    line.split('"').nth(1).expect("quoted code").to_owned()
}

/// The fields of the client's `SavedBuild` interface, exactly.
const CLIENT_FIELDS: [&str; 11] = [
    "id",
    "user_id",
    "name",
    "chat_code",
    "profession",
    "specialization",
    "game_mode",
    "synergy_score",
    "source_url",
    "notes",
    "created_at",
];

#[track_caller]
fn assert_client_shape(saved: &Value) {
    let keys: BTreeSet<&str> = saved
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, CLIENT_FIELDS.into_iter().collect(), "{saved}");
    assert!(saved["id"].is_i64(), "id is an integer: {saved}");
    assert!(
        chrono::DateTime::parse_from_rfc3339(saved["created_at"].as_str().expect("text")).is_ok(),
        "{saved}"
    );
}

#[tokio::test]
async fn create_list_and_delete_in_the_clients_shape() {
    for app in TestApp::all().await {
        let (ann_id, ann, _) = app.user("ann").await;
        let full = app
            .post(
                URI,
                json!({"name": "  Zerg Firebrand  ", "profession": "guardian", "specialization": "firebrand",
                       "game_mode": "WvW", "synergy_score": "a", "source_url": "https://snowcrows.com/builds/guardian",
                       "notes": "Stability on demand.\nCleanses too."}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_client_shape(&full);
        assert_eq!(
            full,
            json!({"id": full["id"], "user_id": ann_id, "name": "Zerg Firebrand", "chat_code": null,
                   "profession": "Guardian", "specialization": "Firebrand", "game_mode": "wvw",
                   "synergy_score": "A", "source_url": "https://snowcrows.com/builds/guardian",
                   "notes": "Stability on demand.\nCleanses too.", "created_at": full["created_at"]}),
            "{:?}",
            app.backend()
        );
        // What the AI Build Lab page sends: a name and the analysis' grade and summary;
        // absent, null and blank optional fields all mean "not given".
        let minimal = app
            .post(
                URI,
                json!({"name": "Build analysé", "synergy_score": null, "notes": "   ", "source_url": ""}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_client_shape(&minimal);
        for field in &CLIENT_FIELDS[3..10] {
            assert_eq!(minimal[field], Value::Null, "{field}: {minimal}");
        }
        assert!(minimal["id"].as_i64() > full["id"].as_i64());

        // A plain array, newest first.
        let list = app.get(URI, Some(&ann)).await.expect(StatusCode::OK);
        assert_eq!(list, json!([minimal, full]), "{:?}", app.backend());

        app.request(
            Method::DELETE,
            &format!("{URI}/{}", full["id"]),
            None,
            Some(&ann),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let list = app.get(URI, Some(&ann)).await.expect(StatusCode::OK);
        assert_eq!(list, json!([minimal]));
        let (detail, code) = app
            .request(
                Method::DELETE,
                &format!("{URI}/{}", full["id"]),
                None,
                Some(&ann),
            )
            .await
            .expect_error(StatusCode::NOT_FOUND);
        assert_eq!(
            (detail.as_str(), code.as_str()),
            ("saved build not found", "not_found")
        );
        // Ids are never reused: the next save gets a new one.
        let next = app
            .post(URI, json!({"name": "Next"}), Some(&ann))
            .await
            .expect(StatusCode::CREATED);
        assert!(next["id"].as_i64() > minimal["id"].as_i64());
    }
}

#[tokio::test]
async fn only_the_owner_sees_or_deletes_a_saved_build() {
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        let (_, bob, _) = app.user("bob").await;
        let mine = app
            .post(URI, json!({"name": "Ann's"}), Some(&ann))
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            app.get(URI, Some(&bob)).await.expect(StatusCode::OK),
            json!([])
        );
        // Someone else's id answers exactly like an id that does not exist.
        let other = app
            .request(
                Method::DELETE,
                &format!("{URI}/{}", mine["id"]),
                None,
                Some(&bob),
            )
            .await
            .expect_error(StatusCode::NOT_FOUND);
        let missing = app
            .request(Method::DELETE, &format!("{URI}/999999"), None, Some(&bob))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        assert_eq!(other, missing);
        assert_eq!(
            app.get(URI, Some(&ann)).await.expect(StatusCode::OK),
            json!([mine]),
            "{:?}: still there",
            app.backend()
        );
        // A superuser's own list is their own too.
        app.state
            .accounts
            .create_superuser("root@example.com", "root", common::PASSWORD)
            .await
            .expect("superuser");
        let root = app
            .login("root", common::PASSWORD)
            .await
            .expect(StatusCode::OK)["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            app.get(URI, Some(&root)).await.expect(StatusCode::OK),
            json!([])
        );
        app.request(
            Method::DELETE,
            &format!("{URI}/{}", mine["id"]),
            None,
            Some(&root),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn signing_in_is_required() {
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        let mine = app
            .post(URI, json!({"name": "Ann's"}), Some(&ann))
            .await
            .expect(StatusCode::CREATED);
        let (_, code) = app
            .post(URI, json!({"name": "Anonymous"}), None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert_eq!(code, "unauthorized");
        app.get(URI, None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.request(Method::DELETE, &format!("{URI}/{}", mine["id"]), None, None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.get(URI, Some("not-a-token"))
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.get(URI, Some(&ann)).await.expect(StatusCode::OK),
            json!([mine])
        );
    }
}

#[tokio::test]
async fn each_refusal_names_its_field() {
    let ele = vector("ELE");
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        let cases: Vec<(Value, &str, &str)> = vec![
            (json!({"name": ""}), "name", "1 to 100"),
            (json!({"name": "   "}), "name", "1 to 100"),
            (json!({"name": "x".repeat(101)}), "name", "1 to 100"),
            (json!({"notes": "no name"}), "name", "missing field"),
            (
                json!({"name": "n", "chat_code": "not a code"}),
                "chat_code",
                "not a usable build code",
            ),
            (
                json!({"name": "n", "chat_code": "[&DQ==]"}),
                "chat_code",
                "not a usable build code",
            ),
            (
                json!({"name": "n", "profession": "Jedi"}),
                "profession",
                "unknown profession",
            ),
            (
                json!({"name": "n", "specialization": "Jedi"}),
                "specialization",
                "unknown specialization",
            ),
            (
                json!({"name": "n", "profession": "Necromancer", "specialization": "Firebrand"}),
                "specialization",
                "Firebrand is a Guardian specialization, not Necromancer",
            ),
            (
                json!({"name": "n", "chat_code": ele, "profession": "Guardian"}),
                "profession",
                "the chat code is a Elementalist build, not Guardian",
            ),
            (
                json!({"name": "n", "chat_code": ele, "specialization": "Tempest"}),
                "specialization",
                "the chat code's lines are",
            ),
            (
                json!({"name": "n", "game_mode": "chess"}),
                "game_mode",
                "expected one of:",
            ),
            (
                json!({"name": "n", "synergy_score": "Z"}),
                "synergy_score",
                "must be one of S, A, B, C",
            ),
            (
                json!({"name": "n", "synergy_score": "SS"}),
                "synergy_score",
                "must be one of S, A, B, C",
            ),
            (
                json!({"name": "n", "source_url": "javascript:alert(1)"}),
                "source_url",
                "http:// or https://",
            ),
            (
                json!({"name": "n", "source_url": "ftp://example.com/x"}),
                "source_url",
                "http:// or https://",
            ),
            (
                json!({"name": "n", "source_url": "snowcrows.com/builds"}),
                "source_url",
                "http:// or https://",
            ),
            (
                json!({"name": "n", "source_url": format!("https://e.com/{}", "a".repeat(2000))}),
                "source_url",
                "at most 2000",
            ),
            (
                json!({"name": "n", "notes": "x".repeat(5001)}),
                "notes",
                "at most 5000",
            ),
            (json!({"name": "n", "notes": 5}), "notes", "invalid type"),
            (
                json!({"name": "n", "favourite": true}),
                "favourite",
                "unknown field",
            ),
            (json!({"name": "bad\u{0}name"}), "name", "control character"),
        ];
        for (body, field, says) in cases {
            let reply = app
                .post(URI, body.clone(), Some(&ann))
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(reply["field"], field, "{:?} {body}: {reply}", app.backend());
            assert!(
                reply["detail"].as_str().unwrap().contains(says),
                "{body}: {reply}"
            );
        }
        // Limits are inclusive, and notes are prose (line breaks allowed).
        let at_limits = app
            .post(
                URI,
                json!({"name": "é".repeat(100), "notes": format!("{}\n\t", "ü".repeat(4998))}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(at_limits["name"].as_str().unwrap().chars().count(), 100);
        // Nothing refused was stored.
        let list = app.get(URI, Some(&ann)).await.expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 1);
        // A malformed path id is a 422 naming the path, not a 5xx.
        let reply = app
            .request(Method::DELETE, &format!("{URI}/abc"), None, Some(&ann))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply["field"], "path");
    }
}

#[tokio::test]
async fn a_chat_code_fills_profession_and_specialization() {
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        for (name, profession, elite) in [
            ("ELE", "Elementalist", "Weaver"),
            ("NECRO_INGAME", "Necromancer", "Reaper"),
            ("RANGER", "Ranger", "Soulbeast"),
        ] {
            let code = vector(name);
            // Independently: what the decode endpoint says the code holds.
            let decoded = app
                .post("/api/v1/codes/decode", json!({"code": code}), None)
                .await
                .expect(StatusCode::OK);
            assert_eq!(decoded["build"]["profession"]["name"], profession);
            let lines = decoded["build"]["specializations"].as_array().unwrap();
            let decoded_elite: Vec<&str> = lines
                .iter()
                .filter(|l| l["elite"] == true)
                .map(|l| l["name"].as_str().unwrap())
                .collect();
            assert_eq!(decoded_elite, [elite], "{name}");

            let saved = app
                .post(
                    URI,
                    json!({"name": name, "chat_code": format!("  {code} "), "game_mode": "wvw"}),
                    Some(&ann),
                )
                .await
                .expect(StatusCode::CREATED);
            assert_eq!(saved["chat_code"], code.as_str(), "stored trimmed");
            assert_eq!(
                saved["profession"],
                profession,
                "{:?} {name}",
                app.backend()
            );
            assert_eq!(saved["specialization"], elite, "{name}");
        }
        // Given names that agree with the code are kept (made canonical).
        let saved = app
            .post(
                URI,
                json!({"name": "agreed", "chat_code": vector("ELE"), "profession": "elementalist", "specialization": "weaver"}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(
            (&saved["profession"], &saved["specialization"]),
            (&json!("Elementalist"), &json!("Weaver"))
        );
        // A core line of the code may be named instead of the elite.
        let decoded = app
            .post("/api/v1/codes/decode", json!({"code": vector("ELE")}), None)
            .await
            .expect(StatusCode::OK);
        let core = decoded["build"]["specializations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["elite"] == false)
            .expect("a core line")["name"]
            .clone();
        let saved = app
            .post(
                URI,
                json!({"name": "core", "chat_code": vector("ELE"), "specialization": core}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(saved["specialization"], core);
        // Without a code, a specialization alone says whose it is.
        let saved = app
            .post(
                URI,
                json!({"name": "spec only", "specialization": "Scourge"}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(saved["profession"], "Necromancer");
    }
}

#[tokio::test]
async fn the_clients_game_mode_words_are_read_and_stored_canonically() {
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        // The AI Build Lab and URL import pages send their context ("WvW Zerg" by default).
        for (said, stored) in [
            ("WvW Zerg", "wvw_zerg"),
            ("roaming", "wvw_roaming"),
            ("Raids", "raid"),
            ("McM", "wvw"),
        ] {
            let saved = app
                .post(URI, json!({"name": said, "game_mode": said}), Some(&ann))
                .await
                .expect(StatusCode::CREATED);
            assert_eq!(saved["game_mode"], stored, "{:?} {said}", app.backend());
        }
    }
}

#[tokio::test]
async fn an_account_keeps_at_most_500_even_when_saving_concurrently() {
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        let (_, bob, _) = app.user("bob").await;
        for i in 0..490 {
            app.post(URI, json!({"name": format!("b{i}")}), Some(&ann))
                .await
                .expect(StatusCode::CREATED);
        }
        // 20 saves at once with room for 10: exactly 10 land, with distinct ids.
        let app = std::sync::Arc::new(app);
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let app = app.clone();
                let ann = ann.clone();
                tokio::spawn(async move {
                    app.post(URI, json!({"name": format!("race {i}")}), Some(&ann))
                        .await
                })
            })
            .collect();
        let mut created = Vec::new();
        let mut refused = 0;
        for task in tasks {
            let reply = task.await.unwrap();
            match reply.status {
                StatusCode::CREATED => created.push(reply.body["id"].as_i64().unwrap()),
                StatusCode::CONFLICT => {
                    let (detail, code) = reply.expect_error(StatusCode::CONFLICT);
                    assert_eq!(code, "conflict");
                    assert!(detail.contains("500 saved builds"), "{detail}");
                    refused += 1;
                }
                other => panic!("{other}: {}", String::from_utf8_lossy(&reply.raw)),
            }
        }
        assert_eq!((created.len(), refused), (10, 10), "{:?}", app.backend());
        let distinct: BTreeSet<i64> = created.iter().copied().collect();
        assert_eq!(distinct.len(), 10);
        let list = app.get(URI, Some(&ann)).await.expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 500);
        // The cap is per account, and deleting makes room again.
        app.post(URI, json!({"name": "Bob's"}), Some(&bob))
            .await
            .expect(StatusCode::CREATED);
        app.request(
            Method::DELETE,
            &format!("{URI}/{}", created[0]),
            None,
            Some(&ann),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        app.post(URI, json!({"name": "room again"}), Some(&ann))
            .await
            .expect(StatusCode::CREATED);
    }
}

#[tokio::test]
async fn deleting_an_account_deletes_its_saved_builds() {
    for app in TestApp::all().await {
        let (ann_id, ann, _) = app.user("ann").await;
        app.post(URI, json!({"name": "gone with me"}), Some(&ann))
            .await
            .expect(StatusCode::CREATED);
        app.request(
            Method::DELETE,
            "/api/v1/users/me",
            Some(json!({"password": common::PASSWORD})),
            Some(&ann),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let user_id: uuid::Uuid = ann_id.parse().unwrap();
        let left = store::saved_builds::list_of(&app.state.db, user_id)
            .await
            .unwrap();
        assert!(left.is_empty(), "{:?}: {left:?}", app.backend());
    }
}

#[tokio::test]
async fn the_openapi_document_lists_the_new_routes_under_their_tags() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let doc = app
        .get("/api/v1/openapi.json", None)
        .await
        .expect(StatusCode::OK);
    for (path, method, tag) in [
        ("/api/v1/saved-builds", "post", "builds"),
        ("/api/v1/saved-builds", "get", "builds"),
        ("/api/v1/saved-builds/{id}", "delete", "builds"),
        ("/api/v1/meta/overview/{game_mode}", "get", "meta"),
        ("/api/v1/ai/feedback", "post", "ai"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["tags"], json!([tag]), "{method} {path}: {op}");
    }
    let delete = &doc["paths"]["/api/v1/saved-builds/{id}"]["delete"];
    assert_eq!(delete["parameters"][0]["schema"]["type"], "integer");
    let list = &doc["paths"]["/api/v1/saved-builds"]["get"]["responses"]["200"];
    assert_eq!(
        list["content"]["application/json"]["schema"]["type"], "array",
        "a plain array, as the client expects: {list}"
    );
}
