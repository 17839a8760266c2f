//! `/api/v1/teams`: team compositions (squads) with their slots and synergy analysis.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::http::paging::{Page, PageQuery};
use crate::json_body::JsonBody;
use crate::services::teams::{self, SynergyOut, TeamCreate, TeamOut};
use crate::state::AppState;

/// Create a team (≤ 50 slots, ≤ 5 per party; slots may reference builds you can see).
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", security(("bearer" = [])), request_body = TeamCreate,
    responses((status = 201, body = TeamOut), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<TeamCreate>,
) -> ApiResult<(StatusCode, Json<TeamOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.teams.create(&user, input).await?),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamSummary {
    pub id: Uuid,
    pub name: String,
    pub author: String,
    pub game_mode: String,
    pub is_public: bool,
    pub total_healing: Option<f64>,
    pub total_toughness: Option<f64>,
}

/// Public teams and your own, newest first.
#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", params(PageQuery), responses((status = 200, body = Page<TeamSummary>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<TeamSummary>>> {
    let (skip, limit) = page.bounds()?;
    let (rows, total) = state
        .teams
        .list(user.as_ref().map(|u| u.id), skip, limit)
        .await?;
    let items = rows
        .into_iter()
        .map(|t| TeamSummary {
            id: t.id,
            name: t.name,
            author: t.author,
            game_mode: t.game_mode,
            is_public: t.is_public,
            total_healing: t.total_healing,
            total_toughness: t.total_toughness,
        })
        .collect();
    Ok(Json(Page::new(items, total, (skip, limit))))
}

/// A team with its slots and their builds inlined.
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = Uuid, Path, description = "team id")),
    responses((status = 200, body = TeamOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
) -> ApiResult<JsonBody> {
    // A squad page is opened by the whole squad at once: serialize it once per viewer until
    // the team or one of its builds changes (see `hot`).
    let viewer = user.as_ref().map(|u| u.id);
    let key = state.hot.list_key("team", viewer, &id.to_string());
    let body = state
        .hot
        .page(key, || {
            // Owned: the page may be rebuilt in the background, after this request.
            let (teams, user) = (state.teams.clone(), user.clone());
            async move {
                let team = teams.get(id, user.as_ref()).await?;
                JsonBody::of(&team)
            }
        })
        .await?;
    Ok(body)
}

/// Replace a team and all its slots (author or superuser).
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "teams", security(("bearer" = [])), request_body = TeamCreate,
    params(("id" = Uuid, Path, description = "team id")),
    responses((status = 200, body = TeamOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<TeamCreate>,
) -> ApiResult<Json<TeamOut>> {
    Ok(Json(state.teams.replace(id, &user, input).await?))
}

/// Delete a team (author or superuser).
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "teams", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "team id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state.teams.delete(id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the squad covers and lacks per party (boons, cleanses, strips, heals), overlaps
/// and concrete swap suggestions.
#[utoipa::path(get, path = "/api/v1/teams/{id}/synergy", tag = "teams", params(("id" = Uuid, Path, description = "team id")),
    responses((status = 200, body = SynergyOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn synergy(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<SynergyOut>> {
    let team = state.teams.get(id, user.as_ref()).await?;
    Ok(Json(teams::synergy(&team)?))
}
