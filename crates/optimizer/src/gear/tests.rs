//! Formula tests against community worked examples. Each expected number cites its source.

use std::collections::BTreeMap;

use gw2::model::GearSlot;

use super::model::*;
use super::modifiers::*;
use super::*;
use super::{ArmorClass, PlayerTarget, Target, Weights};

fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} != {b} (±{tol})");
}

/// GW2 wiki, Template:Damage calculation (wiki.guildwars2.com/wiki/Template:Damage_calculation),
/// examples: Flame Trap (utility strength 690.5, coefficient 0.3, power 1000, armor 2597) shows
/// 80; Rending Claws (exotic axe 952.5, coefficient 0.88 over 2 strikes) shows 322.
#[test]
fn strike_damage_matches_wiki_template_examples() {
    let flame_trap = strike_damage(690.5, 1000.0, 0.3, GOLEM_ARMOR, 0.0, 1.5);
    assert_eq!(flame_trap.round(), 80.0);
    let claw = strike_damage(952.5, 1000.0, 0.44, GOLEM_ARMOR, 0.0, 1.5).round();
    assert_eq!(claw * 2.0, 322.0);
    // Average over crits: 100% crit at 150% critical damage deals 1.5×.
    close(
        strike_damage(1000.0, 1000.0, 1.0, 1000.0, 1.0, 1.5),
        1500.0,
        1e-9,
    );
    // Crit chance is capped at 100% (discretize calcPower clamps it).
    close(
        strike_damage(1000.0, 1000.0, 1.0, 1000.0, 1.7, 2.0),
        2000.0,
        1e-9,
    );
}

/// GW2 wiki "Precision": 5% base critical chance at level 80 (1000 Precision), +1% per 21
/// points; "Ferocity": 150% base critical damage, +1% per 15 points; "Concentration" /
/// "Expertise": +1% duration per 15 points; discretize optimizerCore.ts calcStats uses the same.
#[test]
fn derived_attributes() {
    close(crit_chance(1000.0), 0.05, 1e-12);
    close(crit_chance(1000.0 + 21.0 * 95.0), 1.0, 1e-12);
    close(crit_damage(0.0), 1.5, 1e-12);
    close(crit_damage(1500.0), 2.5, 1e-12);
    close(duration_bonus(1500.0), 1.0, 1e-12);
    close(duration_bonus(150.0), 0.1, 1e-12);
}

/// Health at level 80 = class base + 10 × Vitality (GW2 wiki "Health": warrior/necromancer
/// 9,212, guardian/thief/elementalist 1,645 base; with the base 1000 Vitality that is 19,212
/// and 11,645 — the in-game naked hero panel).
#[test]
fn health_formula() {
    assert_eq!(health(9212.0, 1000.0, 0.0), 19212.0);
    assert_eq!(health(1645.0, 1000.0, 0.0), 11645.0);
    assert_eq!(health(5922.0, 1000.0, 0.0), 15922.0);
    // +10% maximum health (discretize applies it multiplicatively, rounded)
    assert_eq!(health(9212.0, 1000.0, 0.10), 21133.0);
}

/// discretize `roundEven` (optimizerCore.ts): ties go to the even integer.
#[test]
fn round_half_even() {
    assert_eq!(round_even(2.5), 2.0);
    assert_eq!(round_even(3.5), 4.0);
    assert_eq!(round_even(-2.5), -2.0);
    assert_eq!(round_even(2.4), 2.0);
    assert_eq!(round_even(2.6), 3.0);
    assert_eq!(round_even(7.0), 7.0);
}

/// Condition ticks at level 80 (GW2 wiki "Bleeding": 22 + 0.06 × CD; "Burning": 131 + 0.155 ×
/// CD; "Poison": 33.5 + 0.06 × CD; "Torment": 31.8 + 0.09 × CD stationary; "Confusion": 18.25 +
/// 0.05 × CD; the same numbers as discretize gw2-data.ts `conditionData`).
#[test]
fn condition_ticks() {
    close(PVE_CONDITIONS.bleeding.at(0.0), 22.0, 1e-12);
    close(PVE_CONDITIONS.bleeding.at(1000.0), 82.0, 1e-9);
    close(PVE_CONDITIONS.burning.at(1000.0), 286.0, 1e-9);
    close(PVE_CONDITIONS.poison.at(1000.0), 93.5, 1e-9);
    close(PVE_CONDITIONS.torment.at(1000.0), 121.8, 1e-9);
    close(PVE_CONDITIONS.confusion.at(1000.0), 68.25, 1e-9);
    close(WVW_CONDITIONS.torment.at(1000.0), 96.0, 1e-9);
}

fn resolved(effects: Effects) -> super::modifiers::Resolved {
    super::modifiers::Resolved {
        id: "t".into(),
        effects,
        scale: 1.0,
        lifesteal: false,
        uptime: None,
    }
}

fn dmg(target: DamageTarget, percent: f64, mode: DamageMode) -> DamageEffect {
    DamageEffect {
        target,
        percent,
        mode,
    }
}

/// discretize docs "Data Format - Modifiers": two 50% `mult` modifiers give ×2.25, two 50%
/// `add` modifiers give ×2.00; `target` effects (vulnerability, exposed) sum in their own group;
/// groups multiply (optimizerSetup.ts `damageMultiplier = mult × add × target`).
#[test]
fn damage_multiplier_groups() {
    let m = multipliers(&[&resolved(Effects {
        damage: vec![
            dmg(DamageTarget::Strike, 50.0, DamageMode::Mult),
            dmg(DamageTarget::Strike, 50.0, DamageMode::Mult),
        ],
        ..Effects::default()
    })]);
    close(m.strike, 2.25, 1e-12);
    let m = multipliers(&[&resolved(Effects {
        damage: vec![
            dmg(DamageTarget::Strike, 50.0, DamageMode::Add),
            dmg(DamageTarget::Strike, 50.0, DamageMode::Add),
        ],
        ..Effects::default()
    })]);
    close(m.strike, 2.0, 1e-12);
    // 25 vulnerability (1% target each) + force sigil (5% add) + 10% mult:
    // 1.25 × 1.05 × 1.10
    let m = multipliers(&[&resolved(Effects {
        damage: vec![
            dmg(DamageTarget::All, 25.0, DamageMode::Target),
            dmg(DamageTarget::Strike, 5.0, DamageMode::Add),
            dmg(DamageTarget::Strike, 10.0, DamageMode::Mult),
            dmg(DamageTarget::DamageReduction, 33.0, DamageMode::Mult),
        ],
        ..Effects::default()
    })]);
    close(m.strike, 1.25 * 1.05 * 1.10, 1e-12);
    close(m.condition, 1.25, 1e-12);
    close(m.damage_taken, 0.67, 1e-12);
}

/// The library carries discretize's values (modifierdata/buffs.yaml, runes.yaml,
/// utility.yaml): might = +30 power/condition damage per stack (25 by default), fury = +25%
/// critical chance (+20% in WvW), scholar rune = +175 power +225 ferocity, superior sharpening
/// stone = 3% of precision and 6% of ferocity as power.
#[test]
fn library_values() {
    let lib = library().expect("library parses");
    assert!(lib.len() > 200);
    let might = library_modifier("buff:might").unwrap().unwrap();
    assert_eq!(might.amount.as_ref().map(|a| a.default), Some(25.0));
    assert_eq!(might.effects.attributes[0].value, 30.0);
    let fury = resolve(&ModifierSpec::Id("buff:fury".into()), true).unwrap();
    assert_eq!(fury.effects.attributes[0].value, 20.0);
    let fury = resolve(&ModifierSpec::Id("buff:fury".into()), false).unwrap();
    assert_eq!(fury.effects.attributes[0].value, 25.0);
    let scholar = library_modifier("rune:scholar").unwrap().unwrap();
    let pts: Vec<(Stat, f64)> = scholar
        .effects
        .attributes
        .iter()
        .map(|a| (a.stat, a.value))
        .collect();
    assert_eq!(pts, vec![(Stat::Power, 175.0), (Stat::Ferocity, 225.0)]);
    let stone = library_modifier("utility:superior-sharpening-stone")
        .unwrap()
        .unwrap();
    assert_eq!(stone.effects.conversion.len(), 2);
    assert!(library_modifier("rune:nope").unwrap().is_none());
}

fn simple_input() -> GearInput {
    GearInput::from_json(
        r#"{
          "profession": "Warrior",
          "weapon_type": "two_handed",
          "affixes": ["berserker"],
          "distribution": {"power": 3000},
          "modifiers": ["buff:might", "buff:fury"],
          "top": 1
        }"#,
    )
    .unwrap()
}

/// Full ascended Berserker's with a two-handed weapon on a warrior, 25 might and fury, 3000
/// power coefficient per second, golem armor 2597. By hand from the primer's per-slot values
/// (63/47×3/141/94/157/126×2/110×2/63/251 power, 45/34×3/101/67/108/85×2/74×2/40/179
/// precision and ferocity) and discretize's calcStats/calcPower:
///   Power = 1000 + 1382 + 750 = 3132; Precision = 1960; Ferocity = 960
///   crit = 5% + 960/21% + 25% = 75.714%; crit damage = 150% + 64% = 214%
///   effective power = 3132 × (1 + 0.757143 × 1.14) = 5835.36
///   DPS = 3000 / 2597 × 5835.36 = 6740.89
#[test]
fn full_berserker_hand_computed() {
    let out = run(&simple_input()).unwrap();
    let r = &out.results[0];
    assert_eq!(r.attributes.power, 3132.0);
    assert_eq!(r.attributes.precision, 1960.0);
    assert_eq!(r.attributes.ferocity, 960.0);
    close(r.attributes.critical_chance, 75.714_285_714, 1e-6);
    close(r.attributes.critical_damage, 214.0, 1e-9);
    close(r.effective_power, 5_835.363_428_571, 1e-6);
    close(r.dps, 6_740.889_597_887, 1e-6);
    assert_eq!(r.gear.len(), 13);
    assert!(r.gear.values().all(|p| p == "Berserker's"));
    assert!(out.search.proven_optimal);
    // Armor and health of the naked warrior: 1271 defense + 1000 toughness, 19212 health.
    assert_eq!(r.attributes.armor, 2271.0);
    assert_eq!(r.attributes.health, 19212.0);
    close(r.effective_health, 19212.0 * 2271.0, 1e-6);
    close(r.survivability, 19212.0 * 2271.0 / 1967.0, 1e-6);
}

/// Condition DPS (discretize calcCondi): stacks × (1 + min(duration, 100%)) × tick.
/// 10 bleeding/s with full Viper's on a necromancer (dual wield), no modifiers:
///   Condition Damage = 54+40×3+121+81+133+106×2+92×2+52+108×2 = 1173;
///   Expertise = 30+22×3+67+44+71+56×2+49×2+27+59×2 = 633 → +42.2% duration;
///   bleeding tick = 22 + 0.06 × 1173 = 92.38; DPS = 10 × 1.422 × 92.38 = 1313.64.
#[test]
fn condition_dps_hand_computed() {
    let input = GearInput::from_json(
        r#"{"profession": "Necromancer", "weapon_type": "dual_wield", "affixes": ["viper"],
            "distribution": {"bleeding": 10}, "top": 1}"#,
    )
    .unwrap();
    let r = &run(&input).unwrap().results[0];
    assert_eq!(r.attributes.condition_damage, 1173.0);
    assert_eq!(r.attributes.expertise, 633.0);
    let dur = 633.0 / 15.0 / 100.0;
    close(r.dps, 10.0 * (1.0 + dur) * (22.0 + 0.06 * 1173.0), 1e-9);
    close(r.dps, 1313.64, 0.01);
    close(r.damage.bleeding, r.dps, 1e-9);
}

/// discretize calcHealing: (0.3 × Healing Power + 390) × (1 + outgoing healing).
#[test]
fn healing_indicator() {
    let mut input = simple_input();
    input.affixes = vec!["harrier".into()];
    input.optimize_for = Objective::Healing;
    let r = &run(&input).unwrap().results[0];
    close(r.healing, r.attributes.healing_power * 0.3 + 390.0, 1e-9);
    close(r.score, r.healing, 1e-12);
}

#[test]
fn errors_are_explicit() {
    let mut i = simple_input();
    i.affixes = vec!["berserker".into(), "nonsense".into()];
    assert_eq!(
        run(&i).unwrap_err(),
        GearError::UnknownPrefix("nonsense".into())
    );
    let mut i = simple_input();
    i.profession = "Bard".into();
    assert!(matches!(
        run(&i).unwrap_err(),
        GearError::UnknownProfession(_)
    ));
    let mut i = simple_input();
    i.distribution.power = -1.0;
    assert!(matches!(
        run(&i).unwrap_err(),
        GearError::InvalidNumber { .. }
    ));
    let mut i = simple_input();
    i.constraints.min_toughness = Some(5000.0);
    assert!(matches!(run(&i).unwrap_err(), GearError::Infeasible { .. }));
    let mut i = simple_input();
    i.modifiers = vec![ModifierSpec::Id("rune:does-not-exist".into())];
    assert!(matches!(
        run(&i).unwrap_err(),
        GearError::UnknownModifier(_)
    ));
    let mut i = simple_input();
    i.forced_slots = BTreeMap::from([(GearSlot::MainHand, "berserker".to_string())]);
    assert!(matches!(
        run(&i).unwrap_err(),
        GearError::SlotNotInLoadout { .. }
    ));
    let mut i = simple_input();
    i.top = 0;
    assert!(matches!(run(&i).unwrap_err(), GearError::TooLarge { .. }));
    let mut i = simple_input();
    i.affixes = vec![];
    assert_eq!(run(&i).unwrap_err(), GearError::NoAffixes);
    assert!(matches!(
        GearInput::from_json("{\"profession\": 3}").unwrap_err(),
        GearError::Json(_)
    ));
    assert!(matches!(
        GearInput::from_json("{\"profession\": \"Warrior\", \"typo\": 1}").unwrap_err(),
        GearError::Json(_)
    ));
}

#[test]
fn cancelled_search_returns_best_so_far() {
    let mut i = simple_input();
    i.affixes = ["berserker", "assassin", "dragon", "valkyrie"]
        .map(String::from)
        .to_vec();
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let out = run_with(&i, &cancel, &|_| {}).unwrap();
    assert!(out.search.cancelled);
    assert!(!out.search.proven_optimal);
}

#[test]
fn progress_reports_best_so_far() {
    let mut i = simple_input();
    i.affixes = ["berserker", "assassin", "dragon"]
        .map(String::from)
        .to_vec();
    let seen = std::sync::Mutex::new(Vec::new());
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let out = run_with(&i, &cancel, &|p| {
        if let Some(b) = &p.best {
            seen.lock().unwrap().push(b.score);
        }
        assert!(p.subtrees_done <= p.subtrees_total);
    })
    .unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty());
    assert_eq!(*seen.last().unwrap(), out.results[0].score);
}

/// `Engine::sheet_bounds` contains the sheet of every gear vector between `lo` and `hi`, with
/// negative conversions before and after buffs and a gear-dependent maximum health.
#[test]
fn sheet_bounds_contain_every_sheet_in_the_box() {
    let mut input = simple_input();
    input
        .modifiers
        .push(ModifierSpec::Full(Box::new(ModifierEntry {
            id: "neg".into(),
            name: None,
            amount: None,
            effects: Some(Effects {
                conversion: vec![
                    ConversionEffect {
                        to: Stat::Power,
                        from: Stat::Toughness,
                        percent: -30.0,
                    },
                    ConversionEffect {
                        to: Stat::MaximumHealth,
                        from: Stat::Vitality,
                        percent: -0.02,
                    },
                ],
                conversion_after_buffs: vec![
                    ConversionEffect {
                        to: Stat::Ferocity,
                        from: Stat::CriticalChance,
                        percent: -500.0,
                    },
                    ConversionEffect {
                        to: Stat::Precision,
                        from: Stat::Ferocity,
                        percent: 7.0,
                    },
                ],
                ..Effects::default()
            }),
            wvw_effects: None,
            amount_data: None,
        })));
    let space = super::problem::Space::new(&input, gw2::GameData::embedded()).unwrap();
    let engine = &space.variants[0].engine;
    assert!(!engine.monotone);
    let lo = [0.0, 100.0, 0.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let hi = [
        900.0, 800.0, 700.0, 600.0, 500.0, 400.0, 300.0, 200.0, 100.0,
    ];
    let (l, h) = engine.sheet_bounds(&lo, &hi);
    let mut x: u64 = 7;
    for _ in 0..2000 {
        let mut g = [0.0; 9];
        for i in 0..9 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let t = (x >> 11) as f64 / (1u64 << 53) as f64;
            g[i] = (lo[i] + t * (hi[i] - lo[i])).round();
        }
        let s = engine.sheet(&g);
        for k in 0..s.len() {
            assert!(
                l[k] - 1e-9 <= s[k] && s[k] <= h[k] + 1e-9,
                "stat {k}: {} not in [{}, {}]",
                s[k],
                l[k],
                h[k]
            );
        }
    }
}

/// Every node bound (box, constraint tightening, mean-value bound) is at least the exact score
/// of every completion below the node: random nodes and completions of real templates
/// (phantasms, shroud, Inferno, Sharpshooter, boon constraints, extras, advanced-uptime
/// scenarios).
#[test]
fn node_bounds_hold_on_template_problems() {
    use crate::benchmark::{template_input, TemplateMode};
    let mut x: u64 = 11;
    let mut rnd = |n: usize| -> usize {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % n.max(1)
    };
    for id in [
        "cvirt",
        "mirage-power",
        "preaper",
        "ptemp-alac-sw",
        "pwb-alac",
        "cthief-spear",
        "heal-specter",
        "power-cat",
        "amalgam-power-alac",
        "spb-power-arms",
    ] {
        let input = template_input(id, TemplateMode::Fractals).unwrap();
        let space = super::problem::Space::new(&input, gw2::GameData::embedded()).unwrap();
        for v in 0..space.variants.len().min(3) {
            let p = &space.variants[v];
            let n = p.classes.len();
            for _ in 0..300 {
                let depth = rnd(n);
                let mut partial = [0.0; 9];
                for c in &p.classes[..depth] {
                    let vec = &c.vecs[rnd(c.vecs.len())];
                    for i in 0..9 {
                        partial[i] += vec[i];
                    }
                }
                let (mut lo, mut hi) = (partial, partial);
                for c in &p.classes[depth..] {
                    for i in 0..9 {
                        hi[i] += c.vecs.iter().map(|v| v[i]).fold(f64::MIN, f64::max);
                        lo[i] += c.vecs.iter().map(|v| v[i]).fold(f64::MAX, f64::min);
                    }
                }
                let bound = p.bound_node(depth, &partial, &lo, &hi, f64::NEG_INFINITY);
                for _ in 0..20 {
                    let mut g = partial;
                    for c in &p.classes[depth..] {
                        let vec = &c.vecs[rnd(c.vecs.len())];
                        for i in 0..9 {
                            g[i] += vec[i];
                        }
                    }
                    if let Some(score) = p.bound(&g, &g) {
                        let b = bound.unwrap_or_else(|| {
                            panic!("{id}: feasible {score} below an infeasible node")
                        });
                        assert!(
                            score <= b + 1e-9 * b.abs().max(1.0),
                            "{id} variant {v} depth {depth}: {score} > bound {b}"
                        );
                    }
                }
            }
        }
    }
}

/// A player target (`target.rs`): strikes are divided by its armor (defense of its weight +
/// Toughness: GW2 wiki "Armor (attribute)"; heavy ascended defense 1271, discretize
/// gw2-data.ts) instead of the golem's 2597, and protection takes 33% of them (wiki
/// "Protection"); conditions ignore armor, and resolution takes 33% of them (wiki "Resolution").
#[test]
fn player_target_armor_and_boons() {
    let golem = run(&simple_input()).unwrap().results[0].dps;
    let mut input = simple_input();
    input.target = Some(Target::Player(PlayerTarget {
        armor_class: ArmorClass::Heavy,
        toughness: 1000.0,
        protection_uptime: 100.0,
        ..PlayerTarget::typical()
    }));
    let out = run(&input).unwrap();
    close(
        out.results[0].dps,
        golem * GOLEM_ARMOR / 2271.0 * 0.67,
        1e-9 * golem,
    );
    // the typical WvW enemy: mixed armor (average defense 1118.67) + 1000 Toughness
    input.target = Some(Target::wvw());
    let typical = run(&input).unwrap().results[0].dps;
    close(
        typical,
        golem * GOLEM_ARMOR / (3356.0 / 3.0 + 1000.0),
        1e-9 * golem,
    );
    // conditions: resolution half the time, no armor
    let mut condi = GearInput::from_json(
        r#"{"profession": "Necromancer", "weapon_type": "dual_wield", "affixes": ["viper"],
            "distribution": {"bleeding": 10}, "top": 1}"#,
    )
    .unwrap();
    let base = run(&condi).unwrap().results[0].dps;
    condi.target = Some(Target::Player(PlayerTarget {
        resolution_uptime: 50.0,
        condition_damage_taken: 10.0,
        ..PlayerTarget::typical()
    }));
    close(
        run(&condi).unwrap().results[0].dps,
        base * (1.0 - 0.165) * 1.1,
        1e-9 * base,
    );
    // a player's armor is given in the target, not in target_armor
    input.target_armor = 3000.0;
    assert!(matches!(run(&input), Err(GearError::Conflict(_))));
}

/// `optimize_for: "weighted"`: the score is Σ weight × indicator of the same result.
#[test]
fn weighted_objective_scores_the_weighted_sum() {
    let mut input = simple_input();
    input.affixes = ["berserker", "knight", "valkyrie"]
        .map(String::from)
        .to_vec();
    input.optimize_for = Objective::Weighted;
    assert!(matches!(run(&input), Err(GearError::Conflict(_))));
    input.weights = Some(Weights {
        damage: 1.0,
        survivability: 0.2,
        healing: 0.0,
    });
    let out = run(&input).unwrap();
    for r in &out.results {
        close(r.score, r.dps + 0.2 * r.survivability, 1e-9 * r.score);
    }
    assert!(out.search.proven_optimal);
}

/// discretize's advanced uptime simulation (createScenarioTemplates.ts): +40% critical chance
/// half the time is the average of the damage with it (capped at 100%) and without, not the
/// damage at +20% — and two exclusive groups of one category plus the time neither is on.
#[test]
fn advanced_uptime_scenarios_average_the_damage() {
    let crit = |percent: f64| -> ModifierSpec {
        serde_json::from_value(serde_json::json!({"id": "test:crit", "effects":
            {"attributes": [{"stat": "critical_chance", "value": percent}]}}))
        .unwrap()
    };
    let dps = |extra: Vec<ModifierSpec>| -> f64 {
        let mut i = simple_input();
        i.modifiers.extend(extra);
        run(&i).unwrap().results[0].dps
    };
    let (off, on) = (dps(vec![]), dps(vec![crit(40.0)]));
    let advanced = |id: &str, percent: f64, uptime: f64, corr: serde_json::Value| -> ModifierSpec {
        serde_json::from_value(serde_json::json!({"id": id, "amount": uptime,
            "amount_data": {"label": "% uptime", "default": 100, "quantity_entered": 100,
                            "advanced_uptime": corr},
            "effects": {"attributes": [{"stat": "critical_chance", "value": percent}]}}))
        .unwrap()
    };
    let half = dps(vec![advanced("test:a", 40.0, 50.0, serde_json::json!({}))]);
    close(half, 0.5 * (on + off), 1e-9 * on);
    assert!(
        half < dps(vec![crit(20.0)]),
        "the cap is wasted half the time"
    );
    // one category, groups 1 (+40%, 30%) and 2 (+10%, 20%): 50% neither
    let ten = dps(vec![crit(10.0)]);
    let grouped = dps(vec![
        advanced(
            "test:g1",
            40.0,
            30.0,
            serde_json::json!({"category": "c", "group": "1"}),
        ),
        advanced(
            "test:g2",
            10.0,
            20.0,
            serde_json::json!({"category": "c", "group": "2"}),
        ),
    ]);
    close(grouped, 0.3 * on + 0.2 * ten + 0.5 * off, 1e-9 * on);
    // more than 100% in one category is refused
    let mut i = simple_input();
    i.modifiers.extend([
        advanced(
            "x",
            1.0,
            70.0,
            serde_json::json!({"category": "c", "group": "1"}),
        ),
        advanced(
            "y",
            1.0,
            40.0,
            serde_json::json!({"category": "c", "group": "2"}),
        ),
    ]);
    assert!(matches!(run(&i), Err(GearError::Conflict(_))));
}

/// A class's corners (`Class::max_dot`) give the same maximum of a linear function as every
/// one of its choices: the gradient bound takes that maximum per class at every node, over a
/// few dozen corners where a class of every prefix has thousands of choices. Random weights
/// of both signs, on every prefix with infusions (the infusion class's segment too).
#[test]
fn a_class_maximum_over_its_corners_is_its_maximum_over_every_choice() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../presets/gear/condi-firebrand.json");
    let mut input = GearInput::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    input.affixes = gw2::GameData::embedded()
        .itemstats()
        .iter()
        .map(|s| s.key.clone())
        .collect();
    let space = super::problem::Space::new(&input, gw2::GameData::embedded()).unwrap();
    let p = &space.variants[0];
    assert!(
        p.classes.iter().any(|c| c.slots.is_empty()),
        "an infusion class"
    );
    assert!(
        p.classes.iter().any(|c| c.vecs.len() > 5_000),
        "a class of thousands"
    );
    let mut x: u64 = 7;
    let mut unit = || -> f64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    for c in &p.classes {
        assert!(
            c.corners.len() <= c.affixes.len().max(2),
            "{} corners",
            c.corners.len()
        );
        for _ in 0..200 {
            let mut w = [0.0; 9];
            for wi in &mut w {
                *wi = unit();
            }
            let every = c
                .vecs
                .iter()
                .map(|v| v.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>())
                .fold(f64::NEG_INFINITY, f64::max);
            let corners = c.max_dot(&w);
            assert!(
                (corners - every).abs() <= 1e-9 * every.abs().max(1.0),
                "{corners} vs {every}"
            );
        }
    }
}
