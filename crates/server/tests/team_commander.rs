//! `POST /api/v1/ai/teams/command` and `GET /api/v1/ai/teams/templates` in the shapes the
//! original web client reads (`teamCommander.service.ts`), and their refusals.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

const COMMAND: &str = "/api/v1/ai/teams/command";

async fn app() -> TestApp {
    // No database work here: one backend is enough.
    TestApp::all().await.into_iter().next().expect("an app")
}

/// Every field the client's `TeamCommandResponse` declares, with its type.
fn assert_client_shape(body: &Value) {
    assert_eq!(body["success"], json!(true));
    assert!(body["team_size"].as_u64().is_some());
    for group in body["groups"].as_array().expect("groups") {
        assert!(group["index"].as_u64().is_some());
        for slot in group["slots"].as_array().expect("slots") {
            for key in ["role", "profession", "specialization", "advisor_reason"] {
                assert!(slot[key].is_string(), "{key} in {slot}");
            }
            let e = &slot["equipment"];
            assert!(e["stats"].is_string() && e["rune"].is_string(), "{e}");
            assert!(e["sigils"]
                .as_array()
                .is_some_and(|s| s.iter().all(Value::is_string)));
            assert!(e["relic"].is_string() || e["relic"].is_null());
            let p = &slot["performance"];
            for key in ["burst_damage", "survivability", "dps_increase"] {
                assert!(p[key].is_number(), "{key} in {p}");
            }
        }
    }
    let synergy = &body["synergy"];
    assert!(["S", "A", "B", "C"].contains(&synergy["score"].as_str().expect("score")));
    for key in [
        "stability",
        "healing",
        "boon_share",
        "boon_strip",
        "damage",
        "cleanse",
    ] {
        assert!(synergy["details"][key].is_string(), "{key}");
    }
    assert!(body["notes"].is_array());
    assert!(body["parse"]["understood"].is_array() && body["warnings"].is_array());
}

#[tokio::test]
async fn the_issue_example_gives_two_groups_with_the_five_asked_for() {
    let app = app().await;
    let message = "Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg";
    let body = app
        .post(COMMAND, json!({"message": message}), None)
        .await
        .expect(StatusCode::OK);
    assert_client_shape(&body);
    assert_eq!(body["team_size"], 10);
    let groups = body["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    for group in groups {
        let mut specs: Vec<&str> = group["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["specialization"].as_str().unwrap())
            .collect();
        specs.sort_unstable();
        assert_eq!(
            specs,
            [
                "Druid",
                "Firebrand",
                "Harbinger",
                "Scrapper",
                "Spellbreaker"
            ]
        );
    }
    // What was understood points back into the message.
    for part in body["parse"]["understood"].as_array().unwrap() {
        let (start, end) = (
            part["span"]["start"].as_u64().unwrap() as usize,
            part["span"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&message[start..end], part["span"]["text"].as_str().unwrap());
    }
}

#[tokio::test]
async fn the_fields_override_the_sentence() {
    let app = app().await;
    let body = app
        .post(
            COMMAND,
            json!({"message": "un groupe de 5 avec un Firebrand", "mode": "wvw_roam", "experience": "beginner"}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(body["mode"], "roaming");
    assert_eq!(body["experience"], "beginner");
}

#[tokio::test]
async fn every_template_plans() {
    let app = app().await;
    let body = app
        .get("/api/v1/ai/teams/templates", None)
        .await
        .expect(StatusCode::OK);
    let templates = body["templates"].as_array().unwrap();
    assert!(templates.len() >= 8);
    let french = templates
        .iter()
        .filter(|t| t["name"].as_str().unwrap().contains("FR"))
        .count();
    assert!(french >= 3 && templates.len() - french >= 3);
    for t in templates {
        assert!(t["description"].is_string());
        let reply = app
            .post(COMMAND, json!({"message": t["command"]}), None)
            .await;
        let body = reply.expect(StatusCode::OK);
        assert_client_shape(&body);
        assert!(
            body["warnings"].as_array().unwrap().is_empty(),
            "{}: {}",
            t["command"],
            body["warnings"]
        );
    }
}

#[tokio::test]
async fn what_cannot_be_honoured_is_a_422_naming_it() {
    let app = app().await;
    let cases = [
        (
            json!({"message": "60 joueurs pour un zerg"}),
            "players",
            "60",
        ),
        (
            json!({"message": "2 groups of 7 with a Firebrand"}),
            "group_size",
            "7",
        ),
        (
            json!({"message": "2 Blorps et 3 Firebrands"}),
            "message",
            "Blorps",
        ),
        (json!({"message": "   "}), "message", "empty"),
        (json!({"message": "x".repeat(2_001)}), "message", "2000"),
        (
            json!({"message": "zerg", "mode": "wvw_sieges"}),
            "mode",
            "wvw_sieges",
        ),
        (
            json!({"message": "zerg", "experience": "guru"}),
            "experience",
            "guru",
        ),
        (json!({"message": "roaming, 10 players"}), "mode", "10"),
    ];
    for (input, field, word) in cases {
        let body = app
            .post(COMMAND, input.clone(), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], field, "{input}: {body}");
        assert!(
            body["detail"].as_str().unwrap().contains(word),
            "{input}: {body}"
        );
    }
    let reply = app
        .raw(
            Method::POST,
            COMMAND,
            Some("application/json"),
            "{\"message\": ",
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = app
        .post(COMMAND, json!({"message": "zerg", "colour": "red"}), None)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are named"
    );
}

#[tokio::test]
async fn build_and_skill_analyses_in_the_clients_shapes() {
    let app = app().await;
    let data = gw2::GameData::embedded();
    let fb = data.specialization_by_name("Firebrand").unwrap();
    let body = app
        .post(
            "/api/v1/ai/analyze/build-full",
            json!({"specialization_id": fb.id, "trait_ids": [], "skill_ids": [], "context": "WvW Zerg"}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert!(["S", "A", "B", "C"].contains(&body["synergy_score"].as_str().unwrap()));
    assert!(
        body["strengths"].is_array()
            && body["weaknesses"].is_array()
            && body["summary"].is_string()
    );
    let chosen = &body["gear_optimization"]["chosen"];
    for key in ["prefix", "rune"] {
        assert!(chosen[key].is_string(), "{key}");
    }
    for key in ["total_damage", "survivability", "overall_score"] {
        assert!(chosen[key].is_number(), "{key}");
    }
    assert!(chosen["sigils"].is_array() && body["gear_optimization"]["alternatives"].is_array());
    assert_eq!(body["gear_optimization"]["role"], "support");
    assert_eq!(
        body["meta_comparison"]["closest_meta"]["specialization"],
        "Firebrand"
    );

    let tome = data
        .skills()
        .iter()
        .find(|k| k.specialization == Some(fb.id))
        .unwrap();
    let skill = app
        .post(
            "/api/v1/ai/analyze/skill",
            json!({"skill_id": tome.id}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(skill["skill_id"], tome.id);
    assert!(skill["rating"].is_string() && skill["reason"].is_string() && skill["tags"].is_array());

    for (path, input, field) in [
        (
            "/api/v1/ai/analyze/build-full",
            json!({"specialization_id": 60000}),
            "specialization_id",
        ),
        (
            "/api/v1/ai/analyze/build-full",
            json!({"trait_ids": []}),
            "specialization_id",
        ),
        (
            "/api/v1/ai/analyze/build-full",
            json!({"specialization_id": fb.id, "context": "z".repeat(201)}),
            "context",
        ),
        (
            "/api/v1/ai/analyze/skill",
            json!({"skill_id": 1}),
            "skill_id",
        ),
        (
            "/api/v1/ai/analyze/skill",
            json!({"skill_id": -4}),
            "skill_id",
        ),
    ] {
        let body = app
            .post(path, input.clone(), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], field, "{input}: {body}");
    }
}

#[tokio::test]
async fn the_planner_writes_in_the_asked_language() {
    let app = app().await;
    let message = "2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper";
    let english = app
        .post(
            "/api/v1/ai/teams/command",
            json!({"message": message}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    let french = app
        .post(
            "/api/v1/ai/teams/command",
            json!({"message": message, "language": "fr"}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    // the same squad, only the words differ
    let specs = |a: &Value| {
        a["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["slots"].as_array().unwrap())
            .map(|s| s["specialization"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(specs(&english), specs(&french));
    assert_eq!(english["synergy"]["score"], french["synergy"]["score"]);
    assert_client_shape(&french);
    let notes = french["notes"].to_string();
    assert!(notes.contains("Aucun format McM indiqué"), "{notes}");
    assert!(english["notes"].to_string().contains("No WvW format named"));
    let slot = &french["groups"][0]["slots"][0];
    let reason = slot["advisor_reason"].as_str().unwrap();
    assert!(
        reason.starts_with("Demandé : Incendiaire (soutien) apporte "),
        "{reason}"
    );
    assert!(reason.contains("stabilité"), "{reason}");
    let chosen = french["groups"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| {
            s["advisor_reason"]
                .as_str()
                .unwrap()
                .starts_with("Choisi par l'optimiseur")
                || s["requested"] == true
        });
    assert!(chosen);
    let details = &french["synergy"]["details"];
    assert!(
        details["stability"].as_str().unwrap().contains("couvert"),
        "{details}"
    );
    assert!(
        details["damage"]
            .as_str()
            .unwrap()
            .contains("infligent des dégâts"),
        "{details}"
    );
    // game names, fields and numbers stay as the client reads them
    assert_eq!(slot["specialization"], "Firebrand");
    assert_eq!(slot["role"], "support");

    // Accept-Language when the body does not say; a refusal in French
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/ai/teams/command")
        .header("content-type", "application/json")
        .header("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")
        .body(axum::body::Body::from(
            json!({"message": "60 joueurs pour un zerg"}).to_string(),
        ))
        .unwrap();
    let refused = app
        .send(request)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains("une escouade McM compte au plus 50 joueurs (demandé : 60)"),
        "{detail}"
    );
    let bad = app
        .post(
            "/api/v1/ai/teams/command",
            json!({"message": message, "language": "de"}),
            None,
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["field"], "language");
}
