//! Where the web UI's gear optimizer starts: the embedded presets and a stored build's
//! input (`GET /optimize/gear/presets`, `GET /builds/{id}/gear-input`), each run through the
//! optimizer as the UI does.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

use common::full_gear as gear;

#[tokio::test]
async fn presets_are_listed_with_inputs_the_optimizer_runs() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let list = app
        .get("/api/v1/optimize/gear/presets", None)
        .await
        .expect(StatusCode::OK);
    let presets = list["presets"].as_array().unwrap();
    let ids: Vec<&str> = presets.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "power-berserker",
            "condi-firebrand",
            "wvw-support-firebrand"
        ]
    );
    let power = &presets[0];
    assert_eq!(power["profession"], "Warrior");
    assert_eq!(power["name"], "Power Berserker GS A/A");
    let mut input = power["input"].clone();
    input["top"] = json!(3);
    let out = app
        .post("/api/v1/optimize/gear", input, None)
        .await
        .expect(StatusCode::OK);
    let results = out["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{out}");
    assert!(
        results[0]["dps"].as_f64().unwrap() > 20_000.0,
        "{}",
        results[0]
    );
}

#[tokio::test]
async fn a_build_gives_an_open_input_for_its_owner_and_not_for_others() {
    for app in TestApp::all().await {
        let (_, owner, _) = app.user("planner").await;
        let (_, other, _) = app.user("stranger").await;
        let body = json!({"name": "My zerker", "profession": "Warrior", "specialization": "Berserker",
            "game_mode": "raid", "role": "dps", "is_public": false, "equipment": {"gear": gear("Valkyrie's")}});
        let id = app
            .post("/api/v1/builds", body, Some(&owner))
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let input = app
            .get(&format!("/api/v1/builds/{id}/gear-input"), Some(&owner))
            .await
            .expect(StatusCode::OK);
        assert_eq!(input["name"], "My zerker");
        assert_eq!(input["profession"], "Warrior");
        assert_eq!(input["top"], 10);
        // Every slot is open, the build's own prefix among the candidates.
        assert_eq!(input["forced_slots"], json!({}), "{input}");
        let affixes: Vec<String> = input["affixes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_lowercase())
            .collect();
        assert!(
            affixes.iter().any(|a| a.contains("valkyrie")),
            "{affixes:?}"
        );
        assert!(
            affixes.iter().any(|a| a.contains("berserker")),
            "{affixes:?}"
        );

        // Optimizing from it beats the build's own all-Valkyrie gear.
        let own = app
            .get(&format!("/api/v1/builds/{id}/dps"), Some(&owner))
            .await
            .expect(StatusCode::OK)["dps"]
            .as_f64()
            .unwrap();
        let mut run = input.clone();
        run["top"] = json!(1);
        // Anonymously: the answer comes at once (within the anonymous budget), never a job.
        let best = app
            .post("/api/v1/optimize/gear", run, None)
            .await
            .expect(StatusCode::OK);
        let best_dps = best["results"][0]["dps"].as_f64().unwrap();
        assert!(best_dps > own, "optimized {best_dps} vs own {own}");

        app.get(&format!("/api/v1/builds/{id}/gear-input"), Some(&other))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get(&format!("/api/v1/builds/{id}/gear-input"), None)
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get(
            "/api/v1/builds/00000000-0000-0000-0000-000000000000/gear-input",
            Some(&owner),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);

        // A profession without a specialization has no benchmark: 422 naming the field.
        let core = app
            .post(
                "/api/v1/builds",
                json!({"name": "Core", "profession": "Warrior", "game_mode": "wvw", "role": "dps"}),
                Some(&owner),
            )
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let err = app
            .get(&format!("/api/v1/builds/{core}/gear-input"), Some(&owner))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "specialization", "{err}");
    }
}
