//! `/api/v1/chat`: chat with the adviser (answers grounded in the engines, phrased by Ollama
//! when it is configured and up), streamed or not, and the caller's stored conversations.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde_json::json;
use uuid::Uuid;

use crate::auth::extract::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::http::paging::{Page, PageQuery};
use crate::services::chat::{ChatEvent, ChatIn, ChatOut, ConversationDetail, ConversationOut};
use crate::state::AppState;

/// Ask the adviser. The answer is grounded in the engines' results for the message (a squad
/// request goes to Team Commander), listed in `grounding`; with Ollama configured and up the
/// language model phrases it (`used_model: true`), otherwise it is the engines' own text,
/// saying no language model was used (`used_model: false`). Starts a conversation unless
/// `conversation_id` names one of yours; answers in `language`, or in the message's language.
#[utoipa::path(post, path = "/api/v1/chat", tag = "ai", security(("bearer" = [])), request_body = ChatIn,
    responses((status = 200, body = ChatOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<ChatIn>,
) -> ApiResult<Json<ChatOut>> {
    let turn = state.chat.start(&user, input).await?;
    Ok(Json(state.chat.reply(turn).await?))
}

/// [`send`] as Server-Sent Events: `event: token` with `{"content": "..."}` for each piece of
/// the answer, then `event: done` with the stored answer in `POST /chat`'s shape (its
/// `message.id` is the stored message's id; `message.content` is the whole answer). Failures
/// are `event: error` with `{"detail", "code"}`: `model_failed` when the model stopped
/// mid-answer — the tokens before it are void and the engines' answer follows, then `done`.
/// A bad message or conversation is an ordinary JSON error before any event.
#[utoipa::path(post, path = "/api/v1/chat/stream", tag = "ai", security(("bearer" = [])), request_body = ChatIn,
    responses((status = 200, content_type = "text/event-stream",
            description = "events `token` {content}, then `done` (the ChatOut), or `error` {detail, code}"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stream(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(input): Json<ChatIn>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let turn = state.chat.start(&user, input).await?;
    let events = state.chat.stream(turn);
    let stream = futures_util::stream::unfold(events, |mut events| async move {
        let event = events.recv().await?;
        Some((Ok(sse_event(&event)), events))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn sse_event(event: &ChatEvent) -> Event {
    let (name, data) = match event {
        ChatEvent::Token(content) => ("token", json!({ "content": content })),
        ChatEvent::Error { detail, code } => ("error", json!({ "detail": detail, "code": code })),
        ChatEvent::Done(out) => ("done", serde_json::to_value(out).unwrap_or_default()),
    };
    Event::default().event(name).data(data.to_string())
}

/// Your conversations, most recently active first.
#[utoipa::path(get, path = "/api/v1/chat/conversations", tag = "ai", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<ConversationOut>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_conversations(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<ConversationOut>>> {
    let (skip, limit) = page.bounds()?;
    let (items, total) = state.chat.list(&user, skip, limit).await?;
    Ok(Json(Page::new(items, total, (skip, limit))))
}

/// One of your conversations with its messages, oldest first (another account's is 404).
#[utoipa::path(get, path = "/api/v1/chat/conversations/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "conversation id")),
    responses((status = 200, body = ConversationDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_conversation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ConversationDetail>> {
    Ok(Json(state.chat.get(&user, id).await?))
}

/// Delete one of your conversations and its messages.
#[utoipa::path(delete, path = "/api/v1/chat/conversations/{id}", tag = "ai", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "conversation id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_conversation(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state.chat.delete(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
