//! The learning loop through the real router, on every backend: stored WvW fights where
//! stability decides the outcome become samples, the registry keeps every model with its
//! cross-validated scores against the baseline and selects one, the squad optimizer's
//! `learned_weights` follows it; build ratings come from votes, views, saves, teams and
//! feedback; squad members of uploaded logs and stored fights become player-contribution
//! samples whose known cause the models find; samples export as JSON lines; everything but
//! the list is for superusers.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use learning::synthetic::{fights, Signal};
use serde_json::{json, Value};
use uuid::Uuid;

async fn superuser(app: &TestApp) -> String {
    app.state
        .accounts
        .create_superuser("root@example.com", "root", common::PASSWORD)
        .await
        .unwrap();
    let tokens = app
        .login("root", common::PASSWORD)
        .await
        .expect(StatusCode::OK);
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// Stores `reports` as fights uploaded by `user`.
async fn store_fights(app: &TestApp, user: Uuid, reports: &[evtc::FightReport]) {
    for (i, report) in reports.iter().enumerate() {
        let fight = store::fights::NewFight {
            id: Uuid::new_v4(),
            user_id: user,
            file_name: format!("fight-{i}.zevtc"),
            file_size: 1000,
            file_sha256: format!("{:064x}", i + 1),
            fight_name: report.fight_name.clone(),
            map_id: None,
            is_wvw: report.is_wvw,
            started_at: None,
            duration_ms: report.duration_ms,
            squad_size: report.squad_size as i32,
            enemy_count: report.enemy_count as i32,
            outcome: format!("{:?}", report.outcome.result).to_lowercase(),
            squad_damage: 0,
            commander: None,
            report: serde_json::to_string(report).unwrap(),
            raw_path: None,
            is_public: i % 2 == 0,
            truncated_at: None,
        };
        store::fights::insert(&app.state.db, &fight, None, store::now())
            .await
            .unwrap();
    }
}

fn option(profession: &str, specialization: &str, role: &str) -> Value {
    json!({"build": format!("{specialization}-{role}"), "profession": profession,
           "specialization": specialization, "role": role})
}

/// Ten players in two WvW parties; four may play Scrapper support (stability, cleanses) or
/// Druid support (might, fury, protection, alacrity, healing), the others are DPS.
fn trade_off_squad() -> Value {
    let players: Vec<Value> = (0..10)
        .map(|i| {
            let options = if i < 4 {
                vec![
                    option("Engineer", "Scrapper", "support"),
                    option("Ranger", "Druid", "support"),
                ]
            } else {
                vec![option("Elementalist", "Weaver", "dps")]
            };
            json!({"name": format!("p{i}"), "options": options})
        })
        .collect();
    json!({"players": players, "requirements": "wvw_zerg"})
}

/// Scrappers placed (the only option here that brings stability).
fn stability_providers(plan: &Value) -> usize {
    plan["parties"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["members"].as_array().unwrap())
        .filter(|m| m["specialization"] == "Scrapper")
        .count()
}

#[tokio::test]
async fn fights_teach_stability_and_the_squad_optimizer_follows() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (uploader, user_token, _) = app.user("uploader").await;
        let root = superuser(&app).await;
        let mut reports = fights(240, Signal::Stability, 21);
        let mut draw = reports[0].clone();
        draw.outcome.result = evtc::analyze::Outcome::Draw;
        let mut pve = reports[1].clone();
        pve.is_wvw = false;
        reports.push(draw);
        reports.push(pve);
        store_fights(&app, uploader.parse().unwrap(), &reports).await;

        // nothing trained yet: an empty registry, and learned weights fall back, saying so
        let empty = app
            .get("/api/v1/learning/models", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(empty["total"], 0);
        let mut asked = trade_off_squad();
        asked["learned_weights"] = json!(true);
        let fallback = app
            .post("/api/v1/teams/optimize", asked.clone(), None)
            .await
            .expect(StatusCode::OK);
        assert!(fallback.get("weighted_by").is_none(), "{fallback}");
        assert!(
            fallback["warnings"]
                .to_string()
                .contains("no fight-outcome model is selected"),
            "{}",
            fallback["warnings"]
        );

        // training is for superusers
        app.post("/api/v1/learning/run", json!({}), None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED);
        app.post("/api/v1/learning/run", json!({}), Some(&user_token))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        for (body, field) in [
            (json!({"task": "everything"}), "task"),
            (json!({"folds": 1}), "folds"),
            (json!({"task": "fight_outcome", "epochs": 3}), "epochs"),
        ] {
            let reply = app
                .post("/api/v1/learning/run", body.clone(), Some(&root))
                .await;
            let body_out = reply.expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body_out["field"], field, "{body} → {body_out}");
        }

        let run = app
            .post(
                "/api/v1/learning/run",
                json!({"task": "fight_outcome"}),
                Some(&root),
            )
            .await
            .expect(StatusCode::OK);
        let task = &run["tasks"][0];
        assert_eq!(run["tasks"].as_array().unwrap().len(), 1);
        assert_eq!(task["task"], "fight_outcome");
        assert_eq!(task["error"], Value::Null, "{task}");
        assert_eq!(task["version"], 1);
        let snapshot = &task["snapshot"];
        assert_eq!(snapshot["id"], "fight_outcome@1");
        assert_eq!(snapshot["size"], 240, "{backend}: the draw gives no sample");
        assert_eq!(snapshot["new"], true);
        assert_eq!(
            snapshot["sources"]["read"]["fights"], 241,
            "only WvW logs are read"
        );
        assert_eq!(snapshot["sources"]["skipped"]["draw"], 1);
        let models = task["models"].as_array().unwrap();
        assert_eq!(models.len(), 2);
        let selected_kind = task["selected"]
            .as_str()
            .expect("a model is selected")
            .to_owned();
        for model in models {
            let m = &model["metrics"];
            let (mean, baseline) = (
                m["mean"].as_f64().unwrap(),
                m["baseline_mean"].as_f64().unwrap(),
            );
            eprintln!(
                "{backend} {}: CV accuracy {mean:.3} ± {:.3} vs baseline {baseline:.3} ± {:.3}",
                model["kind"],
                m["sd"].as_f64().unwrap(),
                m["baseline_sd"].as_f64().unwrap()
            );
            assert_eq!(m["metric"], "accuracy");
            assert_eq!(m["fold_scores"].as_array().unwrap().len(), 5);
            assert!(mean > baseline + 0.2, "{model}");
            assert_eq!(m["beats_baseline"], true);
            let top = m["importance"]
                .as_object()
                .unwrap()
                .iter()
                .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
                .unwrap()
                .0
                .clone();
            assert_eq!(top, "boon_stability", "{}", model["kind"]);
            assert_eq!(model["snapshot"]["id"], "fight_outcome@1");
            assert_eq!(model["selected"], model["kind"] == selected_kind.as_str());
        }

        // the registry lists them; a second run on the same data keeps the snapshot
        let listed = app
            .get("/api/v1/learning/models?task=fight_outcome", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["total"], 2);
        let again = app
            .post(
                "/api/v1/learning/run",
                json!({"task": "fight_outcome"}),
                Some(&root),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(again["tasks"][0]["snapshot"]["new"], false);
        assert_eq!(again["tasks"][0]["snapshot"]["version"], 1);
        assert_eq!(again["tasks"][0]["version"], 2);
        let listed = app
            .get("/api/v1/learning/models?limit=100", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["total"], 4);
        let selected: Vec<&Value> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["selected"] == true)
            .collect();
        assert_eq!(selected.len(), 1, "{backend}: one selected model per task");
        assert_eq!(selected[0]["version"], 2);
        app.get("/api/v1/learning/models?task=chess", None)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);

        // the squad optimizer with and without the learned weights
        let plain = app
            .post("/api/v1/teams/optimize", trade_off_squad(), None)
            .await
            .expect(StatusCode::OK);
        assert!(plain.get("weighted_by").is_none());
        let learned = app
            .post("/api/v1/teams/optimize", asked.clone(), None)
            .await
            .expect(StatusCode::OK);
        let by = &learned["weighted_by"];
        assert_eq!(by["model"], selected[0]["kind"], "{learned}");
        assert_eq!(by["version"], 2);
        assert_eq!(by["id"], selected[0]["id"]);
        assert_eq!(by["task"], "fight_outcome");
        assert_eq!(by["snapshot"], "fight_outcome@1");
        assert_eq!(by["factors"]["stability"], 4.0);
        let (before, after) = (stability_providers(&plain), stability_providers(&learned));
        eprintln!("{backend}: stability providers {before} without learned weights, {after} with");
        assert!(after > before, "{before} → {after}");
        let mut both = asked.clone();
        both["weight_factors"] = json!({"stability": 2.0});
        app.post("/api/v1/teams/optimize", both, None)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        let mut wrong = trade_off_squad();
        wrong["learned_weights"] = json!("yes");
        let (_, code) = app
            .post("/api/v1/teams/optimize", wrong, None)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code, "validation_error");
        let mut unknown = trade_off_squad();
        unknown["learned_weight"] = json!(true);
        let refused = app
            .post("/api/v1/teams/optimize", unknown, None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            refused["field"], "learned_weight",
            "a misspelt switch is not ignored"
        );

        // the samples export as JSON lines, for superusers
        app.get(
            "/api/v1/learning/samples/export?task=fight_outcome",
            Some(&user_token),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);
        app.get("/api/v1/learning/samples/export", Some(&root))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        app.get("/api/v1/learning/samples/export?task=all", Some(&root))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        app.get(
            "/api/v1/learning/samples/export?task=build_rating",
            Some(&root),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        app.get(
            "/api/v1/learning/samples/export?task=fight_outcome&version=9",
            Some(&root),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        let export = app
            .get(
                "/api/v1/learning/samples/export?task=fight_outcome",
                Some(&root),
            )
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(export.headers["content-type"], "application/x-ndjson");
        assert_eq!(export.headers["x-snapshot-id"], "fight_outcome@1");
        assert_eq!(export.headers["x-snapshot-size"], "240");
        assert_eq!(
            export.headers["x-snapshot-sha256"],
            snapshot["sha256"].as_str().unwrap()
        );
        let lines: Vec<Value> = std::str::from_utf8(&export.raw)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            lines.len(),
            240,
            "{backend}: every sample, over several pages"
        );
        let mut sources = std::collections::BTreeSet::new();
        for line in &lines {
            assert_eq!(line["task"], "fight_outcome");
            assert_eq!(line["version"], 1);
            assert!(line["features"]["boon_stability"].is_number());
            assert!(line["label"] == 0.0 || line["label"] == 1.0);
            assert!(line["source"].as_str().unwrap().starts_with("fight:"));
            sources.insert(line["source"].as_str().unwrap().to_owned());
        }
        assert_eq!(sources.len(), 240);
        let wins = lines.iter().filter(|l| l["label"] == 1.0).count();
        assert!((60..180).contains(&wins), "{wins}");

        // one run at a time: a second one while the first trains is a 409
        let body = json!({"task": "fight_outcome"});
        let (a, b) = tokio::join!(
            app.post("/api/v1/learning/run", body.clone(), Some(&root)),
            app.post("/api/v1/learning/run", body.clone(), Some(&root)),
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{backend}");
    }
}

/// A Firebrand; `radiance` picks its first line's traits, so builds differ in chat code.
fn build(name: &str, role: &str, stats: &str, radiance: [u8; 3]) -> Value {
    json!({
        "name": name, "profession": "Guardian", "specialization": "Firebrand",
        "game_mode": "wvw", "role": role,
        "trait_lines": [
            {"specialization": "Radiance", "traits": radiance},
            {"specialization": "Honor", "traits": [1, 3, 2]},
            {"specialization": "Firebrand", "traits": [3, 1, 2]}
        ],
        "skills": {"heal": 5963, "utilities": [5754, 310, 255], "elite": 5656},
        "equipment": {"gear": {"helm": stats, "coat": stats, "amulet": "Harrier's"}},
        "is_public": true
    })
}

#[tokio::test]
async fn build_ratings_come_from_votes_views_saves_teams_and_feedback() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (_, author, _) = app.user("author").await;
        let root = superuser(&app).await;
        let mut ids = Vec::new();
        for i in 0..12 {
            // the even builds share one in-game template (chat code), the odd ones another
            let (role, stats, radiance) = if i % 2 == 0 {
                ("support", "Minstrel's", [2, 2, 1])
            } else {
                ("dps", "Berserker's", [1, 1, 1])
            };
            let created = app
                .post(
                    "/api/v1/builds",
                    build(&format!("B{i}"), role, stats, radiance),
                    Some(&author),
                )
                .await
                .expect(StatusCode::CREATED);
            ids.push(created["id"].as_str().unwrap().to_owned());
        }
        // the first build: 3 upvotes, 1 downvote, a view, 2 saves of its chat code, one
        // team slot, feedback 9 on the build and 3 on the team
        let liked = &ids[0];
        for (n, value) in [1, 1, 1, -1].into_iter().enumerate() {
            let (_, voter, _) = app.user(&format!("voter{n}")).await;
            app.post(
                &format!("/api/v1/builds/{liked}/vote"),
                json!({"value": value}),
                Some(&voter),
            )
            .await
            .expect(StatusCode::OK);
        }
        app.get(&format!("/api/v1/builds/{liked}"), None)
            .await
            .expect(StatusCode::OK);
        app.state.flush_views().await.unwrap();
        let code = app
            .get(
                &format!("/api/v1/builds/{liked}/export?format=chat_code"),
                None,
            )
            .await
            .expect(StatusCode::OK)["chat_code"]
            .as_str()
            .unwrap()
            .to_owned();
        for n in 0..2 {
            app.post(
                "/api/v1/saved-builds",
                json!({"name": format!("save {n}"), "chat_code": code}),
                Some(&author),
            )
            .await
            .expect(StatusCode::CREATED);
        }
        let team = app.post(
            "/api/v1/teams",
            json!({"name": "T", "game_mode": "wvw", "slots": [{"party": 1, "position": 1, "build_id": liked}]}),
            Some(&author),
        )
        .await
        .expect(StatusCode::CREATED);
        for (target, rating) in [
            (liked.clone(), 9),
            (team["id"].as_str().unwrap().to_owned(), 3),
        ] {
            app.post(
                "/api/v1/ai/feedback",
                json!({"target_id": target, "rating": rating}),
                None,
            )
            .await
            .expect(StatusCode::CREATED);
        }
        // a private build is not a sample
        let mut hidden = build("hidden", "dps", "Berserker's", [1, 1, 1]);
        hidden["is_public"] = json!(false);
        app.post("/api/v1/builds", hidden, Some(&author))
            .await
            .expect(StatusCode::CREATED);

        let run = app
            .post(
                "/api/v1/learning/run",
                json!({"task": "build_rating", "folds": 3}),
                Some(&root),
            )
            .await
            .expect(StatusCode::OK);
        let task = &run["tasks"][0];
        let sources = &task["snapshot"]["sources"];
        assert_eq!(sources["read"]["builds"], 12, "{backend}: {task}");
        assert_eq!(sources["read"]["team_slots"], 1);
        assert_eq!(sources["read"]["feedback"], 2);
        assert_eq!(sources["read"]["saved_builds"], 2);
        assert_eq!(task["snapshot"]["size"], 12);
        // trained (or, if the data says nothing, refused by name): never a 5xx
        assert!(task["version"] == 1 || task["error"].is_string(), "{task}");

        let export = app
            .get(
                "/api/v1/learning/samples/export?task=build_rating",
                Some(&root),
            )
            .await;
        assert_eq!(export.status, StatusCode::OK);
        let lines: Vec<Value> = std::str::from_utf8(&export.raw)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 12);
        let sample = lines
            .iter()
            .find(|l| l["source"] == format!("build:{liked}"))
            .unwrap();
        let expected =
            learning::features::build::rating(&learning::features::build::BuildSignals {
                upvotes: 3,
                downvotes: 1,
                views: 1,
                saves: 2,
                team_uses: 1,
                feedback_count: 2,
                feedback_sum: 12,
            });
        assert!(
            (sample["label"].as_f64().unwrap() - expected).abs() < 1e-9,
            "{backend}: {sample} vs {expected}"
        );
        assert_eq!(sample["features"]["role_support"], 1.0);
        assert_eq!(sample["features"]["spec_firebrand"], 1.0);
        assert_eq!(sample["features"]["mode_wvw"], 1.0);
        assert!((sample["features"]["stat_minstrels"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        let plain = lines
            .iter()
            .find(|l| l["source"] == format!("build:{}", ids[1]))
            .unwrap();
        assert_eq!(
            plain["label"], 0.0,
            "no votes, views, saves, teams or feedback"
        );
        assert_eq!(plain["features"]["role_dps"], 1.0);
    }
}

#[tokio::test]
async fn an_empty_database_trains_nothing_and_says_why() {
    for app in TestApp::all().await {
        let root = superuser(&app).await;
        // an empty body runs every task
        let reply = app
            .raw(axum::http::Method::POST, "/api/v1/learning/run", None, "")
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "the token is checked first"
        );
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/v1/learning/run")
            .header("authorization", format!("Bearer {root}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let run = app.send(request).await.expect(StatusCode::OK);
        let tasks = run["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 3);
        for task in tasks {
            assert_eq!(task["version"], Value::Null);
            assert_eq!(task["snapshot"]["size"], 0);
            assert!(
                task["error"]
                    .as_str()
                    .unwrap()
                    .contains("0 samples, at least 10"),
                "{task}"
            );
        }
        let listed = app
            .get("/api/v1/learning/models", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["total"], 0);
        // a body that is not JSON is refused by its type
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/v1/learning/run")
            .header("authorization", format!("Bearer {root}"))
            .header("content-type", "text/plain")
            .body(axum::body::Body::from("task=all"))
            .unwrap();
        app.send(request)
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}

/// Mean superspeed uptime a Team Commander answer's groups provide.
fn commander_superspeed(answer: &Value) -> f64 {
    let groups = answer["groups"].as_array().unwrap();
    let sum: f64 = groups
        .iter()
        .flat_map(|g| g["coverage"].as_array().unwrap())
        .filter(|e| e["resource"] == "superspeed")
        .map(|e| e["provided"].as_f64().unwrap())
        .sum();
    sum / groups.len() as f64
}

/// A squad small enough that the format's needs compete for its slots, so weights decide:
/// the zerg template's defaults leave superspeed (its lightest need) uncovered here.
const TIGHT_SQUAD: &str = "1 groupe de 3 pour du zerg";

async fn finished_run(app: &TestApp, id: &str, token: &str) -> Value {
    for _ in 0..600 {
        let run = app
            .get(&format!("/api/v1/ai/workflows/runs/{id}"), Some(token))
            .await
            .expect(StatusCode::OK);
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {id} still running after 60 s");
}

#[tokio::test]
async fn team_commander_and_the_adviser_follow_the_learned_model() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (uploader, user_token, _) = app.user("uploader").await;
        let root = superuser(&app).await;
        store_fights(
            &app,
            uploader.parse().unwrap(),
            &fights(240, Signal::Superspeed, 21),
        )
        .await;
        let ask = |learned: bool, language: &str| json!({"message": TIGHT_SQUAD, "learned_weights": learned, "language": language});

        // before training: the format's weights, and a warning in the asked language
        let fallback = app
            .post("/api/v1/ai/teams/command", ask(true, "fr"), None)
            .await
            .expect(StatusCode::OK);
        assert!(fallback.get("weighted_by").is_none(), "{fallback}");
        assert!(
            fallback["warnings"]
                .to_string()
                .contains("aucun modèle d'issue des combats"),
            "{}",
            fallback["warnings"]
        );
        // the learning workflow without a model: the registry is empty, one plan only
        let started = app
            .post(
                "/api/v1/ai/workflows/learning",
                json!({}),
                Some(&user_token),
            )
            .await
            .expect(StatusCode::ACCEPTED);
        let run = finished_run(&app, started["id"].as_str().unwrap(), &user_token).await;
        assert_eq!(run["status"], "done", "{run}");
        let agents: Vec<&str> = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["agent"].as_str().unwrap())
            .collect();
        assert_eq!(agents, ["learning", "squad_planner"]);
        assert_eq!(run["output"]["weighted_plan"], Value::Null);
        assert!(run["output"]["learning"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("No model is selected yet"));
        // retraining through the adviser is for superusers; unknown fields are refused
        app.post(
            "/api/v1/ai/workflows/learning",
            json!({"train": true}),
            Some(&user_token),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);
        let refused = app
            .post(
                "/api/v1/ai/workflows/learning",
                json!({"trian": true}),
                Some(&user_token),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "input");

        // a superuser trains through the adviser's workflow
        let started = app
            .post(
                "/api/v1/ai/workflows/learning",
                json!({"train": true, "task": "fight_outcome", "message": TIGHT_SQUAD}),
                Some(&root),
            )
            .await
            .expect(StatusCode::ACCEPTED);
        let run = finished_run(&app, started["id"].as_str().unwrap(), &root).await;
        assert_eq!(run["status"], "done", "{backend}: {run}");
        let agents: Vec<&str> = run["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["agent"].as_str().unwrap())
            .collect();
        assert_eq!(agents, ["learning", "squad_planner", "squad_planner"]);
        let out = &run["output"];
        assert_eq!(
            out["learning"]["trained"]["tasks"][0]["task"],
            "fight_outcome"
        );
        assert_eq!(out["learning"]["selected"][0]["task"], "fight_outcome");
        let factors = &out["learning"]["squad_weights"]["factors"];
        assert_eq!(factors["superspeed"], 4.0, "{factors}");
        let summary = out["learning"]["summary"].as_str().unwrap();
        assert!(summary.contains("superspeed ×4.00"), "{summary}");
        let superspeed = out["changes"]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["resource"] == "superspeed")
            .unwrap_or_else(|| panic!("superspeed did not move: {}", out["changes"]));
        eprintln!(
            "{backend}: learning workflow, superspeed provided {} → {}; added {}, removed {}; factors {factors}",
            superspeed["before"], superspeed["after"], out["changes"]["added"], out["changes"]["removed"]
        );
        assert_eq!(superspeed["before"], 0.0);
        assert!(superspeed["after"].as_f64().unwrap() > 0.0);

        // Team Commander with the selected model, in French
        let plain = app
            .post("/api/v1/ai/teams/command", ask(false, "fr"), None)
            .await
            .expect(StatusCode::OK);
        let learned = app
            .post("/api/v1/ai/teams/command", ask(true, "fr"), None)
            .await
            .expect(StatusCode::OK);
        assert!(plain.get("weighted_by").is_none());
        let by = &learned["weighted_by"];
        assert_eq!(by["task"], "fight_outcome", "{learned}");
        assert_eq!(by["factors"]["superspeed"], 4.0);
        let note = learned["notes"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|n| n.as_str().filter(|n| n.contains("modèle appris")))
            .unwrap_or_else(|| panic!("no note on the weights: {}", learned["notes"]));
        assert!(note.contains("supervitesse ×4.00"), "{note}");
        let (before, after) = (commander_superspeed(&plain), commander_superspeed(&learned));
        eprintln!("{backend}: Team Commander superspeed provided {before:.2} → {after:.2}");
        assert!(after > before, "{before} → {after}");
        // the grade stays on the format's own weights
        assert!(["S", "A", "B", "C"].contains(&learned["synergy"]["score"].as_str().unwrap()));
    }
}

/// The contribution index of each squad member of `report` (an uploaded fight's stored JSON),
/// computed here from the report's numbers: each family's value over the squad's mean,
/// averaged over the families anyone produced (every member here was alive long enough).
fn contribution_of(report: &Value) -> Vec<(usize, f64)> {
    let squad: Vec<(usize, &Value)> = report["players"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, p)| p["in_squad"] == true)
        .collect();
    let number = |v: &Value| v.as_f64().unwrap();
    let boon = |p: &Value, name: &str| {
        p["boons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == name)
            .map_or(0.0, |b| number(&b["generation_squad"]))
    };
    let ratios = |values: Vec<f64>| -> Option<Vec<f64>> {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        (mean > 0.0).then(|| values.iter().map(|v| v / mean).collect())
    };
    let mut boons = vec![0.0; squad.len()];
    for name in learning::features::fight::BOONS.map(|(name, _)| name) {
        if let Some(r) = ratios(squad.iter().map(|(_, p)| boon(p, name)).collect()) {
            boons.iter_mut().zip(r).for_each(|(b, r)| *b += r);
        }
    }
    let families = [
        squad
            .iter()
            .map(|(_, p)| number(&p["damage"]["to_enemies"]))
            .collect(),
        squad
            .iter()
            .map(|(_, p)| number(&p["support"]["boon_strips"]))
            .collect(),
        squad
            .iter()
            .map(|(_, p)| number(&p["support"]["cleanses"]))
            .collect(),
        squad
            .iter()
            .map(|(_, p)| {
                number(&p["support"]["healing_others"]) + number(&p["support"]["barrier_others"])
            })
            .collect(),
        boons,
    ];
    let used: Vec<Vec<f64>> = families.into_iter().filter_map(ratios).collect();
    squad
        .iter()
        .enumerate()
        .map(|(i, (index, _))| {
            (
                *index,
                used.iter().map(|r| r[i]).sum::<f64>() / used.len() as f64,
            )
        })
        .collect()
}

fn export_lines(reply: &common::Reply) -> Vec<Value> {
    std::str::from_utf8(&reply.raw)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn player_contributions_come_from_uploaded_logs_and_stored_fights() {
    for app in TestApp::all().await {
        let backend = app.backend();
        let (_, uploader, _) = app.user("uploader").await;
        let root = superuser(&app).await;

        // two real logs through the upload path: 3 squad members each, and an ally
        let mut ids = Vec::new();
        for name in ["skirmish.zevtc", "busy.evtc"] {
            let fight = app
                .upload_log(&uploader, name, &common::evtc_fixture(name))
                .await
                .expect(StatusCode::CREATED);
            ids.push(fight["id"].as_str().unwrap().to_owned());
        }
        let run = app
            .post(
                "/api/v1/learning/run",
                json!({"task": "player_contribution"}),
                Some(&root),
            )
            .await
            .expect(StatusCode::OK);
        let task = &run["tasks"][0];
        assert_eq!(task["task"], "player_contribution");
        let snapshot = &task["snapshot"];
        assert_eq!(snapshot["id"], "player_contribution@1", "{backend}: {task}");
        assert_eq!(snapshot["size"], 6, "the squad members, not the ally");
        assert_eq!(snapshot["sources"]["read"]["fights"], 2);
        assert_eq!(snapshot["sources"]["read"]["squad_members"], 6);
        assert_eq!(snapshot["sources"]["skipped"], json!({}));
        assert_eq!(task["version"], Value::Null);
        assert_eq!(
            task["error"],
            "player_contribution: 6 samples, at least 10 are needed to cross-validate"
        );
        assert_eq!(task["specializations"], Value::Null);

        let export = app
            .get(
                "/api/v1/learning/samples/export?task=player_contribution",
                Some(&root),
            )
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(export.headers["x-snapshot-id"], "player_contribution@1");
        let text = std::str::from_utf8(&export.raw).unwrap().to_owned();
        for name in ["Alpha", "Bravo", "Charlie"] {
            assert!(!text.contains(name), "{backend}: samples carry no names");
        }
        let lines = export_lines(&export);
        assert_eq!(lines.len(), 6);
        let stored = app
            .get(&format!("/api/v1/mcm/fights/{}", ids[0]), Some(&uploader))
            .await
            .expect(StatusCode::OK);
        let expected = contribution_of(&stored["report"]);
        assert_eq!(expected.len(), 3);
        for (index, label) in &expected {
            let source = format!("fight:{}/player:{index}", ids[0]);
            let line = lines
                .iter()
                .find(|l| l["source"] == source)
                .unwrap_or_else(|| panic!("{backend}: no sample {source}"));
            let got = line["label"].as_f64().unwrap();
            assert!(
                (got - label).abs() < 1e-9,
                "{backend} {source}: {got} vs {label}"
            );
            let player = &stored["report"]["players"][*index];
            let spec = format!(
                "spec_{}",
                player["profession_name"].as_str().unwrap().to_lowercase()
            );
            assert_eq!(line["features"][&spec], 1.0, "{line}");
            assert_eq!(line["features"]["squad_size"], 3.0);
            assert!((line["features"]["enemy_ratio"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        }
        let sum: f64 = expected.iter().map(|(_, l)| l).sum();
        assert!((sum / 3.0 - 1.0).abs() < 1e-9, "1.0 is the average member");
        // the Firebrand gave the healing, the cleanse, quickness and stability
        let firebrand = lines
            .iter()
            .find(|l| l["source"] == format!("fight:{}/player:0", ids[0]))
            .unwrap();
        assert_eq!(firebrand["features"]["spec_firebrand"], 1.0);
        assert_eq!(firebrand["features"]["profession_guardian"], 1.0);
        assert_eq!(firebrand["features"]["boon_quickness"], 0.7);
        let best = expected.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(best.0, 0, "{expected:?}");

        // stored fights where quickness raises contribution: learned, selected, ranked
        let (owner, _, _) = app.user("commander").await;
        let reports = learning::synthetic::contribution::fights(
            40,
            learning::synthetic::contribution::Signal::Quickness,
            71,
        );
        let short = reports
            .iter()
            .flat_map(|r| r.players.iter().map(move |p| (r, p)))
            .filter(|(r, p)| p.in_squad && p.active_ms * 2 < r.duration_ms)
            .count();
        let members: usize = reports.iter().map(|r| r.squad().count()).sum();
        store_fights(&app, owner.parse().unwrap(), &reports).await;
        let run = app
            .post(
                "/api/v1/learning/run",
                json!({"task": "player_contribution"}),
                Some(&root),
            )
            .await
            .expect(StatusCode::OK);
        let task = &run["tasks"][0];
        assert_eq!(task["error"], Value::Null, "{backend}: {task}");
        let sources = &task["snapshot"]["sources"];
        assert_eq!(sources["read"]["fights"], 42);
        assert_eq!(sources["read"]["squad_members"], members + 6);
        assert!(short > 0);
        assert_eq!(
            sources["skipped"]["player_too_little_time"], short,
            "{backend}: members dead most of the fight"
        );
        assert_eq!(task["snapshot"]["size"], members + 6 - short);
        assert_eq!(task["snapshot"]["id"], "player_contribution@2");
        assert_eq!(task["version"], 1);
        let models = task["models"].as_array().unwrap();
        let kinds: Vec<&str> = models.iter().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["ridge", "lasso"]);
        for model in models {
            let m = &model["metrics"];
            let top = m["importance"]
                .as_object()
                .unwrap()
                .iter()
                .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
                .unwrap()
                .0
                .clone();
            eprintln!(
                "{backend} player_contribution {}: CV R² {:.3} ± {:.3} vs baseline {:.3}; top {top}",
                model["kind"],
                m["mean"].as_f64().unwrap(),
                m["sd"].as_f64().unwrap(),
                m["baseline_mean"].as_f64().unwrap()
            );
            assert_eq!(m["metric"], "r2");
            assert_eq!(m["fold_scores"].as_array().unwrap().len(), 5);
            assert_eq!(m["beats_baseline"], true, "{model}");
            assert_eq!(top, "boon_quickness", "{}", model["kind"]);
        }
        assert!(task["selected"].is_string(), "{task}");
        let ranked = task["specializations"].as_array().expect("a ranking");
        assert!(ranked.len() >= 10, "{ranked:?}");
        let predicted: Vec<f64> = ranked
            .iter()
            .map(|r| r["predicted"].as_f64().unwrap())
            .collect();
        assert!(predicted.windows(2).all(|w| w[0] >= w[1]), "best first");
        assert!(ranked
            .iter()
            .any(|r| r["specialization"] == "Firebrand" && r["profession"] == "Guardian"));

        // the adviser's learning agent reads the same ranking from the registry
        let started = app
            .post("/api/v1/ai/workflows/learning", json!({}), Some(&uploader))
            .await
            .expect(StatusCode::ACCEPTED);
        let run = finished_run(&app, started["id"].as_str().unwrap(), &uploader).await;
        let advice = &run["output"]["learning"];
        let names = |list: &Value| {
            list.as_array()
                .unwrap()
                .iter()
                .map(|r| r["specialization"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&advice["specializations"]),
            names(&task["specializations"]),
            "{advice}"
        );
        let summary = advice["summary"].as_str().unwrap();
        assert!(
            summary.contains("who contributes most in your fights"),
            "{summary}"
        );
        assert!(
            summary.contains(ranked[0]["specialization"].as_str().unwrap()),
            "{summary}"
        );

        // the registry lists them by task; the other tasks are untouched
        let listed = app
            .get("/api/v1/learning/models?task=player_contribution", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["total"], 2);
        assert!(listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["task"] == "player_contribution"
                && m["snapshot"]["id"] == "player_contribution@2"));
        let other = app
            .get("/api/v1/learning/models?task=fight_outcome", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(other["total"], 0);
        let (message, _) = app
            .get("/api/v1/learning/models?task=players", None)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message.contains("player_contribution"), "{message}");
    }
}
