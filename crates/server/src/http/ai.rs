//! `/api/v1/ai/...`: Team Commander (a WvW squad from one sentence) and its templates, in the
//! shapes the original web client's `teamCommander.service.ts` reads.

use axum::extract::State;
use commander::plan::Overrides;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::extract::{Client, MaybeUser};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::services::commander::{self as service, CommandOut};
use crate::services::engines::Caller;
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
#[utoipa::path(post, path = "/ai/teams/command", tag = "ai", request_body = TeamCommandRequest,
    responses((status = 200, body = TeamCommandResponse), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn command(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(input): Json<TeamCommandRequest>,
) -> ApiResult<Json<CommandOut>> {
    let overrides = Overrides {
        mode: input.mode.as_deref().map(service::parse_mode).transpose()?,
        experience: input
            .experience
            .as_deref()
            .map(service::parse_experience)
            .transpose()?,
    };
    let caller = Caller::new(user.as_ref().map(|u| u.id), client.ip);
    Ok(Json(
        service::command(&state.engines, caller, input.message, overrides).await?,
    ))
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
#[utoipa::path(get, path = "/ai/teams/templates", tag = "ai",
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
