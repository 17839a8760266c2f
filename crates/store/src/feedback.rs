//! The `ai_feedback` table: ratings of the AI answers (anonymous or by a user), kept for the
//! learning work.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub target_id: String,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, user_id, target_id, rating, comment, created_at";

/// Stores one rating (1..=10, also checked by the table) of `target_id`.
pub async fn create(
    db: &Db,
    user_id: Option<Uuid>,
    target_id: &str,
    rating: i32,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<FeedbackRow, StoreError> {
    let sql = format!(
        "INSERT INTO ai_feedback ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
    );
    Ok(on_write!(db, pool => sqlx::query_as::<_, FeedbackRow>(&sql)
        .bind(Uuid::new_v4()).bind(user_id).bind(target_id).bind(rating).bind(comment).bind(now)
        .fetch_one(pool).await)?)
}

/// Every rating of `target_id`, oldest first (what the learning work reads).
pub async fn of_target(db: &Db, target_id: &str) -> Result<Vec<FeedbackRow>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM ai_feedback WHERE target_id = $1 ORDER BY created_at, id");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, FeedbackRow>(&sql).bind(target_id).fetch_all(pool).await)?,
    )
}
