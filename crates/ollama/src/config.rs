//! Client settings. The defaults suit a local Ollama on a CPU; tests shrink the delays.

use std::time::Duration;

/// Where `ollama serve` listens by default.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:11434";

/// The model asked for when none is configured (Mistral 7B: French and English, runs on a CPU).
pub const DEFAULT_MODEL: &str = "mistral";

#[derive(Debug, Clone)]
pub struct OllamaConfig {
    /// Scheme + host (+ optional path prefix), without `/api`.
    pub base_url: String,
    /// A model name as Ollama spells them (`mistral`, `llama3.2:3b`); without a tag Ollama
    /// means `:latest`.
    pub model: String,
    /// Establishing the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// From sending the request to the first bytes of the answer. Ollama loads the model
    /// before it answers, which can take tens of seconds the first time.
    pub first_byte_timeout: Duration,
    /// Longest silence between two chunks once the answer has started.
    pub idle_timeout: Duration,
    /// The whole answer, from sending the request to the `done` line.
    pub total_timeout: Duration,
    /// The readiness probe (`GET /api/tags`), whole request.
    pub probe_timeout: Duration,
    /// Consecutive failed chats that open the circuit breaker.
    pub breaker_threshold: u32,
    /// How long the breaker stays open before one trial call.
    pub breaker_cooldown: Duration,
    /// Sampling temperature sent in `options` (`None`: the model's default). Low values keep
    /// a grounded answer close to the facts it was given.
    pub temperature: Option<f32>,
    /// Longest accepted NDJSON line; a longer one is a broken stream (bounded memory).
    pub max_line_bytes: usize,
    pub user_agent: String,
}

impl Default for OllamaConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            model: DEFAULT_MODEL.to_owned(),
            connect_timeout: Duration::from_secs(3),
            first_byte_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(180),
            probe_timeout: Duration::from_secs(2),
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(30),
            temperature: Some(0.2),
            max_line_bytes: 1024 * 1024,
            user_agent: concat!("GW2Optimizer-ollama/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}
