//! Exact solver by enumeration, for small squads (a fractal party or a
//! 10-player raid with few options each).
//!
//! It walks players in order, placing each in a party with room and on each
//! of their options. Parties of equal size are interchangeable (identical
//! requirements), so a player may only open the first still-empty party of
//! each size: this removes the `k!` relabellings of every plan. The own-party
//! rows are updated incrementally along the recursion, so a leaf costs one
//! pass over parties × requirements.
//!
//! It is the reference the local search is tested against.

use super::model::{prepare, Problem};
use super::report::build_plan;
use super::solve::Solution;
use super::{BoundKind, SquadError, SquadInput, SquadPlan, UsedMethod};

/// Leaves the exhaustive solver accepts by default (about a second of work).
pub const DEFAULT_LIMIT: f64 = 2.0e7;

/// Solves `input` exactly, or fails with [`SquadError::SearchSpaceTooLarge`].
pub fn solve(input: &SquadInput) -> Result<SquadPlan, SquadError> {
    solve_with_limit(input, DEFAULT_LIMIT)
}

/// Like [`solve`] with an explicit leaf limit.
pub fn solve_with_limit(input: &SquadInput, limit: f64) -> Result<SquadPlan, SquadError> {
    let pb = prepare(input)?;
    let sol = solve_problem(&pb, limit)?;
    let bound = sol.objective;
    Ok(build_plan(
        &pb,
        &sol,
        UsedMethod::Exhaustive,
        bound,
        BoundKind::Exact,
    ))
}

fn ln_factorial(n: usize) -> f64 {
    (2..=n).map(|k| (k as f64).ln()).sum()
}

/// Number of leaves the enumeration visits: distinct partitions into the
/// fixed sizes (up to relabelling equal-size parties) × option choices.
pub fn leaf_count_of(sizes: &[usize], option_counts: &[usize]) -> f64 {
    let n: usize = sizes.iter().sum();
    let mut ln = ln_factorial(n);
    for &s in sizes {
        ln -= ln_factorial(s);
    }
    let mut by_size = std::collections::BTreeMap::new();
    for &s in sizes {
        *by_size.entry(s).or_insert(0usize) += 1;
    }
    for &c in by_size.values() {
        ln -= ln_factorial(c);
    }
    for &k in option_counts {
        ln += (k.max(1) as f64).ln();
    }
    ln.exp()
}

pub(crate) fn leaf_count(pb: &Problem) -> f64 {
    let counts: Vec<usize> = pb.opts.iter().map(Vec::len).collect();
    leaf_count_of(&pb.sizes, &counts)
}

struct Search<'a> {
    pb: &'a Problem,
    r: usize,
    acc: Vec<f64>,
    spill: Vec<f64>,
    fill: Vec<usize>,
    party_of: Vec<usize>,
    opt_of: Vec<usize>,
    sec: f64,
    best: f64,
    best_party: Vec<usize>,
    best_opt: Vec<usize>,
}

impl Search<'_> {
    fn leaf(&mut self) {
        let pb = self.pb;
        let mut cov = 0.0;
        for p in 0..pb.parties() {
            cov += pb.party_value(&self.acc[p * self.r..(p + 1) * self.r], &self.spill);
        }
        let obj = pb.coverage_weight * cov + self.sec;
        if obj > self.best + 1e-9 {
            self.best = obj;
            self.best_party.copy_from_slice(&self.party_of);
            self.best_opt.copy_from_slice(&self.opt_of);
        }
    }

    fn go(&mut self, i: usize) {
        let pb = self.pb;
        if i == pb.n() {
            self.leaf();
            return;
        }
        let r = self.r;
        for p in 0..pb.parties() {
            let cap = pb.sizes[p];
            if self.fill[p] >= cap {
                continue;
            }
            // symmetry: skip an empty party if an earlier empty party has
            // the same capacity
            if self.fill[p] == 0 && (0..p).any(|q| self.fill[q] == 0 && pb.sizes[q] == cap) {
                continue;
            }
            self.fill[p] += 1;
            self.party_of[i] = p;
            for o in 0..pb.opts[i].len() {
                self.opt_of[i] = o;
                let own = pb.own(i, o, cap);
                let sp = pb.spill(i, o, cap);
                for k in 0..r {
                    self.acc[p * r + k] += own[k];
                    self.spill[k] += sp[k];
                }
                let s = pb.opts[i][o].secondary;
                self.sec += s;
                self.go(i + 1);
                self.sec -= s;
                for k in 0..r {
                    self.acc[p * r + k] -= own[k];
                    self.spill[k] -= sp[k];
                }
            }
            self.fill[p] -= 1;
        }
    }
}

pub(crate) fn solve_problem(pb: &Problem, limit: f64) -> Result<Solution, SquadError> {
    let leaves = leaf_count(pb);
    if leaves.is_nan() || leaves > limit {
        return Err(SquadError::SearchSpaceTooLarge { leaves, limit });
    }
    let n = pb.n();
    let mut s = Search {
        pb,
        r: pb.r(),
        acc: vec![0.0; pb.parties() * pb.r()],
        spill: vec![0.0; pb.r()],
        fill: vec![0; pb.parties()],
        party_of: vec![0; n],
        opt_of: vec![0; n],
        sec: 0.0,
        best: f64::NEG_INFINITY,
        best_party: vec![0; n],
        best_opt: vec![0; n],
    };
    s.go(0);
    // Recompute from scratch so the reported value has no accumulated drift.
    let objective = pb.evaluate(&s.best_party, &s.best_opt);
    Ok(Solution {
        party_of: s.best_party,
        opt_of: s.best_opt,
        objective,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_count_matches_hand_counts() {
        // 10 players into 2 parties of 5: C(10,5)/2 = 126
        assert!((leaf_count_of(&[5, 5], &[1; 10]) - 126.0).abs() < 1e-6);
        // 5 into 3+2: C(5,3) = 10, times 2^5 options
        assert!((leaf_count_of(&[3, 2], &[2; 5]) - 320.0).abs() < 1e-6);
        // single party: only options
        assert!((leaf_count_of(&[5], &[4; 5]) - 1024.0).abs() < 1e-6);
    }
}
