//! The `jobs` table (migration 0018): a durable queue of long work with leases.
//!
//! - [`enqueue`] stores a job `queued`, ready at `run_after`.
//! - [`claim`] takes the oldest ready job — queued and due, or running with an expired lease
//!   (its instance died) — in one statement, sets its lease and counts the attempt.
//!   PostgreSQL skips rows other claimers hold (`FOR UPDATE SKIP LOCKED`); SQLite has one
//!   writer, so claims are serialized anyway.
//! - [`heartbeat`] renews a lease only for its holder and tells it whether the owner asked
//!   to cancel; [`complete`], [`retry_or_fail`] and [`finish_cancelled`] also act only for
//!   the lease holder, so a worker that lost its lease cannot complete the job a second time.
//! - [`expire_exhausted`] fails running jobs whose lease expired after their last attempt.
//! - [`enqueue_with_blob`] stores a job with a large input (an uploaded log, migration 0019)
//!   in the same transaction; [`blob`] reads it back on whichever instance runs the job.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub owner_id: Option<Uuid>,
    /// JSON
    pub input: String,
    /// queued | running | done | failed | cancelled
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_after: DateTime<Utc>,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub cancel_requested: bool,
    /// JSON, the latest progress a worker reported
    pub progress: Option<String>,
    /// JSON, once done (or cancelled with a partial result)
    pub result: Option<String>,
    pub error: Option<String>,
    /// The instance that completed it.
    pub completed_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, kind, owner_id, input, status, attempts, max_attempts, run_after, \
    lease_owner, lease_until, heartbeat_at, cancel_requested, progress, result, error, \
    completed_by, created_at, finished_at";

/// A job to store.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub id: Uuid,
    pub kind: String,
    pub owner_id: Option<Uuid>,
    pub input: String,
    pub max_attempts: i32,
}

pub async fn enqueue(db: &Db, job: &NewJob, now: DateTime<Utc>) -> Result<JobRow, StoreError> {
    let sql = format!(
        "INSERT INTO jobs (id, kind, owner_id, input, status, attempts, max_attempts, run_after, \
         cancel_requested, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, FALSE, $6) \
         RETURNING {COLUMNS}"
    );
    Ok(on_write!(db, pool => sqlx::query_as::<_, JobRow>(&sql)
        .bind(job.id).bind(&job.kind).bind(job.owner_id).bind(&job.input)
        .bind(job.max_attempts).bind(now)
        .fetch_one(pool).await)?)
}

pub async fn get(db: &Db, id: Uuid) -> Result<Option<JobRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
    Ok(on_read!(db, pool => sqlx::query_as::<_, JobRow>(&sql).bind(id).fetch_optional(pool).await)?)
}

/// Jobs waiting or running (the queue's depth, for metrics and tests).
pub async fn depth(db: &Db) -> Result<(i64, i64), StoreError> {
    let row: (i64, i64) = on_read!(db, pool => sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END), 0) FROM jobs")
        .fetch_one(pool).await)?;
    Ok(row)
}

/// Claims the oldest ready job of `kinds` for `worker` until `lease_until`, or `None`.
pub async fn claim(
    db: &Db,
    worker: &str,
    kinds: &[&str],
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<JobRow>, StoreError> {
    // The kinds are the worker's own constants, bound as parameters all the same.
    let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
    let kinds_json = serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".to_owned());
    let ready = "((status = 'queued' AND run_after <= $2) \
                  OR (status = 'running' AND lease_until < $2)) \
                 AND attempts < max_attempts AND cancel_requested = FALSE";
    match db {
        Db::Postgres(pool) => {
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = $1, \
                 lease_until = $3, heartbeat_at = $2 \
                 WHERE id = (SELECT id FROM jobs WHERE {ready} \
                   AND kind IN (SELECT jsonb_array_elements_text($4::jsonb)) \
                   ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 RETURNING {COLUMNS}"
            );
            Ok(sqlx::query_as::<_, JobRow>(&sql)
                .bind(worker)
                .bind(now)
                .bind(lease_until)
                .bind(&kinds_json)
                .fetch_optional(pool)
                .await?)
        }
        Db::Sqlite { write, .. } => {
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = $1, \
                 lease_until = $3, heartbeat_at = $2 \
                 WHERE id = (SELECT id FROM jobs WHERE {ready} \
                   AND kind IN (SELECT value FROM json_each($4)) \
                   ORDER BY created_at LIMIT 1) \
                 RETURNING {COLUMNS}"
            );
            Ok(sqlx::query_as::<_, JobRow>(&sql)
                .bind(worker)
                .bind(now)
                .bind(lease_until)
                .bind(&kinds_json)
                .fetch_optional(write)
                .await?)
        }
    }
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    /// Still held; `cancel` when the owner asked to cancel.
    Held { cancel: bool },
    /// Another worker has it now (this one was presumed dead), or it ended.
    Lost,
}

/// Renews `worker`'s lease on `id` until `lease_until` and stores its latest progress.
pub async fn heartbeat(
    db: &Db,
    id: Uuid,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    progress: Option<&str>,
) -> Result<Lease, StoreError> {
    let row: Option<(bool,)> = on_write!(db, pool => sqlx::query_as(
        "UPDATE jobs SET lease_until = $3, heartbeat_at = $4, progress = COALESCE($5, progress) \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING cancel_requested")
        .bind(id).bind(worker).bind(lease_until).bind(now).bind(progress)
        .fetch_optional(pool).await)?;
    Ok(match row {
        Some((cancel,)) => Lease::Held { cancel },
        None => Lease::Lost,
    })
}

/// Stores the result of `worker`'s run; false when it no longer held the lease (nothing is
/// written: the job is someone else's now).
pub async fn complete(
    db: &Db,
    id: Uuid,
    worker: &str,
    result: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query(
        "UPDATE jobs SET status = 'done', result = $3, error = NULL, completed_by = $2, \
         finished_at = $4, lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
        .bind(id).bind(worker).bind(result).bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Ends `worker`'s run as cancelled (with the best result so far, if any).
pub async fn finish_cancelled(
    db: &Db,
    id: Uuid,
    worker: &str,
    result: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query(
        "UPDATE jobs SET status = 'cancelled', result = $3, completed_by = $2, finished_at = $4, \
         lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
        .bind(id).bind(worker).bind(result).bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A failed attempt of `worker`: queued again at `retry_at` while attempts remain, else
/// failed for good. Returns the status written (`None`: the lease was lost).
pub async fn retry_or_fail(
    db: &Db,
    id: Uuid,
    worker: &str,
    error: &str,
    now: DateTime<Utc>,
    retry_at: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = on_write!(db, pool => sqlx::query_as(
        "UPDATE jobs SET \
           status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END, \
           run_after = $5, error = $3, lease_owner = NULL, lease_until = NULL, \
           finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE $4 END \
         WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING status")
        .bind(id).bind(worker).bind(error).bind(now).bind(retry_at)
        .fetch_optional(pool).await)?;
    Ok(row.map(|(s,)| s))
}

/// Asks to cancel `id`: a queued job is cancelled at once, a running one when its worker next
/// beats. Returns whether the job was still queued or running.
pub async fn request_cancel(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query(
        "UPDATE jobs SET cancel_requested = TRUE, \
           status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, \
           finished_at = CASE WHEN status = 'queued' THEN $2 ELSE finished_at END \
         WHERE id = $1 AND status IN ('queued', 'running')")
        .bind(id).bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Fails the running jobs whose lease expired after their last allowed attempt (their
/// instances died every time). Returns how many.
pub async fn expire_exhausted(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(on_write!(db, pool => sqlx::query(
        "UPDATE jobs SET status = 'failed', \
           error = COALESCE(error, 'the instance running it stopped on every attempt'), \
           finished_at = $1, lease_owner = NULL, lease_until = NULL \
         WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts")
        .bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?)
}

/// Fails `worker`'s run for good, whatever attempts remain: the input itself is bad (a
/// corrupt log), so another attempt would fail the same way.
pub async fn fail(
    db: &Db,
    id: Uuid,
    worker: &str,
    error: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query(
        "UPDATE jobs SET status = 'failed', error = $3, completed_by = $2, finished_at = $4, \
         lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
        .bind(id).bind(worker).bind(error).bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Jobs of `kind` that `owner` has queued or running (the per-account limit on work waiting
/// in the queue, the same on every instance).
pub async fn in_flight(db: &Db, owner: Uuid, kind: &str) -> Result<i64, StoreError> {
    Ok(on_read!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE owner_id = $1 AND kind = $2 AND status IN ('queued', 'running')")
        .bind(owner).bind(kind)
        .fetch_one(pool).await)?)
}

/// How large one stored chunk of a job's blob is.
pub const BLOB_CHUNK: usize = 1 << 20;

/// Stores `job` with a blob read from `data` (in [`BLOB_CHUNK`] pieces), in one transaction:
/// no worker can claim the job before its blob is complete, and a failed upload leaves
/// neither behind. Returns the job and the blob's size.
pub async fn enqueue_with_blob<R>(
    db: &Db,
    job: &NewJob,
    now: DateTime<Utc>,
    data: &mut R,
) -> Result<(JobRow, u64), StoreError>
where
    R: tokio::io::AsyncRead + Unpin + Send,
{
    use tokio::io::AsyncReadExt;
    let sql = format!(
        "INSERT INTO jobs (id, kind, owner_id, input, status, attempts, max_attempts, run_after, \
         cancel_requested, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, FALSE, $6) \
         RETURNING {COLUMNS}"
    );
    let chunk_sql = "INSERT INTO job_blobs (job_id, seq, data) VALUES ($1, $2, $3)";
    let mut buffer = vec![0_u8; BLOB_CHUNK];
    let written = on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        let row = sqlx::query_as::<_, JobRow>(&sql)
            .bind(job.id).bind(&job.kind).bind(job.owner_id).bind(&job.input)
            .bind(job.max_attempts).bind(now)
            .fetch_one(&mut *tx).await?;
        let mut size: u64 = 0;
        let mut seq: i32 = 0;
        loop {
            // Fill a whole chunk (a read may return less) unless the data ends first.
            let mut filled = 0;
            while filled < buffer.len() {
                let n = data.read(&mut buffer[filled..]).await.map_err(|e| StoreError::Source(e.to_string()))?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 {
                break;
            }
            sqlx::query(chunk_sql).bind(job.id).bind(seq).bind(&buffer[..filled])
                .execute(&mut *tx).await?;
            size += filled as u64;
            seq += 1;
            if filled < buffer.len() {
                break;
            }
        }
        tx.commit().await?;
        Ok::<_, StoreError>((row, size))
    })?;
    Ok(written)
}

/// A job's blob, its chunks joined in order; `None` when it has none (never stored, or
/// already deleted). Chunks are fetched one at a time into a buffer sized once, so reading
/// a large blob holds it in memory once, not twice.
pub async fn blob(db: &Db, id: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
    let (chunks, size): (i64, i64) = on_read!(db, pool => sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM job_blobs WHERE job_id = $1")
        .bind(id)
        .fetch_one(pool).await)?;
    if chunks == 0 {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    for seq in 0..chunks {
        let seq = i32::try_from(seq).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let chunk: Option<Vec<u8>> = on_read!(db, pool => sqlx::query_scalar(
            "SELECT data FROM job_blobs WHERE job_id = $1 AND seq = $2")
            .bind(id).bind(seq)
            .fetch_optional(pool).await)?;
        match chunk {
            Some(chunk) => bytes.extend_from_slice(&chunk),
            // Deleted while being read (the job ended meanwhile).
            None => return Ok(None),
        }
    }
    Ok(Some(bytes))
}

/// Deletes a job's blob (once the job has ended). Returns the chunks removed.
pub async fn delete_blob(db: &Db, id: Uuid) -> Result<u64, StoreError> {
    Ok(
        on_write!(db, pool => sqlx::query("DELETE FROM job_blobs WHERE job_id = $1")
        .bind(id)
        .execute(pool).await.map(|r| r.rows_affected()))?,
    )
}

/// Deletes the blobs of every ended job (cancelled while queued, failed by
/// [`expire_exhausted`], or whose worker died between ending the job and deleting its blob).
pub async fn delete_ended_blobs(db: &Db) -> Result<u64, StoreError> {
    Ok(on_write!(db, pool => sqlx::query(
        "DELETE FROM job_blobs WHERE job_id IN \
           (SELECT id FROM jobs WHERE status IN ('done', 'failed', 'cancelled'))")
        .execute(pool).await.map(|r| r.rows_affected()))?)
}
