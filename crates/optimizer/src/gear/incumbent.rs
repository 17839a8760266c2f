//! A strong first incumbent, found cheaply before the exact search (`search.rs`) starts: what
//! a cancel after a few seconds keeps, and the threshold the bounds prune against from the
//! first subtree on.
//!
//! Per problem (extras combination), the usual primal heuristic of branch-and-bound solvers:
//! a *dive* down the search tree, always into the child with the best bound (backtracking
//! when a constraint closes a branch, within a node budget), then *coordinate descent* from
//! the leaf it reaches: one class at a time, every other choice of that class with the rest
//! fixed, moving to the best feasible one while the score improves. Every complete gear set
//! met on the way that meets the constraints is offered to the top N, so with `top` > 1 the
//! neighbours of the local optimum fill the list and give a threshold at once.
//!
//! Only ever an incumbent: the exact search then proves (or improves on) it as before. Its
//! gear points are summed in the search's order (class by class from zero), so a set the search
//! meets again has the bit-identical score and is recognised as the same entry.

use super::model::GearVec;
use super::problem::Problem;
use super::search::{plus, Suffixes};

/// Bound evaluations a dive may spend backtracking before it gives up (a dive without
/// backtracking costs one bound per child of every level it goes through, and always ends),
/// divided by the scenarios a bound evaluates.
const DIVE_NODES: u64 = 200_000;

/// Passes of coordinate descent at most (each tries every choice of every class once).
const DESCENT_PASSES: usize = 8;

/// Complete sets the descent evaluates between two looks at `stop`.
const STOP_CHECK_EVERY: usize = 512;

/// What a heuristic run cost, in the search's counters.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Cost {
    pub nodes: u64,
    pub evaluated: u64,
}

/// Gear points of a full path, summed as the search sums them.
fn gear_of(problem: &Problem, path: &[u16]) -> GearVec {
    problem
        .classes
        .iter()
        .zip(path)
        .fold([0.0; 9], |g, (class, &ci)| {
            plus(&g, &class.vecs[ci as usize])
        })
}

struct Dive<'a, F: FnMut(f64, &[u16])> {
    problem: &'a Problem,
    max_nodes: u64,
    sfx: &'a Suffixes,
    path: Vec<u16>,
    best: Option<(f64, Vec<u16>)>,
    offer: F,
    cost: Cost,
}

impl<F: FnMut(f64, &[u16])> Dive<'_, F> {
    /// Best-bound-first depth-first descent below `partial` at `depth`; true once a feasible
    /// leaf was found (or the node budget is spent).
    fn down(&mut self, depth: usize, partial: &GearVec) -> bool {
        let p = self.problem;
        let class = &p.classes[depth];
        if depth + 1 == p.classes.len() {
            for (ci, v) in class.vecs.iter().enumerate() {
                let g = plus(partial, v);
                self.cost.evaluated += 1;
                if let Some(score) = p.bound(&g, &g) {
                    self.path.push(ci as u16);
                    (self.offer)(score, &self.path);
                    if self.best.as_ref().is_none_or(|(b, _)| score > *b) {
                        self.best = Some((score, self.path.clone()));
                    }
                    self.path.pop();
                }
            }
            return self.best.is_some();
        }
        let mut kids: Vec<(f64, u16, GearVec)> = Vec::new();
        for (ci, v) in class.vecs.iter().enumerate() {
            let g = plus(partial, v);
            let (lo, hi) = self.sfx.box_at(depth + 1, &g);
            self.cost.nodes += 1;
            if let Some(ub) = p.bound_node(depth + 1, &g, &lo, &hi, f64::NEG_INFINITY) {
                kids.push((ub, ci as u16, g));
            }
        }
        kids.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, ci, g) in kids {
            self.path.push(ci);
            let found = self.down(depth + 1, &g);
            self.path.pop();
            if found || self.cost.nodes >= self.max_nodes {
                return found;
            }
        }
        false
    }
}

/// The dive then coordinate descent on `problem` (see the module documentation). Every
/// feasible complete set met goes to `offer` (score, path); returns the best one found, if
/// any, and the cost. The dive always ends (within its node budget); the descent stops early
/// once `stop` says so (seen every [`STOP_CHECK_EVERY`] sets) or after `max_evaluations`
/// complete sets (checked between classes).
pub(crate) fn improve(
    problem: &Problem,
    sfx: &Suffixes,
    offer: impl FnMut(f64, &[u16]),
    stop: impl Fn() -> bool,
    max_evaluations: u64,
) -> (Option<(f64, Vec<u16>)>, Cost) {
    if problem.classes.is_empty() {
        return (None, Cost::default());
    }
    let mut dive = Dive {
        problem,
        max_nodes: DIVE_NODES / problem.scenarios.len().max(1) as u64,
        sfx,
        path: Vec::with_capacity(problem.classes.len()),
        best: None,
        offer,
        cost: Cost::default(),
    };
    dive.down(0, &[0.0; 9]);
    let Some((mut score, mut path)) = dive.best.take() else {
        return (None, dive.cost);
    };
    let (mut offer, mut cost) = (dive.offer, dive.cost);
    let mut trial = path.clone();
    for _ in 0..DESCENT_PASSES {
        if stop() || cost.evaluated >= max_evaluations {
            break;
        }
        let mut improved = false;
        for d in 0..problem.classes.len() {
            if cost.evaluated >= max_evaluations {
                break;
            }
            let mut best_here: Option<(f64, u16)> = None;
            for ci in 0..problem.classes[d].vecs.len() {
                // A class of every prefix has thousands of choices: a cancel is seen within it.
                if ci % STOP_CHECK_EVERY == 0 && stop() {
                    return (Some((score, path)), cost);
                }
                let ci = ci as u16;
                if ci == path[d] {
                    continue;
                }
                trial[d] = ci;
                let g = gear_of(problem, &trial);
                cost.evaluated += 1;
                if let Some(s) = problem.bound(&g, &g) {
                    offer(s, &trial);
                    if best_here.is_none_or(|(b, _)| s > b) {
                        best_here = Some((s, ci));
                    }
                }
            }
            match best_here {
                Some((s, ci)) if s > score => {
                    score = s;
                    path[d] = ci;
                    improved = true;
                }
                _ => {}
            }
            trial[d] = path[d];
        }
        if !improved {
            break;
        }
    }
    (Some((score, path)), cost)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::AtomicBool;

    use super::super::input::{Extras, GearInput, Objective};
    use super::super::modifiers::ModifierSpec;
    use super::super::problem::Space;
    use super::super::search::search_with;

    fn preset(name: &str, affixes: &[&str]) -> GearInput {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../presets/gear/{name}.json"));
        let text = std::fs::read_to_string(path).unwrap();
        let mut input = GearInput::from_json(&text).unwrap();
        input.affixes = affixes.iter().map(|a| (*a).to_string()).collect();
        input
    }

    /// The exact search returns the very same ranked top N (scores, extras combinations and
    /// gear) with the first incumbent as without: it only starts the pruning earlier.
    #[test]
    fn the_first_incumbent_changes_no_result() {
        let power = [
            "berserker",
            "assassin",
            "dragon",
            "marauder",
            "valkyrie",
            "diviner",
            "knight",
        ];
        let condi = [
            "viper",
            "sinister",
            "grieving",
            "diviner",
            "celestial",
            "dire",
        ];
        let mut inputs = Vec::new();
        let mut i = preset("power-berserker", &power);
        i.top = 10;
        inputs.push(i);
        let mut i = preset("condi-firebrand", &condi);
        i.top = 5;
        i.constraints.min_boon_duration = Some(20.0);
        i.constraints.max_toughness = Some(1250.0);
        inputs.push(i);
        let mut i = preset("power-berserker", &power[..4]);
        i.top = 3;
        i.optimize_for = Objective::Survivability;
        i.constraints.min_crit_chance = Some(60.0);
        inputs.push(i);
        let mut i = preset("power-berserker", &power[..4]);
        i.top = 4;
        i.modifiers
            .retain(|m| !m.id().starts_with("rune:") && !m.id().starts_with("sigil:"));
        let ids = |v: &[&str]| -> Vec<ModifierSpec> {
            v.iter()
                .map(|s| ModifierSpec::Id((*s).to_string()))
                .collect()
        };
        i.extras = Some(Extras {
            runes: ids(&["rune:scholar", "rune:eagle"]),
            sigil1: ids(&["sigil:force", "sigil:accuracy"]),
            sigil2: ids(&["sigil:impact/night/slaying-both", "sigil:bloodlust"]),
            ..Extras::default()
        });
        inputs.push(i);
        let data = gw2::GameData::embedded();
        for (n, input) in inputs.iter().enumerate() {
            let space = Space::new(input, data).unwrap();
            let run = |heuristic: bool| {
                let cancel = AtomicBool::new(false);
                search_with(&space.variants, &cancel, &|_, _| {}, heuristic)
            };
            let (with, without) = (run(true), run(false));
            assert!(with.complete && without.complete, "input {n}");
            assert_eq!(with.entries.len(), input.top, "input {n}");
            assert_eq!(with.entries, without.entries, "input {n}");
        }
    }
}
