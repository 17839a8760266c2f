//! The AI adviser: agents answering from stored builds and the engines, workflows run in the
//! background with recorded steps, their ownership, and their progress over the WebSocket.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use common::full_gear as gear;

async fn build(
    app: &TestApp,
    token: &str,
    name: &str,
    (spec, prof, role, mode): (&str, &str, &str, &str),
    prefix: &str,
) -> String {
    let body = json!({"name": name, "profession": prof, "specialization": spec, "game_mode": mode,
        "role": role, "is_public": true, "equipment": {"gear": gear(prefix)}});
    app.post("/api/v1/builds", body, Some(token))
        .await
        .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn vote(app: &TestApp, token: &str, id: &str, value: i32) {
    app.post(
        &format!("/api/v1/builds/{id}/vote"),
        json!({"value": value}),
        Some(token),
    )
    .await
    .expect(StatusCode::OK);
}

async fn post_lang(app: &TestApp, uri: &str, body: Value, lang: &str) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("content-type", "application/json")
        .header("accept-language", lang)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// Polls a run until it is no longer running (at most 60 s).
async fn finished(app: &TestApp, id: &str, token: &str) -> Value {
    for _ in 0..600 {
        let run = app
            .get(&format!("/api/v1/ai/workflows/runs/{id}"), Some(token))
            .await
            .expect(StatusCode::OK);
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("run {id} still running after 60 s");
}

#[tokio::test]
async fn recommendations_rank_stored_builds_by_votes_then_dps() {
    for app in TestApp::all().await {
        let (_, author, _) = app.user("author").await;
        let (_, fan1, _) = app.user("fan1").await;
        let (_, fan2, _) = app.user("fan2").await;
        let valk = build(
            &app,
            &author,
            "Valk zerker",
            ("Berserker", "Warrior", "dps", "raid"),
            "Valkyrie's",
        )
        .await;
        let zerk = build(
            &app,
            &author,
            "Full zerker",
            ("Berserker", "Warrior", "dps", "raid"),
            "Berserker's",
        )
        .await;
        let loved = build(
            &app,
            &author,
            "Loved zerker",
            ("Berserker", "Warrior", "dps", "raid"),
            "Valkyrie's",
        )
        .await;
        // Another mode and another profession are not candidates.
        build(
            &app,
            &author,
            "WvW zerker",
            ("Berserker", "Warrior", "dps", "wvw_zerg"),
            "Berserker's",
        )
        .await;
        build(
            &app,
            &author,
            "Reaper",
            ("Reaper", "Necromancer", "dps", "raid"),
            "Berserker's",
        )
        .await;
        vote(&app, &fan1, &loved, 1).await;
        vote(&app, &fan2, &loved, 1).await;

        let out = app
            .post(
                "/api/v1/ai/recommend",
                json!({"game_mode": "raid", "profession": "Warrior", "role": "dps"}),
                None,
            )
            .await
            .expect(StatusCode::OK);
        let ids: Vec<&str> = out["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["build_id"].as_str().unwrap())
            .collect();
        // Votes first; with equal votes the full Berserker's gear out-damages Valkyrie's.
        assert_eq!(ids, [loved.as_str(), zerk.as_str(), valk.as_str()], "{out}");
        let first = &out["candidates"][0];
        assert_eq!(first["score"], 2);
        let dps = |i: usize| out["candidates"][i]["dps"].as_f64().unwrap();
        assert!(dps(1) > dps(2), "{out}");
        assert!(
            first["reasons"][0].as_str().unwrap().contains("+2"),
            "{first}"
        );
        assert!(out["benchmarks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["specialization"] == "Berserker" || b["profession"] == "Warrior"));
        assert!(
            out["summary"].as_str().unwrap().contains("Loved zerker"),
            "{out}"
        );

        // In French when asked in French; the original's path answers the same.
        let fr = post_lang(
            &app,
            "/api/v1/ai/recommend-build",
            json!({"game_mode": "raid", "profession": "Warrior", "role": "dps"}),
            "fr-FR,fr;q=0.9",
        )
        .await
        .expect(StatusCode::OK);
        assert!(
            fr["summary"]
                .as_str()
                .unwrap()
                .contains("le meilleur est « Loved zerker »"),
            "{fr}"
        );

        // Nothing stored fits: the benchmark rotations are the answer.
        let none = app
            .post(
                "/api/v1/ai/recommend",
                json!({"game_mode": "fractals", "specialization": "Firebrand"}),
                None,
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(none["candidates"], json!([]));
        assert!(!none["benchmarks"].as_array().unwrap().is_empty(), "{none}");
        assert!(
            none["summary"].as_str().unwrap().contains("benchmark"),
            "{none}"
        );

        for (body, field) in [
            (json!({"game_mode": "chess"}), "game_mode"),
            (json!({"game_mode": "raid", "role": "bard"}), "role"),
            (
                json!({"game_mode": "raid", "profession": "Jedi"}),
                "profession",
            ),
            (json!({"game_mode": "raid", "limit": 0}), "limit"),
        ] {
            let err = app
                .post("/api/v1/ai/recommend", body.clone(), None)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], field, "{body}: {err}");
        }
    }
}

#[tokio::test]
async fn the_build_optimization_workflow_records_its_steps_for_its_owner_only() {
    for app in TestApp::all().await {
        let (_, owner, _) = app.user("owner").await;
        let (_, other, _) = app.user("other").await;
        let id = build(
            &app,
            &owner,
            "My zerker",
            ("Berserker", "Warrior", "dps", "raid"),
            "Valkyrie's",
        )
        .await;

        // Signed out: no workflows.
        app.post(
            "/api/v1/ai/workflows/build-optimization",
            json!({"build_id": id}),
            None,
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
        let started = app
            .post(
                "/api/v1/ai/workflows/build-optimization",
                json!({"build_id": id}),
                Some(&owner),
            )
            .await
            .expect(StatusCode::ACCEPTED);
        assert_eq!(started["workflow"], "build-optimization");
        let run_id = started["id"].as_str().unwrap().to_owned();
        let run = finished(&app, &run_id, &owner).await;
        assert_eq!(run["status"], "done", "{run}");
        let steps = run["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 1, "{run}");
        assert_eq!(steps[0]["agent"], "build_optimization");
        assert_eq!(steps[0]["status"], "done");
        assert_eq!(steps[0]["input"]["build_id"], id.as_str());
        assert!(steps[0]["duration_ms"].as_u64().is_some());
        let gear = &run["output"]["gear"];
        let (current, best) = (
            gear["current_dps"].as_f64().unwrap(),
            gear["best_dps"].as_f64().unwrap(),
        );
        // Valkyrie's everywhere is not the raid optimum: the engine finds more damage.
        assert!(best > current, "{gear}");
        assert!(!gear["changes"].as_array().unwrap().is_empty(), "{gear}");

        // Another user does not see it (not even that it exists).
        app.get(&format!("/api/v1/ai/workflows/runs/{run_id}"), Some(&other))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        app.request(
            Method::DELETE,
            &format!("/api/v1/ai/workflows/runs/{run_id}"),
            None,
            Some(&other),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);

        // Without a build: the recommender picks one first (the same build: the only one).
        let started = app
            .post(
                "/api/v1/ai/workflow/build-optimization",
                json!({"game_mode": "raid", "profession": "Warrior", "role": "dps"}),
                Some(&owner),
            )
            .await
            .expect(StatusCode::ACCEPTED);
        let run = finished(&app, started["id"].as_str().unwrap(), &owner).await;
        assert_eq!(run["status"], "done", "{run}");
        let agents: Vec<&str> = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["agent"].as_str().unwrap())
            .collect();
        assert_eq!(agents, ["recommender", "build_optimization"]);
        assert_eq!(run["output"]["gear"]["build_id"], id.as_str());

        // Bad names and inputs are refused before anything runs.
        app.post(
            "/api/v1/ai/workflows/world-domination",
            json!({}),
            Some(&owner),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        for body in [
            json!({}),
            json!({"build_id": "not-a-uuid"}),
            json!({"build_id": id, "extra": 1}),
        ] {
            let err = app
                .post(
                    "/api/v1/ai/workflows/build-optimization",
                    body.clone(),
                    Some(&owner),
                )
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err["field"], "input", "{body}: {err}");
        }
        let list = app
            .get("/api/v1/ai/workflows", None)
            .await
            .expect(StatusCode::OK);
        let names: Vec<&str> = list["workflows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "build-optimization",
                "team-analysis",
                "meta-analysis",
                "learning"
            ]
        );
    }
}

async fn team_of(app: &TestApp, token: &str) -> String {
    let fb = build(
        app,
        token,
        "FB",
        ("Firebrand", "Guardian", "support", "wvw_zerg"),
        "Minstrel's",
    )
    .await;
    let scrap = build(
        app,
        token,
        "Scrap",
        ("Scrapper", "Engineer", "support", "wvw_zerg"),
        "Minstrel's",
    )
    .await;
    let druid = build(
        app,
        token,
        "Druid",
        ("Druid", "Ranger", "healer", "wvw_zerg"),
        "Minstrel's",
    )
    .await;
    let reaper = build(
        app,
        token,
        "Reaper",
        ("Reaper", "Necromancer", "dps", "wvw_zerg"),
        "Marauder's",
    )
    .await;
    // Every support in party 1, only damage in party 2: the optimizer spreads them.
    let slots = json!([
        {"party": 1, "position": 1, "build_id": fb, "player_name": "Ann"},
        {"party": 1, "position": 2, "build_id": scrap, "player_name": "Bob"},
        {"party": 1, "position": 3, "build_id": druid, "player_name": "Cyd"},
        {"party": 1, "position": 4, "build_id": fb, "player_name": "Dee"},
        {"party": 2, "position": 1, "build_id": reaper, "player_name": "Eve"},
        {"party": 2, "position": 2, "build_id": reaper, "player_name": "Fox"},
        {"party": 2, "position": 3, "build_id": reaper, "player_name": "Gus"},
        {"party": 2, "position": 4, "build_id": reaper, "player_name": "Hal"},
    ]);
    app.post(
        "/api/v1/teams",
        json!({"name": "Lopsided", "game_mode": "wvw_zerg", "is_public": false, "slots": slots}),
        Some(token),
    )
    .await
    .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn team_analysis_grades_a_team_and_the_optimizer_spreads_its_supports() {
    for app in TestApp::all().await {
        let (_, lead, _) = app.user("lead").await;
        let (_, stranger, _) = app.user("stranger").await;
        let team = team_of(&app, &lead).await;
        let advice = app
            .post(
                "/api/v1/ai/analyze-team-synergy",
                json!({"team_id": team}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(advice["players"], 8);
        let before = advice["coverage"].as_f64().unwrap();
        let after = advice["optimized_coverage"].as_f64().unwrap();
        assert!(after > before, "{advice}");
        assert!(!advice["moves"].as_array().unwrap().is_empty(), "{advice}");
        for grade in [&advice["grade"], &advice["optimized_grade"]] {
            assert!(["S", "A", "B", "C"].contains(&grade.as_str().unwrap()));
        }
        // The original's path answers the same; a private team is not another's to analyze.
        let same = app
            .post(
                "/api/v1/ai/optimize-team",
                json!({"team_id": team}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(same["optimized_coverage"], advice["optimized_coverage"]);
        app.post(
            "/api/v1/ai/analyze-team-synergy",
            json!({"team_id": team}),
            Some(&stranger),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);

        let started = app
            .post(
                "/api/v1/ai/workflow/team-analysis",
                json!({"team_id": team}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::ACCEPTED);
        let run = finished(&app, started["id"].as_str().unwrap(), &lead).await;
        assert_eq!(run["status"], "done", "{run}");
        let agents: Vec<&str> = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["agent"].as_str().unwrap())
            .collect();
        assert_eq!(agents, ["team_analysis", "meta_analysis"]);
        assert_eq!(
            run["output"]["team"]["optimized_coverage"],
            advice["optimized_coverage"]
        );
        assert_eq!(run["output"]["meta"]["game_mode"], "wvw_zerg");

        let status = app
            .get("/api/v1/ai/status", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(status["language_model"]["configured"], false);
        let context = app
            .get("/api/v1/ai/context", None)
            .await
            .expect(StatusCode::OK);
        assert!(context["benchmarks"].as_u64().unwrap() > 10, "{context}");
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_event(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .ok()??
        {
            Ok(Message::Text(t)) => {
                let value: Value = serde_json::from_str(t.as_str()).unwrap();
                if value["type"] != "heartbeat" {
                    return Some(value);
                }
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[tokio::test]
async fn a_run_streams_its_steps_to_its_owner_over_the_websocket() {
    let dir = tempfile::tempdir().unwrap();
    let served = common::serve(common::test_settings(dir.path())).await;
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for name in ["streamer", "peeker"] {
        http.post(format!("{}/api/v1/auth/register", served.base))
            .json(&json!({"email": format!("{name}@example.com"), "username": name, "password": common::PASSWORD}))
            .send()
            .await
            .unwrap();
        let login: Value = http
            .post(format!("{}/api/v1/auth/login", served.base))
            .json(&json!({"username": name, "password": common::PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(login["access_token"].as_str().unwrap().to_owned());
    }
    let (owner, peeker) = (&tokens[0], &tokens[1]);
    let run: Value = http
        .post(format!("{}/api/v1/ai/workflows/meta-analysis", served.base))
        .bearer_auth(owner)
        .json(&json!({"game_mode": "wvw"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let run_id = run["id"].as_str().unwrap().to_owned();

    // Someone else cannot follow it.
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}?token={peeker}", served.ws))
        .await
        .unwrap();
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "ready");
    ws.send(Message::Text(
        json!({"type": "subscribe", "run_id": run_id})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let refused = next_event(&mut ws).await.unwrap();
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["code"], "not_found", "{refused}");

    // Its owner gets the run so far, then its steps until it is done.
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}?token={owner}", served.ws))
        .await
        .unwrap();
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "ready");
    ws.send(Message::Text(
        json!({"type": "subscribe", "run_id": run_id})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_event(&mut ws).await.unwrap()["type"], "subscribed");
    let snapshot = next_event(&mut ws).await.unwrap();
    assert_eq!(snapshot["type"], "workflow_run", "{snapshot}");
    let mut status = snapshot["run"]["status"].as_str().unwrap().to_owned();
    let mut steps_seen = Vec::new();
    while status == "running" {
        let event = next_event(&mut ws).await.expect("an event before the end");
        match event["type"].as_str().unwrap() {
            "workflow_step" => steps_seen.push((
                event["step"]["agent"].clone(),
                event["step"]["status"].clone(),
            )),
            "workflow_done" => status = event["status"].as_str().unwrap().to_owned(),
            other => panic!("unexpected {other}: {event}"),
        }
    }
    assert_eq!(status, "done");
    // Whatever was streamed came in order: each step running, then done.
    for pair in steps_seen.chunks(2) {
        if let [(a, s1), (b, s2)] = pair {
            assert_eq!(a, b);
            assert_eq!((s1.as_str(), s2.as_str()), (Some("running"), Some("done")));
        }
    }
    let stored: Value = http
        .get(format!("{}/api/v1/ai/workflows/runs/{run_id}", served.base))
        .bearer_auth(owner)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["status"], "done");
    assert_eq!(stored["steps"][0]["agent"], "meta_analysis");
}
