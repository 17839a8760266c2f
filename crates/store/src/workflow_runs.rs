//! The `workflow_runs` table: the AI adviser's workflow runs and their recorded steps.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RunRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub workflow: String,
    /// running | done | failed | cancelled
    pub status: String,
    /// JSON
    pub input: String,
    /// JSON array of the recorded steps
    pub steps: String,
    /// JSON, once done
    pub output: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, user_id, workflow, status, input, steps, output, error, created_at, finished_at";

/// Records a run that starts now.
pub async fn create(
    db: &Db,
    id: Uuid,
    user_id: Uuid,
    workflow: &str,
    input: &str,
    now: DateTime<Utc>,
) -> Result<RunRow, StoreError> {
    let sql = format!(
        "INSERT INTO workflow_runs ({COLUMNS}) VALUES ($1, $2, $3, 'running', $4, '[]', NULL, NULL, $5, NULL) RETURNING {COLUMNS}"
    );
    Ok(on_write!(db, pool => sqlx::query_as::<_, RunRow>(&sql)
        .bind(id).bind(user_id).bind(workflow).bind(input).bind(now)
        .fetch_one(pool).await)?)
}

/// The steps recorded so far (the whole array, rewritten after each step).
pub async fn set_steps(db: &Db, id: Uuid, steps: &str) -> Result<(), StoreError> {
    on_write!(db, pool => sqlx::query("UPDATE workflow_runs SET steps = $2 WHERE id = $1")
        .bind(id).bind(steps).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The end of a run: its status, steps, output or error.
pub async fn finish(
    db: &Db,
    id: Uuid,
    status: &str,
    steps: &str,
    output: Option<&str>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_write!(db, pool => sqlx::query(
        "UPDATE workflow_runs SET status = $2, steps = $3, output = $4, error = $5, finished_at = $6 WHERE id = $1")
        .bind(id).bind(status).bind(steps).bind(output).bind(error).bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(db: &Db, id: Uuid) -> Result<Option<RunRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM workflow_runs WHERE id = $1");
    Ok(on_read!(db, pool => sqlx::query_as::<_, RunRow>(&sql).bind(id).fetch_optional(pool).await)?)
}
