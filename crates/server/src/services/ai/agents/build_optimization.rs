//! A stored build's gear, optimized by the gear engine: the DPS estimate's input (its
//! benchmark rotation, traits and extras) with every slot open, searched within a time
//! budget on an engine slot, against the build's own gear.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::services::ai::agent::{Agent, AgentError, Lang, RunContext};
use crate::services::builds::{self, Builds};
use crate::services::engines::Engines;

/// How long the search may take before the best found so far is the answer.
pub const SEARCH_BUDGET: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BuildOptimizationInput {
    pub build_id: Uuid,
    /// Score the build in another role (dps | boon_dps | support | healer | tank | utility).
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GearAdvice {
    pub build_id: Uuid,
    pub name: String,
    /// The benchmark rotation both figures use.
    pub benchmark: String,
    /// DPS with the build's own gear.
    pub current_dps: f64,
    /// DPS of the best gear found.
    pub best_dps: f64,
    /// (best − current) / current, in percent.
    pub gain_percent: f64,
    /// Slot → prefix of the best gear.
    pub best_gear: BTreeMap<String, String>,
    /// Slots whose prefix changes, `slot: old → new`.
    pub changes: Vec<String>,
    pub infusions: BTreeMap<String, u32>,
    /// The search covered everything (the best is proven), or stopped at the budget.
    pub proven_optimal: bool,
    pub summary: String,
}

pub struct BuildOptimization {
    pub builds: Builds,
    pub engines: Engines,
}

impl Agent for BuildOptimization {
    type Input = BuildOptimizationInput;
    type Output = GearAdvice;
    const NAME: &'static str = "build_optimization";

    async fn run(
        &self,
        input: BuildOptimizationInput,
        cx: &RunContext,
    ) -> Result<GearAdvice, AgentError> {
        let out = self
            .builds
            .get_visible(input.build_id, cx.user.as_ref())
            .await?;
        let slot = self.engines.acquire(cx.caller)?;
        let cancel = Arc::new(AtomicBool::new(false));
        // The run's cancellation and the budget both stop the search (best so far kept).
        let stopper = {
            let cancel = cancel.clone();
            let token = cx.cancel.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = tokio::time::sleep(SEARCH_BUDGET) => {}
                    () = token.cancelled() => {}
                }
                cancel.store(true, Ordering::Relaxed);
            })
        };
        let role = input.role.clone();
        let build = out.build.clone();
        let flag = cancel.clone();
        let searched = slot
            .run(
                crate::services::engines::Search::Gear,
                move || -> Result<_, ApiError> {
                    let (estimate, mut gear_input) =
                        builds::estimate_with_input(&build, role.as_deref())?;
                    builds::open_slots(&mut gear_input);
                    gear_input.top = 1;
                    let result = optimizer::gear::run_with(&gear_input, &flag, &|_| {})
                        .map_err(|e| ApiError::validation("build", e.to_string()))?;
                    Ok((estimate, result))
                },
            )
            .await;
        stopper.abort();
        if cx.cancel.is_cancelled() {
            return Err(AgentError::Cancelled);
        }
        let (estimate, result) = searched.map_err(ApiError::internal)??;
        let best = result
            .results
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::internal("the gear engine returned no result"))?;
        let current = estimate.dps;
        // The best of an open search is never worse than the build's own gear; when the
        // budget stopped it first, the build's own gear stays the answer.
        let (best_dps, best_gear) = if best.dps >= current {
            (best.dps, best.gear.clone())
        } else {
            (current, estimate.gear.clone())
        };
        let best_gear: BTreeMap<String, String> = best_gear
            .into_iter()
            .map(|(slot, prefix)| (slot.as_str().to_owned(), prefix))
            .collect();
        let own: BTreeMap<String, String> = estimate
            .gear
            .iter()
            .map(|(slot, prefix)| (slot.as_str().to_owned(), prefix.clone()))
            .collect();
        let changes: Vec<String> = best_gear
            .iter()
            .filter(|(slot, prefix)| own.get(*slot) != Some(*prefix))
            .map(|(slot, prefix)| {
                format!(
                    "{slot}: {} → {prefix}",
                    own.get(slot).map_or("—", String::as_str)
                )
            })
            .collect();
        let gain = if current > 0.0 {
            (best_dps - current) / current * 100.0
        } else {
            0.0
        };
        let summary = match cx.lang {
            Lang::En if changes.is_empty() => format!(
                "\u{201c}{}\u{201d} already wears its best gear for the {} rotation: {:.0} DPS.",
                out.build.name, estimate.benchmark.name, current
            ),
            Lang::Fr if changes.is_empty() => format!(
                "« {} » porte déjà son meilleur équipement pour la rotation {} : {:.0} DPS.",
                out.build.name, estimate.benchmark.name, current
            ),
            Lang::En => format!(
                "\u{201c}{}\u{201d}: {:.0} → {:.0} DPS (+{:.1} %) on the {} rotation by changing {} slot(s).",
                out.build.name, current, best_dps, gain, estimate.benchmark.name, changes.len()
            ),
            Lang::Fr => format!(
                "« {} » : {:.0} → {:.0} DPS (+{:.1} %) sur la rotation {} en changeant {} emplacement(s).",
                out.build.name, current, best_dps, gain, estimate.benchmark.name, changes.len()
            ),
        };
        Ok(GearAdvice {
            build_id: out.id,
            name: out.build.name.clone(),
            benchmark: estimate.benchmark.name.clone(),
            current_dps: current,
            best_dps,
            gain_percent: gain,
            best_gear,
            changes,
            infusions: best.infusions,
            proven_optimal: result.search.proven_optimal,
            summary,
        })
    }
}
