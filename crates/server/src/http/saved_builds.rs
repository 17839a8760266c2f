//! `/api/v1/saved-builds`: the caller's private bookmarks of builds, in the original
//! client's shape (`savedBuilds.service.ts`): the list is a plain array, newest first.

use axum::extract::State;
use axum::http::StatusCode;

use crate::auth::extract::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path};
use crate::services::saved_builds::{SavedBuildCreate, SavedBuildOut};
use crate::state::AppState;

/// Save a build to your library (at most 500; a chat code fills profession and
/// specialization).
#[utoipa::path(post, path = "/api/v1/saved-builds", tag = "builds", security(("bearer" = [])), request_body = SavedBuildCreate,
    responses((status = 201, body = SavedBuildOut), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<SavedBuildCreate>,
) -> ApiResult<(StatusCode, Json<SavedBuildOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.saved_builds.create(&user, input).await?),
    ))
}

/// Your saved builds, newest first (all of them: an account keeps at most 500).
#[utoipa::path(get, path = "/api/v1/saved-builds", tag = "builds", security(("bearer" = [])),
    responses((status = 200, body = Vec<SavedBuildOut>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<Vec<SavedBuildOut>>> {
    Ok(Json(state.saved_builds.list(&user).await?))
}

/// Delete one of your saved builds (any other id is 404).
#[utoipa::path(delete, path = "/api/v1/saved-builds/{id}", tag = "builds", security(("bearer" = [])),
    params(("id" = i64, Path, description = "saved build id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.saved_builds.delete(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
