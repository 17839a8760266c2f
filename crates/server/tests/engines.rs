//! The engines through the API: chat codes, the squad optimizer and the gear optimizer.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[tokio::test]
async fn codes_decode_and_encode() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let vectors = repo_file("crates/gw2/tests/chatcode.rs");
    let code = vectors.split('"').find(|s| s.starts_with("[&DQ")).unwrap();
    let decoded = app
        .post("/api/v1/codes/decode", json!({"code": code}), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(decoded["build"]["profession"]["name"], "Elementalist");
    let heal = &decoded["build"]["skills"]["land"]["heal"];
    assert_eq!(heal["name"], "Glyph of Elemental Harmony", "{decoded}");
    assert_eq!(heal["skill_id"], 5569);
    assert_eq!(heal["palette"], 279);
    let encoded = app
        .post(
            "/api/v1/codes/encode",
            json!({"build": decoded["build"]}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(encoded["code"], code);
    // The same code with its heal palette replaced by one the elementalist does not have.
    let unknown_skill = gw2::chatcode::encode_raw(&{
        let mut raw = gw2::chatcode::decode_raw(code).unwrap();
        raw.land.heal = 65000;
        raw
    })
    .unwrap();
    let err = app
        .post("/api/v1/codes/decode", json!({"code": unknown_skill}), None)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.to_string().contains("palette id 65000"), "{err}");
    for bad in ["[&DQ==]", "garbage", "[&AgH1WQAA]"] {
        let err = app
            .post("/api/v1/codes/decode", json!({"code": bad}), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "code", "{bad}: {err}");
    }
}

#[tokio::test]
async fn squad_optimizer_places_everyone_once() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let input: Value = serde_json::from_str(&repo_file("presets/squad/wvw50.json")).unwrap();
    let plan = app
        .post("/api/v1/teams/optimize", input.clone(), None)
        .await
        .expect(StatusCode::OK);
    let placed: usize = plan["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["members"].as_array().unwrap().len())
        .sum();
    assert_eq!(placed, input["players"].as_array().unwrap().len());
    assert!(plan["optimality_gap"].as_f64().unwrap() < 0.01);
    let err = app
        .post("/api/v1/teams/optimize", json!({"players": []}), None)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["detail"].as_str().unwrap().contains("no players"));
}

#[tokio::test]
async fn gear_optimizer_answers_ranked_results() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let (_, token, _) = app.user("gearhead").await;
    let input: Value =
        serde_json::from_str(&repo_file("presets/gear/power-berserker.json")).unwrap();
    // Answered at once (200) when the search fits the 2 s budget; in a debug build on a busy
    // machine it may become a job (202): then the finished job carries the same answer.
    let reply = app.post("/api/v1/optimize/gear", input, Some(&token)).await;
    let out = if reply.status == StatusCode::ACCEPTED {
        let url = reply.body["status_url"].as_str().unwrap().to_owned();
        let mut job = Value::Null;
        for _ in 0..600 {
            job = app.get(&url, Some(&token)).await.expect(StatusCode::OK);
            if job["status"] != "running" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(job["status"], "done", "{job}");
        job["output"].clone()
    } else {
        reply.expect(StatusCode::OK)
    };
    let first = &out["results"][0];
    assert!(first["dps"].as_f64().unwrap() > 0.0);
    assert!(first["gear"].is_object() && first["attributes"].is_object());
    assert_eq!(out["search"]["proven_optimal"], true);
    app.post(
        "/api/v1/optimize/gear",
        json!({"affixes": ["Godlike"]}),
        None,
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn posted_teams_are_analyzed_with_suggestions() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let member = |player: &str, build: &str, prof: &str, spec: &str, role: &str| json!({"player": player, "build": {"build": build, "profession": prof, "specialization": spec, "role": role}});
    let mut bo = member("Bo", "scourge", "Necromancer", "Scourge", "dps");
    bo["alternatives"] = json!([{"build": "fb", "profession": "Guardian", "specialization": "Firebrand", "role": "support"}]);
    let team = json!({"requirements": "wvw_zerg", "parties": [{"members": [
        member("Ann", "scourge", "Necromancer", "Scourge", "dps"), bo, member("Cy", "reaper", "Necromancer", "Reaper", "dps")]}]});
    let report = app
        .post("/api/v1/teams/synergy", team, None)
        .await
        .expect(StatusCode::OK);
    let gaps = report["parties"][0]["gaps"].as_array().unwrap();
    assert!(
        gaps.iter().any(|g| g["resource"] == "stability"),
        "three necromancers lack stability: {report}"
    );
    let suggestions = report["suggestions"].to_string();
    assert!(
        suggestions.contains("Bo") && suggestions.to_lowercase().contains("stability"),
        "swap Bo to the Firebrand: {suggestions}"
    );
    app.post(
        "/api/v1/teams/synergy",
        json!({"parties": [], "requirements": "nope"}),
        None,
    )
    .await
    .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
}
