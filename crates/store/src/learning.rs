//! The learning loop's tables (migration 0012): versioned training samples per task and the
//! model registry; and the plain reads the collector turns into samples (fight reports,
//! builds with their team use, feedback and saved chat codes). Counting and copying only:
//! features, labels and models are the `learning` crate's, the rules the server's.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::builds::BuildRow;
use crate::{on_read, on_write, Db, StoreError};

/// One collected version of a task's samples.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SnapshotRow {
    pub task: String,
    pub version: i64,
    pub sample_count: i64,
    pub sha256: String,
    /// JSON: what the samples were read from.
    pub sources: String,
    pub created_at: DateTime<Utc>,
}

/// A sample to store: features as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSample {
    pub features: String,
    pub label: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SampleRow {
    pub id: Uuid,
    pub task: String,
    pub version: i64,
    pub features: String,
    pub label: f64,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

const SNAPSHOT_COLUMNS: &str = "task, version, sample_count, sha256, sources, created_at";
const SAMPLE_COLUMNS: &str = "id, task, version, features, label, source, created_at";

/// The newest snapshot of `task`.
pub async fn latest_snapshot(db: &Db, task: &str) -> Result<Option<SnapshotRow>, StoreError> {
    let sql = format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM learning_snapshots WHERE task = $1 \
         ORDER BY version DESC LIMIT 1"
    );
    Ok(on_read!(db, pool => sqlx::query_as::<_, SnapshotRow>(&sql)
        .bind(task).fetch_optional(pool).await)?)
}

pub async fn snapshot(
    db: &Db,
    task: &str,
    version: i64,
) -> Result<Option<SnapshotRow>, StoreError> {
    let sql = format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM learning_snapshots WHERE task = $1 AND version = $2"
    );
    Ok(on_read!(db, pool => sqlx::query_as::<_, SnapshotRow>(&sql)
        .bind(task).bind(version).fetch_optional(pool).await)?)
}

/// Stores `samples` as the next version of `task` (one more than the newest), in one
/// transaction. Two collections racing for the same version: the second is a
/// [`StoreError::Conflict`].
pub async fn insert_snapshot(
    db: &Db,
    task: &str,
    sha256: &str,
    sources: &str,
    samples: &[NewSample],
    now: DateTime<Utc>,
) -> Result<SnapshotRow, StoreError> {
    let count = i64::try_from(samples.len()).unwrap_or(i64::MAX);
    let version = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(version) FROM learning_snapshots WHERE task = $1")
            .bind(task).fetch_one(&mut *tx).await?;
        let version = latest.unwrap_or(0) + 1;
        sqlx::query("INSERT INTO learning_snapshots (task, version, sample_count, sha256, sources, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(task).bind(version).bind(count).bind(sha256).bind(sources).bind(now)
            .execute(&mut *tx).await?;
        for sample in samples {
            sqlx::query("INSERT INTO learning_samples (id, task, version, features, label, source, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(Uuid::new_v4()).bind(task).bind(version).bind(&sample.features)
                .bind(sample.label).bind(&sample.source).bind(now)
                .execute(&mut *tx).await?;
        }
        tx.commit().await.map(|()| version)
    })?;
    Ok(SnapshotRow {
        task: task.to_owned(),
        version,
        sample_count: count,
        sha256: sha256.to_owned(),
        sources: sources.to_owned(),
        created_at: now,
    })
}

/// A page of one version's samples, ordered by source then id.
pub async fn samples(
    db: &Db,
    task: &str,
    version: i64,
    skip: i64,
    limit: i64,
) -> Result<Vec<SampleRow>, StoreError> {
    let sql = format!(
        "SELECT {SAMPLE_COLUMNS} FROM learning_samples WHERE task = $1 AND version = $2 \
         ORDER BY source, id LIMIT $3 OFFSET $4"
    );
    Ok(on_read!(db, pool => sqlx::query_as::<_, SampleRow>(&sql)
        .bind(task).bind(version).bind(limit).bind(skip).fetch_all(pool).await)?)
}

/// A model to register.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModel {
    pub task: String,
    pub kind: String,
    pub version: i64,
    /// JSON.
    pub metrics: String,
    /// JSON.
    pub snapshot: String,
    /// JSON: the fitted model.
    pub model: String,
    pub selected: bool,
    pub trained_at: DateTime<Utc>,
}

/// A registered model without its (large) fitted parameters.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ModelRow {
    pub id: Uuid,
    pub task: String,
    pub kind: String,
    pub version: i64,
    pub metrics: String,
    pub snapshot: String,
    pub selected: bool,
    pub trained_at: DateTime<Utc>,
}

const MODEL_COLUMNS: &str = "id, task, kind, version, metrics, snapshot, selected, trained_at";

/// The version the next training run of `task` gets.
pub async fn next_model_version(db: &Db, task: &str) -> Result<i64, StoreError> {
    let latest: Option<i64> = on_read!(db, pool => sqlx::query_scalar(
        "SELECT MAX(version) FROM learning_models WHERE task = $1")
        .bind(task).fetch_one(pool).await)?;
    Ok(latest.unwrap_or(0) + 1)
}

/// Registers one training run's models of `task` in one transaction. When one of them is
/// selected, the task's previously selected model is unselected first; when none is, the
/// previous selection stands. Returns the new ids, in order.
pub async fn insert_run(db: &Db, task: &str, models: &[NewModel]) -> Result<Vec<Uuid>, StoreError> {
    let selects = models.iter().any(|m| m.selected);
    let ids: Vec<Uuid> = models.iter().map(|_| Uuid::new_v4()).collect();
    on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        if selects {
            sqlx::query("UPDATE learning_models SET selected = FALSE WHERE task = $1 AND selected = TRUE")
                .bind(task).execute(&mut *tx).await?;
        }
        for (id, m) in ids.iter().zip(models) {
            sqlx::query("INSERT INTO learning_models (id, task, kind, version, metrics, snapshot, model, selected, trained_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(id).bind(&m.task).bind(&m.kind).bind(m.version).bind(&m.metrics)
                .bind(&m.snapshot).bind(&m.model).bind(m.selected).bind(m.trained_at)
                .execute(&mut *tx).await?;
        }
        tx.commit().await
    })?;
    Ok(ids)
}

/// Registered models, newest run first (then by kind), optionally of one task, with the
/// total.
pub async fn list_models(
    db: &Db,
    task: Option<&str>,
    skip: i64,
    limit: i64,
) -> Result<(Vec<ModelRow>, i64), StoreError> {
    // `$1 IS NULL` needs a typed parameter on PostgreSQL: an empty task matches none.
    let (condition, bind) = match task {
        Some(t) => ("task = $1", t),
        None => ("task <> $1", ""),
    };
    let sql = format!(
        "SELECT {MODEL_COLUMNS} FROM learning_models WHERE {condition} \
         ORDER BY trained_at DESC, version DESC, kind LIMIT $2 OFFSET $3"
    );
    let count = format!("SELECT COUNT(*) FROM learning_models WHERE {condition}");
    let rows = on_read!(db, pool => sqlx::query_as::<_, ModelRow>(&sql)
        .bind(bind).bind(limit).bind(skip).fetch_all(pool).await)?;
    let total = on_read!(db, pool => sqlx::query_scalar::<_, i64>(&count)
        .bind(bind).fetch_one(pool).await)?;
    Ok((rows, total))
}

/// The selected model of `task` and its fitted parameters (JSON).
pub async fn selected_model(db: &Db, task: &str) -> Result<Option<(ModelRow, String)>, StoreError> {
    let sql = format!(
        "SELECT {MODEL_COLUMNS}, model FROM learning_models WHERE task = $1 AND selected = TRUE"
    );
    let row = on_read!(db, pool => sqlx::query_as::<_, SelectedRow>(&sql)
        .bind(task).fetch_optional(pool).await)?;
    Ok(row.map(|r| (r.row, r.model)))
}

#[derive(sqlx::FromRow)]
struct SelectedRow {
    #[sqlx(flatten)]
    row: ModelRow,
    model: String,
}

// ---- what the collector reads ----

/// A page of WvW fights' (id, report JSON), newest first: reports can be large, so the
/// collector reads them a page at a time and keeps only the features.
pub async fn wvw_fight_reports(
    db: &Db,
    skip: i64,
    limit: i64,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    let sql = "SELECT id, report FROM fights WHERE is_wvw = TRUE \
               ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2";
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, (Uuid, String)>(sql)
        .bind(limit).bind(skip).fetch_all(pool).await)?,
    )
}

/// A page of public builds, newest first (votes and views only mean something for builds
/// others can see).
pub async fn public_builds(db: &Db, skip: i64, limit: i64) -> Result<Vec<BuildRow>, StoreError> {
    // The builds module's column list: a column added to builds is read here too.
    let sql = format!(
        "{} WHERE b.is_public = TRUE ORDER BY b.created_at DESC, b.id DESC LIMIT $1 OFFSET $2",
        crate::builds::SELECT
    );
    Ok(on_read!(db, pool => sqlx::query_as::<_, BuildRow>(&sql)
        .bind(limit).bind(skip).fetch_all(pool).await)?)
}

/// Every (team, build) pair of a filled team slot.
pub async fn team_slot_builds(db: &Db) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    let sql = "SELECT team_id, build_id FROM team_slots WHERE build_id IS NOT NULL";
    Ok(on_read!(db, pool => sqlx::query_as::<_, (Uuid, Uuid)>(sql).fetch_all(pool).await)?)
}

/// Feedback per target: (target id, ratings, sum of ratings).
pub async fn feedback_totals(db: &Db) -> Result<Vec<(String, i64, i64)>, StoreError> {
    let sql = "SELECT target_id, COUNT(*), CAST(SUM(rating) AS BIGINT) FROM ai_feedback GROUP BY target_id";
    Ok(on_read!(db, pool => sqlx::query_as::<_, (String, i64, i64)>(sql).fetch_all(pool).await)?)
}

/// Saved builds per chat code: (code, how many).
pub async fn saved_chat_codes(db: &Db) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = "SELECT chat_code, COUNT(*) FROM saved_builds WHERE chat_code IS NOT NULL GROUP BY chat_code";
    Ok(on_read!(db, pool => sqlx::query_as::<_, (String, i64)>(sql).fetch_all(pool).await)?)
}
