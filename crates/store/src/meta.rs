//! What the meta overview and the meta analysis are computed from: how often each
//! (profession, specialization, role, equipment) was stored for some game modes within a time
//! window, counted per source. Counting only; the service turns the counts into shares and
//! trends. Every value is a bind parameter; only the number of placeholders depends on the
//! input (one per game mode).

use chrono::{DateTime, Utc};

use crate::{on_read, Db, StoreError};

/// Rows of one source sharing a profession, specialization, role, equipment and (for saved
/// builds) grade.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MetaGroup {
    pub profession: Option<String>,
    pub specialization: Option<String>,
    /// Saved builds only (builds and team slots carry none).
    pub synergy_score: Option<String>,
    /// Builds and team slots (a slot's role override, else its build's role); saved builds
    /// carry none.
    pub role: Option<String>,
    /// Builds and team slots: the build's equipment as stored (JSON text).
    pub equipment: Option<String>,
    /// Builds only: the up- and downvotes of the group's builds (their totals now).
    pub upvotes: i64,
    pub downvotes: i64,
    pub count: i64,
}

/// A time window: `since` inclusive, `until` exclusive (`None`: no end, what "the last N
/// days" means when the newest rows carry the current instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

impl Window {
    /// `since` and after.
    pub fn since(since: DateTime<Utc>) -> Self {
        Window { since, until: None }
    }
}

/// Which game modes to count: some stored modes, or every row whatever its mode (saved
/// builds without a mode included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modes<'a> {
    Some(&'a [&'a str]),
    All,
}

/// Public builds created within `window`.
pub async fn public_builds(
    db: &Db,
    modes: Modes<'_>,
    window: Window,
) -> Result<Vec<MetaGroup>, StoreError> {
    let filter = Filter::new("game_mode", "created_at", modes, window);
    let sql = format!(
        "SELECT profession, specialization, CAST(NULL AS TEXT) AS synergy_score, role, equipment, \
         CAST(SUM(upvotes) AS BIGINT) AS upvotes, CAST(SUM(downvotes) AS BIGINT) AS downvotes, COUNT(*) AS count \
         FROM builds WHERE is_public = TRUE{} \
         GROUP BY profession, specialization, role, equipment",
        filter.sql()
    );
    filter.groups(db, &sql).await
}

/// Slots of public teams saved (created or last replaced) within `window`, holding a public
/// build: counted with that build's profession, specialization and equipment, and the slot's
/// role (its override, else the build's).
pub async fn team_slots(
    db: &Db,
    modes: Modes<'_>,
    window: Window,
) -> Result<Vec<MetaGroup>, StoreError> {
    let filter = Filter::new("t.game_mode", "t.updated_at", modes, window);
    let sql = format!(
        "SELECT b.profession, b.specialization, CAST(NULL AS TEXT) AS synergy_score, \
         COALESCE(s.role_override, b.role) AS role, b.equipment, \
         CAST(0 AS BIGINT) AS upvotes, CAST(0 AS BIGINT) AS downvotes, COUNT(*) AS count \
         FROM team_slots s JOIN team_compositions t ON t.id = s.team_id JOIN builds b ON b.id = s.build_id \
         WHERE t.is_public = TRUE AND b.is_public = TRUE{} \
         GROUP BY b.profession, b.specialization, COALESCE(s.role_override, b.role), b.equipment",
        filter.sql()
    );
    filter.groups(db, &sql).await
}

/// Saved builds (every user's) saved within `window`.
pub async fn saved_builds(
    db: &Db,
    modes: Modes<'_>,
    window: Window,
) -> Result<Vec<MetaGroup>, StoreError> {
    let filter = Filter::new("game_mode", "created_at", modes, window);
    let sql = format!(
        "SELECT profession, specialization, synergy_score, CAST(NULL AS TEXT) AS role, \
         CAST(NULL AS TEXT) AS equipment, CAST(0 AS BIGINT) AS upvotes, CAST(0 AS BIGINT) AS downvotes, \
         COUNT(*) AS count \
         FROM saved_builds WHERE 1 = 1{} \
         GROUP BY profession, specialization, synergy_score",
        filter.sql()
    );
    filter.groups(db, &sql).await
}

/// The `AND ...` of a query: the game modes and the window, with their values in
/// placeholder order.
struct Filter<'a> {
    mode_column: &'static str,
    time_column: &'static str,
    modes: Modes<'a>,
    window: Window,
}

impl<'a> Filter<'a> {
    fn new(
        mode_column: &'static str,
        time_column: &'static str,
        modes: Modes<'a>,
        window: Window,
    ) -> Self {
        Filter {
            mode_column,
            time_column,
            modes,
            window,
        }
    }

    fn sql(&self) -> String {
        let mut sql = String::new();
        let mut next = 1;
        if let Modes::Some(modes) = self.modes {
            let placeholders = (next..next + modes.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            next += modes.len();
            sql.push_str(&format!(" AND {} IN ({placeholders})", self.mode_column));
        }
        sql.push_str(&format!(" AND {} >= ${next}", self.time_column));
        next += 1;
        if self.window.until.is_some() {
            sql.push_str(&format!(" AND {} < ${next}", self.time_column));
        }
        sql
    }

    async fn groups(&self, db: &Db, sql: &str) -> Result<Vec<MetaGroup>, StoreError> {
        if matches!(self.modes, Modes::Some(m) if m.is_empty()) {
            return Ok(Vec::new());
        }
        Ok(on_read!(db, pool => {
            let mut query = sqlx::query_as::<_, MetaGroup>(sql);
            if let Modes::Some(modes) = self.modes {
                for mode in modes {
                    query = query.bind(*mode);
                }
            }
            query = query.bind(self.window.since);
            if let Some(until) = self.window.until {
                query = query.bind(until);
            }
            query.fetch_all(pool).await
        })?)
    }
}

/// A public WvW fight's report (JSON) and its outcome for the squad (`victory`, `defeat`,
/// `draw`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FightReport {
    pub report: String,
    pub outcome: String,
}

/// The reports of the newest public WvW fights uploaded within `window`, at most `limit` of
/// them: the meta counts the squads that actually fought.
pub async fn wvw_fight_reports(
    db: &Db,
    window: Window,
    limit: i64,
) -> Result<Vec<FightReport>, StoreError> {
    let until = if window.until.is_some() {
        " AND created_at < $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT report, outcome FROM fights WHERE is_public = TRUE AND is_wvw = TRUE AND created_at >= $1{until} \
         ORDER BY created_at DESC LIMIT $2"
    );
    Ok(on_read!(db, pool => {
        let mut query = sqlx::query_as::<_, FightReport>(&sql).bind(window.since).bind(limit);
        if let Some(until) = window.until {
            query = query.bind(until);
        }
        query.fetch_all(pool).await
    })?)
}
