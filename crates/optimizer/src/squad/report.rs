//! Turning a numeric solution into the API/CLI plan, and the table text.

use std::fmt::Write as _;

use super::model::Problem;
use super::solve::Solution;
use super::{BoundKind, CoverageEntry, Gap, PlacedMember, PlanParty, SquadPlan, UsedMethod};

/// Coverage is reported as met when within this of the target, so float
/// noise never shows up as a 0.0001 "gap".
pub(crate) const MET: f64 = 1e-6;

/// Per-requirement coverage of party `p` given accumulated rows.
pub(crate) fn coverage_rows(
    pb: &Problem,
    acc: &[f64],
    spill: &[f64],
) -> (Vec<CoverageEntry>, Vec<Gap>) {
    let mut cov = Vec::with_capacity(pb.r());
    let mut gaps = Vec::new();
    for (k, req) in pb.reqs.per_party.iter().enumerate() {
        let provided = (acc[k] + spill[k]).max(0.0);
        let c = (provided / req.target).min(1.0);
        cov.push(CoverageEntry {
            resource: req.resource,
            provided,
            target: req.target,
            coverage: c,
        });
        if c < 1.0 - MET {
            gaps.push(Gap {
                resource: req.resource,
                provided,
                target: req.target,
                missing: req.target - provided,
                coverage: c,
            });
        }
    }
    (cov, gaps)
}

pub(crate) fn build_plan(
    pb: &Problem,
    sol: &Solution,
    method: UsedMethod,
    bound: f64,
    bound_kind: BoundKind,
) -> SquadPlan {
    let r = pb.r();
    let (acc, spill, _) = pb.accumulate(&sol.party_of, &sol.opt_of);
    let mut parties = Vec::with_capacity(pb.parties());
    let mut coverage_score = 0.0;
    let mut total_damage = 0.0;
    for p in 0..pb.parties() {
        let mut members = Vec::new();
        for i in (0..pb.n()).filter(|&i| sol.party_of[i] == p) {
            let opt = &pb.opts[i][sol.opt_of[i]];
            total_damage += opt.profile.damage;
            members.push(PlacedMember {
                player: pb.names[i].clone(),
                build: opt.build.build.clone(),
                profession: opt.build.profession.clone(),
                specialization: opt.build.specialization.clone(),
                role: opt.build.role.clone(),
                damage: opt.profile.damage,
            });
        }
        let row = &acc[p * r..(p + 1) * r];
        let score = pb.party_value(row, &spill);
        coverage_score += score;
        let (coverage, gaps) = coverage_rows(pb, row, &spill);
        parties.push(PlanParty {
            party: p + 1,
            members,
            coverage,
            gaps,
            score,
        });
    }
    let objective = sol.objective;
    let upper_bound = bound.max(objective);
    let optimality_gap = if upper_bound.abs() > 1e-12 {
        ((upper_bound - objective) / upper_bound.abs()).max(0.0)
    } else {
        0.0
    };
    SquadPlan {
        requirements: pb.reqs.name.clone(),
        method,
        player_count: pb.n(),
        party_size: pb.max_size,
        parties,
        objective,
        upper_bound,
        bound_kind,
        optimality_gap,
        coverage_score,
        coverage_max: pb.weight_sum() * pb.parties() as f64,
        total_damage,
        warnings: pb.warnings.clone(),
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).clamp(0.0, 100.0))
}

/// Plain-text table of a plan, for `gw2opt squad --format table`.
pub fn render_table(plan: &SquadPlan) -> String {
    let mut out = String::new();
    let method = match plan.method {
        UsedMethod::Exhaustive => "exhaustive (optimal)",
        UsedMethod::LocalSearch => "local search",
    };
    let _ = writeln!(
        out,
        "Squad plan: {} players, {} parties, requirements {:?}",
        plan.player_count,
        plan.parties.len(),
        plan.requirements
    );
    let _ = writeln!(
        out,
        "Solver: {method}; objective {:.2}, bound {:.2}, gap {:.3}%; coverage {:.2}/{:.2}; damage {:.0}",
        plan.objective,
        plan.upper_bound,
        plan.optimality_gap * 100.0,
        plan.coverage_score,
        plan.coverage_max,
        plan.total_damage
    );
    for party in &plan.parties {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Party {} ({} members, score {:.2})",
            party.party,
            party.members.len(),
            party.score
        );
        let wp = party
            .members
            .iter()
            .map(|m| m.player.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        let wb = party
            .members
            .iter()
            .map(|m| m.build.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
        let ws = party
            .members
            .iter()
            .map(|m| m.specialization.chars().count() + m.profession.chars().count() + 3)
            .max()
            .unwrap_or(0)
            .max(14);
        let _ = writeln!(
            out,
            "  {:<wp$}  {:<wb$}  {:<ws$}  role",
            "player", "build", "specialization"
        );
        for m in &party.members {
            let spec = format!("{} ({})", m.specialization, m.profession);
            let _ = writeln!(
                out,
                "  {:<wp$}  {:<wb$}  {:<ws$}  {}",
                m.player, m.build, spec, m.role
            );
        }
        let cov: Vec<String> = party
            .coverage
            .iter()
            .map(|c| format!("{} {}", c.resource, pct(c.coverage)))
            .collect();
        let _ = writeln!(out, "  coverage: {}", cov.join(", "));
        if party.gaps.is_empty() {
            let _ = writeln!(out, "  gaps: none");
        } else {
            let gaps: Vec<String> = party
                .gaps
                .iter()
                .map(|g| format!("{} {}", g.resource, pct(g.coverage)))
                .collect();
            let _ = writeln!(out, "  gaps: {}", gaps.join(", "));
        }
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings:");
        for w in &plan.warnings {
            let _ = writeln!(out, "  - {w}");
        }
    }
    out
}
