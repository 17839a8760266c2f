//! Team Commander as an agent: a WvW squad from a sentence, optionally with the format's
//! needs weighted by the learned fight-outcome model (so a workflow can show what the
//! guild's fights change in the advice).

use commander::plan::Overrides;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::services::ai::agent::{Agent, AgentError, RunContext};
use crate::services::commander::{self as team_commander, CommandOut};
use crate::services::engines::Engines;
use crate::services::learning::{no_model_warning, Learning};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SquadPlanInput {
    /// The request, in French or English (« 2 groupes de 5 pour du zerg »).
    pub message: String,
    /// wvw_zerg | wvw_outnumber | wvw_roam | wvw_guild_raid (wins over the sentence).
    #[serde(default)]
    pub mode: Option<String>,
    /// Weight the format's needs with the selected fight-outcome model.
    #[serde(default)]
    pub learned_weights: bool,
}

pub struct SquadPlanner {
    pub engines: Engines,
    pub learning: Learning,
}

impl Agent for SquadPlanner {
    type Input = SquadPlanInput;
    type Output = CommandOut;
    const NAME: &'static str = "squad_planner";

    async fn run(&self, input: SquadPlanInput, cx: &RunContext) -> Result<CommandOut, AgentError> {
        let weighted_by = if input.learned_weights {
            self.learning.squad_weights().await?
        } else {
            None
        };
        let overrides = Overrides {
            mode: input
                .mode
                .as_deref()
                .map(team_commander::parse_mode)
                .transpose()?,
            lang: cx.lang,
            weight_factors: weighted_by.as_ref().map(|w| w.factors.clone()),
            ..Overrides::default()
        };
        let mut out =
            team_commander::command(&self.engines, cx.caller, input.message, overrides).await?;
        if input.learned_weights && weighted_by.is_none() {
            out.warnings.push(no_model_warning(cx.lang).to_owned());
        }
        out.weighted_by = weighted_by;
        Ok(out)
    }
}

/// What the learned weights changed between two plans of the same request: for each need of
/// the format whose amount moved, the mean amount the groups provide before and after (the
/// optimizer's units: stacks, uptime, per-second healing...) beside the target, and the
/// specializations added and removed. Amounts rather than coverage: coverage is capped at
/// the target, and weights matter most in deciding how far beyond it to go.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PlanChanges {
    /// `[{resource, target, before, after}]`, largest relative change first.
    #[schema(value_type = Vec<Object>)]
    pub needs: Vec<serde_json::Value>,
    /// Specializations in the weighted plan and not (as many times) in the plain one.
    pub added: Vec<String>,
    /// Specializations in the plain plan and not (as many times) in the weighted one.
    pub removed: Vec<String>,
}

pub fn changes(plain: &CommandOut, weighted: &CommandOut) -> PlanChanges {
    use std::collections::BTreeMap;
    type Amounts = BTreeMap<optimizer::squad::Resource, (f64, f64)>;
    // (mean provided, mean target) per resource over the groups
    let amounts = |out: &CommandOut| -> Amounts {
        let mut sums: BTreeMap<optimizer::squad::Resource, (f64, f64, usize)> = BTreeMap::new();
        for group in &out.answer.groups {
            for entry in &group.coverage {
                let s = sums.entry(entry.resource).or_default();
                s.0 += entry.provided;
                s.1 += entry.target;
                s.2 += 1;
            }
        }
        sums.into_iter()
            .map(|(r, (p, t, n))| (r, (p / n.max(1) as f64, t / n.max(1) as f64)))
            .collect()
    };
    let (before, after) = (amounts(plain), amounts(weighted));
    let relative = |b: f64, a: f64, t: f64| (a - b).abs() / t.abs().max(1e-9);
    let mut moved: Vec<(optimizer::squad::Resource, f64, f64, f64)> = before
        .iter()
        .map(|(r, (b, t))| (*r, *t, *b, after.get(r).map_or(0.0, |x| x.0)))
        .filter(|(_, _, b, a)| (a - b).abs() > 1e-6)
        .collect();
    moved.sort_by(|x, y| relative(y.2, y.3, y.1).total_cmp(&relative(x.2, x.3, x.1)));
    let specs = |out: &CommandOut| {
        let mut count: BTreeMap<String, i64> = BTreeMap::new();
        for slot in out.answer.groups.iter().flat_map(|g| &g.slots) {
            *count.entry(slot.specialization.clone()).or_default() += 1;
        }
        count
    };
    let (a, b) = (specs(plain), specs(weighted));
    let diff = |x: &BTreeMap<String, i64>, y: &BTreeMap<String, i64>| {
        let mut out = Vec::new();
        for (spec, n) in y {
            for _ in 0..(n - x.get(spec).copied().unwrap_or(0)).max(0) {
                out.push(spec.clone());
            }
        }
        out
    };
    PlanChanges {
        needs: moved
            .into_iter()
            .map(|(r, target, before, after)| {
                serde_json::json!({"resource": r, "target": target, "before": before, "after": after})
            })
            .collect(),
        added: diff(&a, &b),
        removed: diff(&b, &a),
    }
}
