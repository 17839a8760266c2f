//! The upper bounds that prune the branch-and-bound. [`Problem::bound`] is the objective at the
//! per-attribute maximum completion, with minimum (maximum) constraints checked against the
//! maximum (minimum) completion: sound because every sheet value and indicator is
//! non-decreasing in every gear attribute. [`Problem::bound_node`] tightens it with two tables
//! precomputed per problem: [`TightBox`] (linear minimum constraints, by Lagrangian relaxation)
//! and [`SurvivabilityBound`] (AM-GM on health × armor).
//!
//! The argument is in `README.md`, "Search"; the tests compare the search with brute force.
//! Kept apart from the problem construction so the pruning reads on its own.

use super::constraints::{Bound, Constraint, Measure};
use super::gradient::GradientBound;
use super::input::Objective;
use super::model::{Engine, GearVec, Indicators, Sheet};
use super::modifiers::Stat;
use super::problem::Problem;
use super::slots::Class;

impl Problem {
    /// The value constraint measure `m` reads from sheet `a` and its indicators.
    fn measure(&self, m: Measure, a: &Sheet, ind: &Indicators) -> f64 {
        match m {
            Measure::Stat(i) => a[i],
            Measure::Quickness => a[Stat::BoonDuration.idx()] + a[Stat::QuicknessDuration.idx()],
            Measure::Damage => ind.damage,
            Measure::Healing => ind.healing,
            Measure::Survivability => ind.survivability,
        }
    }

    /// Upper bound of the objective over every completion whose gear points lie between `lo`
    /// and `hi` (attribute-wise), or `None` if none can meet the constraints. Exact when
    /// `lo == hi`. Sound because every indicator is non-decreasing in every sheet value, and
    /// the sheet values are bounded by the sheet of `hi` (`lo`) when they are non-decreasing
    /// in every gear attribute ([`Engine::monotone`]), else by [`Engine::sheet_bounds`].
    #[inline]
    pub fn bound(&self, lo: &GearVec, hi: &GearVec) -> Option<f64> {
        if !self.scenarios.is_empty() && (lo == hi || self.scenarios_monotone) {
            return self.bound_scenarios(lo, hi);
        }
        if !self.scenarios.is_empty() || !self.engine.monotone {
            return self.bound_intervals(lo, hi);
        }
        let a_hi = self.engine.sheet(hi);
        let ind_hi = self.engine.indicators(&a_hi);
        let feasible = self.within_constraints(&a_hi, &ind_hi, || {
            let a = self.engine.sheet(lo);
            let i = self.engine.indicators(&a);
            (a, i)
        });
        feasible.then(|| self.score(&ind_hi))
    }

    /// Minimum constraints against the upper side (`a_hi`, `ind_hi`), maximum ones against the
    /// lower side, which `lower` computes only when a maximum constraint needs it.
    fn within_constraints(
        &self,
        a_hi: &Sheet,
        ind_hi: &Indicators,
        lower: impl FnOnce() -> (Sheet, Indicators),
    ) -> bool {
        let mut lower = Some(lower);
        let mut lo_side: Option<(Sheet, Indicators)> = None;
        for c in &self.constraints {
            match c.bound {
                Bound::Min => {
                    if self.measure(c.measure, a_hi, ind_hi) < c.value - 1e-9 {
                        return false;
                    }
                }
                Bound::Max => {
                    if lo_side.is_none() {
                        lo_side = lower.take().map(|f| f());
                    }
                    let Some((a_lo, ind_lo)) = &lo_side else {
                        return false;
                    };
                    if self.measure(c.measure, a_lo, ind_lo) > c.value + 1e-9 {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// [`Problem::bound`] with advanced-uptime scenarios whose sheets are all monotone in the
    /// gear (or at a leaf, `lo == hi`): the weighted indicators at `hi`, the constraints on
    /// the first scenario's attributes (at `lo` for maximums, computed only if needed).
    fn bound_scenarios(&self, lo: &GearVec, hi: &GearVec) -> Option<f64> {
        let mut ind_hi = Indicators::default();
        let mut a_hi = None;
        for (f, e) in &self.scenarios {
            let sheet = e.sheet(hi);
            ind_hi.add_scaled(&e.indicators(&sheet), *f);
            a_hi.get_or_insert(sheet);
        }
        let a_hi = a_hi?;
        let feasible = self.within_constraints(&a_hi, &ind_hi, || {
            if lo == hi {
                return (a_hi, ind_hi);
            }
            let mut ind = Indicators::default();
            for (f, e) in &self.scenarios {
                ind.add_scaled(&e.indicators(&e.sheet(lo)), *f);
            }
            (self.engine.sheet(lo), ind)
        });
        feasible.then(|| self.score(&ind_hi))
    }

    /// [`Problem::bound`] when the sheet is not monotone in the gear: the objective at the
    /// upper ends of [`Engine::sheet_bounds`], minimum (maximum) constraints checked against
    /// the upper (lower) ends.
    ///
    /// With advanced-uptime scenarios: every scenario's bounds, the indicators weighted by their
    /// fractions, the attributes (for the constraints) the first scenario's.
    fn bound_intervals(&self, lo: &GearVec, hi: &GearVec) -> Option<f64> {
        let (a_lo, a_hi) = self.engine.sheet_bounds(lo, hi);
        let (ind_lo, ind_hi) = if self.scenarios.is_empty() {
            (self.engine.indicators(&a_lo), self.engine.indicators(&a_hi))
        } else {
            let mut il = Indicators::default();
            let mut ih = Indicators::default();
            for (f, e) in &self.scenarios {
                let (l, h) = if e.monotone {
                    (e.sheet(lo), e.sheet(hi))
                } else {
                    e.sheet_bounds(lo, hi)
                };
                il.add_scaled(&e.indicators(&l), *f);
                ih.add_scaled(&e.indicators(&h), *f);
            }
            (il, ih)
        };
        for c in &self.constraints {
            let fails = match c.bound {
                Bound::Min => self.measure(c.measure, &a_hi, &ind_hi) < c.value - 1e-9,
                Bound::Max => self.measure(c.measure, &a_lo, &ind_lo) > c.value + 1e-9,
            };
            if fails {
                return None;
            }
        }
        Some(self.score(&ind_hi))
    }

    /// [`Problem::bound`] for a node whose classes before `next_depth` are fixed to gear points
    /// `partial`, tightened by the objective-specific bound when there is one.
    #[inline]
    pub fn bound_node(
        &self,
        next_depth: usize,
        partial: &GearVec,
        lo: &GearVec,
        hi: &GearVec,
        threshold: f64,
    ) -> Option<f64> {
        let mut tightened = *hi;
        if let Some(t) = &self.tight {
            if let Some(rows) = t.table.get(next_depth) {
                let mut need = [0.0; 2];
                for (nd, c) in need.iter_mut().zip(&t.cons) {
                    let g: f64 = c.g0 + c.wg.iter().zip(partial).map(|(a, b)| a * b).sum::<f64>();
                    *nd = c.min - g - c.slack;
                }
                for (lam, row) in t.lambdas.iter().zip(rows) {
                    let shift = lam[0] * need[0] + lam[1] * need[1];
                    for i in 0..9 {
                        let cand = partial[i] + row[i] - shift;
                        if cand < tightened[i] {
                            tightened[i] = cand;
                        }
                    }
                }
                for i in 0..9 {
                    if tightened[i] < lo[i] - 1e-6 * lo[i].abs().max(1.0) {
                        return None;
                    }
                    tightened[i] = tightened[i].max(lo[i]);
                }
            }
        }
        let hi = &tightened;
        let ub = self.bound(lo, hi)?;
        if let Some(gb) = &self.gradient {
            if ub >= threshold {
                let g = self.gradient_bound(gb, next_depth, partial, lo, hi);
                return Some(match self.objective {
                    // the damage part of the weighted objective: replace its box value
                    Objective::Weighted => {
                        let box_damage: f64 = self
                            .weighted_engines()
                            .map(|(f, e)| f * e.indicators(&e.sheet(hi)).damage)
                            .sum();
                        ub - self.weights[0] * (box_damage - g).max(0.0)
                    }
                    _ => ub.min(g),
                });
            }
            return Some(ub);
        }
        let Some(sb) = &self.surv else {
            return Some(ub);
        };
        let Some(suffix) = sb.suffix.get(next_depth) else {
            return Some(ub);
        };
        let dot = |w: &GearVec| -> f64 { w.iter().zip(partial).map(|(a, b)| a * b).sum() };
        let h = sb.h0 + dot(&sb.wh) + sb.slack_h;
        let a = sb.a0 + dot(&sb.wa) + sb.slack_a;
        // box maxima of health and armor (for the clamped cases of AM-GM)
        let sheet = if self.engine.monotone {
            self.engine.sheet(hi)
        } else {
            self.engine.sheet_bounds(lo, hi).1
        };
        let h_box = sheet[Stat::Health.idx()].max(0.0);
        let a_box = sheet[Stat::Armor.idx()].max(0.0);
        let mut gap = [0.0; 2];
        for (g, c) in gap.iter_mut().zip(&sb.cons) {
            *g = c.g0 + dot(&c.wg) + c.slack - c.min;
        }
        let mut best = ub;
        for ((alpha, lambda), s) in sb.combos.iter().zip(suffix) {
            let m = (alpha * h + a / alpha + lambda[0] * gap[0] + lambda[1] * gap[1] + s)
                .max(alpha * h_box)
                .max(a_box / alpha)
                .max(0.0);
            let v = (m / 2.0) * (m / 2.0) * sb.scale;
            if v < best {
                best = v;
            }
        }
        Some(best)
    }
}

impl Problem {
    /// The plane of the mean-value bound over the box `[lo, hi]` around `partial`:
    /// `(F(hi) − m·(hi − partial), m)`; a completion adding `v` to `partial` (within the box)
    /// has damage at most `plane + m·v`.
    #[inline]
    ///
    /// With scenarios, the time-weighted sum of every scenario's plane (`Σ f·F_s(hi)`,
    /// `Σ f·m_s`): a bound of the weighted damage.
    pub fn gradient_plane(
        &self,
        gb: &[GradientBound],
        partial: &GearVec,
        lo: &GearVec,
        hi: &GearVec,
    ) -> (f64, GearVec) {
        let mut f_up = 0.0;
        let mut m = [0.0; 9];
        for ((f, engine), g) in self.weighted_engines().zip(gb) {
            let up = engine.sheet_upper(hi);
            f_up += f * engine.indicators(&up).damage;
            let low = engine.sheet(lo);
            let ms = g.marginals(engine, &low, &up);
            for (mi, x) in m.iter_mut().zip(ms) {
                *mi += f * x;
            }
        }
        let mut plane = f_up;
        for i in 0..9 {
            plane -= m[i] * (hi[i] - partial[i]);
        }
        (plane, m)
    }

    /// The mean-value bound (`gradient.rs`) of the damage over the completions of a node:
    /// `F(hi) − m·(hi − partial) + Σ_remaining classes max_choice m·v`.
    fn gradient_bound(
        &self,
        gb: &[GradientBound],
        next_depth: usize,
        partial: &GearVec,
        lo: &GearVec,
        hi: &GearVec,
    ) -> f64 {
        let (mut bound, m) = self.gradient_plane(gb, partial, lo, hi);
        for class in &self.classes[next_depth.min(self.classes.len())..] {
            bound += class.max_dot(&m);
        }
        bound
    }
}

/// Per-attribute maxima of the remaining classes under linear minimum constraints: a
/// completion meeting `Σ wg·v ≥ need` has, for every λ ≥ 0 and attribute i,
/// `Σ v_i ≤ Σ_classes max_choice (v_i + λ·wg·v) − λ·need` (Lagrangian relaxation of the
/// per-attribute knapsack). The box bound then uses the smallest of these per attribute; if one
/// falls below the minimum completion, no completion meets the constraints.
#[derive(Debug, Clone)]
pub(crate) struct TightBox {
    cons: Vec<LinearMin>,
    lambdas: Vec<[f64; 2]>,
    /// `table[d][k][i]`: Σ over classes ≥ d of the best `v_i + λ_k·wg·v`.
    table: Vec<Vec<GearVec>>,
}

pub(super) fn tight_box(
    engine: &Engine,
    classes: &[Class],
    constraints: &[Constraint],
) -> Option<TightBox> {
    let cons = linear_mins(engine, constraints);
    if cons.is_empty() {
        return None;
    }
    let steps = [0.0, 0.25, 0.5, 1.0, 2.0, 4.0];
    let unit = |c: Option<&LinearMin>| -> f64 {
        c.map_or(0.0, |c| {
            let m = c.wg.iter().copied().fold(0.0, f64::max);
            if m > 0.0 {
                1.0 / m
            } else {
                0.0
            }
        })
    };
    let (u0, u1) = (unit(cons.first()), unit(cons.get(1)));
    let l1: &[f64] = if cons.len() < 2 { &[0.0] } else { &steps };
    let mut lambdas = Vec::new();
    for &a in &steps {
        for &b in l1 {
            if a > 0.0 || b > 0.0 {
                lambdas.push([a * u0, b * u1]);
            }
        }
    }
    let dot = |w: &GearVec, x: &GearVec| -> f64 { w.iter().zip(x).map(|(a, b)| a * b).sum() };
    let n = classes.len();
    let mut table = vec![vec![[0.0; 9]; lambdas.len()]; n + 1];
    for d in (0..n).rev() {
        for (k, lam) in lambdas.iter().enumerate() {
            for i in 0..9 {
                let best = classes[d]
                    .vecs
                    .iter()
                    .map(|v| {
                        let mut x = v[i];
                        for (l, c) in lam.iter().zip(&cons) {
                            x += l * dot(&c.wg, v);
                        }
                        x
                    })
                    .fold(f64::NEG_INFINITY, f64::max);
                table[d][k][i] = table[d + 1][k][i] + best;
            }
        }
    }
    if table.iter().flatten().flatten().any(|x| !x.is_finite()) {
        return None;
    }
    Some(TightBox {
        cons,
        lambdas,
        table,
    })
}

/// Effective health is `health × armor`, both affine in the gear points (up to conversion
/// rounding). By AM-GM, for any α > 0, `H·A ≤ ((α·H + A/α) / 2)²`, and the maximum of the linear
/// `α·H + A/α` over the remaining classes is separable: the sum of each class's best choice.
/// This captures the vitality/toughness trade-off the per-attribute box bound ignores.
#[derive(Debug, Clone)]
pub(crate) struct SurvivabilityBound {
    /// Health = `h0 + wh·gear` (+ `slack_h` for rounding); armor = `a0 + wa·gear` (+ `slack_a`).
    h0: f64,
    wh: GearVec,
    slack_h: f64,
    a0: f64,
    wa: GearVec,
    slack_a: f64,
    /// Linear minimum constraints `g0 + wg·gear (+ slack) ≥ c` folded in by Lagrangian
    /// relaxation: for λ ≥ 0, `α·H + A/α ≤ α·H + A/α + λ·(g − c)` on every feasible completion.
    cons: Vec<LinearMin>,
    /// `(α, λ per constraint)` combinations.
    combos: Vec<(f64, [f64; 2])>,
    /// `suffix[d][k]`: Σ over classes ≥ d of the best `α·wh·v + wa·v/α + Σ λ·wg·v` (combo k).
    suffix: Vec<Vec<f64>>,
    /// Converts effective health to the objective (÷ damage taken ÷ 1967).
    scale: f64,
}

#[derive(Debug, Clone)]
struct LinearMin {
    g0: f64,
    wg: GearVec,
    slack: f64,
    min: f64,
}

/// Builds the survivability bound, or `None` when health or armor are not affine in the gear
/// points (after-buff conversions into them, negative maximum health). Health and armor are
/// derived before the after-buff conversions (`Engine::sheet`, as discretize's
/// `calcStatsScenario`), so only after-buff conversions into `health` or `armor` themselves
/// change them; ones into Vitality, Toughness or maximum health do not.
pub(super) fn survivability_bound(
    engine: &Engine,
    classes: &[Class],
    constraints: &[Constraint],
) -> Option<SurvivabilityBound> {
    let touched = |i: usize| i == Stat::Health.idx() || i == Stat::Armor.idx();
    if engine.after_buffs.iter().any(|c| touched(c.to))
        || engine
            .conversions
            .iter()
            .any(|c| c.to == Stat::MaximumHealth.idx())
    {
        return None;
    }
    let mh = 1.0 + engine.base[Stat::MaximumHealth.idx()];
    if !(mh.is_finite() && mh > 0.0) {
        return None;
    }
    // value of `stat` before the derived step: constant + weights·gear, and its rounding slack
    let linear = |stat: Stat| linear_form(engine, stat);
    let (hc, hw, hs) = linear(Stat::Health);
    let (vc, vw, vs) = linear(Stat::Vitality);
    let (ac, aw, as_) = linear(Stat::Armor);
    let (tc, tw, ts) = linear(Stat::Toughness);
    let mut wh = [0.0; 9];
    let mut wa = [0.0; 9];
    for i in 0..9 {
        wh[i] = (hw[i] + 10.0 * vw[i]) * mh;
        wa[i] = aw[i] + tw[i];
    }
    let h0 = (hc + 10.0 * vc) * mh;
    let a0 = ac + tc;
    let slack_h = (hs + 10.0 * vs) * mh + 0.5 + 1e-6 * h0.abs();
    let slack_a = as_ + ts + 1e-6 * a0.abs();
    if !(h0.is_finite() && a0.is_finite() && h0 > 0.0 && a0 > 0.0) {
        return None;
    }
    // α around the ratio at the all-maximum gear
    let mut hi = [0.0; 9];
    for c in classes {
        for (i, h) in hi.iter_mut().enumerate() {
            *h += c
                .vecs
                .iter()
                .map(|v| v[i])
                .fold(f64::NEG_INFINITY, f64::max);
        }
    }
    let dot = |w: &GearVec, x: &GearVec| -> f64 { w.iter().zip(x).map(|(a, b)| a * b).sum() };
    let ratio = ((a0 + dot(&wa, &hi)) / (h0 + dot(&wh, &hi))).max(1e-9);
    let alpha0 = ratio.sqrt();
    let cons = linear_mins(engine, constraints);
    let alphas: Vec<f64> = (-4..=4)
        .map(|k| alpha0 * 2f64.powf(f64::from(k) / 3.0))
        .collect();
    let mut combos: Vec<(f64, [f64; 2])> = Vec::new();
    let steps = [0.0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0];
    for &alpha in &alphas {
        let obj_max = (0..9)
            .map(|i| alpha * wh[i] + wa[i] / alpha)
            .fold(0.0, f64::max);
        let unit = |c: Option<&LinearMin>| -> f64 {
            c.map_or(0.0, |c| {
                let m = c.wg.iter().copied().fold(0.0, f64::max);
                if m > 0.0 {
                    obj_max / m
                } else {
                    0.0
                }
            })
        };
        let (u0, u1) = (unit(cons.first()), unit(cons.get(1)));
        let l0: &[f64] = if cons.is_empty() { &[0.0] } else { &steps };
        let l1: &[f64] = if cons.len() < 2 { &[0.0] } else { &steps };
        for &a in l0 {
            for &b in l1 {
                combos.push((alpha, [a * u0, b * u1]));
            }
        }
    }
    let n = classes.len();
    let mut suffix = vec![vec![0.0; combos.len()]; n + 1];
    for d in (0..n).rev() {
        for (k, (alpha, lambda)) in combos.iter().enumerate() {
            let best = classes[d]
                .vecs
                .iter()
                .map(|v| {
                    let mut x = alpha * dot(&wh, v) + dot(&wa, v) / alpha;
                    for (l, c) in lambda.iter().zip(&cons) {
                        x += l * dot(&c.wg, v);
                    }
                    x
                })
                .fold(f64::NEG_INFINITY, f64::max);
            suffix[d][k] = suffix[d + 1][k] + best;
        }
    }
    let scale = 1.0 / engine.mult.damage_taken / 1967.0;
    if !scale.is_finite() {
        return None;
    }
    Some(SurvivabilityBound {
        h0,
        wh,
        slack_h,
        a0,
        wa,
        slack_a,
        cons,
        combos,
        suffix,
        scale,
    })
}

/// `stat` before the derived step as `constant + weights·gear`, with its rounding slack.
fn linear_form(engine: &Engine, stat: Stat) -> (f64, GearVec, f64) {
    let i = stat.idx();
    let mut c = engine.base[i];
    let mut w = [0.0; 9];
    if i < 9 {
        w[i] = 1.0;
    }
    let mut slack = 0.0;
    for conv in engine.conversions.iter().filter(|cv| cv.to == i) {
        c += conv.fraction * engine.base[conv.from];
        if conv.from < 9 {
            w[conv.from] += conv.fraction;
        }
        if conv.round {
            slack += 0.5;
        }
    }
    c += engine
        .buffs
        .iter()
        .filter(|(j, _)| *j == i)
        .map(|(_, v)| v)
        .sum::<f64>();
    (c, w, slack)
}

/// Up to two minimum constraints on attributes or boon duration, as linear forms of the gear.
fn linear_mins(engine: &Engine, constraints: &[Constraint]) -> Vec<LinearMin> {
    let mut cons: Vec<LinearMin> = Vec::new();
    for c in constraints {
        if c.bound != Bound::Min || cons.len() == 2 {
            continue;
        }
        let Measure::Stat(i) = c.measure else {
            continue;
        };
        let (g0, wg, slack) =
            if i == Stat::BoonDuration.idx() {
                if engine.after_buffs.iter().any(|cv| {
                    cv.to == Stat::Concentration.idx() || cv.to == Stat::BoonDuration.idx()
                }) {
                    continue;
                }
                let (bc, bw, bs) = linear_form(engine, Stat::BoonDuration);
                let (cc, cw, cs) = linear_form(engine, Stat::Concentration);
                let mut w = bw;
                for (wi, x) in w.iter_mut().zip(cw) {
                    *wi += x / 1500.0;
                }
                (bc + cc / 1500.0, w, bs + cs / 1500.0)
            } else if i < 9 {
                if engine.after_buffs.iter().any(|cv| cv.to == i) {
                    continue;
                }
                linear_form(engine, Stat::ALL_GEAR[i])
            } else {
                continue;
            };
        if wg.iter().all(|w| *w <= 0.0) {
            continue;
        }
        cons.push(LinearMin {
            g0,
            wg,
            slack: slack + 1e-9 * g0.abs().max(1.0),
            min: c.value,
        });
    }
    cons
}
