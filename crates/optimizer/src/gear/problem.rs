//! Construction of the search problem: [`Problem::new`] validates a [`GearInput`] against the
//! game data and turns it into what the branch-and-bound (`search.rs`) walks: the candidate
//! prefixes, the slot classes (slots with identical per-prefix values, each with every count
//! vector of its prefixes: `C(s+k−1, k−1)` instead of `k^s`, `README.md` "Search"), the infusion
//! split as one more class, ordered largest contribution first, together with the evaluation
//! engine (`engine.rs`), the constraints (`constraints.rs`) and the bound tables (`bounds.rs`).
//!
//! Apart from the input types so the format reads without the search's internals, and from the
//! bounds so the pruning argument reads on its own.

use std::collections::BTreeMap;

use gw2::data::{GameData, ItemStat};
use gw2::model::{Attribute, GameMode, GearSlot};

use super::bounds::{survivability_bound, tight_box, SurvivabilityBound, TightBox};
use super::constraints::{build_constraints, Constraint};
use super::engine::build_engine;
use super::error::GearError;
use super::input::{
    finite, GearInput, Objective, INFUSION_BONUS, MAX_AFFIXES, MAX_INFUSIONS, MAX_MODIFIERS,
    MAX_TOP,
};
use super::model::{Engine, GearVec, Indicators};
use super::modifiers::{self, Resolved, Stat};

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
        let wvw = input
            .game_mode
            .is_some_and(|m| m.is_wvw() || m == GameMode::Pvp);
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
}
