//! `GET /api/v1/meta/overview/{game_mode}`: which professions and specializations are
//! stored for a game mode, in the original client's shape (`meta.service.ts`); how it is
//! counted is documented in [`crate::services::meta`].

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::services::meta::MetaOverview;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct OverviewQuery {
    /// The window in days up to now: 1..=3650, default 30.
    pub time_range: Option<u32>,
    /// Only this profession's entries (`Guardian`).
    pub profession: Option<String>,
}

/// The meta of a game mode: professions, archetypes and graded archetypes with their
/// shares, counted from public builds, public teams' slots and saved builds of the window.
#[utoipa::path(get, path = "/meta/overview/{game_mode}", tag = "meta",
    params(("game_mode" = String, Path, description = "a game mode (`wvw`, `raid`, `fractals`...)"), OverviewQuery),
    responses((status = 200, body = MetaOverview), (status = 422, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    Path(game_mode): Path<String>,
    Query(query): Query<OverviewQuery>,
) -> ApiResult<Json<MetaOverview>> {
    Ok(Json(
        state
            .meta
            .overview(&game_mode, query.time_range, query.profession.as_deref())
            .await?,
    ))
}
