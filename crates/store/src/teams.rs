//! Team compositions (the seed's TeamCompositionDB) and their slots (TeamSlotDB).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TeamRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub author: String,
    pub name: String,
    pub game_mode: String,
    pub description: Option<String>,
    pub total_dps: Option<f64>,
    pub total_healing: Option<f64>,
    pub total_toughness: Option<f64>,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SlotRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub build_id: Option<Uuid>,
    pub party: i32,
    pub position: i32,
    pub player_name: Option<String>,
    pub role_override: Option<String>,
    pub estimated_dps: Option<f64>,
    pub dps_basis: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TeamData {
    pub name: String,
    pub game_mode: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub total_dps: Option<f64>,
    pub total_healing: Option<f64>,
    pub total_toughness: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct SlotData {
    pub build_id: Option<Uuid>,
    pub party: i32,
    pub position: i32,
    pub player_name: Option<String>,
    pub role_override: Option<String>,
    /// The slot build's estimated DPS, when it has one.
    pub estimated_dps: Option<f64>,
    /// The benchmark the estimate used, or why there is none.
    pub dps_basis: Option<String>,
}

const SELECT: &str = "SELECT t.id, t.user_id, u.username AS author, t.name, t.game_mode, t.description, t.total_dps, \
     t.total_healing, t.total_toughness, t.is_public, t.created_at, t.updated_at \
     FROM team_compositions t JOIN users u ON u.id = t.user_id";

/// Creates (id = None) or replaces (id = Some) a team and all its slots in one transaction.
/// Returns `None` when replacing a team that does not exist.
pub async fn save(
    db: &Db,
    id: Option<Uuid>,
    user_id: Uuid,
    team: &TeamData,
    slots: &[SlotData],
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let insert = "INSERT INTO team_compositions (id, user_id, name, game_mode, description, total_dps, total_healing, \
                  total_toughness, is_public, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)";
    let update = "UPDATE team_compositions SET name = $2, game_mode = $3, description = $4, total_dps = $5, \
                  total_healing = $6, total_toughness = $7, is_public = $8, updated_at = $9 WHERE id = $1";
    let slot_sql = "INSERT INTO team_slots (id, team_id, build_id, party, position, player_name, role_override, \
                    estimated_dps, dps_basis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let saved = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let team_id = match id {
            None => {
                let new_id = Uuid::new_v4();
                sqlx::query(insert).bind(new_id).bind(user_id).bind(&team.name).bind(&team.game_mode).bind(&team.description)
                    .bind(team.total_dps).bind(team.total_healing).bind(team.total_toughness).bind(team.is_public).bind(now)
                    .execute(&mut *tx).await?;
                Some(new_id)
            }
            Some(existing) => {
                let n = sqlx::query(update).bind(existing).bind(&team.name).bind(&team.game_mode).bind(&team.description)
                    .bind(team.total_dps).bind(team.total_healing).bind(team.total_toughness).bind(team.is_public).bind(now)
                    .execute(&mut *tx).await?.rows_affected();
                if n == 0 { None } else {
                    sqlx::query("DELETE FROM team_slots WHERE team_id = $1").bind(existing).execute(&mut *tx).await?;
                    Some(existing)
                }
            }
        };
        if let Some(team_id) = team_id {
            for slot in slots {
                sqlx::query(slot_sql).bind(Uuid::new_v4()).bind(team_id).bind(slot.build_id).bind(slot.party)
                    .bind(slot.position).bind(&slot.player_name).bind(&slot.role_override)
                    .bind(slot.estimated_dps).bind(&slot.dps_basis).execute(&mut *tx).await?;
            }
        }
        tx.commit().await.map(|_| team_id)
    })?;
    Ok(saved)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<(TeamRow, Vec<SlotRow>)>, StoreError> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    let slots_sql = "SELECT id, team_id, build_id, party, position, player_name, role_override, estimated_dps, \
                     dps_basis FROM team_slots \
                     WHERE team_id = $1 ORDER BY party, position";
    let found = on_read!(db, pool => {
        match sqlx::query_as::<_, TeamRow>(&sql).bind(id).fetch_optional(pool).await? {
            None => Ok::<_, sqlx::Error>(None),
            Some(team) => {
                let slots = sqlx::query_as::<_, SlotRow>(slots_sql).bind(id).fetch_all(pool).await?;
                Ok(Some((team, slots)))
            }
        }
    })?;
    Ok(found)
}

pub async fn delete(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query("DELETE FROM team_compositions WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Public teams and the viewer's own, newest first.
pub async fn list(
    db: &Db,
    viewer: Option<Uuid>,
    skip: i64,
    limit: i64,
) -> Result<(Vec<TeamRow>, i64), StoreError> {
    let visible = "(t.is_public OR t.user_id = $1)";
    let sql = format!(
        "{SELECT} WHERE {visible} ORDER BY t.created_at DESC, t.id DESC LIMIT $2 OFFSET $3"
    );
    let count = format!("SELECT COUNT(*) FROM team_compositions t WHERE {visible}");
    // A nil UUID never owns anything: anonymous viewers see public teams only.
    let viewer = viewer.unwrap_or(Uuid::nil());
    let rows = on_read!(db, pool => sqlx::query_as::<_, TeamRow>(&sql).bind(viewer).bind(limit).bind(skip).fetch_all(pool).await)?;
    let total = on_read!(db, pool => sqlx::query_scalar::<_, i64>(&count).bind(viewer).fetch_one(pool).await)?;
    Ok((rows, total))
}

/// Stores recomputed totals of a team and its slots' DPS estimates (slot id, DPS, basis),
/// in one transaction; the team's `updated_at` is left alone (its content did not change).
/// Only while the team is as it was read (`read_updated_at`): a save in between replaced its
/// slots and scored them itself, and then nothing is written (returns `false`).
pub async fn update_totals(
    db: &Db,
    team_id: Uuid,
    read_updated_at: DateTime<Utc>,
    total_dps: Option<f64>,
    total_healing: Option<f64>,
    total_toughness: Option<f64>,
    slots: &[(Uuid, Option<f64>, Option<String>)],
) -> Result<bool, StoreError> {
    let team_sql =
        "UPDATE team_compositions SET total_dps = $2, total_healing = $3, total_toughness = $4 \
                    WHERE id = $1 AND updated_at = $5";
    let slot_sql =
        "UPDATE team_slots SET estimated_dps = $3, dps_basis = $4 WHERE id = $1 AND team_id = $2";
    let written = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let n = sqlx::query(team_sql).bind(team_id).bind(total_dps).bind(total_healing).bind(total_toughness)
            .bind(read_updated_at).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            tx.rollback().await.map(|_| false)
        } else {
            for (slot_id, dps, basis) in slots {
                sqlx::query(slot_sql).bind(slot_id).bind(team_id).bind(dps).bind(basis).execute(&mut *tx).await?;
            }
            tx.commit().await.map(|_| true)
        }
    })?;
    Ok(written)
}

/// Teams of other users with a slot on one of `user_id`'s builds (their totals change when
/// that user's account goes).
pub async fn using_builds_of(db: &Db, user_id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let sql = "SELECT DISTINCT s.team_id FROM team_slots s JOIN builds b ON b.id = s.build_id \
               JOIN team_compositions t ON t.id = s.team_id WHERE b.user_id = $1 AND t.user_id <> $1";
    Ok(
        on_read!(db, pool => sqlx::query_scalar::<_, Uuid>(sql).bind(user_id).fetch_all(pool).await)?,
    )
}

/// Teams with a slot on this build: (team id, team name).
pub async fn using_build(db: &Db, build_id: Uuid) -> Result<Vec<(Uuid, String)>, StoreError> {
    let sql = "SELECT DISTINCT t.id, t.name FROM team_compositions t JOIN team_slots s ON s.team_id = t.id WHERE s.build_id = $1";
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, (Uuid, String)>(sql).bind(build_id).fetch_all(pool).await)?,
    )
}
