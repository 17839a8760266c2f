//! Chat with the adviser (issue #21, "Chat"): each user's conversations, stored; every answer
//! grounded in the engines' results ([`grounding`]). With Ollama configured and up, the
//! language model phrases the answer from those results (the system prompt of [`prompt`]);
//! when it is not configured, is down, times out or fails, the answer is the engines' own text,
//! saying that no language model was used. A chat never fails because the model did.

pub mod grounding;
/// The shared language type, under the name the chat's modules use.
pub use super::lang;
pub mod prompt;
mod render;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use ollama::{ChatChunk, OllamaClient};
use serde::{Deserialize, Serialize};
use store::chat::{self as repo, ConversationRow, MessageRow};
use store::users::User;
use store::Db;
use tokio::sync::mpsc;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use grounding::{Fact, Grounded, Grounding};
use lang::Lang;

/// Longest message, in characters (a question or a few paragraphs).
pub const MAX_MESSAGE_CHARS: usize = 4_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChatIn {
    /// 1 to 4,000 characters; line breaks allowed.
    pub message: String,
    /// Continue this conversation (yours); absent: start a new one.
    #[serde(default)]
    pub conversation_id: Option<Uuid>,
    /// `en` or `fr`; absent: the language the message is written in.
    #[serde(default)]
    pub language: Option<Lang>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageOut {
    pub id: Uuid,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    /// The language model that wrote an assistant message; null for the user's messages and
    /// for answers made without a model.
    pub model: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<MessageRow> for MessageOut {
    fn from(row: MessageRow) -> Self {
        Self {
            id: row.id,
            role: row.role,
            content: row.content,
            model: row.model,
            created_at: row.created_at,
        }
    }
}

/// An answer: the stored assistant message, which model was configured and whether it wrote
/// the answer, and the facts the answer is grounded in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChatOut {
    pub conversation_id: Uuid,
    pub message: MessageOut,
    /// The configured language model (`OLLAMA_MODEL`); null when no Ollama is configured.
    pub model: Option<String>,
    /// Whether the model wrote this answer; false: the engines' text, which says so.
    pub used_model: bool,
    pub grounding: Vec<Fact>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversationOut {
    pub id: Uuid,
    /// The first message's first line (at most 80 characters).
    pub title: String,
    pub message_count: i64,
    pub created_at: DateTime<Utc>,
    /// When its last message was written.
    pub updated_at: DateTime<Utc>,
}

impl From<ConversationRow> for ConversationOut {
    fn from(row: ConversationRow) -> Self {
        Self {
            id: row.id,
            title: row.title,
            message_count: row.message_count,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversationDetail {
    pub id: Uuid,
    pub title: String,
    pub message_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub messages: Vec<MessageOut>,
}

/// One event of a streamed answer.
#[derive(Debug, Clone)]
pub enum ChatEvent {
    /// A piece of the answer.
    Token(String),
    /// Something went wrong; when tokens were sent before it they are void, and the answer
    /// that replaces them follows.
    Error { detail: String, code: &'static str },
    /// The stored answer, as `POST /chat` returns it; nothing follows.
    Done(ChatOut),
}

/// A message accepted and stored, grounded, and ready to be answered.
pub struct Turn {
    conversation_id: Uuid,
    lang: Lang,
    grounded: Grounded,
    messages: Vec<ollama::Message>,
    started: Instant,
}

/// The chat service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Chat {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
    pub(crate) grounding: Arc<dyn Grounding>,
    /// `None`: no `OLLAMA_URL`, every answer is the engines' text.
    pub(crate) ollama: Option<OllamaClient>,
    /// How long `POST /chat` may take in all (within the request timeout, so a slow model
    /// gives the engines' answer instead of a 503).
    pub(crate) answer_budget: Duration,
}

impl Chat {
    /// Checks the message, finds or starts the conversation, stores the message and grounds
    /// it. 422 for a bad message, 404 for a conversation that is not the user's.
    pub async fn start(&self, user: &User, input: ChatIn) -> ApiResult<Turn> {
        let started = Instant::now();
        let message = check_message(&input.message)?;
        let (conversation, history) = match input.conversation_id {
            Some(id) => {
                let conversation = self.owned(user, id).await?;
                let history =
                    repo::last_messages(&self.db, conversation.id, prompt::HISTORY).await?;
                (conversation, history)
            }
            None => {
                let title = prompt::title(message);
                let conversation =
                    repo::create_conversation(&self.db, user.id, &title, self.clock.now()).await?;
                (conversation, Vec::new())
            }
        };
        repo::add_message(
            &self.db,
            conversation.id,
            "user",
            message,
            None,
            self.clock.now(),
        )
        .await?;
        let lang = input.language.unwrap_or_else(|| Lang::detect(message));
        let grounded = self.grounding.ground(user, message, lang).await;
        let mut messages = vec![ollama::Message::system(prompt::system(
            &grounded.facts,
            lang,
        ))];
        for past in history {
            messages.push(if past.role == "user" {
                ollama::Message::user(past.content)
            } else {
                ollama::Message::assistant(past.content)
            });
        }
        messages.push(ollama::Message::user(message));
        Ok(Turn {
            conversation_id: conversation.id,
            lang,
            grounded,
            messages,
            started,
        })
    }

    /// The whole answer at once (`POST /chat`).
    pub async fn reply(&self, turn: Turn) -> ApiResult<ChatOut> {
        let budget = self.answer_budget.saturating_sub(turn.started.elapsed());
        let answered = match &self.ollama {
            Some(client) if !budget.is_zero() => {
                match client.with_total_timeout(budget).chat(&turn.messages).await {
                    Ok(reply) if !reply.content.trim().is_empty() => {
                        Some(reply.content.trim().to_owned())
                    }
                    Ok(_) => {
                        tracing::warn!("chat: the language model answered nothing");
                        None
                    }
                    Err(error) => {
                        tracing::warn!(error = %error, "chat: answering without the language model");
                        None
                    }
                }
            }
            _ => None,
        };
        self.finish(turn, answered).await
    }

    /// The answer as events (`POST /chat/stream`), from a task that stops when the receiver
    /// is dropped (the client left: the model's answer is abandoned and not stored).
    pub fn stream(&self, turn: Turn) -> mpsc::Receiver<ChatEvent> {
        let (tx, rx) = mpsc::channel(64);
        let chat = self.clone();
        tokio::spawn(async move { chat.run_stream(turn, tx).await });
        rx
    }

    async fn run_stream(self, turn: Turn, tx: mpsc::Sender<ChatEvent>) {
        let mut answered = None;
        let mut sent_tokens = false;
        if let Some(client) = &self.ollama {
            match client.chat_stream(&turn.messages).await {
                Err(error) => {
                    tracing::warn!(error = %error, "chat: answering without the language model");
                }
                Ok(mut stream) => {
                    let mut text = String::new();
                    while let Some(item) = stream.next().await {
                        match item {
                            Ok(ChatChunk::Token(token)) => {
                                text.push_str(&token);
                                if tx.send(ChatEvent::Token(token)).await.is_err() {
                                    return;
                                }
                                sent_tokens = true;
                            }
                            Ok(ChatChunk::Done(_)) => {
                                if !text.trim().is_empty() {
                                    answered = Some(text.trim().to_owned());
                                }
                                break;
                            }
                            Err(error) => {
                                tracing::warn!(error = %error, "chat: the language model failed mid-answer");
                                break;
                            }
                        }
                    }
                }
            }
        }
        if answered.is_none() {
            if sent_tokens {
                let detail = match turn.lang {
                    Lang::En => "The language model stopped before the end of its answer; the engines' answer follows.",
                    Lang::Fr => "Le modèle de langage s'est arrêté avant la fin de sa réponse ; la réponse des moteurs suit.",
                };
                let event = ChatEvent::Error {
                    detail: detail.to_owned(),
                    code: "model_failed",
                };
                if tx.send(event).await.is_err() {
                    return;
                }
            }
            let text = prompt::without_model(&turn.grounded.fallback_answer, turn.lang);
            if tx.send(ChatEvent::Token(text)).await.is_err() {
                return;
            }
        }
        let event = match self.finish(turn, answered).await {
            Ok(out) => ChatEvent::Done(out),
            Err(error) => {
                if let ApiError::Internal(detail) = &error {
                    tracing::error!(error = %detail, "chat: storing a streamed answer");
                }
                ChatEvent::Error {
                    detail: error.to_string(),
                    code: error.code(),
                }
            }
        };
        let _ = tx.send(event).await;
    }

    /// Stores the answer: the model's text, or the engines' with the no-model note.
    async fn finish(&self, turn: Turn, answered: Option<String>) -> ApiResult<ChatOut> {
        let used_model = answered.is_some();
        let content = answered
            .unwrap_or_else(|| prompt::without_model(&turn.grounded.fallback_answer, turn.lang));
        let model = self.ollama.as_ref().map(|c| c.model().to_owned());
        let row = repo::add_message(
            &self.db,
            turn.conversation_id,
            "assistant",
            &content,
            model.as_deref().filter(|_| used_model),
            self.clock.now(),
        )
        .await?;
        Ok(ChatOut {
            conversation_id: turn.conversation_id,
            message: row.into(),
            model,
            used_model,
            grounding: turn.grounded.facts,
        })
    }

    /// A page of the user's conversations, most recently active first, and how many there are.
    pub async fn list(
        &self,
        user: &User,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<ConversationOut>, i64)> {
        let (rows, total) = repo::conversations_of(&self.db, user.id, skip, limit).await?;
        Ok((rows.into_iter().map(ConversationOut::from).collect(), total))
    }

    pub async fn get(&self, user: &User, id: Uuid) -> ApiResult<ConversationDetail> {
        let conversation = self.owned(user, id).await?;
        let messages = repo::messages(&self.db, id).await?;
        Ok(ConversationDetail {
            id: conversation.id,
            title: conversation.title,
            message_count: conversation.message_count,
            created_at: conversation.created_at,
            updated_at: conversation.updated_at,
            messages: messages.into_iter().map(MessageOut::from).collect(),
        })
    }

    pub async fn delete(&self, user: &User, id: Uuid) -> ApiResult<()> {
        self.owned(user, id).await?;
        repo::delete_conversation(&self.db, id).await?;
        Ok(())
    }

    /// The conversation if it is the user's. A chat is private: another account, a superuser
    /// included, gets the same 404 as for a conversation that does not exist.
    async fn owned(&self, user: &User, id: Uuid) -> ApiResult<ConversationRow> {
        match repo::conversation(&self.db, id).await? {
            Some(c) if c.user_id == user.id => Ok(c),
            _ => Err(ApiError::not_found("conversation")),
        }
    }
}

/// The message, trimmed: 1 to [`MAX_MESSAGE_CHARS`] characters (control characters are refused
/// earlier, by the text policy).
fn check_message(message: &str) -> ApiResult<&str> {
    let text = message.trim();
    if text.is_empty() {
        return Err(ApiError::validation("message", "must not be empty"));
    }
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(ApiError::validation(
            "message",
            format!("must be at most {MAX_MESSAGE_CHARS} characters (got {chars})"),
        ));
    }
    Ok(text)
}
