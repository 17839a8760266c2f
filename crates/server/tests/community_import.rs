//! `POST /api/v1/admin/import/builds` against a local web server speaking plain HTTP: guide
//! pages written for these tests in three community layouts (Snowcrows-like tables,
//! MetaBattle-like wiki rows, Hardstuck-like lists; none copied from the real sites), a
//! forum post with gear text and no chat code, a malformed page, a page whose code does not
//! read, robots.txt refusals, a 404, and pages past and below the size cap — on every
//! available backend.

mod common;

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use common::TestApp;
use gw2::build::{BuildDraft, TraitLine};
use gw2::GameData;
use serde_json::{json, Value};

const IMPORT: &str = "/api/v1/admin/import/builds";

/// The chat code of a `profession` build with its first two core lines and `elite`.
fn code(profession: &str, elite: &str) -> String {
    let data = GameData::embedded();
    let core: Vec<String> = data
        .specializations_of(profession)
        .into_iter()
        .filter(|s| !s.elite)
        .take(2)
        .map(|s| s.name.clone())
        .collect();
    let line = |spec: &str, traits| TraitLine {
        specialization: spec.to_owned(),
        traits,
    };
    let draft = BuildDraft {
        name: "x".into(),
        profession: profession.into(),
        specialization: Some(elite.into()),
        game_mode: "wvw".into(),
        role: "dps".into(),
        trait_lines: vec![
            line(&core[0], [1, 2, 3]),
            line(&core[1], [2, 2, 1]),
            line(elite, [3, 1, 2]),
        ],
        skills: Default::default(),
        equipment: Default::default(),
        synergies: vec![],
        counters: vec![],
        description: None,
        tags: vec![],
        is_public: true,
    };
    draft.validate(data).unwrap().to_chat_code(data).unwrap()
}

fn html(body: String) -> axum::response::Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A Snowcrows-like guide: a heading, a gear table of slot and prefix cells, rune, sigil
/// and relic rows, and the template in a read-only input.
fn crows_page(helm: &str) -> String {
    let code = code("Guardian", "Firebrand");
    let row =
        |slot: &str, stat: &str| format!("<tr><td class=\"slot\">{slot}</td><td>{stat}</td></tr>");
    let rows: String = [
        ("Helm", helm),
        ("Shoulders", "Harrier’s"),
        ("Coat", "Minstrel's"),
        ("Gloves", "Minstrel's"),
        ("Leggings", "Minstrel's"),
        ("Boots", "Harrier's"),
        ("Amulet", "Minstrel's"),
        ("Rings", "Minstrel's"),
        ("Accessories", "Harrier's"),
        ("Back", "Minstrel's"),
        ("Weapons", "Minstrel's"),
    ]
    .iter()
    .map(|(slot, stat)| row(slot, stat))
    .collect();
    format!(
        "<!doctype html><html><head><title>Firebrand – WvW Zerg Support | Crow Guides</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/guides\">Guides</a></nav>\
         <main><h1>Support Firebrand</h1><p>Keep stability on the group and stay at the back of the \
         commander's tag.</p><h2>Equipment</h2><table><thead><tr><th>Slot</th><th>Stats</th></tr></thead>\
         <tbody>{rows}</tbody></table><table><tr><td>Runes</td><td>Superior Rune of the Monk</td></tr>\
         <tr><td>Sigils</td><td>Superior Sigil of Transference, Superior Sigil of Energy</td></tr>\
         <tr><td>Relic</td><td>Relic of the Flock</td></tr></table>\
         <h2>Template</h2><input class=\"template\" readonly value=\"{code}\"></main></body></html>"
    )
}

/// A MetaBattle-like wiki page: the title names build and mode, gear as labelled rows of
/// divisions, the template in a code span.
fn wiki_page() -> String {
    let code = code("Necromancer", "Scourge");
    format!(
        "<html><head><meta property=\"og:title\" content=\"Build:Necromancer - Scourge Zerg DPS - Meta Wiki\">\
         <title>Build:Necromancer - Scourge Zerg DPS - Meta Wiki</title></head><body>\
         <div id=\"content\"><h1 class=\"firstHeading\">Build:Necromancer - Scourge Zerg DPS</h1>\
         <div class=\"infobox\"><div class=\"row\"><span class=\"label\">Armor</span>: <span>Viper's</span></div>\
         <div class=\"row\"><span class=\"label\">Trinkets</span>: <span>Viper's</span></div>\
         <div class=\"row\"><span class=\"label\">Weapons</span>: <span>Sinister</span></div></div>\
         <p>Runes: Superior Rune of the Scourge. Sigils: Superior Sigil of Bursting and Superior Sigil of Smoldering.</p>\
         <p>Chat code: <code>{code}</code></p></div></body></html>"
    )
}

/// A Hardstuck-like guide: gear as "Prefix Slot" list items, the template in a copy button.
fn list_page() -> String {
    let code = code("Necromancer", "Reaper");
    format!(
        "<html><head><title>Power Reaper Roaming Build | Stuck Builds</title></head><body><article>\
         <header><h1>Power Reaper – Roaming</h1></header>\
         <section class=\"gear\"><h3>Gear</h3><ul><li>Berserker's Helm</li><li>Berserker's Shoulders</li>\
         <li>Marauder's Coat</li><li>Marauder's Gloves</li><li>Marauder's Leggings</li><li>Berserker's Boots</li>\
         <li>Marauder's Amulet</li><li>Marauder's Rings</li><li>Berserker's Accessories</li><li>Berserker's Back</li>\
         <li>Berserker's Two-Handed Weapon</li></ul><p>Rune of the Reaper works too; we use Superior Rune of Strength.</p></section>\
         <button class=\"copy\" data-clipboard-text=\"{code}\">Copy build template</button></article></body></html>"
    )
}

/// A forum post with gear text and no chat code.
fn forum_page() -> String {
    "<html><head><title>Heal Scourge for WvW guild raids – Forum</title></head><body>\
     <div class=\"post\"><p>I run Harrier's Armor, Minstrel's Trinkets and Harrier's Weapons \
     with Superior Rune of the Monk.</p><p>Ask in guild chat for the traits.</p></div></body></html>"
        .to_owned()
}

struct Site {
    base: String,
    /// The helm prefix the crows page shows (changed to test re-imports).
    helm: Arc<Mutex<String>>,
}

async fn site() -> Site {
    let helm = Arc::new(Mutex::new("Harrier's".to_owned()));
    let big = "<html><body>".to_owned() + &"<p>filler</p>".repeat(300_000) + "</body></html>";
    // Below the 2 MiB cap: 1.5 MiB of filler, then the build.
    let large = format!(
        "<html><head><title>Large page</title></head><body>{}<h1>Scourge Zerg DPS</h1>\
         <p>Template <code>{}</code></p></body></html>",
        "<div><span>filler text</span></div>".repeat(40_000),
        code("Necromancer", "Scourge")
    );
    let app = axum::Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /members/\n" }),
        )
        .route(
            "/guides/firebrand",
            get(|State(helm): State<Arc<Mutex<String>>>| async move {
                html(crows_page(&helm.lock().unwrap()))
            }),
        )
        .route("/wiki/scourge", get(|| async { html(wiki_page()) }))
        .route("/builds/reaper", get(|| async { html(list_page()) }))
        .route("/forum/heal-scourge", get(|| async { html(forum_page()) }))
        .route(
            "/members/secret",
            get(|| async { html(crows_page("Harrier's")) }),
        )
        .route(
            "/broken",
            get(|| async {
                html("<html><body><div><p>Unclosed <b>tags <table><tr><td>Nothing & here".into())
            }),
        )
        .route(
            "/bad-code",
            get(|| async {
                html("<html><head><title>Scourge</title></head><body><code>[&DQgAAAA=]</code></body></html>".into())
            }),
        )
        .route("/big", get(move || async move { html(big) }))
        .route("/large", get(move || async move { html(large) }))
        .with_state(helm.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Site {
        base: format!("http://{addr}"),
        helm,
    }
}

/// A superuser `name`: (id, access token).
async fn superuser(app: &TestApp, name: &str) -> (String, String) {
    let user = app
        .state
        .accounts
        .create_superuser(&format!("{name}@example.com"), name, common::PASSWORD)
        .await
        .unwrap();
    let token = app
        .login(name, common::PASSWORD)
        .await
        .expect(StatusCode::OK)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (user.id.to_string(), token)
}

fn find<'a>(results: &'a Value, url: &str) -> &'a Value {
    results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == url)
        .unwrap_or_else(|| panic!("{url} in {results}"))
}

async fn get_build(app: &TestApp, token: &str, id: &Value) -> Value {
    app.get(
        &format!("/api/v1/builds/{}", id.as_str().unwrap()),
        Some(token),
    )
    .await
    .expect(StatusCode::OK)
}

fn gear_of(build: &Value) -> Vec<(String, String)> {
    build["equipment"]["gear"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn guide_pages_in_three_layouts_become_builds() {
    let site = site().await;
    let base = &site.base;
    for app in TestApp::all_with(|s| s.fetch_private_addresses = true).await {
        let (_, token) = superuser(&app, "curator").await;
        let urls = [
            format!("{base}/guides/firebrand"),
            format!("{base}/wiki/scourge"),
            format!("{base}/builds/reaper"),
            format!("{base}/forum/heal-scourge"),
        ];
        let results = app
            .post(
                IMPORT,
                json!({"urls": urls, "is_public": true}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        let backend = format!("{:?}", app.backend());
        assert_eq!(results.as_array().unwrap().len(), 4, "{backend}");
        for r in results.as_array().unwrap() {
            assert_eq!(r["status"], "imported", "{backend}: {r}");
            assert!(
                r["detail"].as_str().unwrap().starts_with("created: "),
                "{r}"
            );
        }

        // Snowcrows-like: the code's traits, the table's slots (a typographic apostrophe
        // read as one), runes, sigils and relic; mode and role from the title.
        let fb = get_build(&app, &token, &find(&results, &urls[0])["build_id"]).await;
        assert_eq!(fb["name"], "Support Firebrand");
        assert_eq!(fb["profession"], "Guardian");
        assert_eq!(fb["specialization"], "Firebrand");
        assert_eq!(fb["game_mode"], "wvw_zerg");
        assert_eq!(fb["role"], "support");
        assert_eq!(fb["is_public"], true);
        assert_eq!(fb["source_url"], urls[0].as_str());
        assert_eq!(fb["trait_lines"].as_array().unwrap().len(), 3);
        assert_eq!(
            fb["trait_lines"][2],
            json!({"specialization": "Firebrand", "traits": [3, 1, 2]})
        );
        let harrier = ["helm", "shoulders", "boots", "accessory1", "accessory2"];
        let gear = gear_of(&fb);
        assert_eq!(gear.len(), 14, "{gear:?}");
        for (slot, prefix) in &gear {
            let expected = if harrier.contains(&slot.as_str()) {
                "Harrier's"
            } else {
                "Minstrel's"
            };
            assert_eq!(prefix, expected, "{slot}");
        }
        assert_eq!(fb["equipment"]["runes"], "Superior Rune of the Monk");
        assert_eq!(
            fb["equipment"]["sigils"],
            json!(["Superior Sigil of Transference", "Superior Sigil of Energy"])
        );
        assert_eq!(fb["equipment"]["relic"], "Relic of the Flock");
        let detail = find(&results, &urls[0])["detail"].as_str().unwrap();
        assert!(
            detail.contains("Guardian Firebrand, wvw_zerg, support")
                && detail.contains("traits and skills from the chat code")
                && detail.contains("gear: 14 slots"),
            "{detail}"
        );

        // MetaBattle-like: group rows (Armor, Trinkets, Weapons) cover the 14 slots.
        let scourge = get_build(&app, &token, &find(&results, &urls[1])["build_id"]).await;
        assert_eq!(scourge["name"], "Build:Necromancer - Scourge Zerg DPS");
        assert_eq!(scourge["specialization"], "Scourge");
        assert_eq!(scourge["game_mode"], "wvw_zerg");
        assert_eq!(scourge["role"], "dps");
        let gear = gear_of(&scourge);
        assert_eq!(gear.len(), 14);
        assert!(gear.iter().all(|(slot, p)| p
            == if slot.ends_with("hand") {
                "Sinister"
            } else {
                "Viper's"
            }));
        assert_eq!(
            scourge["equipment"]["runes"],
            "Superior Rune of the Scourge"
        );
        assert_eq!(
            scourge["equipment"]["sigils"],
            json!(["Superior Sigil of Bursting", "Superior Sigil of Smoldering"])
        );

        // Hardstuck-like: "Prefix Slot" items; a two-handed weapon instead of main/off hand;
        // the first rune named.
        let reaper = get_build(&app, &token, &find(&results, &urls[2])["build_id"]).await;
        assert_eq!(reaper["name"], "Power Reaper – Roaming");
        assert_eq!(reaper["specialization"], "Reaper");
        assert_eq!(reaper["game_mode"], "wvw_roaming");
        assert_eq!(reaper["role"], "dps");
        let gear: std::collections::BTreeMap<String, String> =
            gear_of(&reaper).into_iter().collect();
        assert_eq!(gear.len(), 13, "{gear:?}");
        assert_eq!(gear["two_handed"], "Berserker's");
        assert_eq!(gear["coat"], "Marauder's");
        assert_eq!(gear["ring2"], "Marauder's");
        assert_eq!(gear["back"], "Berserker's");
        assert!(!gear.contains_key("main_hand"));
        assert_eq!(reaper["equipment"]["runes"], "Superior Rune of the Reaper");

        // A forum post: no chat code, the class, mode and role from its title, its gear
        // sentence paired prefix → group.
        let forum = find(&results, &urls[3]);
        let post = get_build(&app, &token, &forum["build_id"]).await;
        assert_eq!(post["profession"], "Necromancer");
        assert_eq!(post["specialization"], "Scourge");
        assert_eq!(post["game_mode"], "wvw_guild_raid");
        assert_eq!(post["role"], "healer");
        assert_eq!(post["trait_lines"], json!([]));
        let gear = gear_of(&post);
        assert_eq!(gear.len(), 14);
        for (slot, prefix) in &gear {
            let trinket = [
                "amulet",
                "ring1",
                "ring2",
                "accessory1",
                "accessory2",
                "back",
            ]
            .contains(&slot.as_str());
            assert_eq!(
                prefix,
                if trinket { "Minstrel's" } else { "Harrier's" },
                "{slot}"
            );
        }
        assert!(
            forum["detail"]
                .as_str()
                .unwrap()
                .contains("no chat code on the page"),
            "{forum}"
        );

        // The imported builds are listed like any other, with their source.
        let listed = app
            .get("/api/v1/builds?profession=Necromancer", None)
            .await
            .expect(StatusCode::OK);
        assert_eq!(listed["total"], 3);
        assert!(listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["source_url"].as_str().unwrap().starts_with(base.as_str())));
    }
}

#[tokio::test]
async fn a_page_imported_again_updates_its_build() {
    let site = site().await;
    let url = format!("{}/guides/firebrand", site.base);
    for app in TestApp::all_with(|s| s.fetch_private_addresses = true).await {
        *site.helm.lock().unwrap() = "Harrier's".to_owned();
        let (user_id, token) = superuser(&app, "curator").await;
        let first = app
            .post(IMPORT, json!({"urls": [url]}), Some(&token))
            .await
            .expect(StatusCode::OK);
        let id = first[0]["build_id"].clone();
        assert_eq!(first[0]["status"], "imported");
        let private = get_build(&app, &token, &id).await;
        assert_eq!(private["is_public"], false, "private unless asked");

        // The same page again (a fragment is the same page; listed twice is skipped).
        let again = app
            .post(
                IMPORT,
                json!({"urls": [format!("{url}#gear"), url]}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(again[0]["status"], "skipped", "{again}");
        assert_eq!(again[0]["build_id"], id);
        assert!(again[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("unchanged since the last import"));
        assert_eq!(again[1]["status"], "skipped");
        assert_eq!(again[1]["detail"], "listed twice: imported once above");
        assert_eq!(again[1]["build_id"], id);

        // The page changes: another instance (its page cache empty, like a later run)
        // updates the same build.
        *site.helm.lock().unwrap() = "Minstrel's".to_owned();
        let mut settings = common::test_settings(app.data_dir.path());
        settings.fetch_private_addresses = true;
        let other = common::state_on(&app.state.db, settings);
        let owner = store::users::by_id(&app.state.db, user_id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        let updated = other
            .community_import
            .import(&owner, std::slice::from_ref(&url), false)
            .await
            .unwrap();
        assert_eq!(
            updated[0].status,
            server::services::community_import::ImportStatus::Imported
        );
        assert!(
            updated[0].detail.starts_with("updated: "),
            "{:?}",
            updated[0]
        );
        assert_eq!(
            updated[0].build_id.map(|u| u.to_string()).as_deref(),
            id.as_str()
        );
        // Read from the database: the first instance's hot cache hears of the change only
        // through Redis, which these apps do not share.
        let stored = store::builds::by_id(&app.state.db, id.as_str().unwrap().parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .into_stored()
            .unwrap();
        assert_eq!(
            stored.build.equipment.gear[&gw2::model::GearSlot::Helm],
            "Minstrel's"
        );
        assert_eq!(stored.source_url.as_deref(), Some(url.as_str()));
        let mine = app
            .get("/api/v1/builds?author=curator", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(mine["total"], 1, "updated, not duplicated");
        // The source is read-only: a client cannot set it.
        let refused = app
            .post(
                "/api/v1/builds",
                json!({"name": "x", "profession": "Guardian", "game_mode": "wvw", "role": "dps",
                       "source_url": "https://example.com"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused["detail"].as_str().unwrap().contains("source_url"));
    }
}

#[tokio::test]
async fn pages_without_a_build_fail_one_by_one_with_the_reason() {
    let site = site().await;
    let base = &site.base;
    for app in TestApp::all_with(|s| s.fetch_private_addresses = true).await {
        let (_, token) = superuser(&app, "curator").await;
        let cases = [
            (format!("{base}/members/secret"), "robots.txt"),
            (format!("{base}/missing"), "404"),
            (format!("{base}/broken"), "no build on the page"),
            (format!("{base}/bad-code"), "does not read"),
            (format!("{base}/big"), "larger than 2 MiB"),
            ("ftp://example.com/guide".to_owned(), "only http and https"),
            ("not a url".to_owned(), "not a URL"),
        ];
        let urls: Vec<&str> = cases.iter().map(|(u, _)| u.as_str()).collect();
        let mut all = urls.clone();
        let large = format!("{base}/large");
        all.push(&large);
        let started = std::time::Instant::now();
        let results = app
            .post(IMPORT, json!({"urls": all}), Some(&token))
            .await
            .expect(StatusCode::OK);
        for (url, word) in &cases {
            let r = find(&results, url);
            assert_eq!(r["status"], "failed", "{r}");
            assert!(r.get("build_id").is_none(), "{r}");
            assert!(r["detail"].as_str().unwrap().contains(word), "{url}: {r}");
        }
        // The one good page among them, its build after 1.5 MiB of filler.
        let large = find(&results, &large);
        assert_eq!(large["status"], "imported", "{large}");
        eprintln!(
            "eight pages (one of 1.5 MiB, one refused past 2 MiB) in {:?}",
            started.elapsed()
        );
        let none = app
            .get("/api/v1/builds?author=curator", Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(none["total"], 1);
    }
}

#[tokio::test]
async fn only_superusers_import_and_the_list_is_bounded() {
    for app in TestApp::all().await {
        let (_, user, _) = app.user("someone").await;
        let body = json!({"urls": ["https://example.com/guide"]});
        app.post(IMPORT, body.clone(), None)
            .await
            .expect(StatusCode::UNAUTHORIZED);
        app.post(IMPORT, body, Some(&user))
            .await
            .expect(StatusCode::FORBIDDEN);
        let (_, admin) = superuser(&app, "curator").await;
        for (urls, word) in [
            (json!([]), "at least one"),
            (json!(vec!["https://example.com/x"; 11]), "at most 10"),
        ] {
            let reply = app
                .post(IMPORT, json!({"urls": urls}), Some(&admin))
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(reply["field"], "urls");
            assert!(reply["detail"].as_str().unwrap().contains(word), "{reply}");
        }
        // The loopback test server is an internal address unless configured for tests.
        let site = site().await;
        let reply = app
            .post(
                IMPORT,
                json!({"urls": [format!("{}/guides/firebrand", site.base)]}),
                Some(&admin),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply[0]["status"], "failed");
        assert!(reply[0]["detail"]
            .as_str()
            .unwrap()
            .contains("internal address"));
    }
}
