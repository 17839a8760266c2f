//! WvW fights (one per uploaded arcdps log, holding its parsed report) and sessions (the
//! fights of one evening, aggregated into "top stats").

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

/// A fight without its report: what lists and session pages show.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FightRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub uploader: String,
    pub file_name: String,
    pub file_size: i64,
    pub file_sha256: String,
    pub fight_name: String,
    pub map_id: Option<i64>,
    pub is_wvw: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub duration_ms: i64,
    pub squad_size: i32,
    pub enemy_count: i32,
    pub outcome: String,
    pub squad_damage: i64,
    pub commander: Option<String>,
    pub raw_path: Option<String>,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    /// Where a log cut short stops being complete (offset in the decompressed log).
    pub truncated_at: Option<i64>,
}

/// Everything stored for a new fight.
#[derive(Debug, Clone)]
pub struct NewFight {
    pub id: Uuid,
    pub user_id: Uuid,
    pub file_name: String,
    pub file_size: i64,
    pub file_sha256: String,
    pub fight_name: String,
    pub map_id: Option<i64>,
    pub is_wvw: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub duration_ms: i64,
    pub squad_size: i32,
    pub enemy_count: i32,
    pub outcome: String,
    pub squad_damage: i64,
    pub commander: Option<String>,
    /// The report as JSON.
    pub report: String,
    pub raw_path: Option<String>,
    pub is_public: bool,
    /// Where a log cut short stops being complete (offset in the decompressed log).
    pub truncated_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub author: String,
    pub name: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub fight_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const FIGHT_COLUMNS: &str = "f.id, f.user_id, u.username AS uploader, f.file_name, f.file_size, f.file_sha256, \
     f.fight_name, f.map_id, f.is_wvw, f.started_at, f.duration_ms, f.squad_size, f.enemy_count, f.outcome, \
     f.squad_damage, f.commander, f.raw_path, f.is_public, f.created_at, f.truncated_at";

const SESSION_SELECT: &str =
    "SELECT s.id, s.user_id, u.username AS author, s.name, s.description, s.is_public, \
     (SELECT COUNT(*) FROM mcm_session_fights sf WHERE sf.session_id = s.id) AS fight_count, \
     s.created_at, s.updated_at FROM mcm_sessions s JOIN users u ON u.id = s.user_id";

/// Stores a fight and, when `session` is given, adds it to that session, in one
/// transaction. A second upload of the same bytes by the same user is a
/// [`StoreError::Conflict`] on `fights_user_sha_idx`.
pub async fn insert(
    db: &Db,
    fight: &NewFight,
    session: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = fight.id;
    let sql = "INSERT INTO fights (id, user_id, file_name, file_size, file_sha256, fight_name, map_id, is_wvw, \
               started_at, duration_ms, squad_size, enemy_count, outcome, squad_damage, commander, report, raw_path, \
               is_public, created_at, truncated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
               $14, $15, $16, $17, $18, $19, $20)";
    on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(sql).bind(id).bind(fight.user_id).bind(&fight.file_name).bind(fight.file_size)
            .bind(&fight.file_sha256).bind(&fight.fight_name).bind(fight.map_id).bind(fight.is_wvw)
            .bind(fight.started_at).bind(fight.duration_ms).bind(fight.squad_size).bind(fight.enemy_count)
            .bind(&fight.outcome).bind(fight.squad_damage).bind(&fight.commander).bind(&fight.report)
            .bind(&fight.raw_path).bind(fight.is_public).bind(now).bind(fight.truncated_at)
            .execute(&mut *tx).await?;
        if let Some(session) = session {
            sqlx::query("INSERT INTO mcm_session_fights (session_id, fight_id, added_at) VALUES ($1, $2, $3)")
                .bind(session).bind(id).bind(now).execute(&mut *tx).await?;
            sqlx::query("UPDATE mcm_sessions SET updated_at = $2 WHERE id = $1")
                .bind(session).bind(now).execute(&mut *tx).await?;
        }
        tx.commit().await
    })?;
    Ok(id)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<FightRow>, StoreError> {
    let sql = format!(
        "SELECT {FIGHT_COLUMNS} FROM fights f JOIN users u ON u.id = f.user_id WHERE f.id = $1"
    );
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, FightRow>(&sql).bind(id).fetch_optional(pool).await)?,
    )
}

/// The fight this user already uploaded with these bytes, if any.
pub async fn by_hash(db: &Db, user_id: Uuid, sha256: &str) -> Result<Option<FightRow>, StoreError> {
    let sql = format!(
        "SELECT {FIGHT_COLUMNS} FROM fights f JOIN users u ON u.id = f.user_id \
         WHERE f.user_id = $1 AND f.file_sha256 = $2"
    );
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, FightRow>(&sql).bind(user_id).bind(sha256).fetch_optional(pool).await)?,
    )
}

/// The stored report (JSON) of a fight.
pub async fn report(db: &Db, id: Uuid) -> Result<Option<String>, StoreError> {
    Ok(
        on_read!(db, pool => sqlx::query_scalar::<_, String>("SELECT report FROM fights WHERE id = $1")
            .bind(id).fetch_optional(pool).await)?,
    )
}

/// Deletes a fight; returns the raw log path it kept, if any, so the caller can remove it.
pub async fn delete(db: &Db, id: Uuid) -> Result<Option<Option<String>>, StoreError> {
    let deleted = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let raw = sqlx::query_scalar::<_, Option<String>>("SELECT raw_path FROM fights WHERE id = $1")
            .bind(id).fetch_optional(&mut *tx).await?;
        if raw.is_some() {
            sqlx::query("DELETE FROM fights WHERE id = $1").bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await.map(|_| raw)
    })?;
    Ok(deleted)
}

/// What a fight list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct FightFilter {
    /// Only the viewer's own uploads.
    pub mine: bool,
    pub session: Option<Uuid>,
}

/// Fights the viewer may see (public ones and their own), newest first, with the total.
pub async fn list(
    db: &Db,
    viewer: Option<Uuid>,
    filter: &FightFilter,
    skip: i64,
    limit: i64,
) -> Result<(Vec<FightRow>, i64), StoreError> {
    let mut conditions = vec![if filter.mine {
        "f.user_id = $1"
    } else {
        "(f.is_public OR f.user_id = $1)"
    }];
    if filter.session.is_some() {
        conditions.push("f.id IN (SELECT fight_id FROM mcm_session_fights WHERE session_id = $4)");
    }
    let condition = conditions.join(" AND ");
    let sql = format!(
        "SELECT {FIGHT_COLUMNS} FROM fights f JOIN users u ON u.id = f.user_id WHERE {condition} \
         ORDER BY f.created_at DESC, f.id DESC LIMIT $2 OFFSET $3"
    );
    // The count takes the session as its second parameter.
    let count = format!(
        "SELECT COUNT(*) FROM fights f WHERE {}",
        condition.replace("$4", "$2")
    );
    // A nil UUID never owns anything: anonymous viewers see public fights only.
    let viewer = viewer.unwrap_or(Uuid::nil());
    let session = filter.session.unwrap_or(Uuid::nil());
    let rows = on_read!(db, pool => {
        let mut q = sqlx::query_as::<_, FightRow>(&sql).bind(viewer).bind(limit).bind(skip);
        if filter.session.is_some() { q = q.bind(session); }
        q.fetch_all(pool).await
    })?;
    let total = on_read!(db, pool => {
        let mut q = sqlx::query_scalar::<_, i64>(&count).bind(viewer);
        if filter.session.is_some() { q = q.bind(session); }
        q.fetch_one(pool).await
    })?;
    Ok((rows, total))
}

/// Creates a session holding `fights` (ids already checked by the caller).
pub async fn create_session(
    db: &Db,
    user_id: Uuid,
    name: &str,
    description: Option<&str>,
    is_public: bool,
    fights: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("INSERT INTO mcm_sessions (id, user_id, name, description, is_public, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id).bind(user_id).bind(name).bind(description).bind(is_public).bind(now)
            .execute(&mut *tx).await?;
        for fight in fights {
            sqlx::query("INSERT INTO mcm_session_fights (session_id, fight_id, added_at) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING")
                .bind(id).bind(fight).bind(now).execute(&mut *tx).await?;
        }
        tx.commit().await
    })?;
    Ok(id)
}

pub async fn session_by_id(db: &Db, id: Uuid) -> Result<Option<SessionRow>, StoreError> {
    let sql = format!("{SESSION_SELECT} WHERE s.id = $1");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, SessionRow>(&sql).bind(id).fetch_optional(pool).await)?,
    )
}

/// Sessions the viewer may see (public ones and their own), newest first, with the total.
pub async fn list_sessions(
    db: &Db,
    viewer: Option<Uuid>,
    skip: i64,
    limit: i64,
) -> Result<(Vec<SessionRow>, i64), StoreError> {
    let visible = "(s.is_public OR s.user_id = $1)";
    let sql = format!(
        "{SESSION_SELECT} WHERE {visible} ORDER BY s.created_at DESC, s.id DESC LIMIT $2 OFFSET $3"
    );
    let count = format!("SELECT COUNT(*) FROM mcm_sessions s WHERE {visible}");
    let viewer = viewer.unwrap_or(Uuid::nil());
    let rows = on_read!(db, pool => sqlx::query_as::<_, SessionRow>(&sql).bind(viewer).bind(limit).bind(skip).fetch_all(pool).await)?;
    let total = on_read!(db, pool => sqlx::query_scalar::<_, i64>(&count).bind(viewer).fetch_one(pool).await)?;
    Ok((rows, total))
}

/// Adds fights to a session (already present ones are kept once); returns how many were new.
pub async fn add_fights(
    db: &Db,
    session: Uuid,
    fights: &[Uuid],
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let added = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let mut added = 0;
        for fight in fights {
            added += sqlx::query("INSERT INTO mcm_session_fights (session_id, fight_id, added_at) VALUES ($1, $2, $3) \
                                  ON CONFLICT DO NOTHING")
                .bind(session).bind(fight).bind(now).execute(&mut *tx).await?.rows_affected();
        }
        sqlx::query("UPDATE mcm_sessions SET updated_at = $2 WHERE id = $1").bind(session).bind(now)
            .execute(&mut *tx).await?;
        tx.commit().await.map(|_| added)
    })?;
    Ok(added)
}

pub async fn remove_fight(db: &Db, session: Uuid, fight: Uuid) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query("DELETE FROM mcm_session_fights WHERE session_id = $1 AND fight_id = $2")
        .bind(session).bind(fight).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

pub async fn delete_session(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query("DELETE FROM mcm_sessions WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// A session's fights in play order (log start time, then upload time).
pub async fn session_fights(db: &Db, session: Uuid) -> Result<Vec<FightRow>, StoreError> {
    let sql = format!(
        "SELECT {FIGHT_COLUMNS} FROM mcm_session_fights sf JOIN fights f ON f.id = sf.fight_id \
         JOIN users u ON u.id = f.user_id WHERE sf.session_id = $1 ORDER BY f.started_at, f.created_at, f.id"
    );
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, FightRow>(&sql).bind(session).fetch_all(pool).await)?,
    )
}

/// The reports (JSON) of a session's fights, in play order.
pub async fn session_reports(db: &Db, session: Uuid) -> Result<Vec<String>, StoreError> {
    let sql = "SELECT f.report FROM mcm_session_fights sf JOIN fights f ON f.id = sf.fight_id \
               WHERE sf.session_id = $1 ORDER BY f.started_at, f.created_at, f.id";
    Ok(
        on_read!(db, pool => sqlx::query_scalar::<_, String>(sql).bind(session).fetch_all(pool).await)?,
    )
}
