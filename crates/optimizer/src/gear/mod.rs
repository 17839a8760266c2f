//! Gear optimizer: the exact best stat prefixes (and infusion split) for a build.
//!
//! Pure (no I/O), parallel (rayon), never panics on input. The model is discretize-gear-
//! optimizer's (attributes, strike and condition damage, effective health, healing; damage
//! multipliers additive within a group and multiplicative across groups); the search is an
//! exact branch-and-bound over slot classes (described in `README.md`, below).
//!
//! Entry points:
//! - [`run`]`(&GearInput) -> Result<GearOutput, GearError>`: the CLI's `gw2opt optimize`.
//! - [`run_with`]: the same, cancellable (`AtomicBool`) with a progress / best-so-far callback
//!   (for streaming APIs).
//! - [`render_table`]: the text table of a [`GearOutput`].
//! - [`GearInput::from_json`]: parse the input format (documented in `README.md`).
//!
//! Files: `input.rs` the input format; `problem.rs` builds the search problem from it, with
//! `engine.rs` (the evaluation engine: base attributes, modifiers) and `constraints.rs`;
//! `bounds.rs` the upper bounds that prune; `search.rs` the branch-and-bound; `model.rs` the
//! attribute sheet and damage model; `modifiers.rs` the modifier library; `output.rs` results.
//!
//! Game data (prefix values per slot, profession health and armor) comes from
//! [`gw2::GameData::embedded`]; rune/sigil/food/utility/relic/boon effects from
//! `data/gear_modifiers.json` ([`modifiers::library`]).

#![doc = include_str!("README.md")]

mod bounds;
mod constraints;
mod engine;
mod error;
mod extras;
mod gradient;
mod incumbent;
mod input;
pub mod model;
pub mod modifiers;
mod output;
pub mod presets;
mod problem;
mod scenarios;
mod search;
mod slots;
mod target;

use std::sync::atomic::AtomicBool;

pub use error::GearError;
pub use input::{
    Constraints, Distribution, Extras, GearInput, Infusions, Objective, WeaponType, Weights,
    INFUSION_BONUS, MAX_AFFIXES, MAX_EXTRAS_COMBINATIONS, MAX_INFUSIONS, MAX_MODIFIERS, MAX_TOP,
};
pub use modifiers::{
    library, library_modifier, AmountData, AttributeEffect, ConversionEffect, DamageEffect,
    DamageMode, DamageTarget, Effects, LibraryModifier, ModifierEntry, ModifierSpec, PointMode,
    Stat, Tweak,
};
pub use output::{
    render_table, AttributeSheet, DamageBreakdown, GearOutput, GearResult, Progress, SearchSummary,
};
pub use slots::{AffixKind, CustomAffix};
pub use target::{ArmorClass, PlayerTarget, Target};

use problem::Space;

/// Checks `input` against the game data without searching: what [`run`] would refuse (a
/// queue refuses a bad job when it is submitted, not when a worker takes it).
pub fn validate(input: &GearInput) -> Result<(), GearError> {
    Space::new(input, gw2::GameData::embedded()).map(|_| ())
}

/// Optimizes `input` to completion on rayon's global pool.
pub fn run(input: &GearInput) -> Result<GearOutput, GearError> {
    let cancel = AtomicBool::new(false);
    run_with(input, &cancel, &|_| {})
}

/// Optimizes `input`; stops early (returning the best so far, `proven_optimal: false`) once
/// `cancel` is set; calls `progress` after each finished subtree (from worker threads), with
/// the new best result whenever it improved, and as soon as the best improves (the first
/// incumbent comes before any subtree is finished).
pub fn run_with(
    input: &GearInput,
    cancel: &AtomicBool,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Result<GearOutput, GearError> {
    let space = Space::new(input, gw2::GameData::embedded())?;
    let outcome = search::search(&space.variants, cancel, &|c, best| {
        progress(&Progress {
            subtrees_done: c.tasks_done,
            subtrees_total: c.tasks_total,
            nodes: c.nodes,
            evaluated: c.evaluated,
            best: best.map(|e| output::result(&space, &e, 1)),
        });
    });
    // Every combination shares the gear candidates and constraints: the first describes them.
    let Some(problem) = space.variants.first() else {
        return Err(GearError::Infeasible {
            detail: " (no extras combination)".into(),
        });
    };
    if outcome.entries.is_empty() && outcome.complete {
        let labels: Vec<&str> = problem.constraints.iter().map(|c| c.label).collect();
        return Err(GearError::Infeasible {
            detail: if labels.is_empty() {
                String::new()
            } else {
                format!(" ({})", labels.join(", "))
            },
        });
    }
    let results = outcome
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| output::result(&space, e, i + 1))
        .collect();
    let candidate_prefixes = {
        let mut v: Vec<usize> = problem
            .classes
            .iter()
            .flat_map(|c| c.affixes.iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    Ok(GearOutput {
        results,
        search: SearchSummary {
            objective: problem.objective,
            proven_optimal: outcome.complete,
            cancelled: outcome.cancelled,
            candidate_prefixes,
            raw_combinations: space.variants.iter().map(|p| p.raw_combinations).sum(),
            classes: problem.classes.len(),
            nodes: outcome.counters.nodes,
            evaluated: outcome.counters.evaluated,
            modifiers: space.own_modifiers.clone(),
            extras_combinations: space.variants.len(),
        },
    })
}

/// Every extras combination of `input` as an input of its own (no extras; the combination's
/// items appended to the modifiers, its infusion setting in `infusions`), in the search's
/// order: what the joint search is exact against (tests, and the ceiling of
/// `benches/gear_templates.rs`).
pub fn split_extras(input: &GearInput) -> Result<Vec<GearInput>, GearError> {
    let choices = extras::combinations(input.extras.as_ref(), input.infusions.as_ref())?;
    Ok(choices
        .into_iter()
        .map(|c| {
            let mut one = input.clone();
            one.extras = None;
            if c.labels.iter().any(|(k, _)| *k == "infusions") {
                one.infusions = c.infusions;
            }
            one.modifiers.extend(c.modifiers);
            one
        })
        .collect())
}

/// Evaluates one fixed gear set (every slot forced) without searching: the sheet and DPS of
/// a given build. Slots missing from `gear` use the input's candidates as usual.
pub fn evaluate(
    input: &GearInput,
    gear: &std::collections::BTreeMap<gw2::model::GearSlot, String>,
) -> Result<GearOutput, GearError> {
    let mut fixed = input.clone();
    for (k, v) in gear {
        fixed.forced_slots.insert(*k, v.clone());
    }
    run(&fixed)
}

#[cfg(test)]
mod tests;
