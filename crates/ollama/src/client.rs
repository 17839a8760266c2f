//! The client: the circuit breaker, then `POST /api/chat` under the connect and first-byte
//! timeouts; the answer's body is read by [`crate::stream`].

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use resilience::{BreakerState, CircuitBreaker};
use tokio::time::Instant;

use crate::config::OllamaConfig;
use crate::error::{error_message, OllamaError, TimeoutPhase};
use crate::probe::{same_model, Probe, ProbeState};
use crate::stream::{ChatChunk, ChatReply, ChatStream, Reader, Verdict};
use crate::wire::{ChatRequest, Message, ModelInfo, Options, Tags};

/// Cheap to clone: clones share the connection pool and the circuit breaker.
#[derive(Clone)]
pub struct OllamaClient {
    inner: Arc<Inner>,
    /// Per clone, so one caller can bound its answers more tightly ([`Self::with_total_timeout`]).
    total_timeout: Duration,
}

struct Inner {
    http: reqwest::Client,
    /// The base URL without its trailing `/`.
    base: String,
    config: OllamaConfig,
    breaker: Arc<CircuitBreaker>,
}

impl std::fmt::Debug for OllamaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OllamaClient")
            .field("base_url", &self.inner.base)
            .field("model", &self.inner.config.model)
            .finish_non_exhaustive()
    }
}

impl OllamaClient {
    pub fn new(config: OllamaConfig) -> Result<Self, OllamaError> {
        let parsed = url::Url::parse(config.base_url.trim())
            .map_err(|e| OllamaError::Config(format!("base_url {:?}: {e}", config.base_url)))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(OllamaError::Config(format!(
                "base_url {:?} must be http(s)",
                config.base_url
            )));
        }
        if config.model.trim().is_empty() {
            return Err(OllamaError::Config("model must not be empty".into()));
        }
        let timeouts = [
            config.connect_timeout,
            config.first_byte_timeout,
            config.idle_timeout,
            config.total_timeout,
            config.probe_timeout,
        ];
        if timeouts.iter().any(Duration::is_zero) {
            return Err(OllamaError::Config("timeouts must be positive".into()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| OllamaError::Config(format!("HTTP client: {e}")))?;
        let breaker = Arc::new(CircuitBreaker::new(
            config.breaker_threshold,
            config.breaker_cooldown,
        ));
        let total_timeout = config.total_timeout;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base: config.base_url.trim().trim_end_matches('/').to_owned(),
                config,
                breaker,
            }),
            total_timeout,
        })
    }

    /// The same client (pool and breaker shared) with another bound on a whole answer: a
    /// caller that must answer within its own deadline (an HTTP request timeout) uses this.
    pub fn with_total_timeout(&self, total: Duration) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            total_timeout: total.max(Duration::from_millis(1)),
        }
    }

    /// The configured model.
    pub fn model(&self) -> &str {
        &self.inner.config.model
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    pub fn config(&self) -> &OllamaConfig {
        &self.inner.config
    }

    /// `Open`: chats fail at once with [`OllamaError::BreakerOpen`].
    pub fn breaker_state(&self) -> BreakerState {
        self.inner.breaker.state()
    }

    /// Sends `messages` to the configured model and returns the answer as it streams. Fails
    /// before any token when the breaker is open, Ollama cannot be reached, the model is not
    /// pulled, or nothing comes back within the first-byte timeout.
    pub async fn chat_stream(&self, messages: &[Message]) -> Result<ChatStream, OllamaError> {
        let started = Instant::now();
        let config = &self.inner.config;
        let total = (started + self.total_timeout, self.total_timeout);
        let first_byte = (
            started + config.first_byte_timeout,
            config.first_byte_timeout,
        );
        let breaker = &self.inner.breaker;
        let trial = breaker.state() == BreakerState::HalfOpen;
        if !breaker.allow() {
            return Err(OllamaError::BreakerOpen);
        }
        let mut verdict = Verdict::new(Arc::clone(breaker), trial);

        let body = ChatRequest {
            model: &config.model,
            messages,
            stream: true,
            options: config
                .temperature
                .map(|temperature| Options { temperature }),
        };
        let (deadline, phase, after) = if first_byte.0 < total.0 {
            (first_byte.0, TimeoutPhase::FirstByte, first_byte.1)
        } else {
            (total.0, TimeoutPhase::Total, total.1)
        };
        let request = self
            .inner
            .http
            .post(format!("{}/api/chat", self.inner.base))
            .json(&body)
            .send();
        let response = match tokio::time::timeout_at(deadline, request).await {
            Err(_) => {
                let error = OllamaError::Timeout { phase, after };
                verdict.settle(Err(&error));
                return Err(error);
            }
            Ok(Err(error)) => {
                let error = self.send_error(&error);
                verdict.settle(Err(&error));
                return Err(error);
            }
            Ok(Ok(response)) => response,
        };

        let status = response.status();
        if !status.is_success() {
            let body = tokio::time::timeout_at(deadline, response.bytes())
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            let (message, is_ollama_error) = error_message(&body);
            let error = if status == reqwest::StatusCode::NOT_FOUND && is_ollama_error {
                OllamaError::ModelNotFound {
                    model: config.model.clone(),
                    message,
                }
            } else {
                OllamaError::Status {
                    status: status.as_u16(),
                    message,
                }
            };
            verdict.settle(Err(&error));
            tracing::warn!(error = %error, "Ollama refused a chat");
            return Err(error);
        }
        Ok(ChatStream::new(Reader {
            response,
            verdict,
            buffer: Vec::new(),
            ready: VecDeque::new(),
            finished: false,
            got_bytes: false,
            first_byte,
            total,
            idle: config.idle_timeout,
            max_line_bytes: config.max_line_bytes,
        }))
    }

    /// [`Self::chat_stream`], collected into one answer.
    pub async fn chat(&self, messages: &[Message]) -> Result<ChatReply, OllamaError> {
        let mut stream = self.chat_stream(messages).await?;
        let mut content = String::new();
        while let Some(chunk) = stream.next().await {
            match chunk? {
                ChatChunk::Token(token) => content.push_str(&token),
                ChatChunk::Done(done) => return Ok(ChatReply { content, done }),
            }
        }
        Err(OllamaError::Broken(
            "the answer ended without its `done` line".into(),
        ))
    }

    /// The models pulled on the server (`GET /api/tags`), within the probe timeout. Not behind
    /// the breaker: it is how an operator (and the health check) sees whether Ollama is back.
    pub async fn tags(&self) -> Result<Vec<ModelInfo>, OllamaError> {
        let timeout = self.inner.config.probe_timeout;
        let timed_out = OllamaError::Timeout {
            phase: TimeoutPhase::Probe,
            after: timeout,
        };
        let request = self
            .inner
            .http
            .get(format!("{}/api/tags", self.inner.base))
            .send();
        let answer = tokio::time::timeout(timeout, async {
            let response = request.await.map_err(|e| self.send_error(&e))?;
            let status = response.status();
            let body = response
                .bytes()
                .await
                .map_err(|e| OllamaError::Broken(format!("reading /api/tags: {e}")))?;
            Ok::<_, OllamaError>((status, body))
        })
        .await;
        let (status, body) = match answer {
            Err(_) => return Err(timed_out),
            Ok(result) => result?,
        };
        if !status.is_success() {
            return Err(OllamaError::Status {
                status: status.as_u16(),
                message: error_message(&body).0,
            });
        }
        serde_json::from_slice::<Tags>(&body)
            .map(|tags| tags.models)
            .map_err(|e| OllamaError::Broken(format!("/api/tags is not Ollama's shape: {e}")))
    }

    /// Readiness: reachable, the configured model pulled, and the breaker's state.
    pub async fn probe(&self) -> Probe {
        let started = Instant::now();
        let model = self.model();
        let state = match self.tags().await {
            Ok(models) => {
                let pulled = models.iter().any(|m| {
                    same_model(&m.name, model)
                        || m.model.as_deref().is_some_and(|n| same_model(n, model))
                });
                if pulled {
                    ProbeState::Ready
                } else {
                    ProbeState::ModelNotPulled {
                        pulled: models.into_iter().map(|m| m.name).collect(),
                    }
                }
            }
            Err(error) => ProbeState::Down(error),
        };
        Probe {
            state,
            latency: started.elapsed(),
            breaker: self.breaker_state(),
            model: model.to_owned(),
        }
    }

    fn send_error(&self, error: &reqwest::Error) -> OllamaError {
        if error.is_timeout() {
            OllamaError::Timeout {
                phase: TimeoutPhase::Connect,
                after: self.inner.config.connect_timeout,
            }
        } else {
            // reqwest's message names the URL (no secret in it) and the cause.
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(": ");
                text.push_str(&cause.to_string());
                source = std::error::Error::source(cause);
            }
            OllamaError::Unreachable(crate::error::truncate(text))
        }
    }
}
