//! Extractors that put the caller into handlers: `CurrentUser` (a valid access token is
//! required; `CurrentAccount` the same, shared instead of copied), `MaybeUser` (anonymous
//! allowed), `Superuser`, and `Client` (IP and user agent).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use store::users::User;

use crate::error::ApiError;
use crate::services::accounts::ClientInfo;
use crate::state::AppState;

/// The authenticated caller.
pub struct CurrentUser(pub User);

/// The authenticated caller as this instance keeps it (shared, with its renderings): for
/// handlers that only read the account, without copying it.
pub struct CurrentAccount(pub std::sync::Arc<crate::hot::HotUser>);

/// The caller if a token was sent; a token that is sent must be valid.
pub struct MaybeUser(pub Option<User>);

/// An authenticated superuser (403 for other users).
pub struct Superuser(pub User);

/// The authenticated caller and the claims of the access token it used (logout revokes
/// that token).
pub struct Session {
    pub user: User,
    pub claims: crate::auth::jwt::Claims,
}

fn bearer(parts: &Parts) -> Result<Option<&[u8]>, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    // `Bearer <token>`, the scheme in any case (RFC 7235 §2.1), read as bytes: the token's
    // text is checked once, when it is first verified (`TokenKeys::verify`), not on every
    // request (UTF-8 checks and string searches over ~250 bytes cost ~600 instructions).
    const SCHEME: &[u8] = b"bearer ";
    match value.as_bytes().split_at_checked(SCHEME.len()) {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case(SCHEME) && !token.trim_ascii().is_empty() =>
        {
            Ok(Some(token.trim_ascii()))
        }
        _ => Err(ApiError::Unauthorized(
            "expected `Authorization: Bearer <token>`".into(),
        )),
    }
}

/// The bearer token a route that needs an account requires (401 without one).
fn required_bearer(parts: &Parts) -> Result<&[u8], ApiError> {
    bearer(parts)?.ok_or_else(|| ApiError::Unauthorized("not authenticated".into()))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = required_bearer(parts)?;
        Ok(CurrentUser(state.accounts.authenticate(token).await?))
    }
}

impl FromRequestParts<AppState> for CurrentAccount {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = required_bearer(parts)?;
        let (account, _) = state.accounts.authenticate_shared(token).await?;
        Ok(CurrentAccount(account))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = required_bearer(parts)?;
        let (user, claims) = state.accounts.authenticate_claims(token).await?;
        Ok(Session { user, claims })
    }
}

/// The caller's session if a token was sent; a token that is sent must be valid.
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts)? {
            None => Ok(MaybeSession(None)),
            Some(token) => {
                let (user, claims) = state.accounts.authenticate_claims(token).await?;
                Ok(MaybeSession(Some(Session { user, claims })))
            }
        }
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts)? {
            None => Ok(MaybeUser(None)),
            Some(token) => Ok(MaybeUser(Some(state.accounts.authenticate(token).await?))),
        }
    }
}

impl FromRequestParts<AppState> for Superuser {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if !user.is_superuser {
            return Err(ApiError::Forbidden("superuser rights required".into()));
        }
        Ok(Superuser(user))
    }
}

/// Where a request comes from: the peer address (or `X-Forwarded-For` when the service is
/// configured to trust its proxy) and the user agent.
pub struct Client {
    pub ip: Option<IpAddr>,
    pub info: ClientInfo,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await?;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect::<String>());
        Ok(Client {
            ip,
            info: ClientInfo {
                ip: ip.map(|i| i.to_string()),
                user_agent,
            },
        })
    }
}

/// Only the address of [`Client`], for handlers that need no more (a build's view count):
/// neither formatted nor copied with the user agent.
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .settings
            .trust_forwarded_for
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        // Through ConnectInfo's own extractor, which also honours `MockConnectInfo` in tests.
        let peer = ConnectInfo::<SocketAddr>::from_request_parts(parts, state)
            .await
            .ok()
            .map(|c| c.0.ip());
        Ok(ClientIp(forwarded.or(peer)))
    }
}

impl Client {
    /// Rate-limit key: unknown peers (in-process tests) share one bucket.
    pub fn key(&self) -> IpAddr {
        self.ip.unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }
}
