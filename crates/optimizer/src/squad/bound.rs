//! Upper bound on the objective, to report how far a plan can be from the
//! optimum.
//!
//! LP relaxation, aggregated by symmetry. Relax `x[i][o][p] ∈ {0,1}` to
//! `[0,1]`; coverage `min(1, provided/target)` becomes `c ≤ 1`,
//! `target·c ≤ provided` (exact for a concave objective). Parties of the same
//! size are interchangeable and the relaxed objective is concave, so
//! averaging any relaxed solution over relabellings of equal-size parties
//! is feasible and no worse: an optimal relaxed solution exists that treats
//! all parties of one size class alike. We therefore only need variables
//! `z[i][o][k]` (how much of player i on option o sits in size class k) and
//! one coverage variable per (class, requirement): a few hundred variables
//! at 50 players, solved by the pure-Rust `microlp` simplex in milliseconds.
//!
//! If the LP fails for any reason, the trivial bound (every party fully
//! covered, everyone on their best option) is used instead.

use good_lp::{microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable};

use super::model::Problem;
use super::BoundKind;

/// Trivial bound: full coverage everywhere plus each player's best secondary.
pub(crate) fn trivial_bound(pb: &Problem) -> f64 {
    let cov = pb.coverage_weight * pb.weight_sum() * pb.parties() as f64;
    let sec: f64 = pb
        .opts
        .iter()
        .map(|o| {
            o.iter()
                .map(|x| x.secondary)
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .filter(|v| v.is_finite())
        .sum();
    cov + sec
}

/// Best available bound, how it was obtained, and (when the LP solved) the
/// relaxed share of each player's options, `mass[i][o]` in [0, 1], which the
/// local search uses as a warm start.
pub(crate) fn upper_bound(pb: &Problem) -> (f64, BoundKind, Option<Vec<Vec<f64>>>) {
    let trivial = trivial_bound(pb);
    match lp_bound(pb) {
        Some((b, mass)) if b.is_finite() && b < trivial => (b, BoundKind::LpRelaxation, Some(mass)),
        Some((_, mass)) => (trivial, BoundKind::Trivial, Some(mass)),
        None => (trivial, BoundKind::Trivial, None),
    }
}

fn lp_bound(pb: &Problem) -> Option<(f64, Vec<Vec<f64>>)> {
    let r = pb.r();
    // size classes: (size, number of parties)
    let mut classes: Vec<(usize, usize)> = Vec::new();
    for &s in &pb.sizes {
        match classes.iter_mut().find(|(sz, _)| *sz == s) {
            Some(c) => c.1 += 1,
            None => classes.push((s, 1)),
        }
    }
    let mut vars = ProblemVariables::new();
    // z[i][o][k]
    let mut z: Vec<Vec<Vec<Variable>>> = Vec::with_capacity(pb.n());
    for i in 0..pb.n() {
        let mut per_opt = Vec::with_capacity(pb.opts[i].len());
        for _ in 0..pb.opts[i].len() {
            per_opt.push(
                (0..classes.len())
                    .map(|_| vars.add(variable().min(0.0).max(1.0)))
                    .collect(),
            );
        }
        z.push(per_opt);
    }
    // c[k][r]
    let c: Vec<Vec<Variable>> = (0..classes.len())
        .map(|_| {
            (0..r)
                .map(|_| vars.add(variable().min(0.0).max(1.0)))
                .collect()
        })
        .collect();

    let mut objective = Expression::with_capacity(pb.n() * 4 * classes.len() + r * classes.len());
    for (k, &(_, count)) in classes.iter().enumerate() {
        for (rr, &w) in pb.weights.iter().enumerate() {
            objective.add_mul(pb.coverage_weight * w * count as f64, c[k][rr]);
        }
    }
    for (zi, opts) in z.iter().zip(&pb.opts) {
        for (zo, opt) in zi.iter().zip(opts) {
            if opt.secondary != 0.0 {
                for &v in zo {
                    objective.add_mul(opt.secondary, v);
                }
            }
        }
    }

    let mut model = vars.maximise(objective.clone()).using(microlp);
    // each player placed once
    for zi in &z {
        let mut e = Expression::with_capacity(zi.len() * classes.len());
        for zo in zi {
            for &v in zo {
                e.add_mul(1.0, v);
            }
        }
        model = model.with(e.eq(1.0));
    }
    // class capacity
    for (k, &(size, count)) in classes.iter().enumerate() {
        let mut e = Expression::with_capacity(pb.n() * 4);
        for zi in &z {
            for zo in zi {
                e.add_mul(1.0, zo[k]);
            }
        }
        model = model.with(e.eq((size * count) as f64));
    }
    // squad spill total (shared by all classes)
    let mut spill_expr: Vec<Expression> = (0..r).map(|_| Expression::default()).collect();
    for (i, zi) in z.iter().enumerate() {
        for (o, zo) in zi.iter().enumerate() {
            if !pb.opts[i][o].has_spill {
                continue;
            }
            for (&var, &(size, _)) in zo.iter().zip(&classes) {
                let sp = pb.spill(i, o, size);
                for (&amount, e) in sp.iter().zip(spill_expr.iter_mut()) {
                    if amount != 0.0 {
                        e.add_mul(amount, var);
                    }
                }
            }
        }
    }
    // coverage: target * c[k][r] <= (1/count) sum own + spill
    for (k, &(size, count)) in classes.iter().enumerate() {
        for rr in 0..r {
            let mut e = spill_expr[rr].clone();
            for (i, zi) in z.iter().enumerate() {
                for (o, zo) in zi.iter().enumerate() {
                    let own = pb.own(i, o, size)[rr];
                    if own != 0.0 {
                        e.add_mul(own / count as f64, zo[k]);
                    }
                }
            }
            e.add_mul(-pb.targets[rr], c[k][rr]);
            model = model.with(e.geq(0.0));
        }
    }
    let sol = model.solve().ok()?;
    let v = sol.eval(&objective);
    let mass = z
        .iter()
        .map(|zi| {
            zi.iter()
                .map(|zo| zo.iter().map(|&x| sol.value(x)).sum())
                .collect()
        })
        .collect();
    // Guard against simplex round-off making the bound slightly too tight.
    Some((v * (1.0 + 1e-9) + 1e-6, mass))
}
