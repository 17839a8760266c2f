//! WvW formats (zerg, guild raid, outnumbered, roaming) are game modes wherever one is
//! accepted: builds store their canonical name, search finds them by any spelling, and a
//! team's synergy is judged against its format's needs.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn formats_are_game_modes_for_builds_and_teams() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("commander").await;
        let mut ids = Vec::new();
        for (said, stored) in [
            ("Zerg", "wvw_zerg"),
            ("havoc", "wvw_guild_raid"),
            ("wvw_outnumber", "wvw_outnumbered"),
            ("roaming", "wvw_roaming"),
        ] {
            let body = json!({"name": format!("FB {said}"), "profession": "Guardian", "specialization": "Firebrand",
                "game_mode": said, "role": "support"});
            let b = app
                .post("/api/v1/builds", body, Some(&token))
                .await
                .expect(StatusCode::CREATED);
            assert_eq!(b["game_mode"], stored, "{said}");
            ids.push((stored, b["id"].as_str().unwrap().to_owned()));
        }
        let found = app
            .get("/api/v1/builds?game_mode=guild%20raid", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(found["total"], 1);
        assert_eq!(found["items"][0]["name"], "FB havoc");

        let md = app
            .raw(
                axum::http::Method::GET,
                &format!("/api/v1/builds/{}/export?format=markdown", ids[0].1),
                None,
                axum::body::Body::empty(),
            )
            .await;
        assert!(String::from_utf8_lossy(&md.raw).contains("WvW zerg"));

        for (mode, template) in [
            ("outnumbered", "wvw_outnumbered"),
            ("roam", "wvw_roam"),
            ("wvw", "wvw_zerg"),
        ] {
            let slots = json!([{"party": 1, "position": 1, "build_id": ids[0].1}]);
            let team = app
                .post(
                    "/api/v1/teams",
                    json!({"name": "T", "game_mode": mode, "slots": slots}),
                    Some(&token),
                )
                .await
                .expect(StatusCode::CREATED);
            let synergy = app
                .get(
                    &format!("/api/v1/teams/{}/synergy", team["id"].as_str().unwrap()),
                    None,
                )
                .await
                .expect(StatusCode::OK);
            assert_eq!(synergy["report"]["requirements"], template, "{mode}");
        }
    }
}
