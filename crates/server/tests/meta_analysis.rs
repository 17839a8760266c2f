//! The meta analysis (`GET /api/v1/meta`) and the original service's `/meta/snapshot/{mode}`
//! and `/meta/analyze`, through the real router on every available backend: builds, teams,
//! saved builds, votes and uploaded fights seeded in two periods, and the exact shares,
//! deltas, ranks, trends and ratings they must give.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use evtc::event::{result, StateChange};
use evtc::write::LogBuilder;
use gw2::GameData;
use serde_json::{json, Value};

const URI: &str = "/api/v1/meta";

/// `gear`: (prefix, how many of the 14 dual-wield slots), in slot order.
fn gear(parts: &[(&str, usize)]) -> Value {
    let slots = [
        "helm",
        "shoulders",
        "coat",
        "gloves",
        "leggings",
        "boots",
        "amulet",
        "ring1",
        "ring2",
        "accessory1",
        "accessory2",
        "back",
        "main_hand",
        "off_hand",
    ];
    let mut map = serde_json::Map::new();
    let mut next = slots.iter();
    for (prefix, n) in parts {
        for slot in next.by_ref().take(*n) {
            map.insert((*slot).to_owned(), json!(prefix));
        }
    }
    json!({ "gear": map })
}

async fn build(
    app: &TestApp,
    token: &str,
    (prof, spec): (&str, Option<&str>),
    mode: &str,
    role: &str,
    gear: Value,
    public: bool,
) -> Value {
    let body = json!({"name": format!("{prof} {role}"), "profession": prof, "specialization": spec,
        "game_mode": mode, "role": role, "is_public": public, "equipment": gear});
    app.post("/api/v1/builds", body, Some(token))
        .await
        .expect(StatusCode::CREATED)["id"]
        .clone()
}

/// A public WvW team of `slots` (build id, role override).
async fn team(app: &TestApp, token: &str, slots: &[(&Value, Option<&str>)]) {
    let slots: Vec<Value> = slots
        .iter()
        .enumerate()
        .map(|(i, (id, role))| json!({"build_id": id, "party": 1, "position": i + 1, "role_override": role}))
        .collect();
    app.post(
        "/api/v1/teams",
        json!({"name": "squad", "game_mode": "wvw", "is_public": true, "slots": slots}),
        Some(token),
    )
    .await
    .expect(StatusCode::CREATED);
}

async fn save(app: &TestApp, token: &str, spec: &str, grade: &str) {
    app.post(
        "/api/v1/saved-builds",
        json!({"name": spec, "specialization": spec, "game_mode": "wvw", "synergy_score": grade}),
        Some(token),
    )
    .await
    .expect(StatusCode::CREATED);
}

async fn vote(app: &TestApp, token: &str, id: &Value, value: i32) {
    app.post(
        &format!("/api/v1/builds/{}/vote", id.as_str().unwrap()),
        json!({"value": value}),
        Some(token),
    )
    .await
    .expect(StatusCode::OK);
}

/// A WvW log whose squad is `squad` (profession, elite specialization), fighting two
/// enemies: won when an enemy dies, lost when the first squad member does.
fn fight_log(squad: &[(&str, &str)], won: bool) -> Vec<u8> {
    let data = GameData::embedded();
    let mut b = LogBuilder::new(1);
    let players: Vec<_> = squad
        .iter()
        .enumerate()
        .map(|(i, (prof, spec))| {
            let code = data.profession(prof).unwrap().code;
            let elite = data.specialization_by_name(spec).unwrap().id;
            b.player(
                &format!("Player {i}"),
                &format!("player{i}.1234"),
                1,
                u32::from(code),
                u32::from(elite),
            )
        })
        .collect();
    let enemies: Vec<_> = (0..2)
        .map(|i| b.enemy_player(&format!("Enemy {i}"), 2, 0))
        .collect();
    b.log_start(0, 1_700_000_000);
    b.pov(0, players[0]);
    b.map_id(0, 38);
    for p in &players {
        b.team(0, *p, 100);
    }
    for e in &enemies {
        b.team(0, *e, 200);
    }
    for (i, p) in players.iter().enumerate() {
        b.strike(100 + i as i64, *p, enemies[0], 9000, 1_000, result::NORMAL);
    }
    b.strike(150, enemies[1], players[0], 9001, 800, result::NORMAL);
    if won {
        b.state(500, enemies[0], StateChange::ChangeDead);
    } else {
        b.state(500, players[0], StateChange::ChangeDead);
    }
    b.log_end(2_000, 1_700_000_002);
    evtc::write::write_zevtc(&b.build())
}

async fn upload(app: &TestApp, token: &str, bytes: &[u8], public: bool) -> Value {
    const BOUNDARY: &str = "meta-analysis-boundary";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"is_public\"\r\n\r\n{public}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fight.zevtc\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = axum::http::Request::builder()
        .method(axum::http::Method::POST)
        .uri("/api/v1/mcm/logs")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(request).await.expect(StatusCode::CREATED)
}

async fn token(app: &TestApp, login: &str) -> String {
    app.login(login, common::PASSWORD)
        .await
        .expect(StatusCode::OK)["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

const FB: (&str, Option<&str>) = ("Guardian", Some("Firebrand"));
const SCOURGE: (&str, Option<&str>) = ("Necromancer", Some("Scourge"));
const CORE_THIEF: (&str, Option<&str>) = ("Thief", None);

/// Seeds two periods (see the comments: what each counts in `wvw`): the previous one at
/// the start, then the clock moves 45 days on to "now" (the previous period is inside
/// [now − 60 d, now − 30 d)). Forward, because tokens expire by the system's time.
async fn seed(app: &TestApp) {
    let (_, lead, _) = app.user("lead").await;
    app.user("voter").await;
    // Previous period. Builds: Firebrand support (Minstrel's on 8 slots, Harrier's on 6:
    // main prefix Minstrel's), Scourge dps (Viper's); a private Firebrand (not counted).
    let b1 = build(
        app,
        &lead,
        FB,
        "wvw",
        "support",
        gear(&[("Minstrel's", 8), ("Harrier's", 6)]),
        true,
    )
    .await;
    let b2 = build(
        app,
        &lead,
        SCOURGE,
        "wvw",
        "dps",
        gear(&[("Viper's", 14)]),
        true,
    )
    .await;
    build(
        app,
        &lead,
        FB,
        "wvw",
        "support",
        gear(&[("Minstrel's", 14)]),
        false,
    )
    .await;
    // A public team: Firebrand (support), Firebrand as healer, Scourge.
    team(
        app,
        &lead,
        &[(&b1, None), (&b1, Some("healer")), (&b2, None)],
    )
    .await;
    save(app, &lead, "Firebrand", "A").await;
    // A won fight: Firebrand and Scourge in the squad.
    upload(
        app,
        &lead,
        &fight_log(
            &[("Guardian", "Firebrand"), ("Necromancer", "Scourge")],
            true,
        ),
        true,
    )
    .await;

    // Now.
    app.state.clock.advance(chrono::Duration::days(45));
    let lead = token(app, "lead").await;
    let voter = token(app, "voter").await;
    let b4 = build(
        app,
        &lead,
        SCOURGE,
        "wvw",
        "dps",
        gear(&[("Viper's", 14)]),
        true,
    )
    .await;
    let b5 = build(
        app,
        &lead,
        SCOURGE,
        "wvw_zerg",
        "dps",
        gear(&[("Viper's", 14)]),
        true,
    )
    .await;
    let b6 = build(
        app,
        &lead,
        CORE_THIEF,
        "wvw",
        "dps",
        gear(&[("Berserker's", 14)]),
        true,
    )
    .await;
    // A raid build: in no WvW count, in the every-mode one.
    build(
        app,
        &lead,
        FB,
        "raid",
        "boon_dps",
        gear(&[("Harrier's", 14)]),
        true,
    )
    .await;
    team(app, &lead, &[(&b4, None), (&b2, None), (&b1, None)]).await;
    save(app, &lead, "Scourge", "S").await;
    save(app, &lead, "Scourge", "S").await;
    vote(app, &voter, &b4, 1).await;
    vote(app, &voter, &b5, 1).await;
    vote(app, &voter, &b6, -1).await;
    // A lost fight: two Scourges and a Firebrand; and a private one (not counted).
    upload(
        app,
        &lead,
        &fight_log(
            &[
                ("Necromancer", "Scourge"),
                ("Necromancer", "Scourge"),
                ("Guardian", "Firebrand"),
            ],
            false,
        ),
        true,
    )
    .await;
    upload(
        app,
        &lead,
        &fight_log(&[("Thief", "Daredevil")], true),
        false,
    )
    .await;
}

fn round(x: &Value) -> f64 {
    (x.as_f64().unwrap() * 1e9).round() / 1e9
}

fn r(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// (name, count, share, previous_count, previous_share, share_delta, rank, previous_rank,
/// rank_change, trend) of an item.
type Row = (String, i64, f64, i64, f64, f64, Value, Value, Value, String);

/// Each item as a [`Row`].
fn rows(items: &Value) -> Vec<Row> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_owned(),
                i["count"].as_i64().unwrap(),
                round(&i["share"]),
                i["previous_count"].as_i64().unwrap(),
                round(&i["previous_share"]),
                round(&i["share_delta"]),
                i["rank"].clone(),
                i["previous_rank"].clone(),
                i["rank_change"].clone(),
                i["trend"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn row(
    name: &str,
    count: i64,
    share: f64,
    previous_count: i64,
    previous_share: f64,
    rank: Value,
    previous_rank: Value,
    rank_change: Value,
    trend: &str,
) -> Row {
    (
        name.to_owned(),
        count,
        r(share),
        previous_count,
        r(previous_share),
        r(share - previous_share),
        rank,
        previous_rank,
        rank_change,
        trend.to_owned(),
    )
}

#[tokio::test]
async fn two_periods_give_exact_shares_deltas_ranks_and_ratings() {
    for app in TestApp::all().await {
        seed(&app).await;
        let body = app
            .get(&format!("{URI}?game_mode=wvw&period=30d"), None)
            .await
            .expect(StatusCode::OK);
        let backend = format!("{:?}", app.backend());
        assert_eq!(body["game_mode"], "wvw", "{backend}");
        assert_eq!(body["period"]["days"], 30);
        assert_eq!(body["profession"], Value::Null);

        // Totals. Previous: builds b1, b2; team slots 3; saved 1; one fight of 2 players.
        // Now: builds b4, b5 (a zerg build counts in wvw), b6; team slots 3; saved 2; one
        // public fight of 3 players (the private one is not counted).
        assert_eq!(
            body["totals"]["current"],
            json!({"builds": 3, "team_slots": 3, "saved_builds": 2, "saved_builds_without_profession": 0,
                   "fights": 1, "fight_players": 3, "entries": 11, "role_entries": 6, "prefix_entries": 6}),
            "{backend}: {}",
            body["totals"]
        );
        assert_eq!(
            body["totals"]["previous"],
            json!({"builds": 2, "team_slots": 3, "saved_builds": 1, "saved_builds_without_profession": 0,
                   "fights": 1, "fight_players": 2, "entries": 8, "role_entries": 5, "prefix_entries": 5})
        );

        // Professions. Now: Necromancer 2 builds + 2 slots + 2 saves + 2 fighters = 8,
        // Guardian 1 slot + 1 fighter = 2, Thief 1 build: 11. Before: Guardian 1 + 2 + 1 + 1
        // = 5, Necromancer 1 + 1 + 1 = 3: 8.
        assert_eq!(
            rows(&body["professions"]),
            [
                row(
                    "Necromancer",
                    8,
                    8.0 / 11.0,
                    3,
                    3.0 / 8.0,
                    json!(1),
                    json!(2),
                    json!(1),
                    "rising"
                ),
                row(
                    "Guardian",
                    2,
                    2.0 / 11.0,
                    5,
                    5.0 / 8.0,
                    json!(2),
                    json!(1),
                    json!(-1),
                    "falling"
                ),
                row(
                    "Thief",
                    1,
                    1.0 / 11.0,
                    0,
                    0.0,
                    json!(3),
                    Value::Null,
                    Value::Null,
                    "new"
                ),
            ],
            "{backend}"
        );
        let necro = &body["professions"][0];
        assert_eq!(
            necro["sources"],
            json!({"builds": 2, "team_slots": 2, "saved_builds": 2, "fight_players": 2})
        );
        assert_eq!(
            necro["rating"],
            json!({"upvotes": 2, "downvotes": 0, "score": 2, "saves": 2, "fights": 2,
                   "victories": 0, "defeats": 2, "draws": 0, "win_rate": 0.0})
        );
        // The two-proportion z-test of 8/11 against 3/8 (pooled 11/19).
        let pooled: f64 = 11.0 / 19.0;
        let se = (pooled * (1.0 - pooled) * (1.0 / 11.0 + 1.0 / 8.0)).sqrt();
        let z = (8.0 / 11.0 - 3.0 / 8.0) / se;
        let expected = libm::erf(z / std::f64::consts::SQRT_2);
        assert!((necro["confidence"].as_f64().unwrap() - expected).abs() < 1e-9);
        let thief = &body["professions"][2];
        assert_eq!(thief["rating"]["score"], -1);
        assert_eq!(thief["rating"]["win_rate"], Value::Null);
        assert_eq!(thief["confidence"].as_f64().map(|c| c > 0.0), Some(true));

        // Specializations: the same counts; the core Thief has no specialization.
        let specs = &body["specializations"];
        assert_eq!(
            rows(specs),
            [
                row(
                    "Scourge",
                    8,
                    8.0 / 11.0,
                    3,
                    3.0 / 8.0,
                    json!(1),
                    json!(2),
                    json!(1),
                    "rising"
                ),
                row(
                    "Firebrand",
                    2,
                    2.0 / 11.0,
                    5,
                    5.0 / 8.0,
                    json!(2),
                    json!(1),
                    json!(-1),
                    "falling"
                ),
                row(
                    "Thief",
                    1,
                    1.0 / 11.0,
                    0,
                    0.0,
                    json!(3),
                    Value::Null,
                    Value::Null,
                    "new"
                ),
            ]
        );
        assert_eq!(specs[0]["profession"], "Necromancer");
        assert_eq!(specs[2]["profession"], "Thief");
        assert_eq!(specs[2]["specialization"], Value::Null);
        assert_eq!(
            specs[1]["rating"],
            json!({"upvotes": 0, "downvotes": 0, "score": 0, "saves": 0, "fights": 1,
                   "victories": 0, "defeats": 1, "draws": 0, "win_rate": 0.0})
        );

        // Roles (builds and team slots). Now: dps 3 builds + 2 slots, support 1 slot. Before:
        // support 1 build + 1 slot, healer 1 slot (the override), dps 1 build + 1 slot.
        assert_eq!(
            rows(&body["roles"]),
            [
                row(
                    "dps",
                    5,
                    5.0 / 6.0,
                    2,
                    2.0 / 5.0,
                    json!(1),
                    json!(1),
                    json!(0),
                    "rising"
                ),
                row(
                    "support",
                    1,
                    1.0 / 6.0,
                    2,
                    2.0 / 5.0,
                    json!(2),
                    json!(1),
                    json!(-1),
                    "falling"
                ),
                row(
                    "healer",
                    0,
                    0.0,
                    1,
                    1.0 / 5.0,
                    Value::Null,
                    json!(3),
                    Value::Null,
                    "falling"
                ),
            ]
        );
        assert_eq!(body["roles"][0]["rating"]["saves"], 0);
        assert_eq!(body["roles"][0]["rating"]["upvotes"], 2);

        // Stat prefixes, by each build's main prefix. Now: Viper's 2 builds + 2 slots,
        // Berserker's 1 build, Minstrel's 1 slot (b1: 8 Minstrel's, 6 Harrier's). Before:
        // Minstrel's 1 build + 2 slots, Viper's 1 + 1.
        assert_eq!(
            rows(&body["stat_prefixes"]),
            [
                row(
                    "Viper's",
                    4,
                    4.0 / 6.0,
                    2,
                    2.0 / 5.0,
                    json!(1),
                    json!(2),
                    json!(1),
                    "rising"
                ),
                // Equal counts: the larger previous count first.
                row(
                    "Minstrel's",
                    1,
                    1.0 / 6.0,
                    3,
                    3.0 / 5.0,
                    json!(2),
                    json!(1),
                    json!(-1),
                    "falling"
                ),
                row(
                    "Berserker's",
                    1,
                    1.0 / 6.0,
                    0,
                    0.0,
                    json!(2),
                    Value::Null,
                    Value::Null,
                    "new"
                ),
            ]
        );

        // The overview of the same window reads the same entries (its contract unchanged).
        let overview = app
            .get("/api/v1/meta/overview/wvw?time_range=30", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(overview["raw_meta"]["entries"], 11);
        assert_eq!(
            overview["professions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (
                    p["profession"].as_str().unwrap(),
                    p["count"].as_i64().unwrap()
                ))
                .collect::<Vec<_>>(),
            [("Necromancer", 8), ("Guardian", 2), ("Thief", 1)]
        );
    }
}

#[tokio::test]
async fn modes_periods_and_the_profession_filter_change_what_is_counted() {
    for app in TestApp::all().await {
        seed(&app).await;
        // Every mode: the raid Firebrand counts too (Guardian 3 of 12 now).
        let all = app.get(URI, None).await.expect(StatusCode::OK);
        assert_eq!(all["game_mode"], Value::Null);
        assert_eq!(all["game_modes"], Value::Null);
        assert_eq!(all["period"]["days"], 30, "the default period");
        assert_eq!(all["totals"]["current"]["entries"], 12);
        assert_eq!(all["totals"]["current"]["builds"], 4);
        let guardian = all["professions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Guardian")
            .unwrap();
        assert_eq!(guardian["count"], 3);
        assert_eq!(round(&guardian["share"]), r(3.0 / 12.0));
        let boon = all["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "boon_dps")
            .unwrap();
        assert_eq!(boon["trend"], "new");

        // A WvW format counts only itself, and no fights.
        let zerg = app
            .get(&format!("{URI}?game_mode=zerg"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(zerg["game_mode"], "wvw_zerg");
        assert_eq!(zerg["game_modes"], json!(["wvw_zerg"]));
        assert_eq!(zerg["totals"]["current"]["entries"], 1);
        assert_eq!(zerg["totals"]["current"]["fights"], 0);
        assert_eq!(zerg["professions"][0]["trend"], "new");

        // Sixty days hold both periods' entries; the sixty before are empty: all new.
        let long = app
            .get(&format!("{URI}?game_mode=wvw&period=60d"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(long["totals"]["current"]["entries"], 19);
        assert_eq!(long["totals"]["previous"]["entries"], 0);
        assert!(long["professions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["trend"] == "new" && p["confidence"].is_null()));
        // Weeks are days too.
        let weeks = app
            .get(&format!("{URI}?game_mode=wvw&period=2w"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(weeks["period"]["days"], 14);

        // One profession: its entries only, its share 1.
        let necro = app
            .get(&format!("{URI}?game_mode=wvw&profession=necromancer"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(necro["profession"], "Necromancer");
        assert_eq!(necro["totals"]["current"]["entries"], 8);
        assert_eq!(
            rows(&necro["professions"]),
            [row(
                "Necromancer",
                8,
                1.0,
                3,
                1.0,
                json!(1),
                json!(1),
                json!(0),
                "stable"
            )]
        );
    }
}

#[tokio::test]
async fn bad_parameters_are_refused_by_name() {
    for app in TestApp::all().await {
        for (query, field) in [
            ("game_mode=chess", "game_mode"),
            ("period=0d", "period"),
            ("period=3651", "period"),
            ("period=month", "period"),
            ("period=-3d", "period"),
            ("profession=Jedi", "profession"),
        ] {
            let reply = app
                .get(&format!("{URI}?{query}"), None)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(reply["field"], field, "{query}: {reply}");
        }
        let reply = app
            .post(
                &format!("{URI}/analyze"),
                json!({"game_mode": "wvw", "time_range": 0}),
                None,
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply["field"], "time_range");
        let reply = app
            .post(
                &format!("{URI}/analyze"),
                json!({"game_mode": "wvw", "extra": 1}),
                None,
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply["detail"].as_str().unwrap().contains("extra"),
            "{reply}"
        );
        let reply = app
            .get(&format!("{URI}/snapshot/chess"), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply["field"], "game_mode");
        // Nothing stored: empty lists, zero totals.
        let empty = app.get(URI, None).await.expect(StatusCode::OK);
        assert_eq!(empty["professions"], json!([]));
        assert_eq!(empty["totals"]["current"]["entries"], 0);
    }
}

#[tokio::test]
async fn the_original_snapshot_and_analyze_shapes_come_from_the_analysis() {
    for app in TestApp::all().await {
        seed(&app).await;
        // The snapshot: the last 7 days (everything of "now") against the 7 before (empty).
        let snap = app
            .get(&format!("{URI}/snapshot/wvw"), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(snap["success"], true);
        let s = &snap["snapshot"];
        assert_eq!(s["game_mode"], "wvw");
        assert_eq!(s["period_days"], 7);
        let top: Vec<(&str, i64)> = s["top_builds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["name"].as_str().unwrap(), i["count"].as_i64().unwrap()))
            .collect();
        assert_eq!(top, [("Scourge", 8), ("Firebrand", 2), ("Thief", 1)]);
        assert_eq!(
            s["popular_roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (
                    r["role"].as_str().unwrap(),
                    r["count"].as_i64().unwrap(),
                    round(&r["popularity"])
                ))
                .collect::<Vec<_>>(),
            [("dps", 5, r(5.0 / 6.0)), ("support", 1, r(1.0 / 6.0))]
        );
        assert_eq!(
            s["common_synergies"],
            json!([{"profession": "Necromancer", "specialization": "Scourge", "synergy_score": "S",
                    "occurrences": 2, "frequency": 1.0}])
        );
        let trends = snap["trends"].as_array().unwrap();
        // Everything is new against an empty week: 3 professions, 3 specializations, 2
        // roles, 3 prefixes; the largest change first.
        assert_eq!(trends.len(), 11, "{snap}");
        assert!(trends.iter().all(|t| t["trend"] == "new"));
        // dps: 5 of 6 role entries, the largest change.
        assert_eq!(trends[0]["type"], "role_popularity");
        assert_eq!(trends[0]["name"], "dps");
        assert_eq!(round(&trends[0]["change_percentage"]), r(5.0 / 6.0));
        assert_eq!(
            trends[0]["description"],
            "dps is new: 83.3% of role entries (none in the previous period)"
        );
        // Equal changes keep the dimension order: the profession before its specialization.
        assert_eq!(trends[1]["type"], "profession_popularity");
        assert_eq!(trends[1]["name"], "Necromancer");
        assert_eq!(trends[2]["type"], "specialization_popularity");
        assert_eq!(trends[2]["name"], "Scourge");

        // Analyze: the 30-day analysis inside a report.
        let reply = app
            .post(
                &format!("{URI}/analyze"),
                json!({"game_mode": "wvw", "time_range": 30, "include_api_data": true}),
                None,
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply["success"], true);
        let report = &reply["report"];
        assert_eq!(report["title"], "Meta Analysis Report");
        assert_eq!(report["analysis_period"], "30 days");
        let direct = app
            .get(&format!("{URI}?game_mode=wvw&period=30d"), None)
            .await
            .expect(StatusCode::OK);
        for list in [
            "professions",
            "specializations",
            "roles",
            "stat_prefixes",
            "totals",
        ] {
            assert_eq!(report["analysis"][list], direct[list], "{list}");
        }
        let trends = report["trends"].as_array().unwrap();
        // Not stable: 3 professions, 3 specializations, 3 roles, 3 prefixes.
        assert_eq!(trends.len(), 12);
        let summary = &report["executive_summary"];
        assert_eq!(summary["total_trends_detected"], 12);
        let strong = trends
            .iter()
            .filter(|t| {
                t["change_percentage"].as_f64().unwrap().abs() >= 0.05
                    && t["confidence"].as_f64().is_some_and(|c| c >= 0.95)
            })
            .count();
        assert_eq!(summary["strong_trends"], strong);
        let stability = match strong {
            0 => "stable",
            1 | 2 => "shifting",
            _ => "volatile",
        };
        assert_eq!(summary["meta_stability"], stability);
        assert_eq!(
            summary["key_insights"][0],
            "Most counted specialization: Scourge (72.7% of entries)"
        );
        assert_eq!(report["meta_snapshot"]["period_days"], 30);
    }
}
