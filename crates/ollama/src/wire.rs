//! The JSON shapes of Ollama's API, as documented in
//! <https://github.com/ollama/ollama/blob/main/docs/api.md> ("Generate a chat completion",
//! "List Local Models"). Readers ignore fields they do not use, so newer servers that add some
//! (`thinking`, `tool_calls`, `images`...) still decode.

use serde::{Deserialize, Serialize};

/// Who said a message: `system` (instructions), `user` or `assistant`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One message of a chat, as `/api/chat` takes them in `messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// `POST /api/chat` body: `model`, `messages`, `stream` and model `options`.
#[derive(Debug, Serialize)]
pub(crate) struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: &'a [Message],
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Options>,
}

/// The Modelfile parameters sent with a request (only those we set).
#[derive(Debug, Serialize)]
pub(crate) struct Options {
    pub temperature: f32,
}

/// One line of a streamed `/api/chat` answer: a piece of the answer (`done: false`), the last
/// line (`done: true`, with `done_reason` and the timings in nanoseconds), or an error line
/// that has only `error`.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatLine {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub message: Option<LineMessage>,
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub done_reason: Option<String>,
    #[serde(default)]
    pub total_duration: Option<u64>,
    #[serde(default)]
    pub load_duration: Option<u64>,
    #[serde(default)]
    pub prompt_eval_count: Option<u64>,
    #[serde(default)]
    pub prompt_eval_duration: Option<u64>,
    #[serde(default)]
    pub eval_count: Option<u64>,
    #[serde(default)]
    pub eval_duration: Option<u64>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LineMessage {
    #[serde(default)]
    pub content: String,
}

/// `GET /api/tags`: `{"models": [{"name": "codellama:13b", "modified_at": ..., "size": ...,
/// "digest": ..., "details": {...}}]}`.
#[derive(Debug, Deserialize)]
pub(crate) struct Tags {
    #[serde(default)]
    pub models: Vec<ModelInfo>,
}

/// A model pulled on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// `name:tag`, e.g. `mistral:latest`.
    pub name: String,
    /// Newer servers repeat the name here.
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub digest: Option<String>,
    #[serde(default)]
    pub modified_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_documented_lines() {
        // The examples of docs/api.md, "Chat Request (Streaming)".
        let chunk: ChatLine = serde_json::from_str(
            r#"{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false}"#,
        )
        .unwrap();
        assert_eq!(chunk.message.unwrap().content, "The");
        assert!(!chunk.done);
        let last: ChatLine = serde_json::from_str(
            r#"{"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","done":true,"total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}"#,
        )
        .unwrap();
        assert!(last.done && last.message.is_none());
        assert_eq!(last.eval_count, Some(282));
        assert_eq!(last.total_duration, Some(4_883_583_458));
        let error: ChatLine =
            serde_json::from_str(r#"{"error":"an error was encountered while running the model"}"#)
                .unwrap();
        assert_eq!(
            error.error.as_deref(),
            Some("an error was encountered while running the model")
        );
        let tags: Tags = serde_json::from_str(
            r#"{"models":[{"name":"codellama:13b","modified_at":"2023-11-04T14:56:49.277302595-07:00","size":7365960935,"digest":"9f43","details":{"format":"gguf"}}]}"#,
        )
        .unwrap();
        assert_eq!(tags.models[0].name, "codellama:13b");
    }

    #[test]
    fn encodes_the_documented_request() {
        let messages = [
            Message::system("Be brief."),
            Message::user("why is the sky blue?"),
        ];
        let body = serde_json::to_value(ChatRequest {
            model: "mistral",
            messages: &messages,
            stream: true,
            options: Some(Options { temperature: 0.5 }),
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"model": "mistral", "stream": true, "options": {"temperature": 0.5},
                "messages": [{"role": "system", "content": "Be brief."},
                             {"role": "user", "content": "why is the sky blue?"}]})
        );
    }
}
