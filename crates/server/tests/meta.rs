//! The meta overview (`GET /api/v1/meta/overview/{game_mode}`) through the real router, on
//! every available backend: counted from what is stored, never invented.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

const URI: &str = "/api/v1/meta/overview";

async fn build(
    app: &TestApp,
    token: &str,
    prof: &str,
    spec: &str,
    mode: &str,
    public: bool,
) -> Value {
    let body = json!({"name": format!("{spec} {mode}"), "profession": prof, "specialization": spec,
        "game_mode": mode, "role": "dps", "is_public": public});
    let b = app
        .post("/api/v1/builds", body, Some(token))
        .await
        .expect(StatusCode::CREATED);
    b["id"].clone()
}

async fn team(app: &TestApp, token: &str, public: bool, builds: &[&Value]) {
    let slots: Vec<Value> = builds
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"build_id": id, "party": 1, "position": i + 1}))
        .collect();
    app.post(
        "/api/v1/teams",
        json!({"name": "squad", "game_mode": "wvw", "is_public": public, "slots": slots}),
        Some(token),
    )
    .await
    .expect(StatusCode::CREATED);
}

async fn saved(app: &TestApp, token: &str, body: Value) {
    app.post("/api/v1/saved-builds", body, Some(token))
        .await
        .expect(StatusCode::CREATED);
}

/// Stores, at the app clock's "now":
/// - public WvW builds: Firebrand, Scourge; a private Firebrand; a public raid Firebrand;
/// - a public WvW team with slots Firebrand, Firebrand, Scourge and the private Firebrand;
///   a private WvW team with a Firebrand slot;
/// - saved WvW builds: Firebrand S, A, A; Scourge B; one without a profession graded A; and
///   a saved raid Firebrand graded S.
///
/// So for WvW: entries = builds 2 + team slots 3 + saved 4 = 9 (Guardian 6, Necromancer 3).
async fn seed(app: &TestApp, token: &str) {
    let fb = build(app, token, "Guardian", "Firebrand", "wvw", true).await;
    let scourge = build(app, token, "Necromancer", "Scourge", "wvw", true).await;
    let private_fb = build(app, token, "Guardian", "Firebrand", "wvw", false).await;
    build(app, token, "Guardian", "Firebrand", "raid", true).await;
    team(app, token, true, &[&fb, &fb, &scourge, &private_fb]).await;
    team(app, token, false, &[&fb]).await;
    for grade in ["S", "A", "A"] {
        saved(
            app,
            token,
            json!({"name": "fb", "profession": "Guardian", "specialization": "Firebrand",
            "game_mode": "wvw", "synergy_score": grade}),
        )
        .await;
    }
    saved(app, token, json!({"name": "sc", "specialization": "Scourge", "game_mode": "WvW", "synergy_score": "B"})).await;
    saved(
        app,
        token,
        json!({"name": "lab", "game_mode": "wvw", "synergy_score": "A"}),
    )
    .await;
    saved(app, token, json!({"name": "raid fb", "specialization": "Firebrand", "game_mode": "raid", "synergy_score": "S"})).await;
}

/// `value` with every non-integer number rounded to 9 decimals: shares are compared to the
/// fraction they must be (serde_json's default float parsing may miss the last bit).
fn rounded(value: &Value) -> Value {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            json!((n.as_f64().unwrap() * 1e9).round() / 1e9)
        }
        Value::Array(items) => Value::Array(items.iter().map(rounded).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), rounded(v))).collect())
        }
        other => other.clone(),
    }
}

/// Checks the client's `MetaOverviewResponse` keys and that each list's shares add up to 1.
#[track_caller]
fn assert_shape(body: &Value) {
    let keys: BTreeSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "success",
        "game_mode",
        "professions",
        "archetypes",
        "synergies",
        "raw_meta",
        "timestamp",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected, "{body}");
    assert_eq!(body["success"], true);
    for (list, share) in [
        ("professions", "ratio"),
        ("archetypes", "frequency"),
        ("synergies", "frequency"),
    ] {
        let items = body[list].as_array().unwrap();
        if !items.is_empty() {
            let sum: f64 = items.iter().map(|i| i[share].as_f64().unwrap()).sum();
            assert!((sum - 1.0).abs() < 1e-9, "{list} sums to {sum}: {body}");
        }
    }
}

#[tokio::test]
async fn nothing_stored_gives_empty_lists() {
    for app in TestApp::all().await {
        let body = app
            .get(&format!("{URI}/wvw?time_range=30"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&body);
        assert_eq!(body["game_mode"], "wvw");
        assert_eq!(body["professions"], json!([]));
        assert_eq!(body["archetypes"], json!([]));
        assert_eq!(body["synergies"], json!([]));
        let raw = &body["raw_meta"];
        for field in [
            "builds",
            "team_slots",
            "saved_builds",
            "saved_builds_without_profession",
            "graded_saved_builds",
            "entries",
        ] {
            assert_eq!(raw[field], 0, "{field}: {body}");
        }
        assert_eq!(raw["time_range_days"], 30);
        assert!(chrono::DateTime::parse_from_rfc3339(body["timestamp"].as_str().unwrap()).is_ok());
        // The mode is read like everywhere else (case, aliases) and answered canonically.
        let body = app
            .get(&format!("{URI}/Raids"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["game_mode"], "raid");
        assert_eq!(
            body["raw_meta"]["time_range_days"], 30,
            "the default window"
        );
    }
}

#[tokio::test]
async fn counts_builds_team_slots_and_saved_builds_exactly() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("lead").await;
        seed(&app, &token).await;
        let body = app
            .get(&format!("{URI}/wvw?time_range=30"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&body);
        assert_eq!(
            rounded(&body["professions"]),
            rounded(&json!([
                {"profession": "Guardian", "count": 6, "ratio": 6.0 / 9.0},
                {"profession": "Necromancer", "count": 3, "ratio": 3.0 / 9.0},
            ])),
            "{:?}",
            app.backend()
        );
        assert_eq!(
            rounded(&body["archetypes"]),
            rounded(&json!([
                // Saved Firebrands are graded S once and A twice: A.
                {"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "A", "occurrences": 6, "frequency": 6.0 / 9.0},
                {"profession": "Necromancer", "specialization": "Scourge", "synergy_score": "B", "occurrences": 3, "frequency": 3.0 / 9.0},
            ]))
        );
        assert_eq!(
            rounded(&body["synergies"]),
            rounded(&json!([
                {"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "S", "occurrences": 1, "frequency": 0.25},
                {"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "A", "occurrences": 2, "frequency": 0.5},
                {"profession": "Necromancer", "specialization": "Scourge", "synergy_score": "B", "occurrences": 1, "frequency": 0.25},
            ]))
        );
        let raw = &body["raw_meta"];
        assert_eq!(
            [
                &raw["builds"],
                &raw["team_slots"],
                &raw["saved_builds"],
                &raw["saved_builds_without_profession"],
                &raw["graded_saved_builds"],
                &raw["entries"]
            ],
            [
                &json!(2),
                &json!(3),
                &json!(5),
                &json!(1),
                &json!(4),
                &json!(9)
            ],
            "{raw}"
        );
        assert_eq!(raw["profession"], Value::Null);

        // The raid overview sees only the raid build and the raid save.
        let raid = app
            .get(&format!("{URI}/raid"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&raid);
        assert_eq!(
            rounded(&raid["archetypes"]),
            rounded(
                &json!([{"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "S", "occurrences": 2, "frequency": 1.0}])
            )
        );
        assert_eq!(raid["raw_meta"]["entries"], 2);
        // A mode with nothing stored.
        let pvp = app
            .get(&format!("{URI}/pvp"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(pvp["professions"], json!([]));
    }
}

#[tokio::test]
async fn the_profession_filter_keeps_one_professions_entries() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("lead").await;
        seed(&app, &token).await;
        let body = app
            .get(
                &format!("{URI}/wvw?time_range=30&profession=guardian"),
                None,
            )
            .await
            .expect(StatusCode::OK);
        assert_shape(&body);
        assert_eq!(
            rounded(&body["professions"]),
            rounded(&json!([{"profession": "Guardian", "count": 6, "ratio": 1.0}])),
            "{:?}",
            app.backend()
        );
        assert_eq!(
            rounded(&body["archetypes"]),
            rounded(
                &json!([{"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "A", "occurrences": 6, "frequency": 1.0}])
            )
        );
        assert_eq!(
            rounded(&body["synergies"]),
            rounded(&json!([
                {"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "S", "occurrences": 1, "frequency": 1.0 / 3.0},
                {"profession": "Guardian", "specialization": "Firebrand", "synergy_score": "A", "occurrences": 2, "frequency": 2.0 / 3.0},
            ]))
        );
        let raw = &body["raw_meta"];
        assert_eq!(raw["profession"], "Guardian");
        assert_eq!(
            [
                &raw["builds"],
                &raw["team_slots"],
                &raw["saved_builds"],
                &raw["saved_builds_without_profession"],
                &raw["entries"]
            ],
            [&json!(1), &json!(2), &json!(3), &json!(0), &json!(6)]
        );
        // A profession with nothing stored: empty lists, still a success.
        let body = app
            .get(&format!("{URI}/wvw?profession=Mesmer"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["professions"], json!([]));
        assert_eq!(body["success"], true);
    }
}

#[tokio::test]
async fn the_time_range_is_a_window_of_days_up_to_now() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("lead").await;
        seed(&app, &token).await;
        // Ten days later, one more public Firebrand and one saved Scourge.
        app.state.clock.advance(chrono::Duration::days(10));
        let token = app
            .login("lead", common::PASSWORD)
            .await
            .expect(StatusCode::OK)["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        build(&app, &token, "Guardian", "Firebrand", "wvw", true).await;
        saved(
            &app,
            &token,
            json!({"name": "late", "specialization": "Scourge", "game_mode": "wvw"}),
        )
        .await;

        let recent = app
            .get(&format!("{URI}/wvw?time_range=7"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&recent);
        assert_eq!(
            rounded(&recent["professions"]),
            rounded(&json!([
                {"profession": "Guardian", "count": 1, "ratio": 0.5},
                {"profession": "Necromancer", "count": 1, "ratio": 0.5},
            ])),
            "{:?}",
            app.backend()
        );
        assert_eq!(
            rounded(&recent["archetypes"]),
            rounded(&json!([
                {"profession": "Guardian", "specialization": "Firebrand", "synergy_score": null, "occurrences": 1, "frequency": 0.5},
                {"profession": "Necromancer", "specialization": "Scourge", "synergy_score": null, "occurrences": 1, "frequency": 0.5},
            ]))
        );
        assert_eq!(recent["synergies"], json!([]), "the late save has no grade");
        assert_eq!(
            recent["raw_meta"]["team_slots"], 0,
            "the team was saved 10 days ago"
        );

        let month = app
            .get(&format!("{URI}/wvw?time_range=30"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&month);
        assert_eq!(month["raw_meta"]["entries"], 11);
        assert_eq!(
            rounded(&month["professions"]),
            rounded(&json!([
                {"profession": "Guardian", "count": 7, "ratio": 7.0 / 11.0},
                {"profession": "Necromancer", "count": 4, "ratio": 4.0 / 11.0},
            ]))
        );
    }
}

#[tokio::test]
async fn bad_parameters_are_refused_by_name() {
    for app in TestApp::all().await {
        for (uri, field) in [
            (format!("{URI}/chess"), "game_mode"),
            (format!("{URI}/wvw?time_range=0"), "time_range"),
            (format!("{URI}/wvw?time_range=3651"), "time_range"),
            (format!("{URI}/wvw?time_range=-1"), "time_range"),
            (format!("{URI}/wvw?time_range=week"), "time_range"),
            (format!("{URI}/wvw?profession=Jedi"), "profession"),
        ] {
            let reply = app
                .get(&uri, None)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(reply["field"], field, "{uri}: {reply}");
        }
        let reply = app
            .get(&format!("{URI}/chess"), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply["detail"]
                .as_str()
                .unwrap()
                .contains("expected one of:"),
            "{reply}"
        );
        // The longest window is accepted.
        app.get(&format!("{URI}/wvw?time_range=3650"), None)
            .await
            .expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn wvw_counts_its_formats_and_a_format_only_itself() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("lead").await;
        build(&app, &token, "Guardian", "Firebrand", "wvw", true).await;
        build(&app, &token, "Necromancer", "Scourge", "Zerg", true).await;
        build(&app, &token, "Thief", "Daredevil", "roaming", true).await;
        // What the AI Build Lab page sends as the game mode of a save.
        saved(
            &app,
            &token,
            json!({"name": "lab", "specialization": "Scourge", "game_mode": "WvW Zerg"}),
        )
        .await;

        let wvw = app
            .get(&format!("{URI}/wvw"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&wvw);
        assert_eq!(wvw["raw_meta"]["entries"], 4, "{:?}: {wvw}", app.backend());
        assert_eq!(
            wvw["raw_meta"]["game_modes"],
            json!([
                "wvw",
                "wvw_zerg",
                "wvw_guild_raid",
                "wvw_outnumbered",
                "wvw_roaming"
            ])
        );
        assert_eq!(
            rounded(&wvw["professions"]),
            rounded(&json!([
                {"profession": "Necromancer", "count": 2, "ratio": 0.5},
                {"profession": "Guardian", "count": 1, "ratio": 0.25},
                {"profession": "Thief", "count": 1, "ratio": 0.25},
            ]))
        );
        // The Meta Dashboard asks for `zerg`: the zerg format only.
        let zerg = app
            .get(&format!("{URI}/zerg?time_range=30"), None)
            .await
            .expect(StatusCode::OK);
        assert_shape(&zerg);
        assert_eq!(zerg["game_mode"], "wvw_zerg");
        assert_eq!(zerg["raw_meta"]["game_modes"], json!(["wvw_zerg"]));
        assert_eq!(
            rounded(&zerg["archetypes"]),
            rounded(
                &json!([{"profession": "Necromancer", "specialization": "Scourge", "synergy_score": null,
                             "occurrences": 2, "frequency": 1.0}])
            )
        );
        let roaming = app
            .get(&format!("{URI}/roaming"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            roaming["professions"],
            json!([{"profession": "Thief", "count": 1, "ratio": 1.0}])
        );
    }
}

/// The squads that fought: a public WvW fight's squad members count in the `wvw` overview
/// (not in a single format's, nor from private fights), by the profession and elite
/// specialization arcdps recorded.
#[tokio::test]
async fn public_wvw_fights_count_their_squad_members() {
    const BOUNDARY: &str = "meta-fight-boundary";
    for app in TestApp::all().await {
        let (_, token, _) = app.user("uploader").await;
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../evtc/tests/fixtures/skirmish.zevtc"
        ))
        .unwrap();
        let upload = |public: &str| {
            let mut body = format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"is_public\"\r\n\r\n{public}\r\n\
                 --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"skirmish.zevtc\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .into_bytes();
            body.extend_from_slice(&bytes);
            body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
            axum::http::Request::builder()
                .method(axum::http::Method::POST)
                .uri("/api/v1/mcm/logs")
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::from(body))
                .unwrap()
        };
        let fight = app.send(upload("true")).await.expect(StatusCode::CREATED);
        let id = fight["id"].as_str().unwrap().to_owned();
        let report = app
            .get(&format!("/api/v1/mcm/fights/{id}"), Some(&token))
            .await
            .expect(StatusCode::OK);
        let squad: Vec<&Value> = report["report"]["players"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["in_squad"] == true)
            .collect();
        assert!(!squad.is_empty());

        let wvw = app
            .get("/api/v1/meta/overview/wvw", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(wvw["raw_meta"]["fight_players"], squad.len());
        assert_eq!(wvw["raw_meta"]["entries"], squad.len());
        let counted: i64 = wvw["professions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["count"].as_i64().unwrap())
            .sum();
        assert_eq!(counted as usize, squad.len());
        // A single format does not count logs; nor does another user's private upload.
        let zerg = app
            .get("/api/v1/meta/overview/wvw_zerg", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(zerg["raw_meta"]["fight_players"], 0);
    }
}
