//! `/api/v1/ai/...`: Team Commander (a WvW squad from one sentence) and its templates, and the
//! build and skill analyses, in the shapes the original web client's `teamCommander.service.ts`
//! and `ai.service.ts` read.

use axum::extract::State;
use axum::http::HeaderMap;
use commander::plan::Overrides;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::extract::{Client, MaybeUser};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::services::commander::{self as service, CommandOut};
use crate::services::engines::Caller;
use crate::services::lang::Lang;
use crate::services::learning::no_model_warning;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamCommandRequest {
    /// French or English, e.g. « 2 groupes de 5 avec Firebrand, Druid, Harbinger,
    /// Spellbreaker et Scrapper pour du WvW zerg ».
    pub message: String,
    /// beginner | intermediate | expert (wins over the sentence).
    #[serde(default)]
    pub experience: Option<String>,
    /// wvw_zerg | wvw_outnumber | wvw_roam | wvw_guild_raid (wins over the sentence).
    #[serde(default)]
    pub mode: Option<String>,
    /// `en` or `fr`: the language of the notes, reasons, synergy details and refusals;
    /// absent: the `Accept-Language` header's (English when it names neither).
    #[serde(default)]
    pub language: Option<Lang>,
    /// Weight the format's needs with the selected fight-outcome model of the learning loop
    /// (`GET /learning/models`), as `/optimize/squad` does; the answer's `weighted_by` names
    /// the model and its factors, and a note says so. Without a selected model the format's
    /// own weights are used and `warnings` says why. Default false.
    #[serde(default)]
    pub learned_weights: bool,
}

/// The squad: groups of slots (role, profession, specialization, equipment, performance,
/// advisor_reason), the synergy grade with details, notes, and what the request was read as.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamCommandResponse {
    pub success: bool,
    pub team_size: u32,
    #[schema(value_type = Vec<Object>)]
    pub groups: serde_json::Value,
    #[schema(value_type = Object)]
    pub synergy: serde_json::Value,
    pub notes: Vec<String>,
    #[schema(value_type = Object)]
    pub parse: serde_json::Value,
    pub warnings: Vec<String>,
}

/// Team Commander: a WvW squad from one sentence in French or English. What is asked is
/// honoured exactly; what cannot be (60 players, 7 per group, an unknown class) is a 422
/// naming it; parts not understood are listed in `warnings`.
#[utoipa::path(post, path = "/api/v1/ai/teams/command", tag = "ai", request_body = TeamCommandRequest,
    responses((status = 200, body = TeamCommandResponse), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn command(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    headers: HeaderMap,
    Json(input): Json<TeamCommandRequest>,
) -> ApiResult<Json<CommandOut>> {
    let lang = input
        .language
        .unwrap_or_else(|| crate::services::lang::of_headers(&headers));
    let weighted_by = if input.learned_weights {
        state.learning.squad_weights().await?
    } else {
        None
    };
    let overrides = Overrides {
        mode: input.mode.as_deref().map(service::parse_mode).transpose()?,
        experience: input
            .experience
            .as_deref()
            .map(service::parse_experience)
            .transpose()?,
        lang,
        weight_factors: weighted_by.as_ref().map(|w| w.factors.clone()),
    };
    let caller = Caller::new(user.as_ref().map(|u| u.id), client.ip);
    let mut out = service::command(&state.engines, caller, input.message, overrides).await?;
    if input.learned_weights && weighted_by.is_none() {
        out.warnings.push(no_model_warning(lang).to_owned());
    }
    out.weighted_by = weighted_by;
    Ok(Json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateOut {
    pub name: String,
    pub description: String,
    pub command: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplatesOut {
    pub templates: Vec<TemplateOut>,
}

/// Ready Team Commander requests (French and English) for the common WvW formats.
#[utoipa::path(get, path = "/api/v1/ai/teams/templates", tag = "ai",
    responses((status = 200, body = TemplatesOut)))]
pub async fn templates() -> Json<TemplatesOut> {
    Json(TemplatesOut {
        templates: commander::templates::TEMPLATES
            .iter()
            .map(|t| TemplateOut {
                name: t.name.to_owned(),
                description: t.description.to_owned(),
                command: t.command.to_owned(),
            })
            .collect(),
    })
}

fn default_context() -> String {
    "WvW Zerg".to_owned()
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BuildAnalysisRequest {
    /// The specialization (`/v2/specializations` id); inferred from the traits and skills
    /// when absent.
    #[serde(default)]
    pub specialization_id: Option<u16>,
    #[serde(default)]
    pub trait_ids: Vec<u32>,
    #[serde(default)]
    pub skill_ids: Vec<u32>,
    /// The WvW format and players, in words ("WvW Zerg", « McM roaming, débutant »).
    #[serde(default = "default_context")]
    pub context: String,
}

/// A build judged for a WvW format: the role it plays best, an S/A/B/C grade relative to the
/// strongest build of the support table, strengths and weaknesses against the format's needs,
/// its gear from the gear engine with alternatives, the closest table build, and its chat code.
#[utoipa::path(post, path = "/api/v1/ai/analyze/build-full", tag = "ai", request_body = BuildAnalysisRequest,
    responses((status = 200, description = "the analysis (the original client's BuildAnalysisResult)"), (status = 422, body = ErrorBody)))]
pub async fn analyze_build(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(input): Json<BuildAnalysisRequest>,
) -> ApiResult<Json<commander::analyze::BuildAnalysis>> {
    let caller = Caller::new(user.as_ref().map(|u| u.id), client.ip);
    Ok(Json(
        service::analyze_build(
            &state.engines,
            caller,
            input.specialization_id,
            input.trait_ids,
            input.skill_ids,
            input.context,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SkillAnalysisRequest {
    /// A heal, utility or elite skill id (`/v2/skills`).
    pub skill_id: u32,
    #[serde(default = "default_context")]
    pub context: String,
}

/// What the game data says of a skill, graded with the builds it belongs to in the format.
#[utoipa::path(post, path = "/api/v1/ai/analyze/skill", tag = "ai", request_body = SkillAnalysisRequest,
    responses((status = 200, description = "the analysis (the original client's SkillAnalysisResult)"), (status = 422, body = ErrorBody)))]
pub async fn analyze_skill(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(input): Json<SkillAnalysisRequest>,
) -> ApiResult<Json<commander::analyze::SkillAnalysis>> {
    let caller = Caller::new(user.as_ref().map(|u| u.id), client.ip);
    Ok(Json(
        service::analyze_skill(&state.engines, caller, input.skill_id, input.context).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UrlAnalysisRequest {
    /// A build guide page (Snowcrows, MetaBattle, Hardstuck, GW2Skills-style) showing a build
    /// chat code; http or https, public addresses only.
    pub url: String,
    #[serde(default = "default_context")]
    pub context: String,
}

/// Fetch a build page politely (robots.txt, one request per second per host, 10 s, 2 MiB),
/// find its chat code and gear text, decode and analyze the build.
#[utoipa::path(post, path = "/api/v1/ai/analyze/url", tag = "ai", request_body = UrlAnalysisRequest,
    responses((status = 200, description = "{source, decoded, analysis} (the original client's UrlAnalysisResult)"), (status = 422, body = ErrorBody)))]
pub async fn analyze_url(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(input): Json<UrlAnalysisRequest>,
) -> ApiResult<Json<service::UrlAnalysis>> {
    let caller = Caller::new(user.as_ref().map(|u| u.id), client.ip);
    Ok(Json(
        service::analyze_url(
            &state.engines,
            &state.web_pages,
            caller,
            input.url,
            input.context,
        )
        .await?,
    ))
}
