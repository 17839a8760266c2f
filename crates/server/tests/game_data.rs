//! `GET /api/v1/game/data`: the embedded game data in one document per language (English,
//! French names where the game's French client names are known), cacheable with an ETag.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Reply, TestApp};
use gw2::GameData;
use serde_json::Value;

async fn get(app: &TestApp, uri: &str, if_none_match: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn find<'a>(list: &'a Value, key: &str, value: impl Into<Value>) -> &'a Value {
    let value = value.into();
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value}"))
}

#[tokio::test]
async fn english_has_every_collection_of_the_embedded_data() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let reply = get(&app, "/api/v1/game/data?lang=en", None).await;
    assert_eq!(
        reply.headers.get("cache-control").unwrap(),
        "public, max-age=3600"
    );
    assert!(reply.headers.get("etag").is_some());
    let doc = reply.expect(StatusCode::OK);
    let data = GameData::embedded();
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["version"], data.version());
    assert_eq!(doc["game_build"], data.game_build());
    for (name, count) in [
        ("professions", data.professions().len()),
        ("specializations", data.specializations().len()),
        ("traits", data.snapshot().traits.len()),
        ("skills", data.snapshot().skills.len()),
        ("legends", data.legends().len()),
        ("pets", data.pets().len()),
        ("itemstats", data.itemstats().len()),
    ] {
        assert_eq!(doc[name].as_array().unwrap().len(), count, "{name}");
        assert_eq!(doc["name_languages"][name], "en", "{name}");
    }

    let guardian = find(&doc["professions"], "id", "Guardian");
    assert_eq!(guardian["name"], "Guardian");
    assert_eq!(guardian["code"], 1);
    assert_eq!(guardian["armor_weight"], "heavy");
    let firebrand = data.specialization_by_name("Firebrand").unwrap();
    assert!(guardian["specializations"]
        .as_array()
        .unwrap()
        .contains(&Value::from(firebrand.id)));
    let axe = find(&guardian["weapons"], "name", "Axe");
    assert_eq!(axe["hands"], serde_json::json!(["mainhand"]));
    assert_eq!(axe["specialization"], firebrand.id);

    let spec = find(&doc["specializations"], "id", firebrand.id);
    assert_eq!(spec["name"], "Firebrand");
    assert_eq!(spec["name_lang"], "en");
    assert_eq!(spec["profession"], "Guardian");
    assert_eq!(spec["elite"], true);
    assert_eq!(spec["minor_traits"].as_array().unwrap().len(), 3);
    assert_eq!(spec["major_traits"].as_array().unwrap().len(), 9);

    let major = firebrand.major_traits[0];
    let t = find(&doc["traits"], "id", major);
    assert_eq!(t["specialization"], firebrand.id);
    assert_eq!(t["tier"], 1);
    assert_eq!(t["slot"], "major");
    let skill = &data.snapshot().skills[0];
    let s = find(&doc["skills"], "id", skill.id);
    assert_eq!(s["profession"], skill.profession.as_str());
    assert_eq!(s["slot"], skill.slot.as_str());

    let berserker = find(&doc["itemstats"], "key", "berserker");
    assert_eq!(berserker["name"], "Berserker's");
    assert_eq!(berserker["major"], serde_json::json!(["power"]));
    assert_eq!(
        berserker["minor"],
        serde_json::json!(["precision", "ferocity"])
    );
    assert!(find(&doc["legends"], "legend", "Glint")["utilities"].is_array());

    // No language asked: English.
    let default = get(&app, "/api/v1/game/data", None).await;
    assert_eq!(
        default.raw,
        get(&app, "/api/v1/game/data?lang=en", None).await.raw
    );
}

#[tokio::test]
async fn french_names_professions_and_elites_and_says_what_stays_english() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let doc = get(&app, "/api/v1/game/data?lang=fr", None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(doc["lang"], "fr");
    let firebrand = find(&doc["specializations"], "name_en", "Firebrand");
    assert_eq!(firebrand["name"], "Incendiaire");
    assert_eq!(firebrand["name_lang"], "fr");
    let necro = find(&doc["professions"], "id", "Necromancer");
    assert_eq!(necro["name"], "Nécromant");
    assert_eq!(necro["name_en"], "Necromancer");
    assert_eq!(necro["name_lang"], "fr");
    // A core specialization has no French name here: English, and said so.
    let zeal = find(&doc["specializations"], "name_en", "Zeal");
    assert_eq!(zeal["name"], "Zeal");
    assert_eq!(zeal["name_lang"], "en");
    assert_eq!(doc["name_languages"]["professions"], "fr");
    assert_eq!(doc["name_languages"]["specializations"], "mixed");
    for english in ["traits", "skills", "legends", "pets", "itemstats"] {
        assert_eq!(doc["name_languages"][english], "en", "{english}");
    }
    // Every elite is French, every profession too.
    for spec in doc["specializations"].as_array().unwrap() {
        if spec["elite"] == true {
            assert_eq!(spec["name_lang"], "fr", "{}", spec["name_en"]);
            assert_ne!(spec["name"], Value::Null);
        }
    }
    // Everything else is the English document's.
    let en = get(&app, "/api/v1/game/data?lang=en", None)
        .await
        .expect(StatusCode::OK);
    for same in [
        "traits",
        "skills",
        "legends",
        "pets",
        "itemstats",
        "version",
    ] {
        assert_eq!(doc[same], en[same], "{same}");
    }
}

#[tokio::test]
async fn other_languages_are_refused() {
    let app = TestApp::sqlite_with(|_| {}).await;
    for uri in [
        "/api/v1/game/data?lang=de",
        "/api/v1/game/data?lang=",
        "/api/v1/game/data?lang=FR",
    ] {
        let body = get(&app, uri, None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "lang", "{uri}");
        assert_eq!(body["code"], "validation_error");
    }
}

#[tokio::test]
async fn a_current_copy_is_answered_304_per_language() {
    let app = TestApp::sqlite_with(|_| {}).await;
    let en = get(&app, "/api/v1/game/data?lang=en", None).await;
    let fr = get(&app, "/api/v1/game/data?lang=fr", None).await;
    let en_tag = en.headers.get("etag").unwrap().to_str().unwrap().to_owned();
    let fr_tag = fr.headers.get("etag").unwrap().to_str().unwrap().to_owned();
    assert_ne!(en_tag, fr_tag);
    assert!(en_tag.starts_with("W/\""), "{en_tag}");

    let again = get(&app, "/api/v1/game/data?lang=en", Some(&en_tag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.raw.is_empty());
    assert_eq!(again.headers.get("etag").unwrap(), en_tag.as_str());
    assert_eq!(
        again.headers.get("cache-control").unwrap(),
        "public, max-age=3600"
    );
    // The other language's tag is not a match.
    let other = get(&app, "/api/v1/game/data?lang=en", Some(&fr_tag)).await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.raw, en.raw);
    // The same bytes each time: the tag is stable.
    assert_eq!(
        get(&app, "/api/v1/game/data?lang=fr", None)
            .await
            .headers
            .get("etag")
            .unwrap(),
        fr_tag.as_str()
    );
}
