//! What the meta overview is computed from: how often each (profession, specialization) was
//! stored for some game modes since a moment, counted per source. Counting only; the service
//! turns the counts into ratios. Every value is a bind parameter; only the number of
//! placeholders depends on the input (one per game mode).

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

/// Public builds of one of `game_modes` created at or after `since`.
pub async fn public_builds(
    db: &Db,
    game_modes: &[&str],
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    let sql = format!(
        "SELECT profession, specialization, CAST(NULL AS TEXT) AS synergy_score, COUNT(*) AS count \
         FROM builds WHERE is_public = TRUE AND game_mode IN ({}) AND created_at >= ${} \
         GROUP BY profession, specialization",
        placeholders(game_modes),
        game_modes.len() + 1
    );
    groups(db, &sql, game_modes, since).await
}

/// Slots of public teams of one of `game_modes` saved (created or last replaced) at or after
/// `since`, holding a public build: counted with that build's profession and specialization.
pub async fn team_slots(
    db: &Db,
    game_modes: &[&str],
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    let sql = format!(
        "SELECT b.profession, b.specialization, CAST(NULL AS TEXT) AS synergy_score, COUNT(*) AS count \
         FROM team_slots s JOIN team_compositions t ON t.id = s.team_id JOIN builds b ON b.id = s.build_id \
         WHERE t.is_public = TRUE AND b.is_public = TRUE AND t.game_mode IN ({}) AND t.updated_at >= ${} \
         GROUP BY b.profession, b.specialization",
        placeholders(game_modes),
        game_modes.len() + 1
    );
    groups(db, &sql, game_modes, since).await
}

/// Saved builds (every user's) of one of `game_modes` saved at or after `since`.
pub async fn saved_builds(
    db: &Db,
    game_modes: &[&str],
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    let sql = format!(
        "SELECT profession, specialization, synergy_score, COUNT(*) AS count \
         FROM saved_builds WHERE game_mode IN ({}) AND created_at >= ${} \
         GROUP BY profession, specialization, synergy_score",
        placeholders(game_modes),
        game_modes.len() + 1
    );
    groups(db, &sql, game_modes, since).await
}

/// `$1, $2, ...`: one placeholder per game mode.
fn placeholders(game_modes: &[&str]) -> String {
    (1..=game_modes.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn groups(
    db: &Db,
    sql: &str,
    game_modes: &[&str],
    since: DateTime<Utc>,
) -> Result<Vec<MetaGroup>, StoreError> {
    if game_modes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(on_read!(db, pool => {
        let mut query = sqlx::query_as::<_, MetaGroup>(sql);
        for mode in game_modes {
            query = query.bind(*mode);
        }
        query.bind(since).fetch_all(pool).await
    })?)
}

/// The reports (JSON) of the newest public WvW fights uploaded at or after `since`, at most
/// `limit` of them: the meta overview counts the squads that actually fought.
pub async fn wvw_fight_reports(
    db: &Db,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    let sql =
        "SELECT report FROM fights WHERE is_public = TRUE AND is_wvw = TRUE AND created_at >= $1 \
               ORDER BY created_at DESC LIMIT $2";
    Ok(on_read!(db, pool => {
        sqlx::query_scalar::<_, String>(sql).bind(since).bind(limit).fetch_all(pool).await
    })?)
}
