//! Importer tests.
//!
//! - `fixture_import`: small API-shaped fixtures of our own (tests/fixtures), always runs.
//! - `reference_import_reproduces_committed_snapshot`: runs the importer on the real reference
//!   data and requires the committed `data/snapshot.json` to be exactly what it produces. The
//!   reference data is not part of the repository: the test looks in `$GW2_REFERENCE_DATA`,
//!   then `../shared/data` from the repository root, and skips with a message when absent.

use std::path::{Path, PathBuf};

use gw2::data::{Attribute, GameData, GearSlot};
use gw2::import::{build_snapshot, snapshot_to_json, ImportError, ImportInputs, CURATED_JSON};

fn fixture_inputs() -> ImportInputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut inputs = ImportInputs::load(|rel| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let name = if rel.starts_with("discretize/") && name == "specializations.json" {
            "discretize_specializations.json"
        } else {
            name
        };
        std::fs::read_to_string(dir.join(name))
    })
    .unwrap();
    // Self-contained: API-shaped skills of our own, and no skill facts to fall back on.
    inputs.skills = Some(std::fs::read_to_string(dir.join("skills.json")).unwrap());
    inputs.skill_facts = r#"{"sources": [], "palettes": {}, "skills": []}"#.into();
    inputs
}

#[test]
fn fixture_import() {
    let snap = build_snapshot(fixture_inputs()).unwrap();
    assert_eq!(snap.game_build, 1);
    assert_eq!(snap.professions.len(), 9);
    let data = GameData::from_snapshot(snap.clone()).unwrap();
    let necro = data.profession("necromancer").unwrap();
    assert_eq!(necro.specializations, vec![2, 34, 76]);
    assert_eq!(necro.armor_defense, 967);
    assert_eq!(data.skill_for_palette("Necromancer", 1), Some(10527));
    assert_eq!(data.skill_for_palette("Guardian", 1), None);
    // Skills: heal/utility/elite records of /v2/skills with a known profession; weapon,
    // racial and unknown-specialization records are left out.
    let well = data.skill(10527).unwrap();
    assert_eq!(well.name.as_deref(), Some("Well of Blood"));
    assert_eq!(well.slot, gw2::data::SkillSlot::Heal);
    assert_eq!(
        data.skill_by_name("necromancer", "well of blood")
            .unwrap()
            .id,
        10527
    );
    assert_eq!(data.skill(30105).unwrap().specialization, Some(34));
    assert!(data.skill(10554).is_none(), "a weapon skill");
    assert!(data.skill(12343).is_none(), "a racial skill");
    assert!(
        data.skill(40200).is_none(),
        "an elite of a specialization not imported"
    );
    assert_eq!(snap.skills.len(), 2);
    let torch = necro.weapons.iter().find(|w| w.name == "Torch").unwrap();
    assert_eq!(torch.specialization, Some(64));
    // English names from discretize keys; newer traits win; unknown-to-API specs are elite.
    assert_eq!(data.specialization_by_id(2).unwrap().name, "Death Magic");
    let reaper = data.specialization_by_id(34).unwrap();
    assert_eq!(reaper.major_traits[8], 99);
    assert_eq!(reaper.weapon_trait, Some(30));
    assert!(data.specialization_by_id(76).unwrap().elite);
    // Affixes matched to API ids by attribute spread; Knight vs Captain-like spreads differ.
    let b = data.itemstat_by_name("berserker").unwrap();
    assert_eq!(b.ids, vec![161, 1046]);
    assert_eq!(b.ascended[&GearSlot::Helm][&Attribute::Power], 100);
    assert_eq!(b.ascended[&GearSlot::Helm][&Attribute::Ferocity], 90);
    assert_eq!(b.ascended[&GearSlot::TwoHanded][&Attribute::Power], 111);
    assert_eq!(b.attributes.len(), 3);
    assert_eq!(data.itemstat_by_id(158).unwrap().key, "knight");
    let cel = data.itemstat_by_name("Celestial").unwrap();
    assert_eq!(cel.ids, vec![559]);
    assert_eq!(cel.ascended[&GearSlot::Amulet].len(), 9);
    // Pets: API ids plus the curated list, English names.
    assert_eq!(data.pet(22).unwrap().name, "Juvenile Fern Hound");
    // Deterministic output.
    let a = snapshot_to_json(&snap).unwrap();
    let b2 = snapshot_to_json(&build_snapshot(fixture_inputs()).unwrap()).unwrap();
    assert_eq!(a, b2);
}

#[test]
fn fixture_import_errors() {
    let mut i = fixture_inputs();
    i.professions = "not json".into();
    assert!(matches!(
        build_snapshot(i),
        Err(ImportError::Json {
            input: "professions",
            ..
        })
    ));

    let mut i = fixture_inputs();
    i.professions = i.professions.replacen("\"code\": 8", "\"code\": 3", 1);
    assert!(matches!(
        build_snapshot(i),
        Err(ImportError::Conflict { .. })
    ));

    let mut i = fixture_inputs();
    i.discretize_gw2_data = i.discretize_gw2_data.replace("healthValues", "hv");
    assert!(matches!(
        build_snapshot(i),
        Err(ImportError::Ts {
            table: "healthValues",
            ..
        })
    ));

    let mut i = fixture_inputs();
    i.discretize_specializations = "[]".into();
    assert!(matches!(
        build_snapshot(i),
        Err(ImportError::Missing { .. })
    ));

    let mut i = fixture_inputs();
    i.pets = r#"[{"id": 250}]"#.into();
    assert!(matches!(
        build_snapshot(i),
        Err(ImportError::Missing {
            kind: "English pet name",
            ..
        })
    ));

    assert!(!CURATED_JSON.is_empty());
}

fn reference_dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GW2_REFERENCE_DATA") {
        return Some(PathBuf::from(p));
    }
    // crates/gw2 -> repository root -> ../shared/data
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    p.join("gw2-api/professions.json").is_file().then_some(p)
}

#[test]
fn reference_import_reproduces_committed_snapshot() {
    let Some(dir) = reference_dir() else {
        println!(
            "skipped: reference data not found (set GW2_REFERENCE_DATA or provide ../shared/data)"
        );
        return;
    };
    let inputs = ImportInputs::load(|rel| std::fs::read_to_string(dir.join(rel))).unwrap();
    let json = snapshot_to_json(&build_snapshot(inputs).unwrap()).unwrap();
    assert!(
        json == GameData::embedded_json(),
        "data/snapshot.json is stale: run `cargo run -p gw2 --example import -- --from {}`",
        dir.display()
    );
}

/// The live path: `/v2/professions` with `skills_by_palette` and `/v2/skills` records (here
/// rebuilt in the API's shape from the committed skill facts) give the same snapshot as the
/// facts file, except that the facts' sources are not cited.
#[test]
fn api_shaped_skills_give_the_same_snapshot() {
    let Some(dir) = reference_dir() else {
        println!("skipped: reference data not found");
        return;
    };
    let facts: serde_json::Value = serde_json::from_str(gw2::import::SKILLS_JSON).unwrap();
    let mut inputs = ImportInputs::load(|rel| std::fs::read_to_string(dir.join(rel))).unwrap();
    let mut professions: Vec<serde_json::Value> =
        serde_json::from_str(&inputs.professions).unwrap();
    for p in &mut professions {
        let id = p["id"].as_str().unwrap().to_owned();
        p["skills_by_palette"] = facts["palettes"][&id].clone();
    }
    inputs.professions = serde_json::to_string(&professions).unwrap();
    let api_skills: Vec<serde_json::Value> = facts["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let slot = match k["slot"].as_str().unwrap() {
                "heal" => "Heal",
                "utility" => "Utility",
                _ => "Elite",
            };
            let mut v = serde_json::json!({"id": k["id"], "type": slot, "slot": slot,
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
    inputs.skills = Some(serde_json::to_string(&api_skills).unwrap());
    inputs.skill_facts = r#"{"sources": [], "palettes": {}, "skills": []}"#.into();
    let live = build_snapshot(inputs).unwrap();
    let committed = GameData::embedded().snapshot();
    assert_eq!(live.professions, committed.professions);
    assert_eq!(live.skills, committed.skills);
    assert_eq!(live.skills.len(), 449);
    assert!(live.sources.len() < committed.sources.len());
}
