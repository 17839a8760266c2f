//! Construction of the search problems: [`Space::new`] validates a [`GearInput`] against the
//! game data and turns it into one [`Problem`] per extras combination (`extras.rs`; the parts
//! they share are validated once, [`Common`]), each what the branch-and-bound (`search.rs`)
//! walks: the candidate
//! prefixes, the slot classes (slots with identical per-prefix values, each with every count
//! vector of its prefixes: `C(s+k−1, k−1)` instead of `k^s`, `README.md` "Search"), the infusion
//! split as one more class, ordered largest contribution first, together with the evaluation
//! engine (`engine.rs`), the constraints (`constraints.rs`) and the bound tables (`bounds.rs`).
//!
//! Apart from the input types so the format reads without the search's internals, and from the
//! bounds so the pruning argument reads on its own.

use gw2::data::GameData;
use gw2::model::{Attribute, GameMode};

use super::bounds::{survivability_bound, tight_box, SurvivabilityBound, TightBox};
use super::constraints::{build_constraints, Constraint};
use super::engine::build_engine;
use super::error::GearError;
use super::extras::{self, Choice};
use super::gradient::GradientBound;
use super::input::{
    finite, GearInput, Infusions, Objective, INFUSION_BONUS, MAX_AFFIXES, MAX_INFUSIONS,
    MAX_MODIFIERS, MAX_TOP,
};
use super::model::{Engine, GearVec, Indicators, Sheet};
use super::modifiers::{self, ModifierSpec, Resolved, Stat};
use super::scenarios;
use super::slots::{self, Class, Prefix};
use super::target::{self, Target, TargetEffect};

/// Every problem of an input: one per extras combination (a single one without extras), each
/// with the combination it stands for.
#[derive(Debug, Clone)]
pub(crate) struct Space {
    pub variants: Vec<Problem>,
    pub choices: Vec<Choice>,
    /// Ids of the input's own modifiers (each combination adds its extras).
    pub own_modifiers: Vec<String>,
}

impl Space {
    /// Validates `input` and builds the problem of every extras combination.
    pub fn new(input: &GearInput, data: &'static GameData) -> Result<Space, GearError> {
        let common = Common::new(input, data)?;
        let choices = extras::combinations(input.extras.as_ref(), input.infusions.as_ref())?;
        let variants = choices
            .iter()
            .map(|c| {
                let inf = if c.labels.iter().any(|(k, _)| *k == "infusions") {
                    c.infusions.as_ref()
                } else {
                    input.infusions.as_ref()
                };
                Problem::variant(input, &common, &c.modifiers, inf)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let own_modifiers = common.resolved.iter().map(|r| r.id.clone()).collect();
        Ok(Space {
            variants,
            choices,
            own_modifiers,
        })
    }
}

/// A validated input ready for the search.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// The engine of the (first) scenario: its attributes are the result's and the
    /// constraints', as in discretize.
    pub engine: Engine,
    /// Every advanced-uptime scenario with its fraction of the time, when there are several
    /// (`scenarios.rs`); empty otherwise.
    pub scenarios: Vec<(f64, Engine)>,
    /// Every scenario's sheet is monotone in the gear.
    pub scenarios_monotone: bool,
    pub objective: Objective,
    /// Weights of [`Objective::Weighted`] (damage, survivability, healing).
    pub weights: [f64; 3],
    pub constraints: Vec<Constraint>,
    pub classes: Vec<Class>,
    pub prefixes: Vec<Prefix>,
    pub infusion_attrs: Option<(Attribute, Option<Attribute>)>,
    pub top: usize,
    pub max_evaluations: Option<u64>,
    pub raw_combinations: f64,
    /// Tighter bound for the survivability objective (see [`SurvivabilityBound`]).
    pub surv: Option<SurvivabilityBound>,
    /// Constraint-aware tightening of the box bound (see [`TightBox`]).
    pub tight: Option<TightBox>,
    /// The mean-value bound of the damage objective (see [`GradientBound`]), per scenario.
    pub gradient: Option<Vec<GradientBound>>,
}

/// What every extras combination of an input shares: the validated numbers, the candidate
/// prefixes and gear slot classes, and the input's own modifiers resolved.
pub(crate) struct Common {
    mesmer: bool,
    base_health: u32,
    armor_defense: u32,
    wvw: bool,
    target: TargetEffect,
    attack_rate: f64,
    movement_uptime: f64,
    prefixes: Vec<Prefix>,
    /// Gear slot classes (count vectors filled in), before the infusion class and ordering.
    classes: Vec<Class>,
    raw_gear: f64,
    resolved: Vec<Resolved>,
    /// Damage, survivability and healing weights of the weighted objective.
    weights: [f64; 3],
}

impl Common {
    /// Validates the parts of `input` that do not depend on the extras combination.
    pub fn new(input: &GearInput, data: &'static GameData) -> Result<Common, GearError> {
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
        if input.target.as_ref().is_some_and(|t| *t != Target::Golem)
            && input.target_armor != crate::gear::model::GOLEM_ARMOR
        {
            return Err(GearError::Conflict(
                "give the armor of a player target in \"target\", not \"target_armor\"".into(),
            ));
        }
        let target = target::effect(input.target.as_ref(), target_armor)?;
        let weights = match (input.optimize_for, &input.weights) {
            (Objective::Weighted, Some(w)) => {
                let mut out = [0.0; 3];
                for (o, (field, v)) in out.iter_mut().zip([
                    ("weights.damage", w.damage),
                    ("weights.survivability", w.survivability),
                    ("weights.healing", w.healing),
                ]) {
                    *o = finite(field, v, 0.0, 1e9)?;
                }
                out
            }
            (Objective::Weighted, None) => {
                return Err(GearError::Conflict(
                    "optimize_for \"weighted\" needs \"weights\"".into(),
                ))
            }
            _ => [0.0; 3],
        };
        let attack_rate = finite("attack_rate", input.attack_rate, 0.0, 1e3)?;
        let movement_uptime = finite("movement_uptime", input.movement_uptime, 0.0, 100.0)? / 100.0;
        let gear = slots::gear(input, data)?;
        let mut resolved: Vec<Resolved> = Vec::with_capacity(input.modifiers.len());
        for m in &input.modifiers {
            resolved.push(modifiers::resolve(m, wvw)?);
        }
        Ok(Common {
            mesmer: prof.id == "Mesmer",
            base_health: prof.base_health,
            armor_defense: prof.armor_defense,
            wvw,
            target,
            attack_rate,
            weights,
            movement_uptime,
            prefixes: gear.prefixes,
            classes: gear.classes,
            raw_gear: gear.raw,
            resolved,
        })
    }
}

impl Problem {
    /// The problem of one extras combination: the input's modifiers followed by `extra`, and
    /// the infusion setting `infusions`.
    pub fn variant(
        input: &GearInput,
        common: &Common,
        extra: &[ModifierSpec],
        infusions: Option<&Infusions>,
    ) -> Result<Problem, GearError> {
        let mut classes = common.classes.clone();
        let mut raw = common.raw_gear;
        // infusions
        let mut infusion_attrs = None;
        if let Some(inf) = infusions {
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
                // The splits lie on a segment: its two ends are the corners.
                let corners = match (vecs.first(), vecs.last()) {
                    (Some(a), Some(b)) => vec![*a, *b],
                    _ => Vec::new(),
                };
                classes.push(Class {
                    slots: Vec::new(),
                    affixes: Vec::new(),
                    counts,
                    vecs,
                    corners,
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
        let mut resolved = common.resolved.clone();
        for m in extra {
            resolved.push(modifiers::resolve(m, common.wvw)?);
        }
        let mut engines = Vec::new();
        for s in scenarios::scenarios(&resolved)? {
            let engine = build_engine(
                input,
                common.mesmer,
                common.base_health,
                common.armor_defense,
                &s.modifiers,
                common.wvw,
                common.target,
                common.attack_rate,
                common.movement_uptime,
            )?;
            engines.push((s.fraction, engine));
        }
        let engine = engines
            .first()
            .map(|(_, e)| e.clone())
            .ok_or_else(|| GearError::Conflict("no scenario".into()))?;
        let scenarios = if engines.len() > 1 {
            engines
        } else {
            Vec::new()
        };
        let constraints = build_constraints(&input.constraints)?;
        let surv = if input.optimize_for == Objective::Survivability && scenarios.is_empty() {
            survivability_bound(&engine, &classes, &constraints)
        } else {
            None
        };
        let tight = tight_box(&engine, &classes, &constraints);
        let gradient = if input.optimize_for == Objective::Damage
            || (input.optimize_for == Objective::Weighted && common.weights[0] > 0.0)
        {
            if scenarios.is_empty() {
                GradientBound::new(&engine).map(|g| vec![g])
            } else {
                scenarios
                    .iter()
                    .map(|(_, e)| GradientBound::new(e))
                    .collect::<Option<Vec<_>>>()
            }
        } else {
            None
        };
        Ok(Problem {
            engine,
            scenarios_monotone: scenarios.iter().all(|(_, e)| e.monotone),
            scenarios,
            objective: input.optimize_for,
            weights: common.weights,
            constraints,
            classes,
            prefixes: common.prefixes.clone(),
            infusion_attrs,
            top: input.top,
            max_evaluations: input.max_evaluations,
            raw_combinations: raw,
            surv,
            tight,
            gradient,
        })
    }

    /// Every scenario's engine with its fraction of the time (the one engine, whole, when
    /// there are no scenarios).
    pub fn weighted_engines(&self) -> impl Iterator<Item = (f64, &Engine)> {
        let single = self.scenarios.is_empty().then_some((1.0, &self.engine));
        single
            .into_iter()
            .chain(self.scenarios.iter().map(|(f, e)| (*f, e)))
    }

    /// The sheet (of the first scenario) and the indicators (time-weighted over the
    /// scenarios) of gear points `g`.
    pub fn evaluate(&self, g: &GearVec) -> (Sheet, Indicators) {
        let a = self.engine.sheet(g);
        if self.scenarios.is_empty() {
            let ind = self.engine.indicators(&a);
            return (a, ind);
        }
        let mut ind = Indicators::default();
        for (f, e) in &self.scenarios {
            ind.add_scaled(&e.indicators(&e.sheet(g)), *f);
        }
        (a, ind)
    }

    /// Objective value of a full or bounding sheet.
    #[inline]
    pub fn score(&self, ind: &Indicators) -> f64 {
        match self.objective {
            Objective::Damage => ind.damage,
            Objective::Survivability => ind.survivability,
            Objective::Healing => ind.healing,
            Objective::Weighted => {
                self.weights[0] * ind.damage
                    + self.weights[1] * ind.survivability
                    + self.weights[2] * ind.healing
            }
        }
    }
}
