//! The `saved_builds` table: each player's private bookmarks of builds (the original
//! client's "My Builds"), keyed by an integer id (see migration 0010 for how ids are made).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SavedBuildRow {
    pub id: i64,
    pub user_id: Uuid,
    pub name: String,
    pub chat_code: Option<String>,
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub game_mode: Option<String>,
    pub synergy_score: Option<String>,
    pub source_url: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A saved build as validated by the service.
#[derive(Debug, Clone, Default)]
pub struct SavedBuildData {
    pub name: String,
    pub chat_code: Option<String>,
    pub profession: Option<String>,
    pub specialization: Option<String>,
    pub game_mode: Option<String>,
    pub synergy_score: Option<String>,
    pub source_url: Option<String>,
    pub notes: Option<String>,
}

const COLUMNS: &str = "id, user_id, name, chat_code, profession, specialization, game_mode, \
     synergy_score, source_url, notes, created_at";

/// Stores a saved build for `user_id` unless they already have `cap` of them (then `None`
/// and nothing is written).
///
/// One transaction: the id counter is bumped first, then the user's rows are counted, then
/// the row is written. On PostgreSQL the counter's row lock makes a concurrent insert wait
/// until this one commits, so its count sees this row and the cap holds exactly; SQLite has
/// one writer connection, which orders the transactions anyway.
pub async fn create(
    db: &Db,
    user_id: Uuid,
    data: &SavedBuildData,
    cap: i64,
    now: DateTime<Utc>,
) -> Result<Option<SavedBuildRow>, StoreError> {
    let bump = "UPDATE id_counters SET last_id = last_id + 1 WHERE name = 'saved_builds' RETURNING last_id";
    let count = "SELECT COUNT(*) FROM saved_builds WHERE user_id = $1";
    let insert = format!(
        "INSERT INTO saved_builds ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING {COLUMNS}"
    );
    let saved: Result<Option<SavedBuildRow>, sqlx::Error> = on_write!(db, pool => async {
        let mut tx = pool.begin().await?;
        let id: i64 = sqlx::query_scalar(bump).fetch_one(&mut *tx).await?;
        let existing: i64 = sqlx::query_scalar(count).bind(user_id).fetch_one(&mut *tx).await?;
        if existing >= cap {
            tx.rollback().await?;
            return Ok(None);
        }
        let row = sqlx::query_as::<_, SavedBuildRow>(&insert)
            .bind(id).bind(user_id).bind(&data.name).bind(&data.chat_code).bind(&data.profession)
            .bind(&data.specialization).bind(&data.game_mode).bind(&data.synergy_score)
            .bind(&data.source_url).bind(&data.notes).bind(now)
            .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(row))
    }
    .await);
    Ok(saved?)
}

/// The user's saved builds, newest first (the id breaks ties: a later save has a larger id).
pub async fn list_of(db: &Db, user_id: Uuid) -> Result<Vec<SavedBuildRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM saved_builds WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
    );
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, SavedBuildRow>(&sql).bind(user_id).fetch_all(pool).await)?,
    )
}

/// Deletes saved build `id` if `user_id` owns it; false when there is no such row of theirs.
pub async fn delete_owned(db: &Db, id: i64, user_id: Uuid) -> Result<bool, StoreError> {
    let sql = "DELETE FROM saved_builds WHERE id = $1 AND user_id = $2";
    let n = on_write!(db, pool => sqlx::query(sql).bind(id).bind(user_id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
