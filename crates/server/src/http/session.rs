//! `/api/v1/auth/session`: the web client's login, kept in a cookie.
//!
//! The client holds its access token in memory only, and its refresh token in an `HttpOnly`
//! cookie no script can read, so a script injected into the page cannot carry a session away
//! for longer than one access token's life (OWASP ASVS 4.0.3 V3.4.2; OWASP HTML5 Security
//! cheat sheet: no tokens in `localStorage`). The token endpoints for other clients
//! (`/auth/login`, `/auth/refresh`, `/auth/logout`) are unchanged.
//!
//! - `POST /auth/session` logs in exactly like `/auth/login` (the same rate limit, throttling,
//!   lockout and login history: [`super::auth::password_login`]) and answers the access token
//!   in the body and the refresh token in the cookie only.
//! - `POST /auth/session/refresh` rotates the cookie's refresh token exactly like
//!   `/auth/refresh` (a rotated token presented again revokes its whole login).
//! - `DELETE /auth/session` revokes the cookie's login (its refresh tokens and the access
//!   tokens issued in it, like `/auth/logout` does for a refresh token) and clears the cookie.
//!
//! # The cookie (ASVS V3.4)
//! `gw2opt_refresh=<token>; HttpOnly; SameSite=Strict; Secure; Path=/api/v1/auth/session;
//! Max-Age=<refresh token lifetime>`, `Secure` only when the public URL is `https://`:
//! - `HttpOnly` (V3.4.2) keeps it from scripts;
//! - `SameSite=Strict` (V3.4.3) keeps browsers from sending it with any request another site
//!   starts;
//! - the path (V3.4.5) sends it to these three routes only, never with ordinary API calls,
//!   which use the bearer access token;
//! - `Secure` (V3.4.1) where there is TLS to require: a development server on
//!   `http://127.0.0.1` would otherwise never get its cookie back;
//! - no `__Host-` prefix (V3.4.4): it requires `Path=/`, which would send the refresh token
//!   with every request, and `Secure`, which plain-HTTP development lacks.
//!
//! A refused or missing cookie is answered with a clearing one (empty, `Max-Age=0`).
//!
//! # Token-based session management (ASVS V3.5)
//! The cookie holds the same signed refresh token as the token endpoints (V3.5.3), rotated on
//! every use with reuse detection, and the user can revoke it (V3.5.1: `DELETE`). Its login
//! is one token family, so a logout also revokes the access tokens issued in it.
//!
//! # Cross-site request forgery (ASVS V4.2.2; OWASP CSRF Prevention cheat sheet)
//! A cookie is sent by the browser on its own, so these routes are the only ones forgeable
//! across sites. Two independent defences:
//! - `SameSite=Strict` above (the cheat sheet's defence in depth);
//! - every one of them requires the header `X-Requested-With: gw2opt` (the cheat sheet's
//!   "custom request header"), else 403. An HTML form cannot set a header, and a script on
//!   another origin can only send it with `fetch`, which makes the browser ask first (a CORS
//!   preflight: the header is not CORS-safelisted); our CORS layer answers that preflight for
//!   the configured origins only, so from any other origin the request itself is never sent.
//!   The header is in the CORS allow list so configured origins (a development server) can
//!   use these routes.
//!
//! Responses carrying tokens are `Cache-Control: no-store` (RFC 6749 §5.1).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{password_login, LoginRequest, NoStore};
use crate::auth::extract::Client;
use crate::config::Settings;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;
use crate::services::accounts::TokenPair;
use crate::state::AppState;

/// The refresh token's cookie.
pub const REFRESH_COOKIE: &str = "gw2opt_refresh";
/// The only path the cookie is sent to (and its `refresh` below it).
pub const COOKIE_PATH: &str = "/api/v1/auth/session";
/// The anti-forgery header every session route requires, and its value.
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "gw2opt";

/// The access token of a browser session (its refresh token is in the cookie).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionToken {
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Access token lifetime in seconds: refresh before it ends.
    pub expires_in: u64,
}

/// The request carries `X-Requested-With: gw2opt` (see the module documentation); 403
/// otherwise.
pub struct RequestedWith;

impl<S: Send + Sync> FromRequestParts<S> for RequestedWith {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let values = parts.headers.get_all(CSRF_HEADER);
        let mut values = values.iter();
        match (values.next(), values.next()) {
            (Some(value), None) if value.as_bytes() == CSRF_VALUE.as_bytes() => Ok(RequestedWith),
            _ => Err(ApiError::Forbidden(format!(
                "session requests need the header `X-Requested-With: {CSRF_VALUE}`"
            ))),
        }
    }
}

/// Log in with a username (or e-mail) and password, as `/auth/login` does (same rate limit,
/// throttling after failed passwords, login history), for the web client: the access token
/// is in the body, the refresh token in an `HttpOnly`, `SameSite=Strict` cookie
/// `gw2opt_refresh` sent only to `/api/v1/auth/session` (and `Secure` over TLS). Requires
/// `X-Requested-With: gw2opt`.
#[utoipa::path(post, path = "/api/v1/auth/session", tag = "auth", request_body = LoginRequest,
    params(("X-Requested-With" = String, Header, description = "must be `gw2opt` (cross-site request forgery defence)")),
    responses(
        (status = 200, body = SessionToken, headers(("Set-Cookie" = String, description = "gw2opt_refresh=<refresh token>; HttpOnly; SameSite=Strict; Path=/api/v1/auth/session; Max-Age=<refresh token lifetime> (and Secure over TLS)"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    _: RequestedWith,
    client: Client,
    Json(input): Json<LoginRequest>,
) -> ApiResult<Response> {
    input.check_grant()?;
    let pair = password_login(&state, &client, &input).await?;
    Ok(session_response(&state.settings, pair))
}

/// Exchange the session cookie's refresh token for a new access token and a new cookie, as
/// `/auth/refresh` does: the old refresh token is revoked, and presenting it again revokes
/// every token of that login. An invalid or revoked cookie is a 401 that clears it. Without
/// a cookie the answer is 204 (no session to resume): the UI asks this on every page load,
/// and a signed-out visitor is not an error (nor a red line in the browser's console).
/// Requires `X-Requested-With: gw2opt`.
#[utoipa::path(post, path = "/api/v1/auth/session/refresh", tag = "auth",
    params(
        ("X-Requested-With" = String, Header, description = "must be `gw2opt`"),
        ("gw2opt_refresh" = String, Cookie, description = "the session's refresh token, set by `POST /auth/session`"),
    ),
    responses(
        (status = 200, body = SessionToken, headers(("Set-Cookie" = String, description = "the rotated refresh token, same attributes"))),
        (status = 204, description = "no session cookie: nothing to resume"),
        (status = 401, body = ErrorBody, headers(("Set-Cookie" = String, description = "gw2opt_refresh=; ...; Max-Age=0 (cleared)"))),
        (status = 403, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    _: RequestedWith,
    headers: HeaderMap,
) -> Response {
    let Some(token) = refresh_cookie(&headers) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    match state.accounts.refresh(&token).await {
        Ok(pair) => session_response(&state.settings, pair),
        Err(err @ ApiError::Unauthorized(_)) => with_cleared_cookie(&state.settings, err),
        // Not the cookie's fault (the database is unavailable...): keep it for a retry.
        Err(err) => err.into_response(),
    }
}

/// Log out of the browser session: the cookie's login is revoked (its refresh tokens and
/// every access token issued in it; open WebSockets using them close with 4401) and the
/// cookie is cleared. 204 with or without a cookie. Requires `X-Requested-With: gw2opt`.
#[utoipa::path(delete, path = "/api/v1/auth/session", tag = "auth",
    params(
        ("X-Requested-With" = String, Header, description = "must be `gw2opt`"),
        ("gw2opt_refresh" = Option<String>, Cookie, description = "the session's refresh token"),
    ),
    responses(
        (status = 204, headers(("Set-Cookie" = String, description = "gw2opt_refresh=; ...; Max-Age=0 (cleared)"))),
        (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    _: RequestedWith,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = refresh_cookie(&headers) {
        state.accounts.end_session(&token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie_header(&state.settings, None))],
    )
        .into_response())
}

/// The `gw2opt_refresh` cookie's value, if the request has one (the first, when several).
pub fn refresh_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == REFRESH_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for the refresh token, or a clearing one (`None`: empty, `Max-Age=0`).
pub fn cookie_header(settings: &Settings, refresh_token: Option<&str>) -> HeaderValue {
    let max_age = match refresh_token {
        Some(_) => i64::try_from(settings.refresh_token_ttl.as_secs()).unwrap_or(i64::MAX),
        None => 0,
    };
    let cookie = Cookie::build((REFRESH_COOKIE, refresh_token.unwrap_or_default()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(settings.is_tls())
        .path(COOKIE_PATH)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build();
    // A JWT is base64url and dots: always a valid header value.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// 200 with the access token (no-store) and the refresh token's cookie.
fn session_response(settings: &Settings, pair: TokenPair) -> Response {
    let cookie = cookie_header(settings, Some(&pair.refresh_token));
    let body = SessionToken {
        access_token: pair.access_token,
        token_type: pair.token_type,
        expires_in: pair.expires_in,
    };
    ([(header::SET_COOKIE, cookie)], NoStore(body)).into_response()
}

fn with_cleared_cookie(settings: &Settings, err: ApiError) -> Response {
    let mut response = err.into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, cookie_header(settings, None));
    response
}
