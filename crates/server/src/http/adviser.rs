//! `/api/v1/ai/...`: the AI adviser — agents on the engines (recommend a build, optimize a
//! build's gear, analyze a team, read the meta) and the workflows chaining them, run in the
//! background with every step recorded and streamed (`/ws/mcm`, `run_id`). The original's AI
//! paths that have a counterpart here answer from the same agents.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::{Client, CurrentUser, MaybeUser};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path};
use crate::services::ai::agent::{run_agent, Agent, RunContext};
use crate::services::ai::agents::build_optimization::BuildOptimization;
use crate::services::ai::agents::build_optimization::{BuildOptimizationInput, GearAdvice};
use crate::services::ai::agents::meta_analysis::MetaAnalysis;
use crate::services::ai::agents::recommender::Recommender;
use crate::services::ai::agents::recommender::{RecommendInput, Recommendation};
use crate::services::ai::agents::team_analysis::TeamAnalysis;
use crate::services::ai::agents::team_analysis::{TeamAdvice, TeamAnalysisInput};
use crate::services::ai::workflows::{Workflow, WorkflowInfo};
use crate::services::ai::RunOut;
use crate::services::engines::Caller;
use crate::state::AppState;

fn context(user: Option<store::users::User>, client: &Client, headers: &HeaderMap) -> RunContext {
    let caller = Caller::new(user.as_ref().map(|u| u.id), client.ip);
    RunContext::new(user, caller, crate::services::lang::of_headers(headers))
}

/// Builds for a game mode, profession, specialization and role: stored builds ranked by
/// players' votes, with their estimated DPS, and the community benchmark rotations that fit.
/// Texts in the `Accept-Language` language (fr or en).
#[utoipa::path(post, path = "/api/v1/ai/recommend", tag = "ai", request_body = RecommendInput,
    responses((status = 200, body = Recommendation), (status = 422, body = ErrorBody)))]
pub async fn recommend(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    headers: HeaderMap,
    Json(input): Json<RecommendInput>,
) -> ApiResult<Json<Recommendation>> {
    let cx = context(user, &client, &headers);
    Ok(Json(
        run_agent(state.adviser.agents().recommender.as_ref(), input, &cx).await?,
    ))
}

/// The original's path for [`recommend`].
#[utoipa::path(post, path = "/api/v1/ai/recommend-build", tag = "ai", request_body = RecommendInput,
    responses((status = 200, body = Recommendation), (status = 422, body = ErrorBody)))]
pub async fn recommend_build(
    state: State<AppState>,
    user: MaybeUser,
    client: Client,
    headers: HeaderMap,
    input: Json<RecommendInput>,
) -> ApiResult<Json<Recommendation>> {
    recommend(state, user, client, headers, input).await
}

/// A stored build's gear optimized by the gear engine (5 s budget), against its own gear.
#[utoipa::path(post, path = "/api/v1/ai/optimize-build", tag = "ai", request_body = BuildOptimizationInput,
    responses((status = 200, body = GearAdvice), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn optimize_build(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    headers: HeaderMap,
    Json(input): Json<BuildOptimizationInput>,
) -> ApiResult<Json<GearAdvice>> {
    let cx = context(user, &client, &headers);
    Ok(Json(
        run_agent(&state.adviser.agents().build_optimization, input, &cx).await?,
    ))
}

/// A stored team's boon coverage and grade, the analyzer's suggestions, and the squad
/// optimizer's placement of the same players.
#[utoipa::path(post, path = "/api/v1/ai/analyze-team-synergy", tag = "ai", request_body = TeamAnalysisInput,
    responses((status = 200, body = TeamAdvice), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn analyze_team_synergy(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    headers: HeaderMap,
    Json(input): Json<TeamAnalysisInput>,
) -> ApiResult<Json<TeamAdvice>> {
    let cx = context(user, &client, &headers);
    Ok(Json(
        run_agent(&state.adviser.agents().team_analysis, input, &cx).await?,
    ))
}

/// The original's path: the same analysis, read for its optimized placement (`moves`,
/// `optimized_coverage`, `optimized_grade`).
#[utoipa::path(post, path = "/api/v1/ai/optimize-team", tag = "ai", request_body = TeamAnalysisInput,
    responses((status = 200, body = TeamAdvice), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn optimize_team(
    state: State<AppState>,
    user: MaybeUser,
    client: Client,
    headers: HeaderMap,
    input: Json<TeamAnalysisInput>,
) -> ApiResult<Json<TeamAdvice>> {
    analyze_team_synergy(state, user, client, headers, input).await
}

/// The original's path for composing a squad: Team Commander (`/ai/teams/command`).
#[utoipa::path(post, path = "/api/v1/ai/compose", tag = "ai", request_body = crate::http::ai::TeamCommandRequest,
    responses((status = 200, body = crate::http::ai::TeamCommandResponse), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn compose(
    state: State<AppState>,
    user: MaybeUser,
    client: Client,
    headers: HeaderMap,
    input: Json<crate::http::ai::TeamCommandRequest>,
) -> ApiResult<Json<crate::services::commander::CommandOut>> {
    crate::http::ai::command(state, user, client, headers, input).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowList {
    pub workflows: Vec<WorkflowInfo>,
}

/// The workflows, their agents and an example input each.
#[utoipa::path(get, path = "/api/v1/ai/workflows", tag = "ai", responses((status = 200, body = WorkflowList)))]
pub async fn workflows() -> Json<WorkflowList> {
    Json(WorkflowList {
        workflows: Workflow::ALL.map(Workflow::info).to_vec(),
    })
}

async fn start(
    state: &AppState,
    user: store::users::User,
    client: &Client,
    headers: &HeaderMap,
    name: &str,
    input: Value,
) -> ApiResult<Response> {
    let cx = context(Some(user), client, headers);
    let run = state.adviser.start(name, input, cx).await?;
    let location = format!("/api/v1/ai/workflows/runs/{}", run.id);
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(run),
    )
        .into_response())
}

/// Starts a workflow (signed in): 202 with the run; follow it at
/// `/ai/workflows/runs/{id}` or on `/ws/mcm` (`{"type": "subscribe", "run_id": ...}`: a
/// `workflow_step` event as each step starts and ends, then `workflow_done`).
#[utoipa::path(post, path = "/api/v1/ai/workflows/{name}", tag = "ai", security(("bearer" = [])),
    params(("name" = String, Path, description = "build-optimization | team-analysis | meta-analysis | learning")),
    request_body(content = Object, description = "the workflow's input (see GET /ai/workflows)"),
    responses((status = 202, body = RunOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_workflow(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: Client,
    headers: HeaderMap,
    Path(name): Path<String>,
    Json(input): Json<Value>,
) -> ApiResult<Response> {
    start(&state, user, &client, &headers, &name, input).await
}

/// The original's path for the build-optimization workflow.
#[utoipa::path(post, path = "/api/v1/ai/workflow/build-optimization", tag = "ai", security(("bearer" = [])),
    request_body(content = Object, description = "`{build_id}` or `{game_mode, profession?, specialization?, role?}`"),
    responses((status = 202, body = RunOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn workflow_build_optimization(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: Client,
    headers: HeaderMap,
    Json(input): Json<Value>,
) -> ApiResult<Response> {
    start(
        &state,
        user,
        &client,
        &headers,
        Workflow::BuildOptimization.name(),
        input,
    )
    .await
}

/// The original's path for the team-analysis workflow.
#[utoipa::path(post, path = "/api/v1/ai/workflow/team-analysis", tag = "ai", security(("bearer" = [])),
    request_body(content = Object, description = "`{team_id}`"),
    responses((status = 202, body = RunOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn workflow_team_analysis(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: Client,
    headers: HeaderMap,
    Json(input): Json<Value>,
) -> ApiResult<Response> {
    start(
        &state,
        user,
        &client,
        &headers,
        Workflow::TeamAnalysis.name(),
        input,
    )
    .await
}

/// A run of mine: its status, every recorded step (agent, input, output, duration) and its
/// output. Another user's run is a 404.
#[utoipa::path(get, path = "/api/v1/ai/workflows/runs/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "run id")),
    responses((status = 200, body = RunOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_run(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<RunOut>> {
    Ok(Json(state.adviser.run_of(&user, id).await?))
}

/// Cancels a running run of mine (the current step stops; the run ends `cancelled`).
#[utoipa::path(delete, path = "/api/v1/ai/workflows/runs/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "run id")),
    responses((status = 202, body = RunOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_run(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let run = state.adviser.cancel(&user, id).await?;
    Ok((StatusCode::ACCEPTED, Json(run)).into_response())
}

/// What the adviser is made of and whether its parts are up: agents, workflows, engines in
/// use, and the language model (Ollama) when configured.
#[utoipa::path(get, path = "/api/v1/ai/status", tag = "ai", responses((status = 200, description = "`{agents, workflows, engines: {running}, language_model: {configured}}`")))]
pub async fn status(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "agents": [
            Recommender::NAME,
            BuildOptimization::NAME,
            TeamAnalysis::NAME,
            MetaAnalysis::NAME,
        ],
        "workflows": Workflow::ALL.map(Workflow::name),
        "engines": {"running": state.engines.running()},
        "language_model": {
            "configured": state.settings.ollama_url.is_some(),
            "used_for": "phrasing and chat only; every figure comes from the engines",
        },
    }))
}

/// What the adviser reasons from: the game data snapshot, the benchmark rotations, the
/// squad engine's support profiles and requirement templates.
#[utoipa::path(get, path = "/api/v1/ai/context", tag = "ai", responses((status = 200, description = "`{game_data, benchmarks, support_profiles, requirement_templates}`")))]
pub async fn ai_context() -> ApiResult<Json<Value>> {
    let game = gw2::data::GameData::embedded();
    let benchmarks =
        optimizer::benchmark::benchmarks().map_err(crate::error::ApiError::internal)?;
    let profiles =
        optimizer::squad::ProfileBook::builtin().map_err(crate::error::ApiError::internal)?;
    let templates: Vec<&str> = optimizer::squad::Requirements::templates()
        .map_err(crate::error::ApiError::internal)?
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    Ok(Json(json!({
        "game_data": {"version": game.version(), "game_build": game.game_build(),
                      "professions": game.professions().len(), "specializations": game.specializations().len()},
        "benchmarks": benchmarks.len(),
        "support_profiles": profiles.rules.len(),
        "requirement_templates": templates,
    })))
}
