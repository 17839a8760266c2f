//! Build and skill analysis for a WvW format: role, grade, strengths, gear from the gear
//! engine, the closest table build and a chat code that decodes back to the traits given.

use commander::analyze::{analyze_build, analyze_skill};
use gw2::data::{GameData, SkillSlot};

fn spec(name: &str) -> &'static gw2::data::Specialization {
    GameData::embedded().specialization_by_name(name).unwrap()
}

#[test]
fn a_firebrand_in_a_zerg_is_a_graded_support_with_engine_gear() {
    let fb = spec("Firebrand");
    let a = analyze_build(Some(fb.id), &[], &[], "WvW Zerg").unwrap();
    assert_eq!(a.profession, "Guardian");
    assert_eq!(a.specialization, "Firebrand");
    assert_eq!(a.gear_optimization.role, "support");
    assert!(matches!(a.synergy_score.as_str(), "S" | "A"), "{a:?}");
    assert!(
        a.strengths.iter().any(|s| s.starts_with("stability")),
        "{:?}",
        a.strengths
    );
    let g = &a.gear_optimization;
    assert_eq!(g.chosen.overall_score, 100.0);
    assert!(!g.alternatives.is_empty());
    assert!(g
        .alternatives
        .windows(2)
        .all(|w| w[0].overall_score >= w[1].overall_score));
    assert!(g
        .alternatives
        .iter()
        .all(|x| x.overall_score <= 100.0 && x.prefix != g.chosen.prefix));
    // The ten-second rotation figures the client's Build Lab shows, from the same engine run.
    let dps = g.chosen.rotation_dps_10s.unwrap();
    assert!(dps > 0.0 && g.chosen.rotation_hps_10s.unwrap() > 0.0);
    assert_eq!(
        g.chosen.rotation_total_damage_10s.unwrap(),
        (dps * 10.0).round()
    );
    assert!(
        (g.chosen.total_damage - dps * 4.0).abs() <= 1.0,
        "the 4 s burst is the same rotation"
    );
    let meta = a.meta_comparison.as_ref().unwrap();
    assert_eq!(
        meta.closest_meta.as_ref().unwrap().specialization,
        "Firebrand"
    );
}

#[test]
fn the_context_decides_format_experience_and_role() {
    let fb = spec("Firebrand");
    let heal = analyze_build(Some(fb.id), &[], &[], "McM zerg, heal").unwrap();
    assert_eq!(heal.gear_optimization.role, "heal");
    let roam = analyze_build(
        Some(spec("Soulbeast").id),
        &[],
        &[],
        "WvW roaming, débutant",
    )
    .unwrap();
    assert_eq!(
        roam.gear_optimization.mode,
        commander::request::WvwMode::Roaming
    );
    assert_eq!(
        roam.gear_optimization.experience,
        commander::request::Experience::Beginner
    );
    assert_eq!(roam.gear_optimization.role, "dps");
}

#[test]
fn traits_give_the_specialization_and_a_chat_code_that_decodes_to_them() {
    let data = GameData::embedded();
    let fb = spec("Firebrand");
    let radiance = spec("Radiance");
    // Top adept, middle master, bottom grandmaster of each line.
    let picks = |s: &gw2::data::Specialization| {
        vec![s.major_traits[0], s.major_traits[4], s.major_traits[8]]
    };
    let mut traits = picks(radiance);
    traits.extend(picks(fb));
    let heal = data
        .skills()
        .iter()
        .find(|k| {
            k.profession == "Guardian"
                && k.slot == SkillSlot::Heal
                && k.specialization.is_none()
                && data.palette_for_skill(1, k.id).is_some()
        })
        .unwrap();
    let a = analyze_build(None, &traits, &[heal.id], "WvW zerg").unwrap();
    assert_eq!(a.specialization, "Firebrand");
    let code = a.chat_code.expect("a chat code");
    let decoded = gw2::chatcode::decode(&code, data).unwrap();
    let lines: Vec<(String, [u8; 3])> = decoded
        .specializations
        .iter()
        .flatten()
        .map(|s| {
            (
                s.name.clone(),
                [0, 1, 2].map(|t| s.traits[t].as_ref().map_or(0, |p| p.choice.to_bits())),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Radiance".to_owned(), [1, 2, 3]),
            ("Firebrand".to_owned(), [1, 2, 3])
        ]
    );
    assert!(decoded.skills.land.heal.is_some());
}

#[test]
fn unknown_ids_are_refused_by_field() {
    assert_eq!(
        analyze_build(Some(9999), &[], &[], "zerg")
            .unwrap_err()
            .field,
        "specialization_id"
    );
    assert_eq!(
        analyze_build(None, &[], &[], "zerg").unwrap_err().field,
        "specialization_id"
    );
    assert_eq!(analyze_skill(1, "zerg").unwrap_err().field, "skill_id");
}

#[test]
fn a_skill_is_read_from_the_game_data_and_graded_with_its_builds() {
    let data = GameData::embedded();
    let fb = spec("Firebrand");
    let tome = data
        .skills()
        .iter()
        .find(|k| k.specialization == Some(fb.id) && k.slot == SkillSlot::Elite)
        .unwrap();
    let a = analyze_skill(tome.id, "WvW zerg").unwrap();
    assert_eq!(a.profession, "Guardian");
    assert_eq!(a.slot, "elite");
    assert_eq!(a.specialization.as_deref(), Some("Firebrand"));
    assert!(a.tags.contains(&"firebrand".to_owned()));
    assert!(matches!(a.rating.as_str(), "S" | "A" | "B" | "C"));
    assert_eq!(a.skill_name, tome.name);
}
