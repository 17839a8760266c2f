//! The result constraints (`min_boon_duration`, `max_toughness`, `min_attributes`, …) in
//! internal form: which sheet value or indicator each one reads ([`Measure`]), which side it
//! bounds ([`Bound`]) and its value in internal units (percentages as fractions, as the sheet
//! holds them). The search checks them in `Problem::bound` (`bounds.rs`), where the linear ones
//! also tighten the bounds.

use super::error::GearError;
use super::input::{finite, Constraints};
use super::modifiers::Stat;

/// Which side of its value a constraint holds the result to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Bound {
    Min,
    Max,
}

/// What a constraint reads: a sheet value (by [`Stat`] index), boon + quickness duration, or an
/// indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Measure {
    Stat(usize),
    Quickness,
    Damage,
    Healing,
    Survivability,
}

/// One constraint of the input, ready to check; `label` is its input field (for errors).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Constraint {
    pub measure: Measure,
    pub bound: Bound,
    /// Internal units (fractions for percentages).
    pub value: f64,
    pub label: &'static str,
}

/// The input's constraints in internal form, in this fixed order (the order
/// `GearError::Infeasible` names them in); every value must be finite and within ±1e9.
pub(super) fn build_constraints(c: &Constraints) -> Result<Vec<Constraint>, GearError> {
    let mut out = Vec::new();
    let mut push = |label: &'static str,
                    v: Option<f64>,
                    measure: Measure,
                    bound: Bound,
                    scale: f64|
     -> Result<(), GearError> {
        if let Some(v) = v {
            let v = finite(label, v, -1e9, 1e9)?;
            out.push(Constraint {
                measure,
                bound,
                value: v * scale,
                label,
            });
        }
        Ok(())
    };
    let pct = 0.01;
    let st = |s: Stat| Measure::Stat(s.idx());
    push(
        "min_boon_duration",
        c.min_boon_duration,
        st(Stat::BoonDuration),
        Bound::Min,
        pct,
    )?;
    push(
        "min_quickness_duration",
        c.min_quickness_duration,
        Measure::Quickness,
        Bound::Min,
        pct,
    )?;
    push(
        "min_crit_chance",
        c.min_crit_chance,
        st(Stat::CriticalChance),
        Bound::Min,
        pct,
    )?;
    push(
        "min_toughness",
        c.min_toughness,
        st(Stat::Toughness),
        Bound::Min,
        1.0,
    )?;
    push(
        "max_toughness",
        c.max_toughness,
        st(Stat::Toughness),
        Bound::Max,
        1.0,
    )?;
    push(
        "min_vitality",
        c.min_vitality,
        st(Stat::Vitality),
        Bound::Min,
        1.0,
    )?;
    push(
        "min_health",
        c.min_health,
        st(Stat::Health),
        Bound::Min,
        1.0,
    )?;
    push(
        "min_healing_power",
        c.min_healing_power,
        st(Stat::HealingPower),
        Bound::Min,
        1.0,
    )?;
    push(
        "min_outgoing_healing",
        c.min_outgoing_healing,
        st(Stat::OutgoingHealing),
        Bound::Min,
        pct,
    )?;
    push("min_damage", c.min_damage, Measure::Damage, Bound::Min, 1.0)?;
    push(
        "min_healing",
        c.min_healing,
        Measure::Healing,
        Bound::Min,
        1.0,
    )?;
    push(
        "min_survivability",
        c.min_survivability,
        Measure::Survivability,
        Bound::Min,
        1.0,
    )?;
    for (map, bound) in [
        (&c.min_attributes, Bound::Min),
        (&c.max_attributes, Bound::Max),
    ] {
        for (s, v) in map {
            let scale = if s.is_percent() || *s == Stat::CriticalDamage {
                pct
            } else {
                1.0
            };
            push(
                if bound == Bound::Min {
                    "min_attributes"
                } else {
                    "max_attributes"
                },
                Some(*v),
                st(*s),
                bound,
                scale,
            )?;
        }
    }
    Ok(out)
}
