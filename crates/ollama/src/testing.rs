//! A local stand-in for an Ollama server, for tests (this crate's and the server's): it speaks
//! the protocol of `docs/api.md` — `POST /api/chat` streaming NDJSON chunks and a `done` line
//! with its timings, `GET /api/tags` — answers a model that is not pulled as Ollama does (404,
//! `{"error":"model 'x' not found, try pulling it first"}`), and can be scripted to fail the
//! ways a real one does: an error line mid-answer, a slow first byte, a stall, a connection cut
//! mid-line, a line that is not JSON, a 500. It records every chat request it receives.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::probe::same_model;

/// How the next chats are answered (until changed).
#[derive(Debug, Clone)]
pub enum Script {
    /// The tokens, `gap` apart, then the `done` line.
    Answer { tokens: Vec<String>, gap: Duration },
    /// Nothing at all for `delay` (not even the status line), then the tokens and `done`.
    SlowStart {
        delay: Duration,
        tokens: Vec<String>,
    },
    /// The tokens, then an `{"error": ...}` line (status 200 already sent), then the end.
    ErrorLine { tokens: Vec<String>, error: String },
    /// The tokens, then silence for `stall`, then `done`.
    Stall {
        tokens: Vec<String>,
        stall: Duration,
    },
    /// The tokens, then half a line, then the connection drops.
    CutMidLine { tokens: Vec<String> },
    /// The tokens, then a line that is not JSON.
    InvalidLine { tokens: Vec<String> },
    /// The tokens, then the body ends cleanly without a `done` line.
    NoDone { tokens: Vec<String> },
    /// A plain answer with this status and body (`{"error": "..."}` for Ollama's errors).
    Status { status: u16, body: String },
}

/// Splits a text into tokens the way a model streams them: words with their leading space.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c == ' ' && !current.trim().is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

struct Shared {
    script: Mutex<Script>,
    pulled: Mutex<Vec<String>>,
    chats: Mutex<Vec<Value>>,
    chat_calls: AtomicUsize,
    tags_calls: AtomicUsize,
}

/// The server; stops when dropped.
pub struct FakeOllama {
    url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOllama {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeOllama {
    /// Listens on 127.0.0.1 (a free port), with `mistral:latest` pulled, answering "Hello from
    /// the fake model."
    pub async fn start() -> Self {
        let shared = Arc::new(Shared {
            script: Mutex::new(Script::Answer {
                tokens: tokens("Hello from the fake model."),
                gap: Duration::ZERO,
            }),
            pulled: Mutex::new(vec!["mistral:latest".to_owned()]),
            chats: Mutex::new(Vec::new()),
            chat_calls: AtomicUsize::new(0),
            tags_calls: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/api/chat", post(chat))
            .route("/api/tags", get(tags))
            .route(
                "/api/version",
                get(|| async { axum::Json(json!({"version": "0.5.7"})) }),
            )
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, shared, task }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn set_script(&self, script: Script) {
        *self.shared.script.lock().unwrap() = script;
    }

    /// Answers the next chats with `text`, as tokens.
    pub fn answer(&self, text: &str) {
        self.set_script(Script::Answer {
            tokens: tokens(text),
            gap: Duration::ZERO,
        });
    }

    /// The models `/api/tags` lists and `/api/chat` accepts.
    pub fn set_pulled(&self, models: &[&str]) {
        *self.shared.pulled.lock().unwrap() = models.iter().map(|m| (*m).to_owned()).collect();
    }

    /// Every `/api/chat` body received, in order.
    pub fn chat_requests(&self) -> Vec<Value> {
        self.shared.chats.lock().unwrap().clone()
    }

    pub fn chat_calls(&self) -> usize {
        self.shared.chat_calls.load(Ordering::SeqCst)
    }

    pub fn tags_calls(&self) -> usize {
        self.shared.tags_calls.load(Ordering::SeqCst)
    }
}

async fn tags(State(shared): State<Arc<Shared>>) -> axum::Json<Value> {
    shared.tags_calls.fetch_add(1, Ordering::SeqCst);
    let models: Vec<Value> = shared
        .pulled
        .lock()
        .unwrap()
        .iter()
        .map(|name| {
            json!({"name": name, "model": name, "modified_at": "2024-06-04T14:38:31.83753-07:00",
                   "size": 4_113_301_824u64, "digest": "f974a74358d62a017b37c6f424fcdf2744ca02926c4f952513ddf474b2fa5091",
                   "details": {"format": "gguf", "family": "llama", "families": ["llama"],
                               "parameter_size": "7.2B", "quantization_level": "Q4_0"}})
        })
        .collect();
    axum::Json(json!({ "models": models }))
}

/// One step of a streamed body.
enum Step {
    Send(Bytes),
    Wait(Duration),
    Fail,
}

fn line(value: &Value) -> Bytes {
    let mut text = value.to_string();
    text.push('\n');
    Bytes::from(text)
}

fn chunk(model: &str, token: &str) -> Step {
    Step::Send(line(&json!({
        "model": model, "created_at": "2023-08-04T08:52:19.385406455-07:00",
        "message": {"role": "assistant", "content": token}, "done": false
    })))
}

fn done(model: &str, tokens: usize) -> Step {
    Step::Send(line(&json!({
        "model": model, "created_at": "2023-08-04T19:22:45.499127Z",
        "message": {"role": "assistant", "content": ""}, "done_reason": "stop", "done": true,
        "total_duration": 4_883_583_458u64, "load_duration": 1_334_875, "prompt_eval_count": 26,
        "prompt_eval_duration": 342_546_000, "eval_count": tokens, "eval_duration": 4_535_599_000u64
    })))
}

async fn chat(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    shared.chat_calls.fetch_add(1, Ordering::SeqCst);
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return plain(
            400,
            r#"{"error":"invalid character looking for beginning of value"}"#,
        );
    };
    shared.chats.lock().unwrap().push(request.clone());
    let model = request["model"].as_str().unwrap_or_default().to_owned();
    if model.is_empty() {
        return plain(400, r#"{"error":"model is required"}"#);
    }
    let pulled = shared
        .pulled
        .lock()
        .unwrap()
        .iter()
        .any(|m| same_model(m, &model));
    if !pulled {
        let body = json!({"error": format!("model '{model}' not found, try pulling it first")});
        return plain(404, &body.to_string());
    }
    let script = shared.script.lock().unwrap().clone();
    let words = |tokens: &[String]| tokens.iter().map(|t| chunk(&model, t)).collect::<Vec<_>>();
    let steps: Vec<Step> = match script {
        Script::Status { status, body } => return plain(status, &body),
        Script::Answer { tokens, gap } => {
            let mut steps = Vec::new();
            for token in &tokens {
                steps.push(chunk(&model, token));
                steps.push(Step::Wait(gap));
            }
            steps.push(done(&model, tokens.len()));
            steps
        }
        Script::SlowStart { delay, tokens } => {
            tokio::time::sleep(delay).await;
            let mut steps = words(&tokens);
            steps.push(done(&model, tokens.len()));
            steps
        }
        Script::ErrorLine { tokens, error } => {
            let mut steps = words(&tokens);
            steps.push(Step::Send(line(&json!({ "error": error }))));
            steps
        }
        Script::Stall { tokens, stall } => {
            let mut steps = words(&tokens);
            steps.push(Step::Wait(stall));
            steps.push(done(&model, tokens.len()));
            steps
        }
        Script::CutMidLine { tokens } => {
            let mut steps = words(&tokens);
            steps.push(Step::Send(Bytes::from_static(
                br#"{"model":"mistral","created_at":"2023-08-04T08:52:19Z","message":{"role":"assis"#,
            )));
            steps.push(Step::Wait(Duration::from_millis(20)));
            steps.push(Step::Fail);
            steps
        }
        Script::InvalidLine { tokens } => {
            let mut steps = words(&tokens);
            steps.push(Step::Send(Bytes::from_static(
                b"<html>502 Bad Gateway</html>\n",
            )));
            steps.push(done(&model, tokens.len()));
            steps
        }
        Script::NoDone { tokens } => words(&tokens),
    };
    let stream = futures_util::stream::unfold(steps.into_iter(), |mut steps| async move {
        loop {
            match steps.next()? {
                Step::Send(bytes) => return Some((Ok(bytes), steps)),
                Step::Wait(delay) => tokio::time::sleep(delay).await,
                Step::Fail => {
                    return Some((Err(io::Error::other("connection dropped")), steps));
                }
            }
        }
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .body(Body::from_stream(stream))
        .expect("response")
}

fn plain(status: u16, body: &str) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(body.to_owned()))
        .expect("response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_their_leading_space() {
        assert_eq!(tokens("The sky is blue."), ["The", " sky", " is", " blue."]);
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(tokens("one"), ["one"]);
    }
}
