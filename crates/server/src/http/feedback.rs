//! `POST /api/v1/ai/feedback`: a rating of an AI answer, anonymous or signed in.

use axum::extract::State;
use axum::http::StatusCode;

use crate::auth::extract::MaybeUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Json;
use crate::services::feedback::{FeedbackCreate, FeedbackOut};
use crate::state::AppState;

/// Rate an AI answer from 1 to 10, with an optional comment (kept for the learning work,
/// with your account when you are signed in).
#[utoipa::path(post, path = "/api/v1/ai/feedback", tag = "ai", request_body = FeedbackCreate,
    responses((status = 201, body = FeedbackOut), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Json(input): Json<FeedbackCreate>,
) -> ApiResult<(StatusCode, Json<FeedbackOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.feedback.create(user.as_ref(), input).await?),
    ))
}
