//! `/api/v1/builds`: CRUD with permissions, search, votes, views, import and export.

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use gw2::build::{BuildDraft, PageInfo};
use gw2::data::GameData;
use serde::{Deserialize, Serialize};
use store::builds::{ListFilter, Sort};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::extract::{ClientIp, CurrentUser, MaybeUser};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::http::paging::{self, Page};
use crate::json_body::JsonBody;
use crate::services::builds::{BuildOut, BuildUpdate};
use crate::state::AppState;

/// Create a build (validated against the game data).
#[utoipa::path(post, path = "/api/v1/builds", tag = "builds", security(("bearer" = [])), request_body = BuildDraft,
    responses((status = 201, body = BuildOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<BuildDraft>,
) -> ApiResult<(StatusCode, Json<BuildOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(state.builds.create(&user, input).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub game_mode: Option<String>,
    pub role: Option<String>,
    pub tag: Option<String>,
    /// Author's username.
    pub author: Option<String>,
    /// Text searched in name and description.
    pub q: Option<String>,
    /// new (default) | top (upvotes − downvotes) | views
    pub sort: Option<String>,
    #[serde(default)]
    pub skip: u32,
    /// 1..=100, default 20.
    pub limit: Option<u32>,
}

/// Search builds. Anonymous callers see public builds; a logged-in user also sees their own
/// private ones.
#[utoipa::path(get, path = "/api/v1/builds", tag = "builds", params(ListQuery),
    responses((status = 200, body = Page<BuildOut>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<JsonBody> {
    // Pages are cached serialized, per query text and viewer, for a moment and until any
    // build changes (see `hot`). The query is checked and parsed on a miss only: a page cached
    // under this very text passed those checks, so a hit answers without parsing anything.
    let viewer = user.as_ref().map(|u| u.id);
    let key = state
        .hot
        .list_key("builds", viewer, raw.as_deref().unwrap_or_default());
    let body = state
        .hot
        .page(key, || {
            // Owned: the page may be rebuilt in the background, after this request.
            let (state, raw) = (state.clone(), raw.clone());
            async move {
                let query: ListQuery = crate::extract::decode_urlencoded(
                    raw.as_deref().unwrap_or_default().as_bytes(),
                    "query",
                )?;
                let filter = list_filter(query, viewer)?;
                let (items, total) = state.builds.list(&filter).await?;
                let page = Page::new(items, total, (filter.skip, filter.limit));
                JsonBody::of(&page)
            }
        })
        .await?;
    Ok(body)
}

/// The checked and normalized filter of a list query, as `viewer` sees it.
fn list_filter(query: ListQuery, viewer: Option<Uuid>) -> ApiResult<ListFilter> {
    let data = GameData::embedded();
    let (skip, limit) = paging::bounds(query.skip, query.limit)?;
    let sort = match query.sort.as_deref().unwrap_or("new") {
        "new" => Sort::New,
        "top" => Sort::Top,
        "views" => Sort::Views,
        other => {
            return Err(ApiError::validation(
                "sort",
                format!("unknown sort {other:?} (new | top | views)"),
            ))
        }
    };
    // Filters use the canonical spellings stored with each build.
    let profession = match query.profession.as_deref() {
        Some(p) => Some(data.profession(p).map(|p| p.name.clone()).ok_or_else(|| {
            ApiError::validation("profession", format!("unknown profession {p:?}"))
        })?),
        None => None,
    };
    let specialization = match query.specialization.as_deref() {
        Some(s) => Some(
            data.specialization_by_name(s)
                .map(|s| s.name.clone())
                .ok_or_else(|| {
                    ApiError::validation("specialization", format!("unknown specialization {s:?}"))
                })?,
        ),
        None => None,
    };
    let game_mode = match query.game_mode.as_deref() {
        Some(m) => Some(
            crate::error::parse_named::<gw2::model::GameMode>("game_mode", m)?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let role = match query.role.as_deref() {
        Some(r) => Some(
            crate::error::parse_named::<gw2::model::Role>("role", r)?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    Ok(ListFilter {
        viewer,
        profession,
        specialization,
        game_mode,
        role,
        tag: query
            .tag
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty()),
        author: query.author.filter(|a| !a.trim().is_empty()),
        q: query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        sort,
        skip,
        limit,
    })
}

/// One build. Public builds for anyone; private ones for their author only (403).
/// A view by someone other than the author is counted, once per viewer (account, or client
/// address) per view window.
#[utoipa::path(get, path = "/api/v1/builds/{id}", tag = "builds", params(("id" = Uuid, Path, description = "build id")),
    responses((status = 200, body = BuildOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<Uuid>,
) -> ApiResult<JsonBody> {
    state.builds.view(id, user.as_ref(), ip).await
}

/// Replace a build (author or superuser).
#[utoipa::path(put, path = "/api/v1/builds/{id}", tag = "builds", security(("bearer" = [])), request_body = BuildDraft,
    params(("id" = Uuid, Path, description = "build id")),
    responses((status = 200, body = BuildOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<BuildDraft>,
) -> ApiResult<Json<BuildOut>> {
    Ok(Json(state.builds.replace(id, &user, input).await?))
}

/// Change some fields of a build (author or superuser).
#[utoipa::path(patch, path = "/api/v1/builds/{id}", tag = "builds", security(("bearer" = [])), request_body = BuildUpdate,
    params(("id" = Uuid, Path, description = "build id")),
    responses((status = 200, body = BuildOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<BuildUpdate>,
) -> ApiResult<Json<BuildOut>> {
    Ok(Json(state.builds.patch(id, &user, input).await?))
}

/// Delete a build (author or superuser). Refused with 409 while teams use it.
#[utoipa::path(delete, path = "/api/v1/builds/{id}", tag = "builds", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "build id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state.builds.delete(id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteRequest {
    /// 1 up, -1 down, 0 withdraw.
    pub value: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VoteResult {
    pub upvotes: i32,
    pub downvotes: i32,
    pub score: i32,
    /// The caller's vote now.
    pub value: i32,
}

/// Vote on a build (one vote per user; not on your own builds).
#[utoipa::path(post, path = "/api/v1/builds/{id}/vote", tag = "builds", security(("bearer" = [])), request_body = VoteRequest,
    params(("id" = Uuid, Path, description = "build id")),
    responses((status = 200, body = VoteResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn vote(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
    Json(input): Json<VoteRequest>,
) -> ApiResult<Json<VoteResult>> {
    let (upvotes, downvotes) = state.builds.vote(id, &user, input.value).await?;
    Ok(Json(VoteResult {
        upvotes,
        downvotes,
        score: upvotes - downvotes,
        value: input.value,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DpsQuery {
    /// Score the build playing another role (dps | boon_dps | support | healer | tank |
    /// utility); default: its own.
    pub role: Option<String>,
}

/// The build's estimated DPS on the benchmark golem, or for WvW and PvP builds on a typical
/// enemy player (2119 armor; `target` says which): its own gear, traits, runes, sigils and
/// infusions under the best-fitting benchmark rotation of its specialization and role
/// (discretize's templates), with what was assumed where the build is silent.
#[utoipa::path(get, path = "/api/v1/builds/{id}/dps", tag = "builds", params(("id" = Uuid, Path, description = "build id"), DpsQuery),
    responses((status = 200, description = "the estimate: dps, damage split, benchmark, gear evaluated, assumptions"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "no benchmark for the specialization, or gear the engine cannot read", body = ErrorBody)))]
pub async fn dps(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
    Query(query): Query<DpsQuery>,
) -> ApiResult<Response> {
    let out = state.builds.get_visible(id, user.as_ref()).await?;
    let scores = state.team_scores.clone();
    let estimate = tokio::task::spawn_blocking(move || {
        let version = out.updated_at.timestamp_micros();
        scores.score(out.id, version, &out.build, query.role.as_deref())
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(&*estimate).into_response())
}

/// Where the gear optimizer starts for this build: the input of its DPS estimate (the best
/// benchmark rotation of its specialization and role, its traits, runes, sigils, relic and
/// infusions) with every slot open to the benchmark's prefixes and the build's own. Post it
/// to `/optimize/gear` (or the `/ws/optimize` socket) as it is or edited.
#[utoipa::path(get, path = "/api/v1/builds/{id}/gear-input", tag = "builds", params(("id" = Uuid, Path, description = "build id"), DpsQuery),
    responses((status = 200, description = "a gear optimizer input (see presets/gear/ and crates/optimizer/src/gear/README.md)"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, description = "no benchmark for the specialization, or gear the engine cannot read", body = ErrorBody)))]
pub async fn gear_input(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
    Query(query): Query<DpsQuery>,
) -> ApiResult<Response> {
    let out = state.builds.get_visible(id, user.as_ref()).await?;
    let input = tokio::task::spawn_blocking(move || {
        crate::services::builds::gear_input(&out.build, query.role.as_deref())
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(input).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// json (default) | markdown | chat_code
    pub format: Option<String>,
}

/// Export a build as JSON, as a Snowcrows-style markdown page, or as the in-game chat code.
#[utoipa::path(get, path = "/api/v1/builds/{id}/export", tag = "builds", params(("id" = Uuid, Path, description = "build id"), ExportQuery),
    responses((status = 200, description = "the build in the asked format"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<Uuid>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let out = state.builds.get_visible(id, user.as_ref()).await?;
    let data = GameData::embedded();
    match query.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(out.build).into_response()),
        "markdown" | "md" => {
            let code = out.build.to_chat_code(data).ok();
            let page = PageInfo {
                author: &out.author,
                score: out.score,
                views: out.views,
            };
            let md = out.build.to_markdown(&page, data, code.as_deref());
            Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], md).into_response())
        }
        "chat_code" | "code" => {
            let code = out.build.to_chat_code(data)?;
            Ok(Json(serde_json::json!({ "chat_code": code })).into_response())
        }
        other => Err(ApiError::validation(
            "format",
            format!("unknown format {other:?} (json | markdown | chat_code)"),
        )),
    }
}

/// What `POST /builds/import` accepts: a build in the API's JSON shape, or a chat code with
/// the fields a code does not carry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum BuildImport {
    Code(CodeImport),
    Json(Box<BuildDraft>),
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeImport {
    /// `[&DQ...]`
    pub chat_code: String,
    pub name: Option<String>,
    pub game_mode: Option<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub is_public: Option<bool>,
}

/// Import a build from JSON or from an in-game build chat code.
#[utoipa::path(post, path = "/api/v1/builds/import", tag = "builds", security(("bearer" = [])), request_body = BuildImport,
    responses((status = 201, body = BuildOut), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(document): Json<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<BuildOut>)> {
    // Chosen by the `chat_code` key rather than by serde's untagged trial, so that unknown
    // fields and shape errors are reported against the form the client meant.
    let input = if document.get("chat_code").is_some() {
        BuildImport::Code(crate::extract::from_value(document)?)
    } else {
        BuildImport::Json(Box::new(crate::extract::from_value(document)?))
    };
    let build = match input {
        BuildImport::Json(build) => *build,
        BuildImport::Code(code) => {
            let data = GameData::embedded();
            let mut build = BuildDraft::from_chat_code(
                &code.chat_code,
                code.name.as_deref().unwrap_or("Imported build"),
                code.game_mode.as_deref().unwrap_or("pve"),
                code.role.as_deref().unwrap_or("dps"),
                data,
            )?;
            build.is_public = code.is_public.unwrap_or(true);
            build
        }
    };
    Ok((
        StatusCode::CREATED,
        Json(state.builds.create(&user, build).await?),
    ))
}
