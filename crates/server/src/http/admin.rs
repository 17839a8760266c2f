//! `/api/v1/admin/*`: account administration and community build imports, for superusers.

use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::extract::Superuser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::http::paging::{Page, PageQuery};
use crate::services::accounts::UserOut;
use crate::services::audit::AuditEntry;
use crate::services::community_import::ImportResult;
use crate::state::AppState;

/// Every account, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<UserOut>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: Superuser,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<UserOut>>> {
    let (skip, limit) = page.bounds()?;
    let (rows, total) = state.accounts.list_users(skip, limit).await?;
    Ok(Json(Page::new(
        rows.into_iter().map(UserOut::from).collect(),
        total,
        (skip, limit),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdminUserUpdate {
    pub is_active: Option<bool>,
    pub is_superuser: Option<bool>,
}

/// Activate/deactivate an account or grant/revoke superuser rights. Deactivating revokes
/// the account's sessions at once.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = [])), request_body = AdminUserUpdate,
    params(("id" = Uuid, Path, description = "user id")),
    responses((status = 200, body = UserOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    Superuser(admin): Superuser,
    Path(id): Path<Uuid>,
    Json(input): Json<AdminUserUpdate>,
) -> ApiResult<Json<UserOut>> {
    let user = state
        .accounts
        .set_account_flags(&admin, id, input.is_active, input.is_superuser)
        .await?;
    Ok(Json(user.into()))
}

/// `POST /admin/import/builds`: community guide pages to import.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportBuildsRequest {
    /// Guide pages (Snowcrows, MetaBattle, Hardstuck style), 1 to 10.
    pub urls: Vec<String>,
    /// Whether the imported builds are public (default false: reviewed before publishing).
    #[serde(default)]
    pub is_public: bool,
}

/// Imports builds from community guide pages for the calling superuser: each page fetched
/// politely (robots.txt, one request per second per host), read with an HTML parser (its
/// chat code decoded into traits and skills; name, class, mode, role and gear from its
/// words) and stored with its URL as `source_url`. Importing a page again updates its build.
/// Answered per URL: `imported`, `skipped` or `failed` with the reason.
#[utoipa::path(post, path = "/api/v1/admin/import/builds", tag = "admin", security(("bearer" = [])), request_body = ImportBuildsRequest,
    responses((status = 200, body = Vec<ImportResult>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_builds(
    State(state): State<AppState>,
    Superuser(admin): Superuser,
    Json(input): Json<ImportBuildsRequest>,
) -> ApiResult<Json<Vec<ImportResult>>> {
    Ok(Json(
        state
            .community_import
            .import(&admin, &input.urls, input.is_public)
            .await?,
    ))
}

/// `GET /admin/audit` filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only entries by this actor: a user id or a username.
    pub actor: Option<String>,
    /// Only this action (`login.failed`), or every action under a prefix ending with a dot
    /// (`login.`).
    pub action: Option<String>,
    /// Only entries at or after this time (RFC 3339, e.g. `2026-12-01T00:00:00Z`).
    pub since: Option<String>,
    #[serde(default)]
    pub skip: u32,
    /// 1..=100, default 20.
    pub limit: Option<u32>,
}

/// The audit log, newest first: administrative actions and security events (logins,
/// lockouts, flag changes, deletions, password changes and resets, token revocations).
/// Superusers only.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    _admin: Superuser,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let bounds = crate::http::paging::bounds(query.skip, query.limit)?;
    let filters = crate::services::audit::Query {
        actor: query.actor,
        action: query.action,
        since: query.since,
    };
    let (items, total) = state.audit.list(&filters, bounds.0, bounds.1).await?;
    Ok(Json(Page::new(items, total, bounds)))
}
