//! `log_parse` jobs: an arcdps log uploaded with `POST /mcm/logs?async=true`, parsed and
//! stored by whichever instance's worker claims it.
//!
//! The upload is streamed to a temporary file as for a synchronous upload (same size limit),
//! then stored with its job in one transaction (`job_blobs`, migration 0019), because the
//! instance that runs the job may not be the one that received the file. The worker reads
//! it back under a parse permit and hands it to the same [`Mcm::upload`] as the synchronous
//! path, so the fight, its report, owner, session and `truncated_at` are the same; the job's
//! result is that endpoint's answer. The fight takes the job's id: an attempt that follows
//! one whose instance died after storing it finds the fight instead of storing a second one.
//! A log that cannot be parsed fails the job at once (another attempt would fail the same
//! way); the blob is deleted when the job ends.
//!
//! [`Mcm::upload`]: crate::services::mcm::Mcm::upload

use serde::{Deserialize, Serialize};
use store::jobs::{self as repo, JobRow, Lease, NewJob};
use store::users::User;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::worker::{Ending, Worker};
use super::{JobOut, Jobs, LOG_PARSE};
use crate::error::{ApiError, ApiResult};
use crate::services::mcm::{Upload, UploadOut};
use crate::services::uploads::{QueuedLog, UploadedLog};

/// Seconds a client told "too many queued parses" is asked to wait.
const RETRY_AFTER_SECS: u64 = 5;

/// A `log_parse` job's stored input (the log itself is the job's blob).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogJobInput {
    pub file_name: String,
    /// Bytes as uploaded.
    pub size: u64,
    /// SHA-256 of the upload (hex): finds the account's duplicate upload, as synchronously.
    pub sha256: String,
    #[serde(default)]
    pub session_id: Option<Uuid>,
    #[serde(default)]
    pub is_public: bool,
    #[serde(default)]
    pub keep_raw: bool,
}

impl Jobs {
    /// 429 when `owner` already has as many parses queued or running as the per-account
    /// upload limit allows (checked before the upload is read, and again before it is queued).
    pub async fn check_log_quota(&self, owner: &User) -> ApiResult<()> {
        let limit = self.mcm.uploads.per_user_limit();
        let queued = repo::in_flight(&self.db, owner.id, LOG_PARSE).await?;
        if usize::try_from(queued).unwrap_or(usize::MAX) >= limit {
            return Err(ApiError::Busy {
                detail: format!(
                    "you already have {queued} log parses queued or running (at most {limit} at once); wait for one to finish"
                ),
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
        Ok(())
    }

    /// Queues the parse of an uploaded log of `owner`'s: checks what can be checked now (the
    /// session is the owner's, the file is not empty, the account's queued parses are under
    /// the per-account upload limit), then stores the job and the log together.
    pub async fn submit_log(&self, owner: &User, upload: Upload) -> ApiResult<JobOut> {
        let UploadedLog::Spooled(log) = &upload.log else {
            return Err(ApiError::internal("only a fresh upload can be queued"));
        };
        if let Some(session) = upload.session {
            self.mcm.check_session_writable(owner, session).await?;
        }
        if log.size == 0 {
            return Err(ApiError::validation("file", "the uploaded file is empty"));
        }
        // Checked again now that the upload is in: another may have been queued meanwhile.
        self.check_log_quota(owner).await?;
        let input = LogJobInput {
            file_name: upload.file_name.clone(),
            size: log.size,
            sha256: log.sha256.clone(),
            session_id: upload.session,
            is_public: upload.is_public,
            keep_raw: upload.keep_raw,
        };
        let job = NewJob {
            id: Uuid::new_v4(),
            kind: LOG_PARSE.to_owned(),
            owner_id: Some(owner.id),
            input: serde_json::to_string(&input).map_err(ApiError::internal)?,
            max_attempts: self.settings.max_attempts,
        };
        let mut file = tokio::fs::File::open(log.path())
            .await
            .map_err(ApiError::internal)?;
        let (row, stored) =
            repo::enqueue_with_blob(&self.db, &job, self.clock.now(), &mut file).await?;
        if stored != log.size {
            return Err(ApiError::internal(format!(
                "stored {stored} of the {} bytes uploaded",
                log.size
            )));
        }
        tracing::info!(job = %row.id, bytes = stored, "log parse queued");
        self.wake.notify_waiters();
        Ok(JobOut::of(row))
    }
}

/// Why a parse was left unfinished.
enum Interrupted {
    Cancelled,
    Stopping,
    LeaseLost,
}

impl Worker {
    /// Parses and stores one queued log while beating the lease. The owner's cancel, this
    /// instance stopping or a lost lease abandon the parse (a fight already stored by then
    /// makes the job done all the same: the work is finished).
    pub(super) async fn log_parse(&self, job: &JobRow, stop: &CancellationToken) -> Ending {
        let input: LogJobInput = match serde_json::from_str(&job.input) {
            Ok(input) => input,
            Err(e) => return Ending::Rejected(format!("stored input does not read back: {e}")),
        };
        let user = match job.owner_id {
            Some(owner) => store::users::by_id(&self.jobs.db, owner).await,
            None => Ok(None),
        };
        let user = match user {
            Ok(Some(user)) => user,
            Ok(None) => return Ending::Rejected("the uploader's account is gone".into()),
            Err(e) => return Ending::Failed(e.to_string()),
        };
        let upload = Upload {
            file_name: input.file_name,
            log: UploadedLog::Queued(QueuedLog {
                db: self.jobs.db.clone(),
                job: job.id,
                size: input.size,
                sha256: input.sha256,
            }),
            session: input.session_id,
            is_public: input.is_public,
            keep_raw: input.keep_raw,
            job: Some(job.id),
        };
        let mcm = &self.jobs.mcm;
        let work = mcm.upload(&user, upload);
        tokio::pin!(work);
        let heartbeat = self.jobs.settings.heartbeat();
        let mut beat = tokio::time::interval(heartbeat);
        beat.tick().await;
        let interrupted = loop {
            tokio::select! {
                out = &mut work => return ending_of(out),
                _ = beat.tick() => match self.beat(job.id, None).await {
                    Some(Lease::Held { cancel: true }) => break Interrupted::Cancelled,
                    Some(Lease::Lost) => break Interrupted::LeaseLost,
                    Some(Lease::Held { cancel: false }) | None => {}
                },
                () = stop.cancelled() => break Interrupted::Stopping,
            }
        };
        // The parse is dropped here; it may have stored the fight just before.
        if matches!(interrupted, Interrupted::LeaseLost) {
            return Ending::LeaseLost;
        }
        match mcm.stored_by_job(&user, job.id, input.session_id).await {
            Ok(Some(out)) => ending_of(Ok(out)),
            Ok(None) | Err(_) if matches!(interrupted, Interrupted::Cancelled) => {
                Ending::Cancelled(None)
            }
            _ => Ending::Stopping,
        }
    }
}

/// The queue's view of an upload's outcome: the answer is the result; a refusal of the log
/// itself (unreadable, too large, its session gone or not the owner's) fails the job at
/// once; anything else (the database away) is retried.
fn ending_of(out: ApiResult<UploadOut>) -> Ending {
    match out {
        Ok(out) => match serde_json::to_value(&out) {
            Ok(value) => Ending::Done(value),
            Err(e) => Ending::Failed(e.to_string()),
        },
        Err(
            e @ (ApiError::Validation { .. }
            | ApiError::PayloadTooLarge(_)
            | ApiError::BadRequest(_)
            | ApiError::Forbidden(_)
            | ApiError::NotFound(_)),
        ) => Ending::Rejected(e.to_string()),
        Err(e) => Ending::Failed(match e {
            ApiError::Internal(detail) => detail,
            other => other.to_string(),
        }),
    }
}
