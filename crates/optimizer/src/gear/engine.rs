//! Building the evaluation [`Engine`] (`model.rs`) from the input: the profession's base
//! attributes (Power, Precision, Toughness and Vitality 1000, base health and armor defense, 5%
//! critical chance, 150% critical damage; `README.md` "Model", step 1, after
//! discretize-gear-optimizer's `optimizerCore.ts`), the damage distribution as coefficients, and
//! the resolved modifiers folded into base points, buffs, conversions (before and after buffs)
//! and damage multipliers, each checked to be finite.
//!
//! This is where the modifier semantics (`modifiers.rs`) meet the model; the rest of the problem
//! construction (`problem.rs`) only deals with gear.

use super::error::GearError;
use super::input::{finite, GearInput};
use super::model::{Conv, Engine, Power2, Sheet, PVE_CONDITIONS, WVW_CONDITIONS};
use super::modifiers::{self, Resolved, Stat, Tweak, STAT_COUNT};
use super::target::TargetEffect;

/// Siphon base damage per second of one lifesteal proc per 10 s (discretize extras.ts
/// `lifestealData`: 325 per proc, `quantityEntered` 10).
const LIFESTEAL_SIPHON: f64 = 325.0 / 10.0;

/// The engine for a profession's base health and armor defense, the input's distribution and
/// the resolved modifiers (`wvw` picks the WvW condition tick tables). Fails when a
/// distribution value is out of range, a combined damage multiplier is not finite and ≥ 0, or
/// the damage taken multiplier is not finite and > 0 (damage reduction of 100% or more).
#[allow(clippy::too_many_arguments)]
pub(super) fn build_engine(
    input: &GearInput,
    mesmer: bool,
    base_health: u32,
    armor_defense: u32,
    mods: &[&Resolved],
    wvw: bool,
    target: TargetEffect,
    attack_rate: f64,
    movement_uptime: f64,
) -> Result<Engine, GearError> {
    let mut base: Sheet = [0.0; STAT_COUNT];
    for s in [
        Stat::Power,
        Stat::Precision,
        Stat::Toughness,
        Stat::Vitality,
    ] {
        base[s.idx()] = 1000.0;
    }
    base[Stat::Health.idx()] = f64::from(base_health);
    base[Stat::Armor.idx()] = f64::from(armor_defense);
    base[Stat::CriticalChance.idx()] = 0.05;
    base[Stat::CriticalDamage.idx()] = 1.5;
    if mesmer {
        // optimizerSetup.ts: the illusions' own base critical chance and damage
        base[Stat::CloneCriticalChance.idx()] = 0.05;
        base[Stat::PhantasmCriticalChance.idx()] = 0.05;
        base[Stat::PhantasmCriticalDamage.idx()] = 1.5;
    }
    let d = &input.distribution;
    for (field, v, s) in [
        ("distribution.power", d.power, Stat::PowerCoefficient),
        ("distribution.power2", d.power2, Stat::Power2Coefficient),
        (
            "distribution.bleeding",
            d.bleeding,
            Stat::BleedingCoefficient,
        ),
        ("distribution.burning", d.burning, Stat::BurningCoefficient),
        (
            "distribution.confusion",
            d.confusion,
            Stat::ConfusionCoefficient,
        ),
        ("distribution.poison", d.poison, Stat::PoisonCoefficient),
        ("distribution.torment", d.torment, Stat::TormentCoefficient),
        ("distribution.flat_dps", d.flat_dps, Stat::FlatDps),
    ] {
        base[s.idx()] += finite(field, v, 0.0, 1e9)?;
    }
    let mut buffs = [0.0; STAT_COUNT];
    // discretize's collected conversions: destination → (source → summed percent), both in
    // first-seen order (optimizerSetup.ts, `collectedModifiers`), flattened in that order.
    type Grouped = Vec<(usize, Vec<(usize, f64)>)>;
    let mut conv: Grouped = Vec::new();
    let mut after: Grouped = Vec::new();
    let add_conv = |list: &mut Grouped, (to, from): (usize, usize), f: f64| {
        let group = match list.iter().position(|(t, _)| *t == to) {
            Some(i) => &mut list[i].1,
            None => {
                list.push((to, Vec::new()));
                let last = list.len() - 1;
                &mut list[last].1
            }
        };
        match group.iter_mut().find(|(s, _)| *s == from) {
            Some((_, v)) => *v += f,
            None => group.push((from, f)),
        }
    };
    let mut inferno = false;
    let mut sharpshooter = false;
    if let Some(n) = input.lifesteal {
        let n = finite("lifesteal", n, 0.0, 1e3)?;
        let foods = mods.iter().filter(|m| m.lifesteal).count() as f64;
        base[Stat::SiphonBaseCoefficient.idx()] += foods * n * LIFESTEAL_SIPHON;
    }
    for m in mods {
        for t in &m.effects.calculation_tweaks {
            match t {
                Tweak::InfernoBurningDamage => inferno = true,
                Tweak::SharpshooterBleedingDamage => sharpshooter = true,
            }
        }
        for a in &m.effects.attributes {
            let v = a.value * m.scale;
            let i = a.stat.idx();
            if a.stat == Stat::MaximumHealth {
                base[i] = (base[i] + 1.0) * (1.0 + v / 100.0) - 1.0;
            } else if a.stat.is_percent() {
                base[i] += v / 100.0;
            } else if a.stat.is_point() && a.mode == modifiers::PointMode::Buff {
                buffs[i] += v;
            } else {
                base[i] += v;
            }
        }
        for c in &m.effects.conversion {
            add_conv(
                &mut conv,
                (c.to.idx(), c.from.idx()),
                c.percent / 100.0 * m.scale,
            );
        }
        for c in &m.effects.conversion_after_buffs {
            add_conv(
                &mut after,
                (c.to.idx(), c.from.idx()),
                c.percent / 100.0 * m.scale,
            );
        }
    }
    let is_point = |i: usize| i <= Stat::AlternativeFerocity.idx();
    let compile = |list: Grouped| -> Vec<Conv> {
        list.into_iter()
            .flat_map(|(to, sources)| {
                sources.into_iter().map(move |(from, fraction)| Conv {
                    to,
                    from,
                    fraction,
                    round: is_point(to),
                })
            })
            .collect()
    };
    let mult = modifiers::multipliers(mods);
    for (name, v) in [
        ("strike", mult.strike),
        ("condition", mult.condition),
        ("critical", mult.critical),
        ("siphon", mult.siphon),
        ("alternative", mult.alternative),
        ("alternative critical", mult.alternative_critical),
        ("phantasm", mult.phantasm),
        ("phantasm critical", mult.phantasm_critical),
    ]
    .into_iter()
    .chain(
        ["bleeding", "burning", "confusion", "poison", "torment"]
            .into_iter()
            .zip(mult.per_condition),
    ) {
        if !(v.is_finite() && v >= 0.0) {
            return Err(GearError::InvalidNumber {
                field: format!("combined {name} damage multiplier"),
                expected: "finite and ≥ 0",
                value: v,
            });
        }
    }
    // the target's boons and damage-taken modifiers: on every strike (player, alternative,
    // phantasm) and on conditions; lifesteal ignores them (wiki "Damage")
    let mut mult = mult;
    mult.strike *= target.strike;
    mult.phantasm *= target.strike;
    mult.condition *= target.condition;
    if !(mult.damage_taken.is_finite() && mult.damage_taken > 0.0) {
        return Err(GearError::InvalidNumber {
            field: "combined damage taken multiplier (damage reduction ≥ 100%?)".into(),
            expected: "finite and > 0",
            value: mult.damage_taken,
        });
    }
    let conversions = compile(conv);
    let after_buffs = compile(after);
    let p2 = Stat::Power2Coefficient.idx();
    let power2 = if mesmer {
        Power2::Phantasm
    } else if base[p2] != 0.0 || conversions.iter().any(|c| c.to == p2) {
        Power2::Alternative
    } else {
        Power2::None
    };
    let may_be_set = |stat: Stat| {
        let i = stat.idx();
        base[i] != 0.0 || conversions.iter().chain(&after_buffs).any(|c| c.to == i)
    };
    let non_crit = may_be_set(Stat::NonCritPowerCoefficient);
    let siphon = may_be_set(Stat::SiphonCoefficient) || may_be_set(Stat::SiphonBaseCoefficient);
    let mh = Stat::MaximumHealth.idx();
    let monotone = conversions.iter().all(|c| c.fraction >= 0.0 || c.from >= 9)
        && after_buffs.iter().all(|c| c.fraction >= 0.0)
        && !conversions.iter().any(|c| c.to == mh)
        && 1.0 + base[mh] > 0.0;
    let conversions_in_place = !conversions
        .iter()
        .any(|c| conversions.iter().any(|d| d.from == c.to));
    Ok(Engine {
        base,
        buffs: buffs
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(i, v)| (i, *v))
            .collect(),
        conversions,
        after_buffs,
        conversions_in_place,
        mult,
        target_armor: target.armor,
        attack_rate,
        movement_uptime,
        conditions: if wvw { WVW_CONDITIONS } else { PVE_CONDITIONS },
        power2,
        illusions: mesmer,
        inferno,
        sharpshooter,
        non_crit,
        siphon,
        monotone,
    })
}
