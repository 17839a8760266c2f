//! Readiness: is Ollama up, and has it pulled the configured model (`GET /api/tags`)?

use std::time::Duration;

use resilience::BreakerState;

use crate::error::OllamaError;

/// What the probe found.
#[derive(Debug, Clone)]
pub enum ProbeState {
    /// Up, with the model pulled.
    Ready,
    /// Up, but the model is not among those pulled (`ollama pull <model>` fixes it).
    ModelNotPulled { pulled: Vec<String> },
    /// No usable answer.
    Down(OllamaError),
}

#[derive(Debug, Clone)]
pub struct Probe {
    pub state: ProbeState,
    /// How long the probe took.
    pub latency: Duration,
    /// The chat calls' breaker: `Open` means chats are not sent for now, whatever the probe says.
    pub breaker: BreakerState,
    /// The configured model.
    pub model: String,
}

impl Probe {
    /// Chats can be answered now: reachable, model pulled, breaker not open.
    pub fn is_ready(&self) -> bool {
        matches!(self.state, ProbeState::Ready) && self.breaker != BreakerState::Open
    }

    /// One sentence for a health document.
    pub fn describe(&self) -> String {
        let breaker = if self.breaker == BreakerState::Open {
            "; chats are not sent for now (circuit breaker open after repeated failures)"
        } else {
            ""
        };
        let state = match &self.state {
            ProbeState::Ready => format!("model {} is pulled", self.model),
            ProbeState::ModelNotPulled { pulled } => format!(
                "model {} is not pulled (run `ollama pull {}`); pulled: {}",
                self.model,
                self.model,
                if pulled.is_empty() {
                    "none".to_owned()
                } else {
                    pulled.join(", ")
                }
            ),
            ProbeState::Down(error) => error.to_string(),
        };
        format!("{state}{breaker}")
    }
}

/// Whether two model names mean the same model: Ollama reads a name without a tag as
/// `name:latest` (`docs/api.md`, "Model names"), so `mistral` is `mistral:latest`. The tag is
/// what follows the last `:` after the last `/` (a registry host may carry a port).
pub fn same_model(a: &str, b: &str) -> bool {
    fn full(name: &str) -> String {
        let name = name.trim().to_ascii_lowercase();
        let last = name.rsplit('/').next().unwrap_or(&name);
        if last.contains(':') {
            name
        } else {
            format!("{name}:latest")
        }
    }
    full(a) == full(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_without_tag_is_latest() {
        assert!(same_model("mistral", "mistral:latest"));
        assert!(same_model("Mistral:latest", "mistral"));
        assert!(!same_model("mistral", "mistral:7b"));
        assert!(same_model("llama3.2:3b", "llama3.2:3b"));
        assert!(!same_model("mistral", "mistral-nemo:latest"));
        assert!(same_model(
            "registry.local:5000/team/model",
            "registry.local:5000/team/model:latest"
        ));
    }
}
