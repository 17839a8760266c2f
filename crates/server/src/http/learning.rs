//! `/api/v1/learning/*`: the model registry (`GET /learning/models`), a training run
//! (`POST /learning/run`, superusers; what `gw2opt learn run` does) and the samples' export
//! (`GET /learning/samples/export`, superusers, JSON lines).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::Superuser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{decode_json, Json, Query};
use crate::http::paging::{bounds, Page};
use crate::services::learning::{Learning, ModelOut, RunOut, RunRequest};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ModelsQuery {
    /// `fight_outcome`, `build_rating` or `player_contribution` (default: every task).
    pub task: Option<String>,
    /// Rows to skip (default 0).
    #[serde(default)]
    pub skip: u32,
    /// 1..=100, default 20.
    pub limit: Option<u32>,
}

/// Every model trained, newest run first: its kind, version, cross-validated scores per
/// fold and their mean against the baseline's, the features it relies on, the data snapshot
/// it was trained on, and whether it is its task's selected model.
#[utoipa::path(get, path = "/api/v1/learning/models", tag = "learning", params(ModelsQuery),
    responses((status = 200, body = Page<ModelOut>), (status = 422, body = ErrorBody)))]
pub async fn models(
    State(state): State<AppState>,
    Query(query): Query<ModelsQuery>,
) -> ApiResult<Json<Page<ModelOut>>> {
    let page = bounds(query.skip, query.limit)?;
    let task = match query.task.as_deref() {
        None => None,
        Some(name) => Some(
            name.parse()
                .map_err(|e: learning::LearnError| ApiError::validation("task", e.to_string()))?,
        ),
    };
    let (items, total) = state.learning.models(task, page.0, page.1).await?;
    Ok(Json(Page::new(items, total, page)))
}

/// Collect the samples (builds, votes, views, saved builds, teams, feedback, WvW fights and
/// their squad members), train every model kind of each task with k-fold cross-validation
/// against the baseline, register them all and select the best of each task when it clearly
/// beats the baseline (superusers; the same as `gw2opt learn run`). A selected
/// `player_contribution` model also ranks the elite specializations it saw
/// (`specializations`). The body may be empty (every task).
#[utoipa::path(post, path = "/api/v1/learning/run", tag = "learning", security(("bearer" = [])),
    request_body(content = RunRequest, description = "`{task?: fight_outcome|build_rating|player_contribution|all, folds?: 2..=20, seed?}`; may be empty"),
    responses((status = 200, body = RunOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "a training run is already in progress", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    _admin: Superuser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<RunOut>> {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        RunRequest::default()
    } else {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(ApiError::UnsupportedMediaType(
                "expected an empty body or `Content-Type: application/json`".into(),
            ));
        }
        decode_json(&body)?
    };
    Ok(Json(state.learning.run(request).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `fight_outcome`, `build_rating` or `player_contribution`.
    pub task: String,
    /// A sample version (default: the newest).
    pub version: Option<i64>,
}

/// A task's samples as JSON lines (`application/x-ndjson`), one
/// `{id, task, version, features, label, source, created_at}` per line, of the newest
/// version or of `version` (superusers). The snapshot's id, size and SHA-256 are in the
/// `x-snapshot-*` headers.
#[utoipa::path(get, path = "/api/v1/learning/samples/export", tag = "learning", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "JSON lines", content_type = "application/x-ndjson"),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, description = "nothing collected for the task (or no such version)", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    _admin: Superuser,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let tasks = Learning::tasks(Some(&query.task))?;
    let [task] = tasks.as_slice() else {
        return Err(ApiError::validation(
            "task",
            format!("name one task: {}", learning::Task::names()),
        ));
    };
    let (snapshot, lines) = state.learning.export(*task, query.version).await?;
    let header_value =
        |v: String| HeaderValue::from_str(&v).map_err(|e| ApiError::internal(e.to_string()));
    let mut response = Body::from_stream(lines).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(format!(
            "attachment; filename=\"{}-v{}.jsonl\"",
            snapshot.task, snapshot.version
        ))?,
    );
    headers.insert("x-snapshot-id", header_value(snapshot.id)?);
    headers.insert("x-snapshot-size", header_value(snapshot.size.to_string())?);
    headers.insert("x-snapshot-sha256", header_value(snapshot.sha256)?);
    Ok(response)
}
