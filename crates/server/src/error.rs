//! The one error type of the HTTP API and its JSON shape: `{"detail": "...", "code": "..."}`
//! (plus `field` for validation errors), with the matching status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

use crate::json_body::JsonBody;

/// The body of every error response.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Human-readable explanation.
    pub detail: String,
    /// Stable machine-readable code, e.g. `not_found`, `validation_error`.
    pub code: String,
    /// For validation errors: the offending field (dotted path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A unique value already in use, on a field the client can correct (409 with `field`).
    #[error("{message}")]
    Taken { field: String, message: String },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("too many requests; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("{0}")]
    Unavailable(String),
    /// The caller's own share of a bounded resource is in use (429 with `Retry-After`).
    #[error("{detail}")]
    Busy {
        detail: String,
        retry_after_secs: u64,
    },
    /// The whole service's share of a bounded resource is in use (503 with `Retry-After`).
    #[error("{detail}")]
    Saturated {
        detail: String,
        retry_after_secs: u64,
    },
    /// Details are logged, never sent to the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        ApiError::Internal(err.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::Taken { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Busy { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Saturated { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) | ApiError::Taken { .. } => "conflict",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Validation { .. } => "validation_error",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::Unavailable(_) => "service_unavailable",
            ApiError::Busy { .. } => "rate_limited",
            ApiError::Saturated { .. } => "service_unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(ref detail) = self {
            tracing::error!(error = %detail, "internal error");
        }
        let field = match &self {
            ApiError::Validation { field, .. } | ApiError::Taken { field, .. } => {
                Some(field.clone())
            }
            _ => None,
        };
        let detail = match &self {
            ApiError::Validation { message, .. } => message.clone(),
            other => other.to_string(),
        };
        let body = ErrorBody {
            detail,
            code: self.code().to_owned(),
            field,
        };
        // With its length, as every JSON answer (`JsonBody`): an error answered in front of the
        // router (`http::hot_reads`) then looks the same as one axum's route measured.
        let json = JsonBody::new(serde_json::to_vec(&body).unwrap_or_default());
        let mut response = (status, json).into_response();
        match &self {
            ApiError::TooManyRequests { retry_after_secs }
            | ApiError::Busy {
                retry_after_secs, ..
            }
            | ApiError::Saturated {
                retry_after_secs, ..
            } => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            ApiError::Unauthorized(_) => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// `value` read as one of the game's named enums (game mode, role...), or a 422 on `field`
/// listing the accepted names.
pub fn parse_named<T>(field: &str, value: &str) -> ApiResult<T>
where
    T: std::str::FromStr<Err = gw2::model::ParseEnumError>,
{
    value
        .parse()
        .map_err(|e: gw2::model::ParseEnumError| ApiError::validation(field, e.to_string()))
}

/// A build that breaks a game rule: 422 on the field the validator names.
impl From<gw2::build::BuildError> for ApiError {
    fn from(e: gw2::build::BuildError) -> Self {
        ApiError::validation(e.field, e.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ApiError::NotFound("not found".into()),
            StoreError::Conflict(constraint) => conflict(&constraint),
            StoreError::ForeignKey(what) => ApiError::Conflict(format!(
                "a referenced resource is missing or in use ({what})"
            )),
            StoreError::Unavailable(_) => {
                ApiError::Unavailable("the database is unavailable, retry shortly".into())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Turns a unique-constraint name into something a user can act on, on the field to
/// change when there is one (a form shows it there).
fn conflict(constraint: &str) -> ApiError {
    let c = constraint.to_ascii_lowercase();
    let taken = |field: &str, message: &str| ApiError::Taken {
        field: field.into(),
        message: message.into(),
    };
    if c.contains("email") {
        taken("email", "an account with this email already exists")
    } else if c.contains("username") {
        taken("username", "this username is already taken")
    } else {
        ApiError::Conflict("this resource already exists".into())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The canonical code of a bare status, for responses produced outside our handlers
/// (method not allowed, timeouts, panics).
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "validation_error",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        StatusCode::SERVICE_UNAVAILABLE => "service_unavailable",
        StatusCode::GATEWAY_TIMEOUT => "gateway_timeout",
        s if s.is_server_error() => "internal_error",
        _ => "error",
    }
}
