//! `/api/v1/optimize/gear` and `/api/v1/teams/optimize`: the optimizers, run off the async
//! executor (they are CPU-bound) with a time budget.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;

/// Longest synchronous search; longer ones return the best found so far, marked not proven.
const GEAR_BUDGET: Duration = Duration::from_secs(10);

/// Find the best gear for a build (same input as `gw2opt optimize`). Searches that exceed
/// the time budget answer with the best result so far and `proven_optimal: false`.
#[utoipa::path(post, path = "/optimize/gear", tag = "optimize", request_body(content = Object, description = "gear optimizer input (see presets/gear/)"),
    responses((status = 200, description = "`{results: [...], search: {...}}`, best first"), (status = 422, body = ErrorBody)))]
pub async fn gear(
    Json(input): Json<optimizer::gear::GearInput>,
) -> ApiResult<Json<optimizer::gear::GearOutput>> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let task =
        tokio::task::spawn_blocking(move || optimizer::gear::run_with(&input, &flag, &|_| {}));
    let watchdog = tokio::spawn(async move {
        tokio::time::sleep(GEAR_BUDGET).await;
        cancel.store(true, Ordering::Relaxed);
    });
    let result = task.await.map_err(ApiError::internal)?;
    watchdog.abort();
    result
        .map(Json)
        .map_err(|e| ApiError::validation("input", e.to_string()))
}

/// Assign players to builds and parties so every party's requirements are covered first
/// and damage is maximised second (same input as `gw2opt squad`).
#[utoipa::path(post, path = "/teams/optimize", tag = "teams",
    request_body(content = Object, description = "`{players: [{name, options: [...]}], requirements?}` (see presets/squad/)",
        example = json!({"players": [{"name": "Ann", "options": [{"build": "fb", "profession": "Guardian", "specialization": "Firebrand", "role": "support"}]}], "requirements": "wvw_zerg"})),
    responses((status = 200, description = "`{parties: [{members, coverage, gaps}], optimality_gap, ...}`"), (status = 422, body = ErrorBody)))]
pub async fn squad(
    Json(input): Json<optimizer::squad::SquadInput>,
) -> ApiResult<Json<optimizer::squad::SquadPlan>> {
    let plan = tokio::task::spawn_blocking(move || optimizer::squad::optimize(&input))
        .await
        .map_err(ApiError::internal)?;
    plan.map(Json)
        .map_err(|e| ApiError::validation("players", e.to_string()))
}

/// A team posted for analysis: parties of members with their build (and alternatives they
/// could play), and the requirement template or a custom one.
#[derive(Debug, serde::Deserialize)]
pub struct PostedTeam {
    pub parties: Vec<optimizer::squad::TeamParty>,
    /// Template name (`wvw_zerg`, `raid`, `strike`, `fractal`); default `wvw_zerg`.
    #[serde(default)]
    pub requirements: Option<String>,
}

/// Analyze a posted team: per-party coverage, gaps, overlaps and swap suggestions.
#[utoipa::path(post, path = "/teams/synergy", tag = "teams",
    request_body(content = Object, description = "`{parties: [{members: [{player, build: {build, profession, specialization, role}, alternatives?}]}], requirements?}`",
        example = json!({"requirements": "wvw_zerg", "parties": [{"members": [
            {"player": "Ann", "build": {"build": "fb", "profession": "Guardian", "specialization": "Firebrand", "role": "support"}},
            {"player": "Bo", "build": {"build": "scourge", "profession": "Necromancer", "specialization": "Scourge", "role": "dps"},
             "alternatives": [{"build": "scrapper", "profession": "Engineer", "specialization": "Scrapper", "role": "support"}]}]}]})),
    responses((status = 200, description = "`{parties: [{coverage, gaps, overlaps}], suggestions, ...}`"), (status = 422, body = ErrorBody)))]
pub async fn synergy(
    Json(input): Json<PostedTeam>,
) -> ApiResult<Json<optimizer::squad::SynergyReport>> {
    let name = input.requirements.as_deref().unwrap_or("wvw_zerg");
    let requirements = optimizer::squad::Requirements::template(name)
        .map_err(|e| ApiError::validation("requirements", e.to_string()))?;
    if input.parties.len() > 10 || input.parties.iter().map(|p| p.members.len()).sum::<usize>() > 50
    {
        return Err(ApiError::validation(
            "parties",
            "a squad has at most 10 parties and 50 members",
        ));
    }
    let team = optimizer::squad::Team {
        parties: input.parties,
    };
    let report =
        tokio::task::spawn_blocking(move || optimizer::squad::analyze(&team, &requirements))
            .await
            .map_err(ApiError::internal)?;
    Ok(Json(report))
}
