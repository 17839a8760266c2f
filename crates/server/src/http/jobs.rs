//! `/api/v1/jobs`: the durable queue of long work (signed in). `POST` stores a job and
//! answers 202 at once; any instance's worker runs it; `GET /jobs/{id}` reads it (the
//! owner's, or a superuser's), `DELETE` asks to cancel it. Progress and the end are also on
//! `/ws/mcm` (`{"type": "subscribe", "job_id": ...}`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::extract::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path};
use crate::services::jobs::{JobIn, JobOut};
use crate::state::AppState;

/// Queues a job: `{kind: "gear_optimization", input: {input: GearInput, max_seconds?}}`.
/// The input is checked now (422 naming the field); 202 with the job, `queued`.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "optimize", security(("bearer" = [])),
    request_body = JobIn,
    responses((status = 202, body = JobOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(job): Json<JobIn>,
) -> ApiResult<Response> {
    let job = state.jobs.submit(&user, job).await?;
    Ok((StatusCode::ACCEPTED, Json(job)).into_response())
}

/// A job: its status (queued, running, done, failed, cancelled), attempts, latest progress,
/// result, error and the instance that completed it. Another account's job is 404.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "optimize", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = JobOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<JobOut>> {
    Ok(Json(state.jobs.get(&user, id).await?))
}

/// Cancels a job: a queued one at once; a running one at its worker's next heartbeat (a gear
/// search then keeps its best result so far). Answers the job's state.
#[utoipa::path(delete, path = "/api/v1/jobs/{id}", tag = "optimize", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = JobOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<JobOut>> {
    Ok(Json(state.jobs.cancel(&user, id).await?))
}
