//! `/api/v1/auth/*`: registration, login, token refresh/logout, e-mail verification and
//! password reset.

use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::{Client, CurrentAccount, CurrentUser, Session};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Form, Json, Query};
use crate::json_body::JsonBody;
use crate::services::accounts::{TokenPair, UserCreate, UserOut};
use crate::state::AppState;

/// Create an account. A verification e-mail is sent (or written to the outbox).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = UserCreate,
    responses((status = 201, body = UserOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    client: Client,
    Json(input): Json<UserCreate>,
) -> ApiResult<(StatusCode, Json<UserOut>)> {
    limit(&state.register_limiter, &client)?;
    let user = state.accounts.register(input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Login credentials: `username` may be the e-mail address or the username.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[serde(alias = "email")]
    pub username: String,
    pub password: String,
    /// OAuth2 form field; only `password` is supported.
    #[serde(default)]
    pub grant_type: Option<String>,
    /// OAuth2 form fields (RFC 6749 §4.3.2, FastAPI's `OAuth2PasswordRequestForm`): accepted
    /// so standard clients can send them, not used (no scopes, no client authentication).
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
}

/// Reads the credentials from an OAuth2 password form (as FastAPI's
/// `OAuth2PasswordRequestForm`) or from a JSON body, by content type.
pub struct LoginInput(LoginRequest);

impl FromRequest<AppState> for LoginInput {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let input = if is_json {
            Json::<LoginRequest>::from_request(req, state).await?.0
        } else {
            Form::<LoginRequest>::from_request(req, state).await?.0
        };
        input.check_grant()?;
        Ok(LoginInput(input))
    }
}

impl LoginRequest {
    /// Only the OAuth2 `password` grant (or none) is accepted: 422 on `grant_type` otherwise.
    pub fn check_grant(&self) -> ApiResult<()> {
        if self
            .grant_type
            .as_deref()
            .is_some_and(|g| !g.is_empty() && g != "password")
        {
            return Err(ApiError::validation(
                "grant_type",
                "only the `password` grant is supported",
            ));
        }
        Ok(())
    }
}

/// The one password login of every login endpoint (`/auth/login`, `/auth/token`,
/// `/auth/session`): the per-address rate limit, then [`Accounts::login`]'s throttling,
/// lockout and login history.
///
/// [`Accounts::login`]: crate::services::accounts::Accounts::login
pub async fn password_login(
    state: &AppState,
    client: &Client,
    input: &LoginRequest,
) -> ApiResult<TokenPair> {
    limit(&state.login_limiter, client)?;
    state
        .accounts
        .login(&input.username, &input.password, &client.info)
        .await
}

/// Log in with an OAuth2 password form (`application/x-www-form-urlencoded`) or JSON.
/// After 5 wrong passwords for an account from one address, that address waits 30 s before
/// its next guess, doubling with every further failure up to an hour (429 with
/// `Retry-After`); unknown names are answered exactly like real accounts.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body(content(
        (LoginRequest = "application/x-www-form-urlencoded"),
        (LoginRequest = "application/json"),
    )),
    responses((status = 200, body = TokenPair), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    client: Client,
    LoginInput(input): LoginInput,
) -> ApiResult<NoStore<TokenPair>> {
    Ok(NoStore(password_login(&state, &client, &input).await?))
}

/// The standard OAuth2 token endpoint (RFC 6749 §4.3, resource owner password credentials,
/// `grant_type=password`): the same as `/auth/login`, at the URL OAuth2 clients and the
/// original service's scripts use.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body(content(
        (LoginRequest = "application/x-www-form-urlencoded"),
        (LoginRequest = "application/json"),
    )),
    responses((status = 200, body = TokenPair), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn token(
    state: State<AppState>,
    client: Client,
    input: LoginInput,
) -> ApiResult<NoStore<TokenPair>> {
    login(state, client, input).await
}

/// A token response: JSON with `Cache-Control: no-store` and `Pragma: no-cache`, so no
/// cache keeps the tokens (RFC 6749 §5.1).
pub struct NoStore<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for NoStore<T> {
    fn into_response(self) -> axum::response::Response {
        (
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::PRAGMA, "no-cache"),
            ],
            Json(self.0),
        )
            .into_response()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Exchange a refresh token for a new pair. The old refresh token is revoked; presenting it
/// again revokes every token of that login (theft detection).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    Json(input): Json<RefreshRequest>,
) -> ApiResult<NoStore<TokenPair>> {
    Ok(NoStore(state.accounts.refresh(&input.refresh_token).await?))
}

/// Log out: the access token used, its login (refresh tokens and every access token issued
/// in it) and, when a body names one, another refresh token of the same account are revoked
/// on every instance, and open WebSockets using them are closed (4401). The body is optional.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    request_body(content = Option<RefreshRequest>, content_type = "application/json"),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    OptionalJson(input): OptionalJson<RefreshRequest>,
) -> ApiResult<StatusCode> {
    let refresh = input.as_ref().map(|i| i.refresh_token.as_str());
    state.accounts.logout(&session.claims, refresh).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A JSON body that may be left out: no body (or only whitespace) is `None`, anything else
/// must be the JSON document `T`.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for OptionalJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(|e| match e.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(e.body_text()),
                    _ => ApiError::BadRequest(e.body_text()),
                })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        let Json(value) = Json::<T>::from_request(request, state).await?;
        Ok(OptionalJson(Some(value)))
    }
}

/// The current user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserOut), (status = 401, body = ErrorBody)))]
pub async fn me(CurrentAccount(account): CurrentAccount) -> ApiResult<JsonBody> {
    // Rendered once per cached copy of the account (dropped when the account changes).
    account.me_json(|user| JsonBody::of(&UserOut::from(user.clone())))
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct TokenRequest {
    /// The token from the e-mail.
    pub token: String,
}

/// Confirm an e-mail address with the link's token (the link in the e-mail opens this).
#[utoipa::path(get, path = "/api/v1/auth/verify-email", tag = "auth", params(TokenRequest),
    responses((status = 200, body = Message), (status = 400, body = ErrorBody)))]
pub async fn verify_email_link(
    State(state): State<AppState>,
    Query(input): Query<TokenRequest>,
) -> ApiResult<Json<Message>> {
    state.accounts.verify_email(&input.token).await?;
    Ok(Json(Message::new("e-mail address verified")))
}

/// Confirm an e-mail address with the token from the e-mail.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = Message), (status = 400, body = ErrorBody)))]
pub async fn verify_email(
    State(state): State<AppState>,
    Json(input): Json<TokenRequest>,
) -> ApiResult<Json<Message>> {
    state.accounts.verify_email(&input.token).await?;
    Ok(Json(Message::new("e-mail address verified")))
}

/// Send a new verification e-mail to the current user.
#[utoipa::path(post, path = "/api/v1/auth/resend-verification", tag = "auth", security(("bearer" = [])),
    responses((status = 202, body = Message), (status = 409, body = ErrorBody)))]
pub async fn resend_verification(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<(StatusCode, Json<Message>)> {
    state.accounts.resend_verification(&user).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Message::new("verification e-mail sent")),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ForgotPasswordRequest {
    pub email: String,
}

/// Ask for a password-reset e-mail. The answer is the same whether or not the address has
/// an account.
#[utoipa::path(post, path = "/api/v1/auth/forgot-password", tag = "auth", request_body = ForgotPasswordRequest,
    responses((status = 202, body = Message), (status = 429, body = ErrorBody)))]
pub async fn forgot_password(
    State(state): State<AppState>,
    client: Client,
    Json(input): Json<ForgotPasswordRequest>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    limit(&state.register_limiter, &client)?;
    state.accounts.forgot_password(&input.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Message::new(
            "if an account uses this address, a reset e-mail is on its way",
        )),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    pub token: String,
    pub new_password: String,
}

/// Choose a new password with a reset token. Every session of the account is revoked.
#[utoipa::path(post, path = "/api/v1/auth/reset-password", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 200, body = Message), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    Json(input): Json<ResetPasswordRequest>,
) -> ApiResult<Json<Message>> {
    state
        .accounts
        .reset_password(&input.token, &input.new_password)
        .await?;
    Ok(Json(Message::new("password changed; please log in again")))
}

#[derive(Debug, serde::Serialize, Deserialize, ToSchema)]
pub struct Message {
    pub message: String,
}

impl Message {
    pub fn new(message: &str) -> Self {
        Self {
            message: message.to_owned(),
        }
    }
}

fn limit(limiter: &crate::auth::rate_limit::RateLimiter, client: &Client) -> ApiResult<()> {
    limiter
        .check(client.key())
        .map_err(|retry| ApiError::TooManyRequests {
            retry_after_secs: retry.as_secs().max(1),
        })
}
