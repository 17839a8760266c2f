//! `gw2opt data sync` against a local server speaking the GW2 API's protocol (`ids=all`, id
//! lists with 206/404), serving the recorded responses of `../shared/data`: the
//! snapshot it builds must equal the committed one (the same facts through the live path).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, Query};
use axum::response::IntoResponse;

fn reference() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    p.join("gw2-api/professions.json").exists().then_some(p)
}

/// The recorded responses of `../shared/data/gw2-api` the sync asks for, by endpoint.
fn recorded(dir: &Path) -> HashMap<String, serde_json::Value> {
    [
        "build",
        "professions",
        "specializations",
        "itemstats",
        "pets",
    ]
    .into_iter()
    .map(|endpoint| {
        let file = dir.join("gw2-api").join(format!("{endpoint}.json"));
        let value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        (endpoint.to_owned(), value)
    })
    .collect()
}

#[tokio::test]
async fn sync_rebuilds_the_committed_snapshot_from_the_api() {
    let Some(data) = reference() else {
        eprintln!("skipped: ../shared/data not found");
        return;
    };
    let url = serve_records(recorded(&data)).await;
    let out = tempfile::tempdir().unwrap();
    let snapshot = out.path().join("snapshot.json");
    let status = tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .args(["data", "sync", "--base-url", &url, "--discretize"])
        .arg(data.join("discretize"))
        .arg("--save-to")
        .arg(out.path().join("sync"))
        .arg("--out")
        .arg(&snapshot)
        .env("RUST_LOG", "warn")
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/gw2/data/snapshot.json"))
            .unwrap();
    assert!(
        std::fs::read(&snapshot).unwrap() == committed,
        "the synced snapshot differs from the committed one"
    );
    // The responses were saved in the import layout.
    for file in [
        "build",
        "professions",
        "specializations",
        "itemstats",
        "pets",
    ] {
        assert!(
            out.path()
                .join(format!("sync/gw2-api/{file}.json"))
                .exists(),
            "{file}"
        );
    }
}

#[tokio::test]
async fn sync_reports_an_unreachable_api() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .args(["data", "sync", "--base-url", &url, "--save-to"])
        .arg(out.path())
        .arg("--out")
        .arg(out.path().join("snapshot.json"))
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/v2/build"), "{stderr}");
    assert!(
        !out.path().join("snapshot.json").exists(),
        "no snapshot from nothing"
    );
}

/// A local API serving in-memory records: `ids=all`, or `ids=a,b,c` answered with the
/// matching records (206 when some are unknown), and documents as they are.
async fn serve_records(records: HashMap<String, serde_json::Value>) -> String {
    let records = std::sync::Arc::new(records);
    let app = axum::Router::new().route(
        "/v2/{endpoint}",
        axum::routing::get(
            move |UrlPath(endpoint): UrlPath<String>, Query(q): Query<HashMap<String, String>>| {
                let records = records.clone();
                async move {
                    let json = |status: axum::http::StatusCode, v: &serde_json::Value| {
                        (
                            status,
                            [("content-type", "application/json")],
                            v.to_string(),
                        )
                            .into_response()
                    };
                    let Some(all) = records.get(&endpoint) else {
                        return json(
                            axum::http::StatusCode::NOT_FOUND,
                            &serde_json::json!({"text": "not found"}),
                        );
                    };
                    let Some(list) = all.as_array() else {
                        return json(axum::http::StatusCode::OK, all);
                    };
                    match q.get("ids").map(String::as_str) {
                        Some("all") => json(axum::http::StatusCode::OK, all),
                        Some(ids) => {
                            let wanted: Vec<&str> = ids.split(',').collect();
                            let found: Vec<&serde_json::Value> = list
                                .iter()
                                .filter(|r| wanted.contains(&r["id"].to_string().as_str()))
                                .collect();
                            let status = if found.is_empty() {
                                axum::http::StatusCode::NOT_FOUND
                            } else if found.len() < wanted.len() {
                                axum::http::StatusCode::PARTIAL_CONTENT
                            } else {
                                axum::http::StatusCode::OK
                            };
                            json(status, &serde_json::json!(found))
                        }
                        None => json(
                            axum::http::StatusCode::OK,
                            &serde_json::json!(list
                                .iter()
                                .map(|r| r["id"].clone())
                                .collect::<Vec<_>>()),
                        ),
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// The current API schema: professions carry `skills` and `skills_by_palette`; the sync
/// fetches `/v2/skills` for the bar skills they list and `/v2/traits` for the
/// specializations' traits. Served here from the committed facts in the API's shape, the
/// synced snapshot has the committed professions, specializations, skills and traits.
#[tokio::test]
async fn sync_fetches_the_bar_skills_the_professions_list() {
    let Some(data) = reference() else {
        eprintln!("skipped: ../shared/data not found");
        return;
    };
    let mut records = recorded(&data);
    let facts: serde_json::Value = serde_json::from_str(gw2::import::SKILLS_JSON).unwrap();
    let api_slot = |k: &serde_json::Value| match k["slot"].as_str().unwrap() {
        "heal" => "Heal",
        "utility" => "Utility",
        _ => "Elite",
    };
    let mut professions = records["professions"].clone();
    for p in professions.as_array_mut().unwrap() {
        let id = p["id"].as_str().unwrap().to_owned();
        p["skills_by_palette"] = facts["palettes"][&id].clone();
        p["skills"] = facts["skills"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["profession"] == id.as_str())
            .map(|k| serde_json::json!({"id": k["id"], "slot": api_slot(k), "type": api_slot(k)}))
            .chain([serde_json::json!({"id": 1, "slot": "Profession_1", "type": "Profession"})])
            .collect();
    }
    let skills: Vec<serde_json::Value> = facts["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let mut v = serde_json::json!({"id": k["id"], "type": api_slot(k), "slot": api_slot(k),
                "professions": [k["profession"]]});
            if !k["name"].is_null() {
                v["name"] = k["name"].clone();
            }
            if !k["specialization"].is_null() {
                v["specialization"] = k["specialization"].clone();
            }
            v
        })
        .collect();
    // Specializations as the current API lists them (their trait ids), and those traits.
    let committed = gw2::GameData::embedded().snapshot();
    let specializations: Vec<serde_json::Value> = committed
        .specializations
        .iter()
        .map(|s| {
            let mut v = serde_json::json!({"id": s.id, "name": s.name, "profession": s.profession,
                "elite": s.elite, "minor_traits": s.minor_traits, "major_traits": s.major_traits});
            if let Some(w) = s.weapon_trait {
                v["weapon_trait"] = w.into();
            }
            v
        })
        .collect();
    let traits: Vec<serde_json::Value> = committed
        .traits
        .iter()
        .map(|t| {
            let slot = if t.slot == gw2::data::TraitSlot::Major {
                "Major"
            } else {
                "Minor"
            };
            serde_json::json!({"id": t.id, "name": t.name, "specialization": t.specialization,
                "tier": t.tier, "slot": slot})
        })
        .collect();
    records.insert("professions".into(), professions);
    records.insert("specializations".into(), serde_json::json!(specializations));
    records.insert("traits".into(), serde_json::json!(traits));
    records.insert("skills".into(), serde_json::json!(skills));
    let url = serve_records(records).await;
    let out = tempfile::tempdir().unwrap();
    let snapshot = out.path().join("snapshot.json");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gw2opt"))
        .args(["data", "sync", "--base-url", &url, "--discretize"])
        .arg(data.join("discretize"))
        .arg("--save-to")
        .arg(out.path().join("sync"))
        .arg("--out")
        .arg(&snapshot)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let saved: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(out.path().join("sync/gw2-api/skills.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        saved.len(),
        449,
        "only heal, utility and elite skills are fetched"
    );
    let synced = gw2::GameData::from_json(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    assert_eq!(synced.snapshot().professions, committed.professions);
    assert_eq!(synced.snapshot().specializations, committed.specializations);
    assert_eq!(synced.snapshot().skills, committed.skills);
    assert_eq!(synced.snapshot().traits, committed.traits);
    assert_eq!(synced.traits().len(), 972);
    assert_eq!(
        synced.skill_by_name("Guardian", "Shelter").map(|k| k.id),
        Some(9102)
    );
}
