//! The attribute and damage model: discretize-gear-optimizer's `optimizerCore.ts`
//! (`calcStats`, `calcPower`, `calcCondi`, `calcSurvivability`, `calcHealing`) restated, with
//! the GW2 wiki formulas it implements exposed as small functions for tests.

use super::modifiers::{Multipliers, Stat, STAT_COUNT};

/// Full attribute sheet indexed by [`Stat`]; percentage stats are fractions.
pub type Sheet = [f64; STAT_COUNT];
/// Gear attribute points (the nine attributes, in [`Stat`] order).
pub type GearVec = [f64; 9];

/// The standard benchmark golem's armor (also the in-game tooltip armor).
pub const GOLEM_ARMOR: f64 = 2597.0;

/// Damage over time of one condition stack per second at level 80: `base + factor × CD`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionTick {
    pub base: f64,
    pub factor: f64,
}

impl ConditionTick {
    pub fn at(self, condition_damage: f64) -> f64 {
        self.base + self.factor * condition_damage
    }
}

/// Tick tables (discretize `gw2-data.ts` `conditionData` / `conditionDataWvW`; GW2 wiki
/// condition pages). Order: bleeding, burning, confusion (+ on-skill-use part), poison,
/// torment (+ moving part).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionTable {
    pub bleeding: ConditionTick,
    pub burning: ConditionTick,
    pub confusion: ConditionTick,
    pub confusion_active: ConditionTick,
    pub poison: ConditionTick,
    pub torment: ConditionTick,
    pub torment_moving: ConditionTick,
}

const fn tick(base: f64, factor: f64) -> ConditionTick {
    ConditionTick { base, factor }
}

/// PvE condition ticks.
pub const PVE_CONDITIONS: ConditionTable = ConditionTable {
    bleeding: tick(22.0, 0.06),
    burning: tick(131.0, 0.155),
    confusion: tick(18.25, 0.05),
    confusion_active: tick(16.34, 0.0325),
    poison: tick(33.5, 0.06),
    torment: tick(31.8, 0.09),
    torment_moving: tick(22.0, 0.06),
};

/// WvW (and PvP) condition ticks.
pub const WVW_CONDITIONS: ConditionTable = ConditionTable {
    bleeding: tick(22.0, 0.06),
    burning: tick(131.0, 0.155),
    confusion: tick(11.0, 0.03),
    confusion_active: tick(49.5, 0.0975),
    poison: tick(33.5, 0.06),
    torment: tick(26.0, 0.07),
    torment_moving: tick(19.8, 0.054),
};

/// Rounds half to even (GW2 conversions, per discretize's `roundEven`).
pub fn round_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        // tie: pick the even neighbour
        let f = x.floor();
        if f.rem_euclid(2.0) == 0.0 {
            f
        } else {
            f + 1.0
        }
    } else {
        r
    }
}

/// Critical chance (fraction, before the 100% cap) from Precision at level 80:
/// `5% + (Precision − 1000) / 21 %` (GW2 wiki "Precision"; base 1000 gives 5%).
pub fn crit_chance(precision: f64) -> f64 {
    0.05 + (precision - 1000.0) / 21.0 / 100.0
}

/// Critical damage multiplier from Ferocity: `150% + Ferocity / 15 %` (GW2 wiki "Ferocity").
pub fn crit_damage(ferocity: f64) -> f64 {
    1.5 + ferocity / 15.0 / 100.0
}

/// Duration bonus (fraction) from Concentration or Expertise: `points / 15 %`.
pub fn duration_bonus(points: f64) -> f64 {
    points / 15.0 / 100.0
}

/// Health: `(base + 10 × Vitality) × (1 + max-health bonus)`, rounded.
pub fn health(base: f64, vitality: f64, max_health_bonus: f64) -> f64 {
    round_even((base + vitality * 10.0) * (1.0 + max_health_bonus))
}

/// Average strike damage of a hit: `weapon strength × power × coefficient ÷ armor`, times the
/// average crit factor `1 + p × (critdmg − 1)` (GW2 wiki "Damage calculation").
pub fn strike_damage(
    weapon_strength: f64,
    power: f64,
    coefficient: f64,
    armor: f64,
    crit_chance: f64,
    crit_damage: f64,
) -> f64 {
    weapon_strength * power * coefficient / armor
        * (1.0 + crit_chance.clamp(0.0, 1.0) * (crit_damage - 1.0))
}

/// Everything the search evaluates, computed from a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Indicators {
    pub effective_power: f64,
    pub power_dps: f64,
    /// Bleeding, burning, confusion, poison, torment.
    pub condition_dps: [f64; 5],
    pub flat_dps: f64,
    pub damage: f64,
    pub effective_health: f64,
    pub survivability: f64,
    pub healing: f64,
}

/// A conversion compiled to sheet indexes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Conv {
    pub to: usize,
    pub from: usize,
    pub fraction: f64,
    pub round: bool,
}

/// The build-independent part of the model.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    /// Base attributes plus everything added before conversions (converted points, percentages,
    /// coefficients), without gear.
    pub base: Sheet,
    /// Buff points, added after conversions (sparse).
    pub buffs: Vec<(usize, f64)>,
    pub conversions: Vec<Conv>,
    pub after_buffs: Vec<Conv>,
    pub mult: Multipliers,
    pub target_armor: f64,
    pub attack_rate: f64,
    pub movement_uptime: f64,
    pub conditions: ConditionTable,
}

const CC: usize = Stat::CriticalChance.idx();

impl Engine {
    /// The attribute sheet for gear points `gear`, in the order of discretize's
    /// `calcStatsScenario` (src/state/optimizer/optimizerCore.ts at a71b0d879fb8, lines
    /// 565–641): `convert` from the base attributes (574–581), buffs (583–585), then every
    /// derived attribute — critical chance and damage (587–588), boon and condition duration
    /// (590–591), health (593–596), armor `+= Toughness` (598) — and only then
    /// `convertAfterBuffs` (621–640). Points an after-buff conversion adds to Expertise,
    /// Toughness, Precision, Ferocity, Concentration or Vitality therefore do not reach the
    /// derived attributes, and an `armor` source includes Toughness. `Stat::Armor` of the
    /// returned sheet is the full armor (defense + Toughness).
    #[inline]
    pub fn sheet(&self, gear: &GearVec) -> Sheet {
        let mut x = self.base;
        for (xi, g) in x.iter_mut().zip(gear) {
            *xi += g;
        }
        let mut a = x;
        for c in &self.conversions {
            let v = x[c.from] * c.fraction;
            a[c.to] += if c.round { round_even(v) } else { v };
        }
        for &(i, v) in &self.buffs {
            a[i] += v;
        }
        a[CC] += (a[Stat::Precision.idx()] - 1000.0) / 21.0 / 100.0;
        a[Stat::CriticalDamage.idx()] += duration_bonus(a[Stat::Ferocity.idx()]);
        a[Stat::BoonDuration.idx()] += duration_bonus(a[Stat::Concentration.idx()]);
        a[Stat::ConditionDuration.idx()] += duration_bonus(a[Stat::Expertise.idx()]);
        a[Stat::Health.idx()] = health(
            a[Stat::Health.idx()],
            a[Stat::Vitality.idx()],
            a[Stat::MaximumHealth.idx()],
        );
        a[Stat::Armor.idx()] += a[Stat::Toughness.idx()];
        for c in &self.after_buffs {
            let src = if c.from == CC {
                a[CC].clamp(0.0, 1.0)
            } else {
                a[c.from]
            };
            let v = src * c.fraction;
            a[c.to] += if c.round { round_even(v) } else { v };
        }
        a
    }

    /// Damage, survivability and healing of a sheet (discretize `calcPower`, `calcCondi`,
    /// `calcSurvivability`, `calcHealing`). Terms are clamped at 0 so the values never decrease
    /// when an attribute grows, which the search's bounds rely on.
    #[inline]
    pub fn indicators(&self, a: &Sheet) -> Indicators {
        let m = &self.mult;
        let cc = a[CC].clamp(0.0, 1.0);
        let cd = a[Stat::CriticalDamage.idx()] * m.critical;
        let power = a[Stat::Power.idx()].max(0.0);
        let effective_power = power * (1.0 + cc * (cd - 1.0).max(0.0)) * m.strike;
        let power_dps = a[Stat::PowerCoefficient.idx()] / self.target_armor * effective_power;

        let cdmg = a[Stat::ConditionDamage.idx()];
        let cond_dur = a[Stat::ConditionDuration.idx()];
        let t = &self.conditions;
        let mu = self.movement_uptime;
        let ticks = [
            t.bleeding.at(cdmg),
            t.burning.at(cdmg),
            t.confusion.at(cdmg) + t.confusion_active.at(cdmg) * self.attack_rate,
            t.poison.at(cdmg),
            t.torment.at(cdmg) * (1.0 - mu) + t.torment_moving.at(cdmg) * mu,
        ];
        let coef = [
            Stat::BleedingCoefficient,
            Stat::BurningCoefficient,
            Stat::ConfusionCoefficient,
            Stat::PoisonCoefficient,
            Stat::TormentCoefficient,
        ];
        let dur = [
            Stat::BleedingDuration,
            Stat::BurningDuration,
            Stat::ConfusionDuration,
            Stat::PoisonDuration,
            Stat::TormentDuration,
        ];
        let mut condition_dps = [0.0; 5];
        let mut total = power_dps;
        for i in 0..5 {
            let k = a[coef[i].idx()];
            if k > 0.0 {
                let duration = 1.0 + (a[dur[i].idx()] + cond_dur).clamp(0.0, 1.0);
                let v = k * duration * (ticks[i] * m.condition * m.per_condition[i]).max(0.0);
                condition_dps[i] = v;
                total += v;
            }
        }
        let flat_dps = a[Stat::FlatDps.idx()];
        total += flat_dps;

        // Toughness is already in the sheet's armor (`sheet`; discretize calcSurvivabilityScenario
        // multiplies health by `Armor` alone, optimizerCore.ts:847–848).
        let armor = a[Stat::Armor.idx()].max(0.0);
        let effective_health = a[Stat::Health.idx()].max(0.0) * armor / m.damage_taken;
        let healing = (a[Stat::HealingPower.idx()] * 0.3 + 390.0).max(0.0)
            * (1.0 + a[Stat::OutgoingHealing.idx()]).max(0.0);
        Indicators {
            effective_power,
            power_dps,
            condition_dps,
            flat_dps,
            damage: total,
            effective_health,
            survivability: effective_health / 1967.0,
            healing,
        }
    }
}
