//! The optimizer input ([`GearInput`], deserialized from JSON / preset files) and its
//! validation into a [`Problem`] the search runs on.

use std::collections::BTreeMap;

use gw2::data::{GameData, ItemStat};
use gw2::model::{Attribute, GameMode, GearSlot};
use serde::{Deserialize, Serialize};

use super::error::GearError;
use super::model::{
    Conv, Engine, GearVec, Indicators, Sheet, GOLEM_ARMOR, PVE_CONDITIONS, WVW_CONDITIONS,
};
use super::modifiers::{self, ModifierSpec, Resolved, Stat, STAT_COUNT};

/// Largest accepted `top`.
pub const MAX_TOP: usize = 1000;
/// Largest accepted number of candidate prefixes.
pub const MAX_AFFIXES: usize = 64;
/// Largest accepted number of modifiers.
pub const MAX_MODIFIERS: usize = 4096;
/// Infusion slots of a full ascended set.
pub const MAX_INFUSIONS: u32 = 18;
/// Attribute points of one stat infusion.
pub const INFUSION_BONUS: f64 = 5.0;

/// Weapon loadout: a two-handed weapon (13 slots) or main hand + off hand (14 slots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeaponType {
    #[default]
    #[serde(alias = "two-handed", alias = "Two-handed")]
    TwoHanded,
    #[serde(alias = "dual-wield", alias = "Dual wield")]
    DualWield,
}

impl WeaponType {
    pub fn as_str(self) -> &'static str {
        match self {
            WeaponType::TwoHanded => "two_handed",
            WeaponType::DualWield => "dual_wield",
        }
    }

    /// The gear slots of this loadout, in display order.
    pub fn slots(self) -> Vec<GearSlot> {
        let mut v = GearSlot::DUAL_WIELD[..12].to_vec();
        match self {
            WeaponType::TwoHanded => v.push(GearSlot::TwoHanded),
            WeaponType::DualWield => v.extend([GearSlot::MainHand, GearSlot::OffHand]),
        }
        v
    }
}

/// What to maximise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Total DPS (strike + conditions): power, condition and hybrid builds alike.
    #[default]
    #[serde(alias = "dps")]
    Damage,
    /// Effective health ÷ 1967 (discretize's survivability).
    #[serde(alias = "effective_health")]
    Survivability,
    /// Heal of a representative skill: `(0.3 × Healing Power + 390) × (1 + outgoing healing)`.
    #[serde(alias = "healing_power")]
    Healing,
}

/// The build's damage split, gear-independent: power is `weapon strength × coefficient` per
/// second, each condition is `stacks × base duration` applied per second (discretize's
/// "skill coefficients", `docs/Coefficients.md`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    #[serde(default)]
    pub power: f64,
    #[serde(default)]
    pub bleeding: f64,
    #[serde(default)]
    pub burning: f64,
    #[serde(default)]
    pub confusion: f64,
    #[serde(default, alias = "poisoned")]
    pub poison: f64,
    #[serde(default)]
    pub torment: f64,
    /// Damage per second unaffected by attributes.
    #[serde(default)]
    pub flat_dps: f64,
}

/// Stat infusions: `max` +5 infusions split between `primary` (≤ `primary_max`) and
/// `secondary` (≤ `secondary_max`); every split is searched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Infusions {
    pub primary: Attribute,
    #[serde(default)]
    pub secondary: Option<Attribute>,
    #[serde(default = "eighteen")]
    pub max: u32,
    #[serde(default = "eighteen")]
    pub primary_max: u32,
    #[serde(default = "eighteen")]
    pub secondary_max: u32,
}

fn eighteen() -> u32 {
    MAX_INFUSIONS
}

/// Requirements every result must meet. Percentages in percent (`min_boon_duration: 50`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    #[serde(default)]
    pub min_boon_duration: Option<f64>,
    /// Boon duration + quickness duration.
    #[serde(default)]
    pub min_quickness_duration: Option<f64>,
    #[serde(default)]
    pub min_crit_chance: Option<f64>,
    #[serde(default)]
    pub min_toughness: Option<f64>,
    #[serde(default)]
    pub max_toughness: Option<f64>,
    #[serde(default)]
    pub min_vitality: Option<f64>,
    #[serde(default)]
    pub min_health: Option<f64>,
    #[serde(default)]
    pub min_healing_power: Option<f64>,
    #[serde(default)]
    pub min_outgoing_healing: Option<f64>,
    #[serde(default)]
    pub min_damage: Option<f64>,
    #[serde(default)]
    pub min_healing: Option<f64>,
    #[serde(default)]
    pub min_survivability: Option<f64>,
    /// Any other sheet value, in input units (points, percent).
    #[serde(default)]
    pub min_attributes: BTreeMap<Stat, f64>,
    #[serde(default)]
    pub max_attributes: BTreeMap<Stat, f64>,
}

/// The optimizer input (see `README.md` for the JSON format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GearInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Provenance (free-form).
    #[serde(default)]
    pub source: Option<serde_json::Value>,
    /// Profession name or chat-code number (`"Warrior"`, `"2"`).
    pub profession: String,
    /// `pve` (default; also raid, fractals, strikes) or `wvw`/`pvp` (WvW modifiers and ticks).
    #[serde(default)]
    pub game_mode: Option<GameMode>,
    #[serde(default)]
    pub weapon_type: WeaponType,
    /// Candidate stat prefixes for the open slots (`"berserker"`, `"Assassin's"`).
    #[serde(default)]
    pub affixes: Vec<String>,
    /// Slots fixed to one prefix.
    #[serde(default)]
    pub forced_slots: BTreeMap<GearSlot, String>,
    #[serde(default)]
    pub optimize_for: Objective,
    #[serde(default)]
    pub distribution: Distribution,
    #[serde(default)]
    pub modifiers: Vec<ModifierSpec>,
    #[serde(default)]
    pub infusions: Option<Infusions>,
    #[serde(default)]
    pub constraints: Constraints,
    /// Target armor (default: the golem's 2597).
    #[serde(default = "golem")]
    pub target_armor: f64,
    /// Skills per second of the target (confusion's on-use part).
    #[serde(default)]
    pub attack_rate: f64,
    /// Percent of time the target moves (torment's moving part).
    #[serde(default)]
    pub movement_uptime: f64,
    /// Number of results to return (default 10).
    #[serde(default = "ten")]
    pub top: usize,
    /// Stop after this many evaluated combinations (result then not proven optimal).
    #[serde(default)]
    pub max_evaluations: Option<u64>,
}

fn golem() -> f64 {
    GOLEM_ARMOR
}

fn ten() -> usize {
    10
}

impl GearInput {
    /// Parses the JSON format.
    pub fn from_json(text: &str) -> Result<GearInput, GearError> {
        serde_json::from_str(text).map_err(|e| GearError::Json(e.to_string()))
    }
}

/// One group of interchangeable choices: slots with identical per-prefix values, or the
/// infusion split.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    /// Slots of the class (empty for the infusion class).
    pub slots: Vec<GearSlot>,
    /// Prefix indexes (into `Problem::prefixes`) a slot of the class may take.
    pub affixes: Vec<usize>,
    /// Per choice: how many slots take each of `affixes` (gear) or `[primary, secondary]`
    /// infusion counts.
    pub counts: Vec<Vec<u8>>,
    /// Attribute points each choice adds.
    pub vecs: Vec<GearVec>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Bound {
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Measure {
    Stat(usize),
    Quickness,
    Damage,
    Healing,
    Survivability,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Constraint {
    pub measure: Measure,
    pub bound: Bound,
    /// Internal units (fractions for percentages).
    pub value: f64,
    pub label: &'static str,
}

/// A validated input ready for the search.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub engine: Engine,
    pub objective: Objective,
    pub constraints: Vec<Constraint>,
    pub classes: Vec<Class>,
    pub prefixes: Vec<&'static ItemStat>,
    pub infusion_attrs: Option<(Attribute, Option<Attribute>)>,
    pub top: usize,
    pub max_evaluations: Option<u64>,
    pub raw_combinations: f64,
    pub modifier_ids: Vec<String>,
    /// Tighter bound for the survivability objective (see [`SurvivabilityBound`]).
    pub surv: Option<SurvivabilityBound>,
    /// Constraint-aware tightening of the box bound (see [`TightBox`]).
    pub tight: Option<TightBox>,
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

fn tight_box(engine: &Engine, classes: &[Class], constraints: &[Constraint]) -> Option<TightBox> {
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

fn finite(field: &str, v: f64, min: f64, max: f64) -> Result<f64, GearError> {
    if v.is_finite() && v >= min && v <= max {
        Ok(v)
    } else {
        Err(GearError::InvalidNumber {
            field: field.to_string(),
            expected: if min == 0.0 {
                "a finite number ≥ 0 within range"
            } else {
                "a finite number within range"
            },
            value: v,
        })
    }
}

fn gear_vec(stat: &ItemStat, slot: GearSlot) -> Option<GearVec> {
    let vals = stat.ascended.get(&slot)?;
    let mut v = [0.0; 9];
    for (a, n) in vals {
        v[Stat::from_attribute(*a).idx()] += f64::from(*n);
    }
    Some(v)
}

/// Count vectors: every way to put `n` items into `k` bins.
fn compositions(n: usize, k: usize) -> Vec<Vec<u8>> {
    fn rec(n: usize, k: usize, cur: &mut Vec<u8>, out: &mut Vec<Vec<u8>>) {
        if k == 1 {
            cur.push(n as u8);
            out.push(cur.clone());
            cur.pop();
            return;
        }
        for c in (0..=n).rev() {
            cur.push(c as u8);
            rec(n - c, k - 1, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if k > 0 {
        rec(n, k, &mut Vec::with_capacity(k), &mut out);
    }
    out
}

impl Problem {
    /// Validates `input` against the game data.
    pub fn new(input: &GearInput, data: &'static GameData) -> Result<Problem, GearError> {
        let prof = data
            .profession(&input.profession)
            .ok_or_else(|| GearError::UnknownProfession(input.profession.clone()))?;
        let wvw = matches!(input.game_mode, Some(GameMode::Wvw) | Some(GameMode::Pvp));
        if input.top == 0 || input.top > MAX_TOP {
            return Err(GearError::TooLarge {
                field: "top (must be 1..=1000)",
                value: input.top,
                max: MAX_TOP,
            });
        }
        if input.affixes.len() > MAX_AFFIXES {
            return Err(GearError::TooLarge {
                field: "affixes",
                value: input.affixes.len(),
                max: MAX_AFFIXES,
            });
        }
        if input.modifiers.len() > MAX_MODIFIERS {
            return Err(GearError::TooLarge {
                field: "modifiers",
                value: input.modifiers.len(),
                max: MAX_MODIFIERS,
            });
        }
        let target_armor = finite("target_armor", input.target_armor, 1.0, 1e7)?;
        let attack_rate = finite("attack_rate", input.attack_rate, 0.0, 1e3)?;
        let movement_uptime = finite("movement_uptime", input.movement_uptime, 0.0, 100.0)? / 100.0;

        // prefixes
        let mut prefixes: Vec<&'static ItemStat> = Vec::new();
        let mut index_of = |name: &str| -> Result<usize, GearError> {
            let s = data
                .itemstat_by_name(name)
                .ok_or_else(|| GearError::UnknownPrefix(name.to_string()))?;
            Ok(match prefixes.iter().position(|p| p.key == s.key) {
                Some(i) => i,
                None => {
                    prefixes.push(s);
                    prefixes.len() - 1
                }
            })
        };
        let mut candidates = Vec::new();
        for a in &input.affixes {
            let i = index_of(a)?;
            if !candidates.contains(&i) {
                candidates.push(i);
            }
        }
        let slots = input.weapon_type.slots();
        let mut forced = BTreeMap::new();
        for (slot, name) in &input.forced_slots {
            if !slots.contains(slot) {
                return Err(GearError::SlotNotInLoadout {
                    slot: slot.to_string(),
                    weapon_type: input.weapon_type.as_str(),
                });
            }
            forced.insert(*slot, index_of(name)?);
        }

        // slot classes
        let mut classes: Vec<Class> = Vec::new();
        let mut rows_of: Vec<Vec<GearVec>> = Vec::new();
        let mut raw = 1.0f64;
        for &slot in &slots {
            let allowed: Vec<usize> = match forced.get(&slot) {
                Some(&i) => {
                    if gear_vec(prefixes[i], slot).is_none() {
                        return Err(GearError::NoPrefixForSlot(format!(
                            "{slot} (forced {} does not exist there)",
                            prefixes[i].name
                        )));
                    }
                    vec![i]
                }
                None => {
                    if candidates.is_empty() {
                        return Err(GearError::NoAffixes);
                    }
                    candidates
                        .iter()
                        .copied()
                        .filter(|&i| gear_vec(prefixes[i], slot).is_some())
                        .collect()
                }
            };
            if allowed.is_empty() {
                return Err(GearError::NoPrefixForSlot(slot.to_string()));
            }
            raw *= allowed.len() as f64;
            let rows: Vec<GearVec> = allowed
                .iter()
                .filter_map(|&i| gear_vec(prefixes[i], slot))
                .collect();
            match classes
                .iter()
                .zip(&rows_of)
                .position(|(c, r)| c.affixes == allowed && *r == rows)
            {
                Some(ci) => classes[ci].slots.push(slot),
                None => {
                    classes.push(Class {
                        slots: vec![slot],
                        affixes: allowed,
                        counts: Vec::new(),
                        vecs: Vec::new(),
                    });
                    rows_of.push(rows);
                }
            }
        }
        for (c, rows) in classes.iter_mut().zip(&rows_of) {
            c.counts = compositions(c.slots.len(), c.affixes.len());
            c.vecs = c
                .counts
                .iter()
                .map(|counts| {
                    let mut v = [0.0; 9];
                    for (n, row) in counts.iter().zip(rows) {
                        for (vi, r) in v.iter_mut().zip(row) {
                            *vi += f64::from(*n) * r;
                        }
                    }
                    v
                })
                .collect();
        }

        // infusions
        let mut infusion_attrs = None;
        if let Some(inf) = &input.infusions {
            for (field, v) in [
                ("infusions.max", inf.max),
                ("infusions.primary_max", inf.primary_max),
                ("infusions.secondary_max", inf.secondary_max),
            ] {
                if v > MAX_INFUSIONS {
                    return Err(GearError::TooLarge {
                        field,
                        value: v as usize,
                        max: MAX_INFUSIONS as usize,
                    });
                }
            }
            let secondary = inf.secondary.filter(|s| *s != inf.primary);
            let pmax = inf.primary_max.min(inf.max);
            let smax = if secondary.is_some() {
                inf.secondary_max.min(inf.max)
            } else {
                0
            };
            let total = inf.max.min(pmax + smax);
            let mut counts = Vec::new();
            let mut vecs = Vec::new();
            for p in (0..=pmax).rev() {
                let s = total.saturating_sub(p);
                if p + s != total || s > smax {
                    continue;
                }
                let mut v = [0.0; 9];
                v[Stat::from_attribute(inf.primary).idx()] += f64::from(p) * INFUSION_BONUS;
                if let Some(sa) = secondary {
                    v[Stat::from_attribute(sa).idx()] += f64::from(s) * INFUSION_BONUS;
                }
                counts.push(vec![p as u8, s as u8]);
                vecs.push(v);
            }
            if counts.len() > 1 || total > 0 {
                raw *= counts.len() as f64;
                classes.push(Class {
                    slots: Vec::new(),
                    affixes: Vec::new(),
                    counts,
                    vecs,
                });
                infusion_attrs = Some((inf.primary, secondary));
            }
        }

        // Largest contributions first: bounds tighten fastest at the top of the tree.
        classes.sort_by(|a, b| {
            let w = |c: &Class| -> f64 {
                c.vecs
                    .iter()
                    .map(|v| v.iter().sum::<f64>())
                    .fold(0.0, f64::max)
            };
            w(b).total_cmp(&w(a))
        });

        // modifiers
        let mut resolved: Vec<Resolved> = Vec::with_capacity(input.modifiers.len());
        for m in &input.modifiers {
            resolved.push(modifiers::resolve(m, wvw)?);
        }
        let engine = build_engine(
            input,
            prof.base_health,
            prof.armor_defense,
            &resolved,
            wvw,
            target_armor,
            attack_rate,
            movement_uptime,
        )?;
        let constraints = build_constraints(&input.constraints)?;
        let surv = if input.optimize_for == Objective::Survivability {
            survivability_bound(&engine, &classes, &constraints)
        } else {
            None
        };
        let tight = tight_box(&engine, &classes, &constraints);
        Ok(Problem {
            engine,
            objective: input.optimize_for,
            constraints,
            classes,
            prefixes,
            infusion_attrs,
            top: input.top,
            max_evaluations: input.max_evaluations,
            raw_combinations: raw,
            modifier_ids: resolved.into_iter().map(|r| r.id).collect(),
            surv,
            tight,
        })
    }

    /// Objective value of a full or bounding sheet.
    #[inline]
    pub fn score(&self, ind: &Indicators) -> f64 {
        match self.objective {
            Objective::Damage => ind.damage,
            Objective::Survivability => ind.survivability,
            Objective::Healing => ind.healing,
        }
    }

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
    /// `lo == hi`. Sound because every sheet value and indicator is non-decreasing in every
    /// gear attribute (conversions are non-negative, see `modifiers::resolve`).
    #[inline]
    pub fn bound(&self, lo: &GearVec, hi: &GearVec) -> Option<f64> {
        let a_hi = self.engine.sheet(hi);
        let ind_hi = self.engine.indicators(&a_hi);
        let mut lo_cache: Option<(Sheet, Indicators)> = None;
        for c in &self.constraints {
            match c.bound {
                Bound::Min => {
                    if self.measure(c.measure, &a_hi, &ind_hi) < c.value - 1e-9 {
                        return None;
                    }
                }
                Bound::Max => {
                    let (a_lo, ind_lo) = lo_cache.get_or_insert_with(|| {
                        let a = self.engine.sheet(lo);
                        let i = self.engine.indicators(&a);
                        (a, i)
                    });
                    if self.measure(c.measure, a_lo, ind_lo) > c.value + 1e-9 {
                        return None;
                    }
                }
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
        let sheet = self.engine.sheet(hi);
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

/// Builds the survivability bound, or `None` when health or armor are not affine in the gear
/// points (after-buff conversions into them, negative maximum health). Health and armor are
/// derived before the after-buff conversions (`Engine::sheet`, as discretize's
/// `calcStatsScenario`), so only after-buff conversions into `health` or `armor` themselves
/// change them; ones into Vitality, Toughness or maximum health do not.
fn survivability_bound(
    engine: &Engine,
    classes: &[Class],
    constraints: &[Constraint],
) -> Option<SurvivabilityBound> {
    let touched = |i: usize| i == Stat::Health.idx() || i == Stat::Armor.idx();
    if engine.after_buffs.iter().any(|c| touched(c.to)) {
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

#[allow(clippy::too_many_arguments)]
fn build_engine(
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

fn build_constraints(c: &Constraints) -> Result<Vec<Constraint>, GearError> {
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
