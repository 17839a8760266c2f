//! Adapter for Ollama's HTTP API (<https://github.com/ollama/ollama/blob/main/docs/api.md>): the
//! service's optional language model, which phrases and explains what the engines computed.
//!
//! What it speaks:
//! - `POST /api/chat` with `"stream": true`: the answer comes as newline-delimited JSON, one
//!   object per line, each carrying a piece of the answer in `message.content`; the last has
//!   `"done": true` and the timing fields (`total_duration`, `eval_count`, ... in nanoseconds and
//!   tokens). An error before the answer starts is an HTTP status with `{"error": "..."}` (404
//!   when the model is not pulled); one after it started is a line `{"error": "..."}` under the
//!   200 already sent (<https://docs.ollama.com/api/errors>).
//! - `GET /api/tags`: the models pulled on the server, for the readiness probe.
//!
//! Because the model is optional, every call is bounded and fails fast when Ollama is down, so
//! the caller can answer without it at once:
//! - timeouts for connecting, for the first byte of the answer (loading a model from disk can
//!   take tens of seconds), between two chunks (idle) and for the whole answer;
//! - a circuit breaker ([`resilience::CircuitBreaker`], shared with the Redis cache and the GW2
//!   API client): after a run of failed calls Ollama is not called for a cool-down, and calls
//!   fail with [`OllamaError::BreakerOpen`] without touching the network.
//!
//! [`OllamaClient::chat_stream`] gives the answer as a [`futures_util::Stream`] of
//! [`ChatChunk`]s so callers can forward tokens as they come; [`OllamaClient::chat`] collects
//! them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod client;
mod config;
mod error;
mod probe;
mod stream;
#[cfg(feature = "testing")]
pub mod testing;
mod wire;

pub use client::OllamaClient;
pub use config::{OllamaConfig, DEFAULT_BASE_URL, DEFAULT_MODEL};
pub use error::{OllamaError, TimeoutPhase};
pub use probe::{same_model, Probe, ProbeState};
pub use resilience::BreakerState;
pub use stream::{ChatChunk, ChatDone, ChatReply, ChatStream};
pub use wire::{Message, ModelInfo, Role};
