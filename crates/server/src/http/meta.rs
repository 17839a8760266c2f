//! `GET /api/v1/meta/overview/{game_mode}`: which professions and specializations are
//! stored for a game mode, in the original client's shape (`meta.service.ts`); how it is
//! counted is documented in [`crate::services::meta`].
//! `GET /api/v1/meta`: the meta analysis (periods, ratings, trends), and the original
//! service's `GET /meta/snapshot/{game_mode}` and `POST /meta/analyze` drawn from it.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::services::meta::original::{
    MetaAnalyzeRequest, MetaAnalyzeResponse, MetaSnapshotResponse,
};
use crate::services::meta::{MetaAnalysis, MetaOverview};
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
#[utoipa::path(get, path = "/api/v1/meta/overview/{game_mode}", tag = "meta",
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

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AnalysisQuery {
    /// A game mode (`wvw` takes in its formats); absent or blank: every mode.
    pub game_mode: Option<String>,
    /// The period: `30d`, `4w` or a number of days, 1..=3650 days; default 30d. It is
    /// compared with the period of the same length before it.
    pub period: Option<String>,
    /// Only this profession's entries (`Guardian`).
    pub profession: Option<String>,
}

/// The meta analysis: popularity, ratings (votes, saves, fight results) and trends of
/// professions, specializations, roles and stat prefixes among stored builds, public teams,
/// saved builds and public WvW fights, in a period against the period before.
#[utoipa::path(get, path = "/api/v1/meta", tag = "meta", params(AnalysisQuery),
    responses((status = 200, body = MetaAnalysis), (status = 422, body = ErrorBody)))]
pub async fn analysis(
    State(state): State<AppState>,
    Query(query): Query<AnalysisQuery>,
) -> ApiResult<Json<MetaAnalysis>> {
    Ok(Json(
        state
            .meta
            .analysis(
                query.game_mode.as_deref(),
                query.period.as_deref(),
                query.profession.as_deref(),
            )
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SnapshotQuery {
    /// Only this profession's entries (`Guardian`).
    pub profession: Option<String>,
}

/// The original service's meta snapshot: the last 7 days of a game mode against the 7
/// before, from the meta analysis (shape documented in `services::meta::original`).
#[utoipa::path(get, path = "/api/v1/meta/snapshot/{game_mode}", tag = "meta",
    params(("game_mode" = String, Path, description = "a game mode (`wvw`, `zerg`, `raid`...)"), SnapshotQuery),
    responses((status = 200, body = MetaSnapshotResponse), (status = 422, body = ErrorBody)))]
pub async fn snapshot(
    State(state): State<AppState>,
    Path(game_mode): Path<String>,
    Query(query): Query<SnapshotQuery>,
) -> ApiResult<Json<MetaSnapshotResponse>> {
    Ok(Json(
        state
            .meta
            .snapshot(&game_mode, query.profession.as_deref())
            .await?,
    ))
}

/// The original service's meta analysis report: a game mode over `time_range` days against
/// the period before, from the meta analysis (shape documented in
/// `services::meta::original`).
#[utoipa::path(post, path = "/api/v1/meta/analyze", tag = "meta", request_body = MetaAnalyzeRequest,
    responses((status = 200, body = MetaAnalyzeResponse), (status = 422, body = ErrorBody)))]
pub async fn analyze(
    State(state): State<AppState>,
    Json(request): Json<MetaAnalyzeRequest>,
) -> ApiResult<Json<MetaAnalyzeResponse>> {
    Ok(Json(state.meta.analyze(&request).await?))
}
