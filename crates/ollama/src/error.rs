//! One error type for every way a call can fail, so the caller can tell "Ollama is down" (answer
//! without it) from "the request is wrong" (a model that is not pulled: say so to an operator).

use std::fmt;
use std::time::Duration;

/// Which of the configured timeouts ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPhase {
    Connect,
    FirstByte,
    Idle,
    Total,
    Probe,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::FirstByte => "waiting for the first byte",
            TimeoutPhase::Idle => "waiting for the next chunk",
            TimeoutPhase::Total => "for the whole answer",
            TimeoutPhase::Probe => "for the readiness probe",
        })
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum OllamaError {
    /// Not called: the circuit breaker is open after repeated failures.
    #[error("Ollama is not called for now: its circuit breaker is open after repeated failures")]
    BreakerOpen,

    /// No connection (refused, DNS, reset before an answer).
    #[error("Ollama is unreachable: {0}")]
    Unreachable(String),

    #[error("Ollama did not answer in time ({phase}, {after:?})")]
    Timeout {
        phase: TimeoutPhase,
        after: Duration,
    },

    /// 404 with Ollama's `{"error": "model 'x' not found, try pulling it first"}`: the server
    /// is up but does not have the model (`ollama pull <model>`).
    #[error("the model {model:?} is not pulled on the Ollama server: {message}")]
    ModelNotFound { model: String, message: String },

    /// Any other non-success status, with Ollama's `error` text.
    #[error("Ollama answered {status}: {message}")]
    Status { status: u16, message: String },

    /// An `{"error": "..."}` line in the middle of a streamed answer (the status was 200).
    #[error("Ollama stopped with an error: {0}")]
    Model(String),

    /// The stream cannot be read as Ollama's protocol: the connection dropped mid-answer, a
    /// line is not JSON or too long, or it ended without its `done` line.
    #[error("Ollama's answer broke off: {0}")]
    Broken(String),

    /// The [`crate::OllamaConfig`] cannot be used (bad base URL, zero timeouts).
    #[error("invalid Ollama client configuration: {0}")]
    Config(String),
}

impl OllamaError {
    /// Whether this failure says "Ollama is not serving" and so counts towards opening the
    /// circuit breaker. A 4xx (a model that is not pulled, a bad request) is Ollama answering
    /// correctly: calling again costs little and an operator has to fix it, so it does not.
    pub fn is_outage(&self) -> bool {
        match self {
            OllamaError::Unreachable(_)
            | OllamaError::Timeout { .. }
            | OllamaError::Model(_)
            | OllamaError::Broken(_) => true,
            OllamaError::Status { status, .. } => *status >= 500 || *status == 429,
            OllamaError::BreakerOpen
            | OllamaError::ModelNotFound { .. }
            | OllamaError::Config(_) => false,
        }
    }
}

/// Longest error text kept from an answer (it ends up in logs and health details).
const MAX_ERROR_TEXT: usize = 300;

/// Ollama's `{"error": "..."}` message and `true`, or the start of the body and `false` when it
/// is not that shape (a proxy's HTML page, Go's plain `404 page not found`).
pub(crate) fn error_message(body: &[u8]) -> (String, bool) {
    #[derive(serde::Deserialize)]
    struct Body {
        error: String,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(parsed) => (truncate(parsed.error), true),
        Err(_) => (
            truncate(String::from_utf8_lossy(body).trim().to_owned()),
            false,
        ),
    }
}

pub(crate) fn truncate(mut text: String) -> String {
    if text.len() > MAX_ERROR_TEXT {
        let mut end = MAX_ERROR_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ollamas_error_object() {
        let (text, json) =
            error_message(br#"{"error":"model 'x' not found, try pulling it first"}"#);
        assert_eq!(text, "model 'x' not found, try pulling it first");
        assert!(json);
        let (text, json) = error_message(b"404 page not found");
        assert_eq!(text, "404 page not found");
        assert!(!json);
        assert!(error_message(&[b'x'; 2000]).0.chars().count() <= MAX_ERROR_TEXT + 1);
    }

    #[test]
    fn only_outages_count_for_the_breaker() {
        assert!(OllamaError::Unreachable("refused".into()).is_outage());
        assert!(OllamaError::Status {
            status: 500,
            message: String::new()
        }
        .is_outage());
        assert!(!OllamaError::Status {
            status: 400,
            message: String::new()
        }
        .is_outage());
        assert!(!OllamaError::ModelNotFound {
            model: "x".into(),
            message: String::new()
        }
        .is_outage());
    }
}
