use std::collections::BTreeMap;

use gw2::data::GameData;
use gw2::model::{GameMode, GearSlot, Role};

use super::*;
use crate::gear;

fn spec(profession: &str, specialization: Option<&str>, role: Role) -> BuildSpec {
    BuildSpec::new(profession, specialization, role, GameMode::Raid)
}

fn full(weapon_type: WeaponType, prefix: &str) -> BTreeMap<GearSlot, String> {
    weapon_type
        .slots()
        .into_iter()
        .map(|s| (s, prefix.to_owned()))
        .collect()
}

/// The trait lines of a benchmark, in the game's encoding (what a build record stores).
fn lines_of(template_id: &str) -> Vec<TraitLine> {
    let game = GameData::embedded();
    let data = data::data().expect("benchmark data");
    let t = data
        .templates
        .iter()
        .find(|t| t.id == template_id)
        .expect("template");
    t.selected_traits
        .iter()
        .map(|ids| {
            let mut line = None;
            let mut choices = [0u8; 3];
            for id in ids {
                let s = game
                    .specializations()
                    .iter()
                    .find(|s| s.major_traits.contains(id))
                    .expect("trait in the snapshot");
                let p = s
                    .major_traits
                    .iter()
                    .position(|x| x == id)
                    .expect("position");
                choices[p / 3] = (p % 3) as u8 + 1;
                line = Some(s.name.clone());
            }
            TraitLine {
                specialization: line.expect("a line"),
                traits: choices,
            }
        })
        .collect()
}

fn preset(name: &str) -> GearInput {
    let path = format!(
        "{}/../../presets/gear/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).expect("preset");
    GearInput::from_json(&text).expect("preset parses")
}

#[test]
fn the_data_loads_and_covers_every_elite_specialization() {
    let list = benchmarks().expect("benchmarks");
    assert!(list.len() >= 150, "{} benchmarks", list.len());
    let game = GameData::embedded();
    for s in game.specializations().iter().filter(|s| s.elite) {
        assert!(
            list.iter().any(|b| b.specialization == s.name),
            "no benchmark for {}",
            s.name
        );
    }
}

#[test]
fn a_build_with_the_optimum_gear_of_the_preset_scores_the_preset_optimum() {
    // presets/gear/power-berserker.json is discretize's "Power Berserker GS A/A" with the
    // same buffs, traits and extras: the build wearing the optimizer's best gear and
    // infusions must score exactly the optimizer's best DPS.
    let best = gear::run(&preset("power-berserker"))
        .expect("preset runs")
        .results[0]
        .clone();
    let mut b = spec("Warrior", Some("Berserker"), Role::Dps);
    b.equipment.gear = best.gear.clone();
    for (attr, n) in &best.infusions {
        for _ in 0..*n {
            b.equipment.infusions.push(format!("+5 {attr} Infusion"));
        }
    }
    let e = estimate(&b).expect("estimate");
    assert_eq!(e.benchmark.id, "pbers");
    assert!(
        (e.dps - best.dps).abs() < 1e-6 * best.dps,
        "{} vs {}",
        e.dps,
        best.dps
    );
    assert!(e.filled_slots.is_empty());
    assert_eq!(e.traits_from, TraitSource::Benchmark);
    assert_eq!(e.compared, 3, "the three Berserker dps benchmarks");
}

#[test]
fn empty_gear_is_filled_with_the_benchmark_optimum() {
    let best = gear::run(&preset("power-berserker"))
        .expect("preset runs")
        .results[0]
        .clone();
    let mut b = spec("Warrior", Some("Berserker"), Role::Dps);
    b.equipment
        .gear
        .insert(GearSlot::TwoHanded, "Berserker's".into());
    let e = estimate(&b).expect("estimate");
    assert_eq!(e.filled_slots.len(), 12);
    assert!(e.assumed.iter().any(|a| a.contains("12 empty slot")));
    assert!(e.assumed.iter().any(|a| a.contains("infusions")));
    // "Power Berserker GS A/A" alone, filled, reaches the preset optimum (its optimum has a
    // Berserker's weapon too); the estimate takes the best of the compared benchmarks, so it
    // is at least that.
    assert_eq!(
        best.gear.get(&GearSlot::TwoHanded).map(String::as_str),
        Some("Berserker's")
    );
    assert!(
        e.dps >= best.dps * (1.0 - 1e-9),
        "{} vs {}",
        e.dps,
        best.dps
    );
    // The build's own slot is kept; here condition armor under "Condi Berserker" wins.
    assert_eq!(
        e.gear.get(&GearSlot::TwoHanded).map(String::as_str),
        Some("Berserker's")
    );
    assert_eq!(e.gear.len(), 13);
}

#[test]
fn the_build_own_traits_matching_the_benchmark_change_nothing_and_others_do() {
    let mut b = spec("Warrior", Some("Berserker"), Role::Dps);
    b.equipment.gear = full(WeaponType::TwoHanded, "Berserker's");
    let bench = estimate(&b).expect("estimate");
    b.trait_lines = lines_of("pbers");
    let own = estimate(&b).expect("estimate");
    assert_eq!(own.traits_from, TraitSource::Build);
    assert_eq!(own.traits_differing, Some(0));
    assert_eq!(bench.traits_differing, None);
    assert_eq!(own.benchmark.id, "pbers");
    assert!(
        (own.dps - bench.dps).abs() < 1e-6 * bench.dps,
        "{} vs {}",
        own.dps,
        bench.dps
    );

    // Dropping the Strength line's grandmaster choice loses its damage modifier.
    let strength = b
        .trait_lines
        .iter_mut()
        .find(|l| l.specialization == "Strength")
        .expect("Strength line");
    strength.traits[2] = 0;
    let fewer = estimate(&b).expect("estimate");
    assert_eq!(fewer.traits_differing, Some(1));
    assert!(fewer.dps < own.dps - 100.0, "{} vs {}", fewer.dps, own.dps);
}

#[test]
fn gear_picks_the_rotation_it_suits_and_better_gear_scores_higher() {
    let mut b = spec("Mesmer", Some("Virtuoso"), Role::Dps);
    b.equipment.gear = full(WeaponType::DualWield, "Viper's");
    let viper = estimate(&b).expect("estimate");
    assert_eq!(viper.benchmark.boon_type, "condi", "{:?}", viper.benchmark);
    b.equipment.gear = full(WeaponType::DualWield, "Berserker's");
    let berserker = estimate(&b).expect("estimate");
    assert_eq!(
        berserker.benchmark.boon_type, "power",
        "{:?}",
        berserker.benchmark
    );
    // Healer's gear on a dps build deals far less than either.
    b.equipment.gear = full(WeaponType::DualWield, "Minstrel's");
    let minstrel = estimate(&b).expect("estimate");
    assert!(minstrel.dps < 0.6 * viper.dps.min(berserker.dps));
}

#[test]
fn roles_choose_their_benchmarks() {
    let mut b = spec("Guardian", Some("Firebrand"), Role::Healer);
    b.equipment.gear = full(WeaponType::TwoHanded, "Harrier's");
    let heal = estimate(&b).expect("estimate");
    assert_eq!(heal.benchmark.role, Role::Healer);
    assert_eq!(heal.dps, 0.0, "heal benchmarks record no damage");

    b.role = Role::BoonDps;
    b.equipment.gear = full(WeaponType::DualWield, "Viper's");
    let quick = estimate(&b).expect("estimate");
    assert_eq!(quick.benchmark.role, Role::BoonDps);
    assert!(quick.dps > 20_000.0, "{}", quick.dps);
}

#[test]
fn a_core_build_without_benchmarks_says_so() {
    let b = spec("Warrior", None, Role::Dps);
    assert_eq!(
        estimate(&b),
        Err(BenchmarkError::NoBenchmark("Warrior".into()))
    );
    let mut thief = spec("Thief", None, Role::Dps);
    thief.equipment.gear = full(WeaponType::DualWield, "Viper's");
    assert!(estimate(&thief).expect("core thief has benchmarks").dps > 10_000.0);
    assert!(matches!(
        estimate(&spec("Bard", None, Role::Dps)),
        Err(BenchmarkError::UnknownProfession(_))
    ));
}

#[test]
fn bad_gear_is_an_error_not_a_panic() {
    let mut b = spec("Warrior", Some("Berserker"), Role::Dps);
    b.equipment.gear.insert(GearSlot::Helm, "Nonsense's".into());
    assert!(matches!(
        estimate(&b),
        Err(BenchmarkError::Gear(GearError::UnknownPrefix(_)))
    ));
}

#[test]
fn the_build_own_extras_are_used_when_modelled() {
    let mut b = spec("Warrior", Some("Berserker"), Role::Dps);
    b.equipment.gear = full(WeaponType::TwoHanded, "Berserker's");
    let bench = estimate(&b).expect("estimate");
    assert!(bench.assumed.iter().any(|a| a.contains("rune:scholar")));

    b.equipment.runes = Some("Superior Rune of the Scholar".into());
    let same = estimate(&b).expect("estimate");
    assert!(!same.assumed.iter().any(|a| a.starts_with("rune")));
    assert!((same.dps - bench.dps).abs() < 1e-6 * bench.dps);

    // Runes of the Traveler add no damage: the estimate drops.
    b.equipment.runes = Some("Superior Rune of the Traveler".into());
    let traveler = estimate(&b).expect("estimate");
    assert!(
        traveler.dps < bench.dps,
        "{} vs {}",
        traveler.dps,
        bench.dps
    );

    b.equipment.runes = Some("Rune of Made-up Things".into());
    let unknown = estimate(&b).expect("estimate");
    assert!(unknown
        .assumed
        .iter()
        .any(|a| a.contains("Made-up Things") && a.contains("rune:scholar")));
}

#[test]
fn item_and_infusion_names_are_read_leniently() {
    assert_eq!(item_key("Superior Rune of the Scholar"), "scholar");
    assert_eq!(item_key("scholar"), "scholar");
    assert_eq!(
        infusion_attribute("+5 Power Infusion"),
        Some(Attribute::Power)
    );
    assert_eq!(
        infusion_attribute("+9 Agony Infusion"),
        None,
        "agony infusions give no attribute"
    );
    assert_eq!(
        infusion_attribute("Malign WvW Infusion"),
        Some(Attribute::ConditionDamage)
    );
    assert_eq!(
        infusion_attribute("condition_damage"),
        Some(Attribute::ConditionDamage)
    );
}

/// WvW and PvP builds are scored against the typical enemy player (`gear::PlayerTarget::
/// typical`: 2119 armor), PvE builds against the golem (2597): the strike part of a WvW
/// estimate is the golem's × 2597 ÷ 2119.33, its conditions unchanged.
#[test]
fn wvw_builds_are_scored_against_a_player() {
    let mut b = spec("Warrior", Some("Berserker"), Role::Dps);
    b.game_mode = GameMode::Wvw;
    let (e, input) = estimate_with_input(&b).unwrap();
    assert!(e.target.starts_with("player"), "{}", e.target);
    assert_eq!(input.target, Some(gear::Target::wvw()));
    let mut golem = input.clone();
    golem.target = None;
    let g = gear::run(&golem).unwrap().results[0].clone();
    let armor = 3356.0 / 3.0 + 1000.0;
    assert!(
        (e.damage.power - g.damage.power * 2597.0 / armor).abs() < 1e-6 * e.damage.power,
        "{} vs {}",
        e.damage.power,
        g.damage.power
    );
    assert!((e.damage.bleeding - g.damage.bleeding).abs() < 1e-9);
    let raid = estimate(&spec("Warrior", Some("Berserker"), Role::Dps)).unwrap();
    assert!(raid.target.starts_with("golem"), "{}", raid.target);
}
