//! One error type for every way a call can fail, so the server can map each to a response (and decide
//! when to fall back to its embedded snapshot: see [`Gw2ApiError::is_unavailable`]).

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum Gw2ApiError {
    /// The API could not be reached (connection errors after retries, or the circuit breaker is
    /// open) and nothing was cached for the request.
    #[error("GW2 API unavailable: {reason}")]
    Unavailable { reason: String },

    /// No answer within the configured request timeout. Not retried: the caller's latency budget
    /// is already spent; the breaker counts it.
    #[error("GW2 API did not answer within {0:?}")]
    Timeout(Duration),

    /// Still 429 Too Many Requests after every retry.
    #[error("GW2 API rate limit: still 429 after {attempts} attempts")]
    RateLimited { attempts: u32 },

    /// Any other non-success status (5xx after retries, 400, ...), with the API's `text` message.
    #[error("GW2 API answered {code}: {text}")]
    Status { code: u16, text: String },

    /// The body was not the JSON shape expected for `endpoint`.
    #[error("could not decode GW2 API response of {endpoint}: {error}")]
    Decode { endpoint: String, error: String },

    /// 404 on a single resource (`?id=`, `?world=`). Requests by `ids=` never give this: unknown
    /// ids there are reported in [`crate::Fetched::missing`].
    #[error("GW2 API has no {what}")]
    NotFound { what: String },

    /// 401/403: the API key is missing, revoked or lacks a permission. The key is never included.
    #[error("GW2 API rejected the API key ({code}): {text}")]
    InvalidKey { code: u16, text: String },

    /// The [`crate::ClientConfig`] cannot be used (bad base URL, header values).
    #[error("invalid GW2 API client configuration: {0}")]
    Config(String),
}

impl Gw2ApiError {
    /// Whether the failure means "the API is not serving right now" (as opposed to "the request
    /// was wrong"): the caller should fall back to embedded data and say so.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Gw2ApiError::Unavailable { .. }
            | Gw2ApiError::Timeout(_)
            | Gw2ApiError::RateLimited { .. } => true,
            Gw2ApiError::Status { code, .. } => *code >= 500,
            _ => false,
        }
    }
}
