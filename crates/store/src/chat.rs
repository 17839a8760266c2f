//! Chat conversations and their messages (migration 0011). Each conversation belongs to one
//! user; who may read it is the server's decision.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

/// A conversation with how many messages it holds.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub title: String,
    pub message_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: Uuid,
    pub conversation_id: Uuid,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    /// The language model that wrote an assistant message; `None` without one.
    pub model: Option<String>,
    pub created_at: DateTime<Utc>,
}

const CONVERSATION_SELECT: &str = "SELECT c.id, c.user_id, c.title, \
     (SELECT COUNT(*) FROM chat_messages m WHERE m.conversation_id = c.id) AS message_count, \
     c.created_at, c.updated_at FROM conversations c";

const MESSAGE_COLUMNS: &str = "id, conversation_id, role, content, model, created_at";

/// Starts an empty conversation.
pub async fn create_conversation(
    db: &Db,
    user_id: Uuid,
    title: &str,
    now: DateTime<Utc>,
) -> Result<ConversationRow, StoreError> {
    let id = Uuid::new_v4();
    on_write!(db, pool => sqlx::query(
        "INSERT INTO conversations (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(id).bind(user_id).bind(title).bind(now).execute(pool).await.map(|_| ()))?;
    Ok(ConversationRow {
        id,
        user_id,
        title: title.to_owned(),
        message_count: 0,
        created_at: now,
        updated_at: now,
    })
}

pub async fn conversation(db: &Db, id: Uuid) -> Result<Option<ConversationRow>, StoreError> {
    let sql = format!("{CONVERSATION_SELECT} WHERE c.id = $1");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, ConversationRow>(&sql).bind(id).fetch_optional(pool).await)?,
    )
}

/// A user's conversations, most recently active first, and how many there are.
pub async fn conversations_of(
    db: &Db,
    user_id: Uuid,
    skip: i64,
    limit: i64,
) -> Result<(Vec<ConversationRow>, i64), StoreError> {
    let sql = format!(
        "{CONVERSATION_SELECT} WHERE c.user_id = $1 ORDER BY c.updated_at DESC, c.id DESC LIMIT $2 OFFSET $3"
    );
    let rows = on_read!(db, pool => sqlx::query_as::<_, ConversationRow>(&sql)
        .bind(user_id).bind(limit).bind(skip).fetch_all(pool).await)?;
    let total = on_read!(db, pool => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM conversations WHERE user_id = $1").bind(user_id).fetch_one(pool).await)?;
    Ok((rows, total))
}

/// Deletes a conversation and its messages; `false` when there was none.
pub async fn delete_conversation(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query("DELETE FROM conversations WHERE id = $1")
        .bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Appends a message and marks the conversation active. Its time is `now`, or one
/// microsecond after the conversation's last message when that is not earlier (two messages
/// within one microsecond, or clocks of two instances apart), so the order of a conversation
/// is the order of `created_at`.
pub async fn add_message(
    db: &Db,
    conversation_id: Uuid,
    role: &str,
    content: &str,
    model: Option<&str>,
    now: DateTime<Utc>,
) -> Result<MessageRow, StoreError> {
    let id = Uuid::new_v4();
    let at = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let last: Option<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT created_at FROM chat_messages WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1")
            .bind(conversation_id).fetch_optional(&mut *tx).await?;
        let at = match last {
            Some(last) if last >= now => last + chrono::Duration::microseconds(1),
            _ => now,
        };
        sqlx::query(&format!("INSERT INTO chat_messages ({MESSAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"))
            .bind(id).bind(conversation_id).bind(role).bind(content).bind(model).bind(at)
            .execute(&mut *tx).await?;
        sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = $2")
            .bind(at).bind(conversation_id).execute(&mut *tx).await?;
        tx.commit().await.map(|()| at)
    })?;
    Ok(MessageRow {
        id,
        conversation_id,
        role: role.to_owned(),
        content: content.to_owned(),
        model: model.map(str::to_owned),
        created_at: at,
    })
}

/// A conversation's messages, oldest first.
pub async fn messages(db: &Db, conversation_id: Uuid) -> Result<Vec<MessageRow>, StoreError> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 ORDER BY created_at, id"
    );
    Ok(on_read!(db, pool => sqlx::query_as::<_, MessageRow>(&sql)
        .bind(conversation_id).fetch_all(pool).await)?)
}

/// The last `n` messages of a conversation, oldest first (the context sent to a model).
pub async fn last_messages(
    db: &Db,
    conversation_id: Uuid,
    n: i64,
) -> Result<Vec<MessageRow>, StoreError> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    let mut rows = on_read!(db, pool => sqlx::query_as::<_, MessageRow>(&sql)
        .bind(conversation_id).bind(n).fetch_all(pool).await)?;
    rows.reverse();
    Ok(rows)
}
