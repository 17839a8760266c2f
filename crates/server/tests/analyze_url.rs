//! `POST /api/v1/ai/analyze/url` against a local web server speaking plain HTTP: build guide
//! pages in four layouts (Snowcrows-, MetaBattle-, Hardstuck- and GW2Skills-style), robots.txt rules, redirects, oversized and non-HTML answers, and
//! the refusal of internal addresses when the service is not configured for local tests.

mod common;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use common::TestApp;
use serde_json::json;

const ANALYZE: &str = "/api/v1/ai/analyze/url";

/// A Firebrand build code made by the game model (Radiance, Honor, Firebrand).
fn firebrand_code() -> String {
    let draft = gw2::build::BuildDraft {
        name: "FB".into(),
        profession: "Guardian".into(),
        specialization: Some("Firebrand".into()),
        game_mode: "wvw".into(),
        role: "support".into(),
        trait_lines: vec![
            gw2::build::TraitLine {
                specialization: "Radiance".into(),
                traits: [1, 2, 3],
            },
            gw2::build::TraitLine {
                specialization: "Honor".into(),
                traits: [2, 2, 1],
            },
            gw2::build::TraitLine {
                specialization: "Firebrand".into(),
                traits: [3, 1, 2],
            },
        ],
        skills: Default::default(),
        equipment: Default::default(),
        synergies: vec![],
        counters: vec![],
        description: None,
        tags: vec![],
        is_public: true,
    };
    let data = gw2::GameData::embedded();
    draft.validate(data).unwrap().to_chat_code(data).unwrap()
}

fn html(body: String) -> axum::response::Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn site() -> String {
    let code = firebrand_code();
    let snowcrows = format!(
        "<!doctype html><html><head><title>Firebrand – WvW Support | Guides</title></head><body>\
         <h1>Firebrand</h1><p>Frontline support for WvW zergs.</p>\
         <h2>Equipment</h2><table><tr><td>Armor</td><td>Minstrel's</td></tr><tr><td>Trinkets</td><td>Minstrel's</td></tr>\
         <tr><td>Weapons</td><td>Harrier's</td></tr><tr><td>Runes</td><td>Superior Rune of the Monk</td></tr></table>\
         <h2>Build template</h2><input readonly value=\"{code}\"></body></html>"
    );
    let metabattle = format!(
        "<html><head><meta property=\"og:title\" content=\"Heal Firebrand - MetaBattle\"></head><body>\
         <div class=\"build\"><p>Template: <code>{code}</code></p><p>Use Minstrel's gear and Superior Rune of Durability.</p></div></body></html>"
    );
    let hardstuck = format!(
        "<html><head><title>Hardstuck | Firebrand Support</title></head><body><main>\
         <section><h3>Gear</h3><ul><li>Harrier's Helm</li><li>Minstrel's Coat</li><li>Minstrel's Leggings</li></ul>\
         <p>Superior Rune of Durability</p></section>\
         <button class=\"copy\" data-clipboard-text=\"{code}\">Copy build template</button></main></body></html>"
    );
    let gw2skills = format!(
        "<html><head><title>GW2Skills - Guardian build</title></head><body>\
         <form><label>Chat link</label><textarea id=\"chatlink\">{code}</textarea></form>\
         <div>Armor: Soldier's. Trinkets: Soldier's.</div></body></html>"
    );
    let big = "<html><body>".to_owned() + &"x".repeat(3 * 1024 * 1024) + "</body></html>";
    let app = axum::Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route(
            "/guides/firebrand",
            get(move || async move { html(snowcrows) }),
        )
        .route(
            "/guides/metabattle",
            get(move || async move { html(metabattle) }),
        )
        .route("/hardstuck", get(move || async move { html(hardstuck) }))
        .route("/gw2skills", get(move || async move { html(gw2skills) }))
        .route(
            "/private/page",
            get(|| async { html("<html></html>".into()) }),
        )
        .route(
            "/nocode",
            get(|| async { html("<html><body>No build here</body></html>".into()) }),
        )
        .route("/big", get(move || async move { html(big) }))
        .route(
            "/image",
            get(|| async { ([(header::CONTENT_TYPE, "image/png")], "PNG").into_response() }),
        )
        .route(
            "/moved",
            get(|| async {
                (StatusCode::FOUND, [(header::LOCATION, "/private/page")]).into_response()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn build_pages_are_read_politely_and_analyzed() {
    let base = site().await;
    let app = TestApp::all_with(|s| s.fetch_private_addresses = true)
        .await
        .into_iter()
        .next()
        .unwrap();
    let fb = gw2::GameData::embedded()
        .specialization_by_name("Firebrand")
        .unwrap();

    let body = app
        .post(
            ANALYZE,
            json!({"url": format!("{base}/guides/firebrand")}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(body["source"]["chat_code"], firebrand_code());
    assert_eq!(body["source"]["name"], "Firebrand – WvW Support | Guides");
    assert_eq!(body["source"]["stats_text"], "Minstrel's");
    assert_eq!(body["source"]["runes_text"], "Superior Rune of the Monk");
    assert_eq!(body["source"]["context"], "WvW");
    assert_eq!(body["decoded"]["specialization_id"], fb.id);
    assert_eq!(body["decoded"]["trait_ids"].as_array().unwrap().len(), 9);
    assert_eq!(body["analysis"]["specialization"], "Firebrand");
    assert!(body["analysis"]["chat_code"].is_string());

    let body = app
        .post(
            ANALYZE,
            json!({"url": format!("{base}/guides/metabattle"), "context": "McM roaming"}),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(body["source"]["name"], "Heal Firebrand - MetaBattle");
    assert_eq!(body["source"]["runes_text"], "Superior Rune of Durability");
    assert_eq!(body["analysis"]["gear_optimization"]["mode"], "roaming");

    for (path, name, stats) in [
        ("/hardstuck", "Hardstuck | Firebrand Support", "Minstrel's"),
        ("/gw2skills", "GW2Skills - Guardian build", "Soldier's"),
    ] {
        let body = app
            .post(ANALYZE, json!({"url": format!("{base}{path}")}), None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["source"]["name"], name);
        assert_eq!(body["source"]["stats_text"], stats);
        assert_eq!(body["source"]["chat_code"], firebrand_code());
        assert_eq!(body["decoded"]["specialization_id"], fb.id);
    }

    for (path, word) in [
        ("/private/page", "robots.txt"),
        ("/moved", "robots.txt"),
        ("/nocode", "no build chat code"),
        ("/big", "larger than 2 MiB"),
        ("/image", "image/png"),
        ("/missing", "404"),
    ] {
        let body = app
            .post(ANALYZE, json!({"url": format!("{base}{path}")}), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "url");
        assert!(
            body["detail"].as_str().unwrap().contains(word),
            "{path}: {body}"
        );
    }
    for url in [
        "ftp://example.com/build",
        "file:///etc/passwd",
        "not a url",
        "http://user:pw@example.com/",
    ] {
        let body = app
            .post(ANALYZE, json!({"url": url}), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "url", "{url}");
    }
}

#[tokio::test]
async fn internal_addresses_are_refused_by_default() {
    let base = site().await;
    let app = TestApp::all().await.into_iter().next().unwrap();
    for url in [
        format!("{base}/guides/firebrand"),
        "http://10.0.0.1/build".to_owned(),
        "http://[::1]:9/x".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        let body = app
            .post(ANALYZE, json!({"url": url}), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("internal address"),
            "{url}: {body}"
        );
    }
}
