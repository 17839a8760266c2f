//! Team compositions through the real router, on every available backend.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};

#[allow(clippy::too_many_arguments)] // one line per build reads better in the tests
async fn build(
    app: &TestApp,
    token: &str,
    name: &str,
    prof: &str,
    spec: &str,
    role: &str,
    public: bool,
    gear: Value,
) -> String {
    let body = json!({"name": name, "profession": prof, "specialization": spec, "game_mode": "wvw", "role": role,
        "is_public": public, "equipment": {"gear": gear}});
    let b = app
        .post("/api/v1/builds", body, Some(token))
        .await
        .expect(StatusCode::CREATED);
    b["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn squads_of_fifty_with_inlined_builds_and_computed_totals() {
    for app in TestApp::all().await {
        let (_, lead, _) = app.user("commander").await;
        let (_, other, _) = app.user("outsider").await;
        let fb = build(
            &app,
            &lead,
            "FB",
            "Guardian",
            "Firebrand",
            "support",
            true,
            json!({"helm": "Minstrel's", "coat": "Minstrel's"}),
        )
        .await;
        let scourge = build(
            &app,
            &lead,
            "Scourge",
            "Necromancer",
            "Scourge",
            "dps",
            true,
            json!({"coat": "Berserker's"}),
        )
        .await;
        let private_other = build(
            &app,
            &other,
            "Mine",
            "Engineer",
            "Scrapper",
            "support",
            false,
            json!({}),
        )
        .await;

        let mut slots = Vec::new();
        for party in 1..=10 {
            for position in 1..=5 {
                let build_id = if position == 1 { &fb } else { &scourge };
                slots.push(json!({"build_id": build_id, "party": party, "position": position, "player_name": format!("p{party}-{position}")}));
            }
        }
        let team = app
            .post(
                "/api/v1/teams",
                json!({"name": "Raid night", "game_mode": "wvw", "slots": slots.clone()}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(team["slots"].as_array().unwrap().len(), 50);
        assert_eq!(team["slots"][0]["build"]["name"], "FB", "builds inlined");
        // Toughness: 1000 base each; Minstrel's helm and coat add toughness (ascended values).
        let fb_tough = team["slots"][0]["build"].clone();
        assert!(fb_tough.is_object());
        let toughness = team["total_toughness"].as_f64().unwrap();
        let healing = team["total_healing"].as_f64().unwrap();
        assert!(
            toughness > 50_000.0,
            "50 × 1000 base plus Minstrel's toughness: {toughness}"
        );
        assert!(healing > 0.0, "Minstrel's gives healing power: {healing}");

        // 51 slots, 6 in a party, a taken place, out-of-range party, and a private build of someone else.
        let mut too_many = slots.clone();
        too_many.push(json!({"party": 10, "position": 5}));
        let err = app
            .post(
                "/api/v1/teams",
                json!({"name": "x", "game_mode": "wvw", "slots": too_many}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "slots");
        let six: Vec<Value> = (1..=5)
            .map(|p| json!({"party": 1, "position": p}))
            .chain([json!({"party": 1, "position": 5})])
            .collect();
        let err = app
            .post(
                "/api/v1/teams",
                json!({"name": "x", "game_mode": "wvw", "slots": six}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "slots.5.position");
        let err = app
            .post(
                "/api/v1/teams",
                json!({"name": "x", "game_mode": "wvw", "slots": [{"party": 11, "position": 1}]}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "slots.0.party");
        let err = app.post("/api/v1/teams", json!({"name": "x", "game_mode": "wvw", "slots": [{"party": 1, "position": 1, "build_id": private_other}]}), Some(&lead)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "slots.0.build_id");

        // Deleting a build in use is refused, naming the team.
        let (detail, _) = app
            .request(
                Method::DELETE,
                &format!("/api/v1/builds/{fb}"),
                None,
                Some(&lead),
            )
            .await
            .expect_error(StatusCode::CONFLICT);
        assert!(detail.contains("Raid night"), "{detail}");

        // Synergy answers per party with the engine named.
        let id = team["id"].as_str().unwrap();
        let synergy = app
            .get(&format!("/api/v1/teams/{id}/synergy"), None)
            .await
            .expect(StatusCode::OK);
        assert!(synergy["engine"].as_str().unwrap().contains("squad"));
        assert_eq!(synergy["report"]["parties"].as_array().unwrap().len(), 10);

        // Permissions: others can read a public team but not change it.
        app.get(&format!("/api/v1/teams/{id}"), None)
            .await
            .expect(StatusCode::OK);
        app.request(
            Method::PUT,
            &format!("/api/v1/teams/{id}"),
            Some(json!({"name": "hijack", "game_mode": "wvw"})),
            Some(&other),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);
        app.request(
            Method::DELETE,
            &format!("/api/v1/teams/{id}"),
            None,
            Some(&other),
        )
        .await
        .expect_error(StatusCode::FORBIDDEN);
        let replaced = app.request(Method::PUT, &format!("/api/v1/teams/{id}"), Some(json!({"name": "Smaller", "game_mode": "wvw", "is_public": false, "slots": [{"party": 1, "position": 1, "build_id": scourge}]})), Some(&lead)).await.expect(StatusCode::OK);
        assert_eq!(replaced["slots"].as_array().unwrap().len(), 1);
        app.get(&format!("/api/v1/teams/{id}"), Some(&other))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        assert_eq!(
            app.get("/api/v1/teams", None).await.expect(StatusCode::OK)["total"],
            0
        );
        assert_eq!(
            app.get("/api/v1/teams", Some(&lead))
                .await
                .expect(StatusCode::OK)["total"],
            1
        );
        // FB is no longer used: it can go now.
        app.request(
            Method::DELETE,
            &format!("/api/v1/builds/{fb}"),
            None,
            Some(&lead),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        app.request(
            Method::DELETE,
            &format!("/api/v1/teams/{id}"),
            None,
            Some(&lead),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        app.get(&format!("/api/v1/teams/{id}"), Some(&lead))
            .await
            .expect_error(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn deleting_an_account_empties_slots_in_other_teams() {
    for app in TestApp::all().await {
        let (_, leaver, _) = app.user("leaving").await;
        let (_, lead, _) = app.user("staying").await;
        let b = build(
            &app,
            &leaver,
            "Shared",
            "Guardian",
            "Firebrand",
            "support",
            true,
            json!({}),
        )
        .await;
        let team = app
            .post("/api/v1/teams", json!({"name": "T", "game_mode": "raid", "slots": [{"party": 1, "position": 1, "build_id": b, "player_name": "Lee"}]}), Some(&lead))
            .await
            .expect(StatusCode::CREATED);
        app.request(
            Method::DELETE,
            "/api/v1/users/me",
            Some(json!({"password": common::PASSWORD})),
            Some(&leaver),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        let team = app
            .get(
                &format!("/api/v1/teams/{}", team["id"].as_str().unwrap()),
                Some(&lead),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            team["slots"][0]["player_name"], "Lee",
            "the slot keeps its place"
        );
        assert!(team["slots"][0]["build_id"].is_null(), "{}", app.backend());
        // The emptied slot no longer counts: the team is re-scored in the background.
        let mut scored = team.clone();
        for _ in 0..100 {
            if scored["slots"][0]["estimated_dps"].is_null() && scored["total_dps"].is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            scored = app
                .get(
                    &format!("/api/v1/teams/{}", team["id"].as_str().unwrap()),
                    Some(&lead),
                )
                .await
                .expect(StatusCode::OK);
        }
        assert!(scored["slots"][0]["estimated_dps"].is_null(), "{scored}");
        assert!(scored["slots"][0]["dps_basis"].is_null(), "{scored}");
        assert!(
            scored["total_dps"].is_null() && scored["total_toughness"].is_null(),
            "{scored}"
        );
    }
}

/// A team's `total_dps` is the sum of its slots' estimates; each slot says which benchmark it
/// was scored with, or why it has none; a slot's role override changes its benchmark.
#[tokio::test]
async fn team_dps_is_the_sum_of_the_slot_estimates() {
    let full = common::full_gear;
    for app in TestApp::all().await {
        let (_, lead, _) = app.user("commander").await;
        let (_, other, _) = app.user("outsider").await;
        let bers = build(
            &app,
            &lead,
            "Bers",
            "Warrior",
            "Berserker",
            "dps",
            true,
            full("Berserker's"),
        )
        .await;
        let fb = build(
            &app,
            &lead,
            "Heal FB",
            "Guardian",
            "Firebrand",
            "healer",
            true,
            full("Harrier's"),
        )
        .await;
        let core = app
            .post(
                "/api/v1/builds",
                json!({"name": "Core", "profession": "Warrior", "game_mode": "wvw", "role": "dps",
                       "equipment": {"gear": full("Berserker's")}}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let private = build(
            &app,
            &other,
            "Private",
            "Warrior",
            "Berserker",
            "dps",
            false,
            full("Berserker's"),
        )
        .await;

        let own_private = build(
            &app,
            &lead,
            "Secret heal",
            "Guardian",
            "Firebrand",
            "healer",
            false,
            full("Harrier's"),
        )
        .await;
        let estimate = app
            .get(&format!("/api/v1/builds/{bers}/dps"), None)
            .await
            .expect(StatusCode::OK);
        let bers_dps = estimate["dps"].as_f64().unwrap();
        assert!(bers_dps > 20_000.0, "{estimate}");
        assert_eq!(estimate["benchmark"]["specialization"], "Berserker");
        assert_eq!(estimate["benchmark"]["role"], "dps");
        assert_eq!(estimate["filled_slots"], json!([]));
        assert_eq!(estimate["traits_from"], "benchmark");
        let as_healer = app
            .get(&format!("/api/v1/builds/{bers}/dps?role=healer"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(as_healer["benchmark"]["role"], "healer");
        let err = app
            .get(&format!("/api/v1/builds/{core}/dps"), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["field"], "specialization", "{err}");
        app.get(&format!("/api/v1/builds/{private}/dps"), Some(&lead))
            .await
            .expect_error(StatusCode::FORBIDDEN);
        app.get(&format!("/api/v1/builds/{bers}/dps?role=bard"), None)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY);

        let slots = json!([
            {"party": 1, "position": 1, "build_id": bers},
            {"party": 1, "position": 2, "build_id": bers},
            {"party": 1, "position": 3, "build_id": fb},
            {"party": 1, "position": 4, "build_id": core},
            {"party": 1, "position": 5},
            {"party": 2, "position": 1, "build_id": bers, "role_override": "healer"},
            {"party": 2, "position": 2, "build_id": own_private},
        ]);
        let team = app
            .post(
                "/api/v1/teams",
                json!({"name": "Scored", "game_mode": "raid", "slots": slots}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = team["id"].as_str().unwrap().to_owned();
        let fetched = app
            .get(&format!("/api/v1/teams/{id}"), Some(&lead))
            .await
            .expect(StatusCode::OK);
        for team in [&team, &fetched] {
            let s = team["slots"].as_array().unwrap();
            assert_eq!(s[0]["estimated_dps"].as_f64(), Some(bers_dps));
            assert_eq!(s[1]["estimated_dps"].as_f64(), Some(bers_dps));
            assert!(s[0]["dps_basis"]
                .as_str()
                .unwrap()
                .contains(estimate["benchmark"]["id"].as_str().unwrap()));
            assert_eq!(
                s[2]["estimated_dps"].as_f64(),
                Some(0.0),
                "heal benchmarks record no damage"
            );
            assert!(
                s[2]["dps_basis"].as_str().unwrap().starts_with("Heal"),
                "{}",
                s[2]
            );
            assert!(s[3]["estimated_dps"].is_null());
            assert_eq!(s[3]["dps_basis"], "no benchmark rotation for Warrior");
            assert!(s[4]["estimated_dps"].is_null() && s[4]["dps_basis"].is_null());
            assert_eq!(s[5]["estimated_dps"].as_f64(), Some(0.0), "a healer slot");
            let total = team["total_dps"].as_f64().unwrap();
            assert!(
                (total - 2.0 * bers_dps).abs() < 1e-6,
                "{total} vs 2 × {bers_dps}"
            );
        }

        // Others see neither a private build nor what it scores.
        let seen = app
            .get(&format!("/api/v1/teams/{id}"), Some(&other))
            .await
            .expect(StatusCode::OK);
        assert!(seen["slots"][6]["build"].is_null());
        assert!(
            seen["slots"][6]["estimated_dps"].is_null(),
            "{}",
            seen["slots"][6]
        );
        assert_eq!(seen["slots"][6]["dps_basis"], "the build is private");
        assert_eq!(fetched["slots"][6]["estimated_dps"].as_f64(), Some(0.0));

        // Editing a build re-scores the teams that use it (in the background).
        let patched = app
            .request(
                Method::PATCH,
                &format!("/api/v1/builds/{bers}"),
                Some(json!({"equipment": {"gear": full("Minstrel's")}})),
                Some(&lead),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(patched["equipment"]["gear"]["helm"], "Minstrel's");
        let weaker = app
            .get(&format!("/api/v1/builds/{bers}/dps"), None)
            .await
            .expect(StatusCode::OK)["dps"]
            .as_f64()
            .unwrap();
        assert!(weaker < 0.7 * bers_dps, "{weaker} vs {bers_dps}");
        let mut refreshed = Value::Null;
        for _ in 0..100 {
            refreshed = app
                .get(&format!("/api/v1/teams/{id}"), Some(&lead))
                .await
                .expect(StatusCode::OK);
            if refreshed["total_dps"].as_f64() != Some(2.0 * bers_dps) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let total = refreshed["total_dps"].as_f64().unwrap();
        assert!(
            (total - 2.0 * weaker).abs() < 1e-6,
            "{total} vs 2 × {weaker}"
        );
        assert_eq!(
            refreshed["slots"][0]["estimated_dps"].as_f64(),
            Some(weaker)
        );
        assert!(
            refreshed["total_healing"].as_f64().unwrap() > team["total_healing"].as_f64().unwrap(),
            "Minstrel's adds healing power"
        );
        assert_eq!(
            refreshed["updated_at"], team["updated_at"],
            "the team itself did not change"
        );

        // After a burst of edits the team ends on the last one.
        for prefix in ["Viper's", "Minstrel's", "Harrier's", "Berserker's"] {
            app.request(
                Method::PATCH,
                &format!("/api/v1/builds/{bers}"),
                Some(json!({"equipment": {"gear": full(prefix)}})),
                Some(&lead),
            )
            .await
            .expect(StatusCode::OK);
        }
        let mut total = 0.0;
        for _ in 0..100 {
            let t = app
                .get(&format!("/api/v1/teams/{id}"), Some(&lead))
                .await
                .expect(StatusCode::OK);
            total = t["total_dps"].as_f64().unwrap();
            if (total - 2.0 * bers_dps).abs() < 1e-6 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            (total - 2.0 * bers_dps).abs() < 1e-6,
            "{total} vs 2 × {bers_dps}"
        );

        // A team of empty slots has no total.
        let empty = app
            .post(
                "/api/v1/teams",
                json!({"name": "Empty", "game_mode": "raid", "slots": [{"party": 1, "position": 1}]}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::CREATED);
        assert!(empty["total_dps"].is_null());
    }
}

/// Issue #23: a WvW build's estimate (and so a WvW team's totals) is against an enemy player,
/// a PvE build's against the benchmark golem; the answer says which.
#[tokio::test]
async fn wvw_builds_are_scored_against_a_player_and_pve_builds_against_the_golem() {
    for app in TestApp::all().await {
        let (_, lead, _) = app.user("scorer").await;
        let gear = common::full_gear("Berserker's");
        let wvw = build(
            &app,
            &lead,
            "Bers WvW",
            "Warrior",
            "Berserker",
            "dps",
            true,
            gear.clone(),
        )
        .await;
        let raid = app
            .post(
                "/api/v1/builds",
                json!({"name": "Bers raid", "profession": "Warrior", "specialization": "Berserker",
                       "game_mode": "raid", "role": "dps", "is_public": true,
                       "equipment": {"gear": gear}}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let on_player = app
            .get(&format!("/api/v1/builds/{wvw}/dps"), None)
            .await
            .expect(StatusCode::OK);
        let on_golem = app
            .get(&format!("/api/v1/builds/{raid}/dps"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            on_player["target"], "player (mixed armor, armor 2119)",
            "{on_player}"
        );
        assert_eq!(on_golem["target"], "golem (armor 2597)", "{on_golem}");
        // Same gear and rotation: strikes hit the lighter player armor harder.
        let (p, g) = (
            on_player["damage"]["power"].as_f64().unwrap(),
            on_golem["damage"]["power"].as_f64().unwrap(),
        );
        assert!(p > g, "player {p} vs golem {g}");

        let team = app
            .post(
                "/api/v1/teams",
                json!({"name": "Zerg", "game_mode": "wvw", "slots": [
                    {"party": 1, "position": 1, "build_id": wvw},
                    {"party": 1, "position": 2, "build_id": wvw}]}),
                Some(&lead),
            )
            .await
            .expect(StatusCode::CREATED);
        let total = team["total_dps"].as_f64().unwrap();
        let each = on_player["dps"].as_f64().unwrap();
        assert!((total - 2.0 * each).abs() < 1e-6, "{total} vs 2 × {each}");
    }
}
