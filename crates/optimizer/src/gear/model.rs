//! The attribute and damage model: discretize-gear-optimizer's `optimizerCore.ts`
//! (`calcStats`, `calcPower`, `calcCondi`, `calcSurvivability`, `calcHealing`) restated, with
//! the GW2 wiki formulas it implements exposed as small functions for tests. Every part of that
//! model is here: strikes (critical and non-critical), alternative (shroud) and phantasm
//! strikes with their own critical chance and damage, siphon damage (flat and per Power), the
//! five damaging conditions (with the uncapped duration and the Power-scaling burning and
//! bleeding of Inferno and Sharpshooter), flat damage, effective health and healing.

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
/// torment (+ moving part). `burning_inferno` and `bleeding_sharpshooter` scale with Power
/// instead of Condition Damage (`Tweak`s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionTable {
    pub bleeding: ConditionTick,
    pub bleeding_sharpshooter: ConditionTick,
    pub burning: ConditionTick,
    pub burning_inferno: ConditionTick,
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
    bleeding_sharpshooter: tick(22.0, 0.04),
    burning: tick(131.0, 0.155),
    burning_inferno: tick(131.0, 0.0825),
    confusion: tick(18.25, 0.05),
    confusion_active: tick(16.34, 0.0325),
    poison: tick(33.5, 0.06),
    torment: tick(31.8, 0.09),
    torment_moving: tick(22.0, 0.06),
};

/// WvW (and PvP) condition ticks.
pub const WVW_CONDITIONS: ConditionTable = ConditionTable {
    bleeding: tick(22.0, 0.06),
    bleeding_sharpshooter: tick(22.0, 0.04),
    burning: tick(131.0, 0.155),
    burning_inferno: tick(131.0, 0.06),
    confusion: tick(11.0, 0.03),
    confusion_active: tick(49.5, 0.0975),
    poison: tick(33.5, 0.06),
    torment: tick(26.0, 0.07),
    torment_moving: tick(19.8, 0.054),
};

/// Rounds half to even (GW2 conversions, per discretize's `roundEven`).
#[inline]
pub fn round_even(x: f64) -> f64 {
    // Adding and subtracting 1.5 × 2^52 leaves no fraction bits, so the addition rounds to an
    // integer under IEEE 754's default mode, round half to even: exact for |x| < 2^51, and two
    // additions where `round` + `trunc` are library calls (this is the search's hot path).
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    if x.abs() < 2_251_799_813_685_248.0 {
        return (x + MAGIC) - MAGIC;
    }
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
    /// Critical and non-critical strikes with the player's attributes.
    pub power_dps: f64,
    /// Alternative (shroud) or phantasm strikes.
    pub power2_dps: f64,
    pub siphon_dps: f64,
    /// Bleeding, burning, confusion, poison, torment.
    pub condition_dps: [f64; 5],
    pub flat_dps: f64,
    pub damage: f64,
    pub effective_health: f64,
    pub survivability: f64,
    pub healing: f64,
}

impl Indicators {
    /// `self += f × other`, every indicator (a scenario's share).
    pub(crate) fn add_scaled(&mut self, other: &Indicators, f: f64) {
        self.effective_power += f * other.effective_power;
        self.power_dps += f * other.power_dps;
        self.power2_dps += f * other.power2_dps;
        self.siphon_dps += f * other.siphon_dps;
        for (a, b) in self.condition_dps.iter_mut().zip(&other.condition_dps) {
            *a += f * b;
        }
        self.flat_dps += f * other.flat_dps;
        self.damage += f * other.damage;
        self.effective_health += f * other.effective_health;
        self.survivability += f * other.survivability;
        self.healing += f * other.healing;
    }
}

/// A conversion compiled to sheet indexes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Conv {
    pub to: usize,
    pub from: usize,
    pub fraction: f64,
    pub round: bool,
}

/// Which strikes `power2_coefficient` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Power2 {
    /// No alternative strikes (no `power2_coefficient`).
    None,
    /// A Mesmer's phantasms: the player's Power, their own critical chance (base 5% +
    /// Precision) and damage (150% + Ferocity), the phantasm multipliers instead of strike.
    Phantasm,
    /// Shroud and the like: the player's attributes plus the alternative ones, the strike and
    /// alternative multipliers.
    Alternative,
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
    /// After-buff conversions in discretize's order (grouped by destination, each group in the
    /// order its destination first appeared, sources in order within); each reads the sheet
    /// as the previous ones left it.
    pub after_buffs: Vec<Conv>,
    /// No conversion's target is another one's source: conversions can add in place.
    pub conversions_in_place: bool,
    pub mult: Multipliers,
    pub target_armor: f64,
    pub attack_rate: f64,
    pub movement_uptime: f64,
    pub conditions: ConditionTable,
    pub power2: Power2,
    /// Mesmer: clone and phantasm critical chance and phantasm critical damage are derived
    /// from Precision and Ferocity (discretize `calcStatsScenario`).
    pub illusions: bool,
    pub inferno: bool,
    pub sharpshooter: bool,
    /// A non-critical power or siphon coefficient can be non-zero (else those terms are
    /// skipped: the hot path).
    pub non_crit: bool,
    pub siphon: bool,
    /// Every sheet value is non-decreasing in every gear attribute (no negative conversion
    /// from a gear-dependent source, health's maximum-health factor a positive constant): the
    /// sheet of the per-attribute maximum bounds every sheet value from above. Otherwise
    /// [`Engine::sheet_bounds`] propagates intervals.
    pub monotone: bool,
}

const CC: usize = Stat::CriticalChance.idx();
const CLONE_CC: usize = Stat::CloneCriticalChance.idx();
const PHANTASM_CC: usize = Stat::PhantasmCriticalChance.idx();

/// Critical chance sources are read clamped to 0–100% by after-buff conversions.
#[inline]
fn clamped_source(from: usize) -> bool {
    from == CC || from == CLONE_CC || from == PHANTASM_CC
}

#[inline]
fn maybe_round(v: f64, round: bool) -> f64 {
    if round {
        round_even(v)
    } else {
        v
    }
}

impl Engine {
    /// The attribute sheet for gear points `gear`, in the order of discretize's
    /// `calcStatsScenario` (src/state/optimizer/optimizerCore.ts at a71b0d879fb8, lines
    /// 565–641): `convert` from the base attributes (574–581), buffs (583–585), then every
    /// derived attribute — critical chance and damage (587–588), boon and condition duration
    /// (590–591), health (593–596), armor `+= Toughness` (598), the illusions' or the
    /// alternative attributes (600–618) — and only then `convertAfterBuffs` (621–640). Points
    /// an after-buff conversion adds to Expertise, Toughness, Precision, Ferocity,
    /// Concentration or Vitality therefore do not reach the derived attributes, and an `armor`
    /// source includes Toughness. `Stat::Armor` of the returned sheet is the full armor
    /// (defense + Toughness).
    #[inline]
    pub fn sheet(&self, gear: &GearVec) -> Sheet {
        self.sheet_impl::<false>(gear)
    }

    /// [`Engine::sheet`] with every rounding replaced by `value + ½` (conversions into points,
    /// health): a sheet at least as large, value by value, and affine in the gear where the
    /// exact one has steps (the gradient bound, `gradient.rs`).
    #[inline]
    pub fn sheet_upper(&self, gear: &GearVec) -> Sheet {
        self.sheet_impl::<true>(gear)
    }

    #[inline]
    fn sheet_impl<const UPPER: bool>(&self, gear: &GearVec) -> Sheet {
        let maybe_round = |v: f64, round: bool| -> f64 {
            if !round {
                v
            } else if UPPER {
                v + 0.5
            } else {
                round_even(v)
            }
        };
        let mut a = self.base;
        for (ai, g) in a.iter_mut().zip(gear) {
            *ai += g;
        }
        if self.conversions_in_place {
            for c in &self.conversions {
                let v = a[c.from] * c.fraction;
                a[c.to] += maybe_round(v, c.round);
            }
        } else {
            let x = a;
            for c in &self.conversions {
                let v = x[c.from] * c.fraction;
                a[c.to] += maybe_round(v, c.round);
            }
        }
        for &(i, v) in &self.buffs {
            a[i] += v;
        }
        self.derive::<UPPER>(&mut a);
        for c in &self.after_buffs {
            let src = if clamped_source(c.from) {
                a[c.from].clamp(0.0, 1.0)
            } else {
                a[c.from]
            };
            a[c.to] += maybe_round(src * c.fraction, c.round);
        }
        a
    }

    /// The derived attributes (`calcStatsScenario` 587–618), in place.
    /// (`UPPER`: health not rounded but `+ ½`, as [`Engine::sheet_upper`].)
    #[inline]
    fn derive<const UPPER: bool>(&self, a: &mut Sheet) {
        a[CC] += (a[Stat::Precision.idx()] - 1000.0) / 21.0 / 100.0;
        a[Stat::CriticalDamage.idx()] += duration_bonus(a[Stat::Ferocity.idx()]);
        a[Stat::BoonDuration.idx()] += duration_bonus(a[Stat::Concentration.idx()]);
        a[Stat::ConditionDuration.idx()] += duration_bonus(a[Stat::Expertise.idx()]);
        let (h, v, mh) = (
            a[Stat::Health.idx()],
            a[Stat::Vitality.idx()],
            a[Stat::MaximumHealth.idx()],
        );
        a[Stat::Health.idx()] = if UPPER {
            (h + v * 10.0) * (1.0 + mh) + 0.5
        } else {
            health(h, v, mh)
        };
        a[Stat::Armor.idx()] += a[Stat::Toughness.idx()];
        self.derive_power2(a);
    }

    #[inline]
    fn derive_power2(&self, a: &mut Sheet) {
        if self.illusions {
            let cc = (a[Stat::Precision.idx()] - 1000.0) / 21.0 / 100.0;
            a[CLONE_CC] += cc;
            a[PHANTASM_CC] += cc;
            a[Stat::PhantasmCriticalDamage.idx()] += duration_bonus(a[Stat::Ferocity.idx()]);
        } else if self.power2 == Power2::Alternative {
            a[Stat::AlternativePower.idx()] += a[Stat::Power.idx()];
            a[Stat::AlternativeCriticalChance.idx()] +=
                a[CC] + a[Stat::AlternativePrecision.idx()] / 21.0 / 100.0;
            a[Stat::AlternativeCriticalDamage.idx()] +=
                a[Stat::CriticalDamage.idx()] + duration_bonus(a[Stat::AlternativeFerocity.idx()]);
        }
    }

    /// Lower and upper bounds of every sheet value over the gear points between `lo` and `hi`
    /// (attribute-wise): the steps of [`Engine::sheet`] on intervals. A conversion takes the
    /// end of its source's interval that its sign makes smallest (largest); health's product
    /// takes the extreme corners; every other step (rounding, the derived attributes, the
    /// critical chance clamp) is non-decreasing. Equal to `(sheet(lo), sheet(hi))` when the
    /// engine is [`monotone`](Engine::monotone).
    pub fn sheet_bounds(&self, lo: &GearVec, hi: &GearVec) -> (Sheet, Sheet) {
        let mut l = self.base;
        let mut h = self.base;
        for i in 0..9 {
            l[i] += lo[i];
            h[i] += hi[i];
        }
        let (xl, xh) = (l, h);
        for c in &self.conversions {
            let (vl, vh) = if c.fraction >= 0.0 {
                (xl[c.from] * c.fraction, xh[c.from] * c.fraction)
            } else {
                (xh[c.from] * c.fraction, xl[c.from] * c.fraction)
            };
            l[c.to] += maybe_round(vl, c.round);
            h[c.to] += maybe_round(vh, c.round);
        }
        for &(i, v) in &self.buffs {
            l[i] += v;
            h[i] += v;
        }
        let hi_ = Stat::Health.idx();
        let vit = Stat::Vitality.idx();
        let mh = Stat::MaximumHealth.idx();
        let (tl, th) = (l[hi_] + 10.0 * l[vit], h[hi_] + 10.0 * h[vit]);
        let (ml, mh_) = (1.0 + l[mh], 1.0 + h[mh]);
        let corners = [tl * ml, tl * mh_, th * ml, th * mh_];
        let (hl, hh) = corners
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        self.derive::<false>(&mut l);
        self.derive::<false>(&mut h);
        l[hi_] = round_even(hl);
        h[hi_] = round_even(hh);
        for c in &self.after_buffs {
            let (sl, sh) = if clamped_source(c.from) {
                (l[c.from].clamp(0.0, 1.0), h[c.from].clamp(0.0, 1.0))
            } else {
                (l[c.from], h[c.from])
            };
            let (vl, vh) = if c.fraction >= 0.0 {
                (sl * c.fraction, sh * c.fraction)
            } else {
                (sh * c.fraction, sl * c.fraction)
            };
            l[c.to] += maybe_round(vl, c.round);
            h[c.to] += maybe_round(vh, c.round);
        }
        (l, h)
    }

    /// Damage, survivability and healing of a sheet (discretize `calcPower`, `calcCondi`,
    /// `calcSurvivability`, `calcHealing`). Coefficients and terms are clamped at 0 so the
    /// values never decrease when a sheet value grows, which the search's bounds rely on (a
    /// negative coefficient total counts as none; discretize would subtract it).
    #[inline]
    pub fn indicators(&self, a: &Sheet) -> Indicators {
        let m = &self.mult;
        let cc = a[CC].clamp(0.0, 1.0);
        let cd = a[Stat::CriticalDamage.idx()] * m.critical;
        let power = a[Stat::Power.idx()].max(0.0);
        let effective_power = power * (1.0 + cc * (cd - 1.0).max(0.0)) * m.strike;
        let armor = self.target_armor;
        let mut power_dps = a[Stat::PowerCoefficient.idx()].max(0.0) / armor * effective_power;
        if self.non_crit {
            power_dps += a[Stat::NonCritPowerCoefficient.idx()].max(0.0) / armor * power * m.strike;
        }
        let power2_dps = self.power2_dps(a, power);
        let siphon_dps = if self.siphon {
            (a[Stat::SiphonBaseCoefficient.idx()].max(0.0)
                + a[Stat::SiphonCoefficient.idx()].max(0.0) * power)
                * m.siphon
        } else {
            0.0
        };

        let cdmg = a[Stat::ConditionDamage.idx()];
        let cond_dur = a[Stat::ConditionDuration.idx()];
        let uncapped = a[Stat::ConditionDurationUncapped.idx()];
        let t = &self.conditions;
        let mu = self.movement_uptime;
        let ticks = [
            if self.sharpshooter {
                t.bleeding_sharpshooter.at(a[Stat::Power.idx()])
            } else {
                t.bleeding.at(cdmg)
            },
            if self.inferno {
                t.burning_inferno.at(a[Stat::Power.idx()])
            } else {
                t.burning.at(cdmg)
            },
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
        let mut total = power_dps + power2_dps + siphon_dps;
        for i in 0..5 {
            let k = a[coef[i].idx()];
            if k > 0.0 {
                let duration =
                    (1.0 + (a[dur[i].idx()] + cond_dur).clamp(0.0, 1.0) + uncapped).max(0.0);
                let v = k * duration * (ticks[i] * m.condition * m.per_condition[i]).max(0.0);
                condition_dps[i] = v;
                total += v;
            }
        }
        let flat_dps = a[Stat::FlatDps.idx()];
        total += flat_dps;

        // Toughness is already in the sheet's armor (`sheet`; discretize calcSurvivabilityScenario
        // multiplies health by `Armor` alone, optimizerCore.ts:847–848).
        let own_armor = a[Stat::Armor.idx()].max(0.0);
        let effective_health = a[Stat::Health.idx()].max(0.0) * own_armor / m.damage_taken;
        let healing = (a[Stat::HealingPower.idx()] * 0.3 + 390.0).max(0.0)
            * (1.0 + a[Stat::OutgoingHealing.idx()]).max(0.0);
        Indicators {
            effective_power,
            power_dps,
            power2_dps,
            siphon_dps,
            condition_dps,
            flat_dps,
            damage: total,
            effective_health,
            survivability: effective_health / 1967.0,
            healing,
        }
    }

    /// Alternative or phantasm strikes (discretize `calcPowerScenario`, the `Power2 Coefficient`
    /// branch): phantasms use the player's Power with the phantasm critical chance and damage
    /// and the phantasm multipliers (not the strike one); alternative strikes use the
    /// alternative Power, critical chance and damage, the critical multipliers, and the strike
    /// and alternative multipliers.
    #[inline]
    fn power2_dps(&self, a: &Sheet, power: f64) -> f64 {
        let m = &self.mult;
        let coef = a[Stat::Power2Coefficient.idx()].max(0.0) / self.target_armor;
        match self.power2 {
            Power2::None => 0.0,
            Power2::Phantasm => {
                let pcd = a[Stat::PhantasmCriticalDamage.idx()] * m.phantasm_critical;
                let pcc = a[PHANTASM_CC].clamp(0.0, 1.0);
                coef * power * (1.0 + pcc * (pcd - 1.0).max(0.0)) * m.phantasm
            }
            Power2::Alternative => {
                let acd =
                    a[Stat::AlternativeCriticalDamage.idx()] * m.critical * m.alternative_critical;
                let acc = a[Stat::AlternativeCriticalChance.idx()].clamp(0.0, 1.0);
                let ap = a[Stat::AlternativePower.idx()].max(0.0);
                coef * ap * (1.0 + acc * (acd - 1.0).max(0.0)) * m.strike * m.alternative
            }
        }
    }
}
