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
use super::model::{Conv, Engine, Sheet, PVE_CONDITIONS, WVW_CONDITIONS};
use super::modifiers::{self, Resolved, Stat, STAT_COUNT};

/// The engine for a profession's base health and armor defense, the input's distribution and
/// the resolved modifiers (`wvw` picks the WvW condition tick tables). Fails when a
/// distribution value is out of range, a combined damage multiplier is not finite and ≥ 0, or
/// the damage taken multiplier is not finite and > 0 (damage reduction of 100% or more).
#[allow(clippy::too_many_arguments)]
pub(super) fn build_engine(
    input: &GearInput,
    base_health: u32,
    armor_defense: u32,
    mods: &[Resolved],
    wvw: bool,
    target_armor: f64,
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
    let d = &input.distribution;
    for (field, v, s) in [
        ("distribution.power", d.power, Stat::PowerCoefficient),
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
    let mut conv: Vec<((usize, usize), f64)> = Vec::new();
    let mut after: Vec<((usize, usize), f64)> = Vec::new();
    let add_conv = |list: &mut Vec<((usize, usize), f64)>, key: (usize, usize), f: f64| match list
        .iter_mut()
        .find(|(k, _)| *k == key)
    {
        Some((_, v)) => *v += f,
        None => list.push((key, f)),
    };
    for m in mods {
        for a in &m.effects.attributes {
            let v = a.value * m.scale;
            let i = a.stat.idx();
            if a.stat == Stat::MaximumHealth {
                base[i] = (base[i] + 1.0) * (1.0 + v / 100.0) - 1.0;
            } else if a.stat.is_percent() || a.stat == Stat::CriticalDamage {
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
    let is_point = |i: usize| i <= Stat::AgonyResistance.idx();
    let compile = |list: Vec<((usize, usize), f64)>| -> Vec<Conv> {
        list.into_iter()
            .map(|((to, from), fraction)| Conv {
                to,
                from,
                fraction,
                round: is_point(to),
            })
            .collect()
    };
    let mult = modifiers::multipliers(mods);
    for (name, v) in [
        ("strike", mult.strike),
        ("condition", mult.condition),
        ("critical", mult.critical),
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
    if !(mult.damage_taken.is_finite() && mult.damage_taken > 0.0) {
        return Err(GearError::InvalidNumber {
            field: "combined damage taken multiplier (damage reduction ≥ 100%?)".into(),
            expected: "finite and > 0",
            value: mult.damage_taken,
        });
    }
    Ok(Engine {
        base,
        buffs: buffs
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(i, v)| (i, *v))
            .collect(),
        conversions: compile(conv),
        after_buffs: compile(after),
        mult,
        target_armor,
        attack_rate,
        movement_uptime,
        conditions: if wvw { WVW_CONDITIONS } else { PVE_CONDITIONS },
    })
}
