//! `/api/v1/users/me*`: the current user's profile, password, login history and account.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::{Client, CurrentUser};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Query};
use crate::http::paging::{Page, PageQuery};
use crate::services::accounts::{UserOut, UserUpdate};
use crate::state::AppState;

/// The current user (same as `/auth/me`).
#[utoipa::path(get, path = "/api/v1/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserOut), (status = 401, body = ErrorBody)))]
pub async fn get_me(CurrentUser(user): CurrentUser) -> Json<UserOut> {
    Json(user.into())
}

/// Update the profile: full_name, bio, profile_picture_url (http/https), preferences (JSON
/// object ≤ 16 KiB). Absent fields are unchanged; `null` clears.
#[utoipa::path(patch, path = "/api/v1/users/me", tag = "users", security(("bearer" = [])), request_body = UserUpdate,
    responses((status = 200, body = UserOut), (status = 422, body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<UserUpdate>,
) -> ApiResult<Json<UserOut>> {
    Ok(Json(
        state.accounts.update_profile(&user, input).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change the password. Every refresh token and every access token issued before is revoked,
/// and open WebSockets are closed (4401). Wrong current passwords are counted and delayed
/// like failed logins (429 with `Retry-After`).
#[utoipa::path(post, path = "/api/v1/users/me/password", tag = "users", security(("bearer" = [])), request_body = PasswordChange,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: Client,
    Json(input): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    limit_password_checks(&state, &client)?;
    state
        .accounts
        .change_password(
            &user,
            &input.current_password,
            &input.new_password,
            &client.info,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The per-address limit of login attempts also covers the other endpoints that check a
/// password.
fn limit_password_checks(state: &AppState, client: &Client) -> ApiResult<()> {
    state.login_limiter.check(client.key()).map_err(|retry| {
        crate::error::ApiError::TooManyRequests {
            retry_after_secs: retry.as_secs().max(1),
        }
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountDeletion {
    pub password: String,
}

/// Delete the account and everything it owns (builds, teams, history). Wrong passwords are
/// counted and delayed like failed logins (429 with `Retry-After`).
#[utoipa::path(delete, path = "/api/v1/users/me", tag = "users", security(("bearer" = [])), request_body = AccountDeletion,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn delete_me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: Client,
    Json(input): Json<AccountDeletion>,
) -> ApiResult<StatusCode> {
    limit_password_checks(&state, &client)?;
    state
        .accounts
        .delete_account(&user, &input.password, &client.info)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginEntry {
    pub id: Uuid,
    pub time: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub success: bool,
    pub reason: Option<String>,
}

/// The current user's login attempts, newest first.
#[utoipa::path(get, path = "/api/v1/users/me/login-history", tag = "users", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<LoginEntry>), (status = 422, body = ErrorBody)))]
pub async fn login_history(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<LoginEntry>>> {
    let (skip, limit) = page.bounds()?;
    let (rows, total) = state.accounts.login_history(user.id, skip, limit).await?;
    let items = rows
        .into_iter()
        .map(|r| LoginEntry {
            id: r.id,
            time: r.created_at,
            ip: r.ip,
            user_agent: r.user_agent,
            success: r.success,
            reason: r.reason,
        })
        .collect();
    Ok(Json(Page::new(items, total, (skip, limit))))
}
