//! `/api/v1/mcm`: arcdps log upload, fights and sessions ("top stats") for WvW.

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::fights::FightFilter;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::http::paging::{self, Page, PageQuery};
use crate::services::jobs::JobOut;
use crate::services::mcm::{
    FightSummary, SessionCreate, SessionFights, SessionOut, SessionSummary, Upload, UploadOut,
};
use crate::services::uploads::{self, multipart_error, SpooledLog, UploadedLog};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// `true`: queue the parse as a durable job any instance may run (202 with the job,
    /// kind `log_parse`; follow it at `/jobs/{id}` or on `/ws/mcm` with `job_id`). Default
    /// `false`: parse now and answer with the fight.
    #[serde(default, rename = "async")]
    pub queued: bool,
}

/// Upload an arcdps log (`.evtc` or `.zevtc`, multipart field `file`, up to the upload
/// limit, 100 MB by default). Optional fields: `session_id` (add the fight to your session
/// and push it to its WebSocket subscribers), `is_public` (`true`/`false`), `keep_raw`
/// (keep the raw log on the server). The same file uploaded again by the same user is not
/// parsed twice: the answer is the existing fight with `duplicate: true` (200).
///
/// With `?async=true` the log is stored with a `log_parse` job and the answer is 202 with
/// the job at once; whichever instance runs the job parses and stores the fight exactly as
/// here, and the job's `result` is this endpoint's answer (`{id, duplicate, session_id,
/// fight}`). An unreadable log fails the job (`error` says why) and stores nothing. Queued
/// parses count against the same per-account limit as uploads in progress (429 beyond).
#[utoipa::path(post, path = "/api/v1/mcm/logs", tag = "mcm", security(("bearer" = [])), params(UploadQuery),
    request_body(content_type = "multipart/form-data", content = Object,
        description = "`file` (binary), `session_id`?, `is_public`?, `keep_raw`?"),
    responses((status = 201, body = UploadOut), (status = 200, body = UploadOut, description = "already uploaded"),
        (status = 202, body = JobOut, description = "with `async=true`: the queued `log_parse` job"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(query): Query<UploadQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let multipart = multipart.map_err(|e| {
        ApiError::UnsupportedMediaType(format!("expected multipart/form-data: {}", e.body_text()))
    })?;
    // Held until the answer is sent (or the client goes away).
    let _slot = state.uploads.begin(user.id)?;
    if query.queued {
        // Refused before the body is read when the account's queue is full.
        state.jobs.check_log_quota(&user).await?;
    }
    let upload = read_upload(&state, multipart).await?;
    if query.queued {
        let job = state.jobs.submit_log(&user, upload).await?;
        return Ok((StatusCode::ACCEPTED, Json(job)).into_response());
    }
    let out = state.mcm.upload(&user, upload).await?;
    let status = if out.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(out)).into_response())
}

/// The upload's fields, its file written to a temporary file as it arrives.
async fn read_upload(state: &AppState, mut multipart: Multipart) -> ApiResult<Upload> {
    let mut file: Option<(String, SpooledLog)> = None;
    let mut session = None;
    let mut is_public = false;
    let mut keep_raw = false;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let file_name = field
                    .file_name()
                    .map(sanitize_file_name)
                    .unwrap_or_else(|| "upload.evtc".into());
                if file.is_some() {
                    return Err(ApiError::validation("file", "send one log per upload"));
                }
                let dir = uploads::spool_dir(&state.settings.data_dir);
                let limit = state.settings.upload_limit as u64;
                file = Some((file_name, uploads::spool(&dir, field, limit).await?));
            }
            "session_id" => {
                let text = field.text().await.map_err(multipart_error)?;
                let text = text.trim();
                if !text.is_empty() {
                    session = Some(Uuid::parse_str(text).map_err(|_| {
                        ApiError::validation("session_id", "not a valid session id")
                    })?);
                }
            }
            "is_public" => is_public = flag(&name, &field.text().await.map_err(multipart_error)?)?,
            "keep_raw" => keep_raw = flag(&name, &field.text().await.map_err(multipart_error)?)?,
            other => {
                return Err(ApiError::validation(
                    other,
                    "unknown field (file, session_id, is_public, keep_raw)",
                ))
            }
        }
    }
    let (file_name, log) =
        file.ok_or_else(|| ApiError::validation("file", "the multipart field `file` is missing"))?;
    Ok(Upload {
        file_name,
        log: UploadedLog::Spooled(log),
        session,
        is_public,
        keep_raw,
        job: None,
    })
}

fn flag(field: &str, value: &str) -> ApiResult<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        _ => Err(ApiError::validation(field, "expected true or false")),
    }
}

/// Keeps the base name only, without path separators or control characters.
fn sanitize_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "upload.evtc".into()
    } else {
        clean
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FightQuery {
    /// Only your own uploads.
    #[serde(default)]
    pub mine: bool,
    /// Only the fights of this session.
    pub session_id: Option<Uuid>,
    #[serde(default)]
    pub skip: u32,
    /// 1..=100, default 20.
    pub limit: Option<u32>,
}

/// Fights you can see (public ones and your own), newest first.
#[utoipa::path(get, path = "/api/v1/mcm/fights", tag = "mcm", params(FightQuery), responses((status = 200, body = Page<FightSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_fights(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<FightQuery>,
) -> ApiResult<Json<Page<FightSummary>>> {
    let (skip, limit) = paging::bounds(query.skip, query.limit)?;
    let filter = FightFilter {
        mine: query.mine,
        session: query.session_id,
    };
    if filter.mine && user.is_none() {
        return Err(ApiError::Unauthorized(
            "log in to list your own fights".into(),
        ));
    }
    let (rows, total) = state
        .mcm
        .fights(user.as_ref().map(|u| u.id), &filter, skip, limit)
        .await?;
    Ok(Json(Page::new(
        rows.into_iter().map(FightSummary::from).collect(),
        total,
        (skip, limit),
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// `json` (default: summary + our report), `ei-json` (Elite Insights' field names) or
    /// `table` (plain text, as `gw2opt parse-log --format table`).
    pub format: Option<String>,
}

/// A fight's full report: per-player damage, downs, kills, strips, cleanses, healing,
/// barrier, boon uptime/generation, distance to the commander, and fight outcome.
#[utoipa::path(get, path = "/api/v1/mcm/fights/{id}", tag = "mcm", params(("id" = Uuid, Path, description = "fight id"), ReportQuery),
    responses((status = 200, description = "`{fight, report}`, EI JSON or a text table"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_fight(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
    Query(query): Query<ReportQuery>,
) -> ApiResult<Response> {
    let format = query.format.unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "ei-json" | "table") {
        return Err(ApiError::validation(
            "format",
            format!("unknown format {format:?} (json | ei-json | table)"),
        ));
    }
    let (fight, report) = state.mcm.fight_report(user.as_ref(), id).await?;
    Ok(match format.as_str() {
        "ei-json" => Json(report.to_ei_json()).into_response(),
        "table" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            report.render_table(),
        )
            .into_response(),
        _ => Json(serde_json::json!({"fight": fight, "report": report})).into_response(),
    })
}

/// Delete one of your fights (it leaves every session it was in).
#[utoipa::path(delete, path = "/api/v1/mcm/fights/{id}", tag = "mcm", security(("bearer" = [])), params(("id" = Uuid, Path, description = "fight id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_fight(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state.mcm.delete_fight(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a session (the fights of one evening) and get its aggregate.
#[utoipa::path(post, path = "/api/v1/mcm/sessions", tag = "mcm", security(("bearer" = [])), request_body = SessionCreate,
    responses((status = 201, body = SessionOut), (status = 422, body = ErrorBody)))]
pub async fn create_session(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<SessionCreate>,
) -> ApiResult<(StatusCode, Json<SessionOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.mcm.create_session(&user, input).await?),
    ))
}

/// Sessions you can see (public ones and your own), newest first.
#[utoipa::path(get, path = "/api/v1/mcm/sessions", tag = "mcm", params(PageQuery), responses((status = 200, body = Page<SessionSummary>), (status = 422, body = ErrorBody)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<SessionSummary>>> {
    let (skip, limit) = page.bounds()?;
    let (rows, total) = state
        .mcm
        .sessions(user.as_ref().map(|u| u.id), skip, limit)
        .await?;
    Ok(Json(Page::new(
        rows.into_iter().map(SessionSummary::from).collect(),
        total,
        (skip, limit),
    )))
}

/// A session: its fights and top stats (totals, per-player table, rankings for damage,
/// downs, strips, cleanses, stability, healing, barrier and distance to tag).
#[utoipa::path(get, path = "/api/v1/mcm/sessions/{id}", tag = "mcm", params(("id" = Uuid, Path, description = "session id")),
    responses((status = 200, body = SessionOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_session(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<SessionOut>> {
    Ok(Json(state.mcm.session(user.as_ref(), id).await?))
}

/// Delete one of your sessions (its fights stay).
#[utoipa::path(delete, path = "/api/v1/mcm/sessions/{id}", tag = "mcm", security(("bearer" = [])), params(("id" = Uuid, Path, description = "session id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_session(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state.mcm.delete_session(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add fights (yours or public ones) to your session; subscribers get them pushed.
#[utoipa::path(post, path = "/api/v1/mcm/sessions/{id}/fights", tag = "mcm", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "session id")), request_body = SessionFights,
    responses((status = 200, body = SessionOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_fights(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<SessionFights>,
) -> ApiResult<Json<SessionOut>> {
    Ok(Json(state.mcm.add_fights(&user, id, input).await?))
}

/// Take a fight out of your session.
#[utoipa::path(delete, path = "/api/v1/mcm/sessions/{id}/fights/{fight_id}", tag = "mcm", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "session id"), ("fight_id" = Uuid, Path, description = "fight id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_fight(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, fight_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    state.mcm.remove_fight(&user, id, fight_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
