//! The service's side of Ollama (crate `ollama`): the client built from the settings, when
//! `OLLAMA_URL` is set. Chat answers and `/health/ready` use it; without it every chat answer
//! is the engines' own text.

use std::time::Duration;

use ollama::{OllamaClient, OllamaConfig, OllamaError};

use crate::config::Settings;

/// A client for `OLLAMA_URL` and `OLLAMA_MODEL` with the adapter's default timeouts and
/// breaker; `None` when no Ollama is configured.
pub fn client(settings: &Settings) -> Result<Option<OllamaClient>, OllamaError> {
    let Some(url) = settings
        .ollama_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    else {
        return Ok(None);
    };
    let model = settings.ollama_model.trim();
    let config = OllamaConfig {
        base_url: url.to_owned(),
        model: if model.is_empty() {
            ollama::DEFAULT_MODEL.to_owned()
        } else {
            model.to_owned()
        },
        ..OllamaConfig::default()
    };
    OllamaClient::new(config).map(Some)
}

/// How long `POST /chat` may spend in all: the request timeout less a margin for storing the
/// answer, so a slow model gives way to the engines' answer rather than to a 503.
pub fn answer_budget(settings: &Settings) -> Duration {
    settings
        .request_timeout
        .saturating_sub(Duration::from_secs(2))
        .max(Duration::from_secs(1))
}
