//! What the meta overview is computed from: how often each (profession, specialization) was
//! stored for one game mode since a moment, counted per source. Counting only; the service
//! turns the counts into ratios.

use chrono::{DateTime, Utc};

use crate::{on_read, Db, StoreError};

/// Rows of one source sharing a profession, specialization and (for saved builds) grade.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MetaGroup {
    pub profession: Option<String>,
    pub specialization: Option<String>,
    /// Saved builds only (builds and team slots carry none).
    pub synergy_score: Option<String>,
    pub count: i64,
}

/// Public builds of `game_mode` created at or after `since`.
pub async fn public_builds(
    db: &Db,
    game_mode: &str,
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    let sql = "SELECT profession, specialization, CAST(NULL AS TEXT) AS synergy_score, COUNT(*) AS count \
               FROM builds WHERE is_public = TRUE AND game_mode = $1 AND created_at >= $2 \
               GROUP BY profession, specialization";
    groups(db, sql, game_mode, since).await
}

/// Slots of public teams of `game_mode` saved (created or last replaced) at or after
/// `since`, holding a public build: counted with that build's profession and specialization.
pub async fn team_slots(
    db: &Db,
    game_mode: &str,
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    let sql = "SELECT b.profession, b.specialization, CAST(NULL AS TEXT) AS synergy_score, COUNT(*) AS count \
               FROM team_slots s JOIN team_compositions t ON t.id = s.team_id JOIN builds b ON b.id = s.build_id \
               WHERE t.is_public = TRUE AND b.is_public = TRUE AND t.game_mode = $1 AND t.updated_at >= $2 \
               GROUP BY b.profession, b.specialization";
    groups(db, sql, game_mode, since).await
}

/// Saved builds (every user's) of `game_mode` saved at or after `since`.
pub async fn saved_builds(
    db: &Db,
    game_mode: &str,
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    let sql = "SELECT profession, specialization, synergy_score, COUNT(*) AS count \
               FROM saved_builds WHERE game_mode = $1 AND created_at >= $2 \
               GROUP BY profession, specialization, synergy_score";
    groups(db, sql, game_mode, since).await
}

async fn groups(
    db: &Db,
    sql: &'static str,
    game_mode: &str,
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, MetaGroup>(sql).bind(game_mode).bind(since).fetch_all(pool).await)?,
    )
}
