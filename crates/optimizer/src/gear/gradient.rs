//! A tighter bound for the damage objective: the mean-value (gradient) bound.
//!
//! The box bound (`bounds.rs`) values every attribute at its maximum over the remaining slot
//! classes at once, which no completion reaches when prefixes trade attributes against each
//! other (Viper's, Sinister's, Rampager's …). This bound charges for that. Let `F` be the
//! damage with every rounded conversion replaced by `value + ½` (so `F ≥ damage` everywhere,
//! and `F` has no steps), `H` the box's upper corner and `m` a lower bound of every partial
//! derivative of `F` over the box `[lo, H]` (non-negative: `F` is non-decreasing). Moving from a
//! completion `g` up to `H` one attribute at a time, `F(H) − F(g) ≥ m·(H − g)`, so
//!
//! `damage(g) ≤ F(g) ≤ F(H) − m·(H − partial) + Σ_classes max_choice m·v`,
//!
//! a linear function of the completion whose maximum is separable: each remaining class picks
//! its own best choice under the marginal values `m`, so a class cannot count Viper's Power and
//! Rampager's Precision at once. The search takes the smaller of this and the box bound.
//!
//! `m` comes from the chain rule: the sheet is affine in the gear points when no conversion is
//! negative (`Engine::monotone`), so each sheet value's gradient `G` is a constant of the problem
//! (precomputed, with a second version without the after-buff conversions from a clamped
//! critical chance, used when the box reaches the clamp); the damage's partial derivatives with
//! respect to sheet values are non-decreasing in every sheet value except through the clamps
//! (critical chance at 0/100 %, condition duration at 0/100 %, the `max(0, ·)` of coefficients),
//! so their minimum over the box is their value at the box's lower sheet, or 0 when the box
//! reaches a clamp. `m = Σ_sheet values (minimum partial) × G ≥ 0`.
//!
//! Tests: the bound holds on random boxes (`tests.rs`), and every search equals brute force.

use super::model::{Engine, GearVec, Power2, Sheet};
use super::modifiers::{Stat, STAT_COUNT};

/// The sheet values the damage reads.
const DAMAGE_STATS: [Stat; 27] = [
    Stat::Power,
    Stat::CriticalChance,
    Stat::CriticalDamage,
    Stat::PowerCoefficient,
    Stat::NonCritPowerCoefficient,
    Stat::Power2Coefficient,
    Stat::PhantasmCriticalChance,
    Stat::PhantasmCriticalDamage,
    Stat::AlternativePower,
    Stat::AlternativeCriticalChance,
    Stat::AlternativeCriticalDamage,
    Stat::SiphonCoefficient,
    Stat::SiphonBaseCoefficient,
    Stat::ConditionDamage,
    Stat::ConditionDuration,
    Stat::ConditionDurationUncapped,
    Stat::BleedingCoefficient,
    Stat::BurningCoefficient,
    Stat::ConfusionCoefficient,
    Stat::PoisonCoefficient,
    Stat::TormentCoefficient,
    Stat::BleedingDuration,
    Stat::BurningDuration,
    Stat::ConfusionDuration,
    Stat::PoisonDuration,
    Stat::TormentDuration,
    Stat::FlatDps,
];

/// The precomputed part of the bound.
#[derive(Debug, Clone)]
pub(crate) struct GradientBound {
    /// Gradient of each of [`DAMAGE_STATS`] (sheet index, gradient) with respect to the nine
    /// gear attributes.
    full: Vec<(usize, GearVec)>,
    /// The same without the after-buff conversions from clamped critical chances.
    unclamped_sources: Vec<(usize, GearVec)>,
    /// After-buff conversions read a clamped critical chance.
    clamped_sources: bool,
}

type Grad = [GearVec; STAT_COUNT];

fn add_scaled(g: &mut Grad, to: usize, from: &GearVec, k: f64) {
    for (t, f) in g[to].iter_mut().zip(from) {
        *t += k * f;
    }
}

/// Gradients of every sheet value (the steps of `Engine::sheet` on gradients), optionally
/// without the after-buff conversions from clamped sources.
fn gradients(engine: &Engine, with_clamped: bool) -> Grad {
    let mut g: Grad = [[0.0; 9]; STAT_COUNT];
    for (i, row) in g.iter_mut().enumerate().take(9) {
        row[i] = 1.0;
    }
    let x = g;
    for c in &engine.conversions {
        let from = x[c.from];
        add_scaled(&mut g, c.to, &from, c.fraction);
    }
    let row = |g: &Grad, s: Stat| g[s.idx()];
    let prec = row(&g, Stat::Precision);
    add_scaled(&mut g, Stat::CriticalChance.idx(), &prec, 1.0 / 2100.0);
    let fero = row(&g, Stat::Ferocity);
    add_scaled(&mut g, Stat::CriticalDamage.idx(), &fero, 1.0 / 1500.0);
    let conc = row(&g, Stat::Concentration);
    add_scaled(&mut g, Stat::BoonDuration.idx(), &conc, 1.0 / 1500.0);
    let exp = row(&g, Stat::Expertise);
    add_scaled(&mut g, Stat::ConditionDuration.idx(), &exp, 1.0 / 1500.0);
    // health = (base + 10 × Vitality) × (1 + max health); max health is a constant here
    let mh = 1.0 + engine.base[Stat::MaximumHealth.idx()];
    let h = row(&g, Stat::Health);
    let v = row(&g, Stat::Vitality);
    for i in 0..9 {
        g[Stat::Health.idx()][i] = (h[i] + 10.0 * v[i]) * mh;
    }
    let tough = row(&g, Stat::Toughness);
    add_scaled(&mut g, Stat::Armor.idx(), &tough, 1.0);
    if engine.illusions {
        add_scaled(&mut g, Stat::CloneCriticalChance.idx(), &prec, 1.0 / 2100.0);
        add_scaled(
            &mut g,
            Stat::PhantasmCriticalChance.idx(),
            &prec,
            1.0 / 2100.0,
        );
        add_scaled(
            &mut g,
            Stat::PhantasmCriticalDamage.idx(),
            &fero,
            1.0 / 1500.0,
        );
    } else if engine.power2 == Power2::Alternative {
        let p = row(&g, Stat::Power);
        add_scaled(&mut g, Stat::AlternativePower.idx(), &p, 1.0);
        let cc = row(&g, Stat::CriticalChance);
        add_scaled(&mut g, Stat::AlternativeCriticalChance.idx(), &cc, 1.0);
        let ap = row(&g, Stat::AlternativePrecision);
        add_scaled(
            &mut g,
            Stat::AlternativeCriticalChance.idx(),
            &ap,
            1.0 / 2100.0,
        );
        let cd = row(&g, Stat::CriticalDamage);
        add_scaled(&mut g, Stat::AlternativeCriticalDamage.idx(), &cd, 1.0);
        let af = row(&g, Stat::AlternativeFerocity);
        add_scaled(
            &mut g,
            Stat::AlternativeCriticalDamage.idx(),
            &af,
            1.0 / 1500.0,
        );
    }
    for c in &engine.after_buffs {
        let clamped = c.from == Stat::CriticalChance.idx()
            || c.from == Stat::CloneCriticalChance.idx()
            || c.from == Stat::PhantasmCriticalChance.idx();
        if clamped && !with_clamped {
            continue;
        }
        let from = g[c.from];
        add_scaled(&mut g, c.to, &from, c.fraction);
    }
    g
}

impl GradientBound {
    /// The precomputed gradients, for engines whose sheet is affine in the gear (no negative
    /// conversion, a constant maximum health); `None` otherwise.
    pub fn new(engine: &Engine) -> Option<GradientBound> {
        if !engine.monotone {
            return None;
        }
        let pick = |g: &Grad| -> Vec<(usize, GearVec)> {
            DAMAGE_STATS
                .iter()
                .map(|s| (s.idx(), g[s.idx()]))
                .filter(|(_, r)| r.iter().any(|x| *x != 0.0))
                .collect()
        };
        let full = gradients(engine, true);
        let clamped_sources = engine.after_buffs.iter().any(|c| {
            c.from == Stat::CriticalChance.idx()
                || c.from == Stat::CloneCriticalChance.idx()
                || c.from == Stat::PhantasmCriticalChance.idx()
        });
        let unclamped = if clamped_sources {
            pick(&gradients(engine, false))
        } else {
            pick(&full)
        };
        let full = pick(&full);
        if full
            .iter()
            .chain(&unclamped)
            .flat_map(|(_, r)| r)
            .any(|x| !x.is_finite() || *x < 0.0)
        {
            return None;
        }
        Some(GradientBound {
            full,
            unclamped_sources: unclamped,
            clamped_sources,
        })
    }

    /// Lower bounds `m` of the damage's partial derivatives with respect to the gear points over
    /// the box whose sheet lies between `lo` and `hi` (value by value).
    pub fn marginals(&self, engine: &Engine, lo: &Sheet, hi: &Sheet) -> GearVec {
        let d = damage_partials(engine, lo, hi);
        // a clamped critical chance source may sit at its clamp somewhere in the box
        let reaches_clamp = |s: Stat| lo[s.idx()] <= 0.0 || hi[s.idx()] >= 1.0;
        let rows = if self.clamped_sources
            && (reaches_clamp(Stat::CriticalChance)
                || (engine.illusions
                    && (reaches_clamp(Stat::CloneCriticalChance)
                        || reaches_clamp(Stat::PhantasmCriticalChance))))
        {
            &self.unclamped_sources
        } else {
            &self.full
        };
        let mut m = [0.0; 9];
        for (s, row) in rows {
            let dk = d[*s];
            if dk > 0.0 {
                for (mi, r) in m.iter_mut().zip(row) {
                    *mi += dk * r;
                }
            }
        }
        m
    }
}

fn pos(x: f64) -> f64 {
    x.max(0.0)
}

/// `1` when `x` stays strictly inside `(0, 1)` over `[lo, hi]` (the clamp's derivative is 1
/// there), else 0 (the clamp may flatten it).
fn inside(lo: f64, hi: f64) -> f64 {
    if lo > 0.0 && hi < 1.0 {
        1.0
    } else {
        0.0
    }
}

/// `1` when `x > 0` over the whole box (`max(0, x)`'s derivative is 1), else 0.
fn positive(lo: f64) -> f64 {
    if lo > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// Minimum over the box of the damage's partial derivative with respect to each of
/// [`DAMAGE_STATS`] (the formulas of `Engine::indicators`, differentiated; every factor taken
/// at its smallest, at `lo`; a clamp that the box may reach gives 0).
fn damage_partials(engine: &Engine, lo: &Sheet, hi: &Sheet) -> Sheet {
    let m = &engine.mult;
    let at = |s: Stat| lo[s.idx()];
    let top = |s: Stat| hi[s.idx()];
    let armor = engine.target_armor;
    let mut d = [0.0; STAT_COUNT];
    let mut add = |s: Stat, v: f64| d[s.idx()] += v;
    let power = pos(at(Stat::Power));
    let power_live = positive(at(Stat::Power));

    // critical strikes: coef / armor × Power × (1 + cc × (cd × m − 1)) × strike
    let cc = at(Stat::CriticalChance).clamp(0.0, 1.0);
    let cdm = at(Stat::CriticalDamage) * m.critical;
    let crit = 1.0 + cc * pos(cdm - 1.0);
    let coef = pos(at(Stat::PowerCoefficient));
    let a = coef / armor * m.strike;
    add(Stat::Power, power_live * a * crit);
    add(
        Stat::CriticalChance,
        inside(at(Stat::CriticalChance), top(Stat::CriticalChance)) * a * power * pos(cdm - 1.0),
    );
    add(
        Stat::CriticalDamage,
        positive(cdm - 1.0) * a * power * cc * m.critical,
    );
    add(
        Stat::PowerCoefficient,
        positive(at(Stat::PowerCoefficient)) / armor * m.strike * power * crit,
    );
    if engine.non_crit {
        let nc = pos(at(Stat::NonCritPowerCoefficient));
        add(Stat::Power, power_live * nc / armor * m.strike);
        add(
            Stat::NonCritPowerCoefficient,
            positive(at(Stat::NonCritPowerCoefficient)) * power / armor * m.strike,
        );
    }
    let p2 = pos(at(Stat::Power2Coefficient));
    let p2_live = positive(at(Stat::Power2Coefficient));
    match engine.power2 {
        Power2::None => {}
        Power2::Phantasm => {
            let pcc = at(Stat::PhantasmCriticalChance).clamp(0.0, 1.0);
            let pcd = at(Stat::PhantasmCriticalDamage) * m.phantasm_critical;
            let pcrit = 1.0 + pcc * pos(pcd - 1.0);
            let k = p2 / armor * m.phantasm;
            add(Stat::Power, power_live * k * pcrit);
            add(
                Stat::PhantasmCriticalChance,
                inside(
                    at(Stat::PhantasmCriticalChance),
                    top(Stat::PhantasmCriticalChance),
                ) * k
                    * power
                    * pos(pcd - 1.0),
            );
            add(
                Stat::PhantasmCriticalDamage,
                positive(pcd - 1.0) * k * power * pcc * m.phantasm_critical,
            );
            add(
                Stat::Power2Coefficient,
                p2_live / armor * m.phantasm * power * pcrit,
            );
        }
        Power2::Alternative => {
            let ap = pos(at(Stat::AlternativePower));
            let acc = at(Stat::AlternativeCriticalChance).clamp(0.0, 1.0);
            let acm = m.critical * m.alternative_critical;
            let acd = at(Stat::AlternativeCriticalDamage) * acm;
            let acrit = 1.0 + acc * pos(acd - 1.0);
            let k = p2 / armor * m.strike * m.alternative;
            add(
                Stat::AlternativePower,
                positive(at(Stat::AlternativePower)) * k * acrit,
            );
            add(
                Stat::AlternativeCriticalChance,
                inside(
                    at(Stat::AlternativeCriticalChance),
                    top(Stat::AlternativeCriticalChance),
                ) * k
                    * ap
                    * pos(acd - 1.0),
            );
            add(
                Stat::AlternativeCriticalDamage,
                positive(acd - 1.0) * k * ap * acc * acm,
            );
            add(
                Stat::Power2Coefficient,
                p2_live / armor * m.strike * m.alternative * ap * acrit,
            );
        }
    }
    if engine.siphon {
        let sc = pos(at(Stat::SiphonCoefficient));
        add(Stat::Power, power_live * sc * m.siphon);
        add(
            Stat::SiphonCoefficient,
            positive(at(Stat::SiphonCoefficient)) * power * m.siphon,
        );
        add(
            Stat::SiphonBaseCoefficient,
            positive(at(Stat::SiphonBaseCoefficient)) * m.siphon,
        );
    }

    // conditions: k × (1 + clamp(dur + cdur, 0, 1) + uncapped) × (base + f × x) × mult
    let t = &engine.conditions;
    let mu = engine.movement_uptime;
    let cdmg = at(Stat::ConditionDamage);
    let coefs = [
        Stat::BleedingCoefficient,
        Stat::BurningCoefficient,
        Stat::ConfusionCoefficient,
        Stat::PoisonCoefficient,
        Stat::TormentCoefficient,
    ];
    let durs = [
        Stat::BleedingDuration,
        Stat::BurningDuration,
        Stat::ConfusionDuration,
        Stat::PoisonDuration,
        Stat::TormentDuration,
    ];
    for i in 0..5 {
        if top(coefs[i]) <= 0.0 {
            continue;
        }
        // (the tick's base, its factor, and whether it reads Power instead of Condition Damage)
        let (base, factor, on_power) = match i {
            0 if engine.sharpshooter => (
                t.bleeding_sharpshooter.base,
                t.bleeding_sharpshooter.factor,
                true,
            ),
            0 => (t.bleeding.base, t.bleeding.factor, false),
            1 if engine.inferno => (t.burning_inferno.base, t.burning_inferno.factor, true),
            1 => (t.burning.base, t.burning.factor, false),
            2 => (
                t.confusion.base + t.confusion_active.base * engine.attack_rate,
                t.confusion.factor + t.confusion_active.factor * engine.attack_rate,
                false,
            ),
            3 => (t.poison.base, t.poison.factor, false),
            _ => (
                t.torment.base * (1.0 - mu) + t.torment_moving.base * mu,
                t.torment.factor * (1.0 - mu) + t.torment_moving.factor * mu,
                false,
            ),
        };
        let mult = m.condition * m.per_condition[i];
        let x = if on_power { at(Stat::Power) } else { cdmg };
        let tick = base + factor * x;
        let tick_pos = pos(tick * mult);
        let capped_lo = at(durs[i]) + at(Stat::ConditionDuration);
        let capped_hi = top(durs[i]) + top(Stat::ConditionDuration);
        let dur = 1.0 + capped_lo.clamp(0.0, 1.0) + at(Stat::ConditionDurationUncapped);
        let dur_live = positive(dur);
        let dur = pos(dur);
        let k = pos(at(coefs[i]));
        let k_live = positive(at(coefs[i]));
        add(coefs[i], k_live * dur * tick_pos);
        let d_dur = dur_live * inside(capped_lo, capped_hi) * k * tick_pos;
        add(durs[i], d_dur);
        add(Stat::ConditionDuration, d_dur);
        add(Stat::ConditionDurationUncapped, dur_live * k * tick_pos);
        let d_x = positive(tick * mult) * k * dur * factor * mult;
        add(
            if on_power {
                Stat::Power
            } else {
                Stat::ConditionDamage
            },
            d_x,
        );
    }
    add(Stat::FlatDps, 1.0);
    d
}
