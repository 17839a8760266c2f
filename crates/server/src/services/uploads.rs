//! Admission of arcdps log uploads, so that N uploads cannot exhaust memory or disk:
//! - each upload is written to a temporary file under the data dir as it arrives (never
//!   buffered whole in memory), hashed on the way, and refused the moment it passes the
//!   upload limit;
//! - an account has at most `uploads_per_user` uploads in flight (429 beyond);
//! - at most `parse_concurrency` logs (one per core by default) are read and parsed at once;
//!   the others wait their turn, so peak memory is bounded by that number times
//!   (upload limit + inflate cap + report).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::services::in_flight::{Claim, InFlight};

/// Seconds a client told "too many uploads" is asked to wait.
const RETRY_AFTER_SECS: u64 = 5;

/// The per-account and global limits on uploads (cheap to clone).
#[derive(Clone)]
pub struct UploadGate {
    per_user: Arc<InFlight<Uuid>>,
    parses: Arc<Semaphore>,
}

/// One of an account's upload slots; released when dropped (also when the client goes
/// away mid-upload and the request future is dropped).
pub type UserUploadSlot = Claim<Uuid>;

impl UploadGate {
    /// `parse_concurrency` 0 means one parse per CPU core.
    pub fn new(per_user: usize, parse_concurrency: usize) -> Self {
        let parses = if parse_concurrency == 0 {
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
        } else {
            parse_concurrency
        };
        Self {
            per_user: Arc::new(InFlight::new(per_user)),
            parses: Arc::new(Semaphore::new(parses)),
        }
    }

    /// Claims one of the account's upload slots for the life of the returned guard, or a
    /// 429 when all are taken.
    pub fn begin(&self, user: Uuid) -> ApiResult<UserUploadSlot> {
        self.per_user.claim(user).map_err(|held| ApiError::Busy {
            detail: format!(
                "you already have {held} log uploads in progress (at most {} at once); wait for one to finish",
                self.per_user.limit()
            ),
            retry_after_secs: RETRY_AFTER_SECS,
        })
    }

    /// Waits for a parse slot (held while the log is in memory).
    pub async fn parse_permit(&self) -> ApiResult<OwnedSemaphorePermit> {
        self.parses
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::Unavailable("the service is shutting down".into()))
    }

    /// The most uploads one account may have in flight (queued log parses count too).
    pub fn per_user_limit(&self) -> usize {
        self.per_user.limit()
    }

    /// Uploads in flight for `user` (tests, metrics).
    pub fn in_flight(&self, user: Uuid) -> usize {
        self.per_user.held(&user)
    }
}

/// An uploaded log on disk: a temporary file (removed when dropped unless kept), its size,
/// SHA-256 and first bytes.
pub struct SpooledLog {
    file: tempfile::TempPath,
    pub size: u64,
    pub sha256: String,
    /// Up to the first 4 bytes (`PK\x03\x04` for a `.zevtc`).
    pub head: Vec<u8>,
}

impl SpooledLog {
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// True for a zip (`.zevtc`).
    pub fn is_zip(&self) -> bool {
        self.head.starts_with(b"PK")
    }

    /// Reads the whole log (call while holding a parse permit).
    pub async fn read(&self) -> ApiResult<Vec<u8>> {
        tokio::fs::read(&self.file)
            .await
            .map_err(ApiError::internal)
    }

    /// Moves the file to `to` (same file system: the data dir) and keeps it.
    pub fn keep_as(self, to: &Path) -> ApiResult<()> {
        self.file
            .persist(to)
            .map(|_| ())
            .map_err(|e| ApiError::internal(e.error))
    }
}

/// An uploaded log, wherever it waits to be parsed.
pub enum UploadedLog {
    /// A temporary file of this instance (`POST /mcm/logs`, answered when parsed).
    Spooled(SpooledLog),
    /// The blob of a queued `log_parse` job, in the database: whichever instance runs the
    /// job reads it from there (instances share no disk).
    Queued(QueuedLog),
}

/// A log stored with its job (see `services::jobs::log_parse`).
pub struct QueuedLog {
    pub db: store::Db,
    pub job: Uuid,
    pub size: u64,
    pub sha256: String,
}

impl UploadedLog {
    pub fn size(&self) -> u64 {
        match self {
            UploadedLog::Spooled(log) => log.size,
            UploadedLog::Queued(log) => log.size,
        }
    }

    /// The SHA-256 of the bytes as uploaded (hex): what finds an account's duplicate upload.
    pub fn sha256(&self) -> &str {
        match self {
            UploadedLog::Spooled(log) => &log.sha256,
            UploadedLog::Queued(log) => &log.sha256,
        }
    }

    /// Reads the whole log (call while holding a parse permit). A queued log whose blob is
    /// gone, or not the size it was uploaded with, is 404: there is nothing left to parse.
    pub async fn read(&self) -> ApiResult<Vec<u8>> {
        match self {
            UploadedLog::Spooled(log) => log.read().await,
            UploadedLog::Queued(log) => match store::jobs::blob(&log.db, log.job).await? {
                Some(bytes) if bytes.len() as u64 == log.size => Ok(bytes),
                Some(bytes) => Err(ApiError::NotFound(format!(
                    "the stored log has {} bytes instead of the {} uploaded",
                    bytes.len(),
                    log.size
                ))),
                None => Err(ApiError::NotFound(
                    "the uploaded log is no longer stored".into(),
                )),
            },
        }
    }

    /// Keeps the log as `DIR/{id}.evtc` or `.zevtc` (`keep_raw`): a temporary upload is
    /// moved there, a queued one written out. Returns the file's path.
    pub async fn keep_in(self, dir: &Path, id: Uuid) -> ApiResult<PathBuf> {
        let path = |zip: bool| dir.join(format!("{id}.{}", if zip { "zevtc" } else { "evtc" }));
        match self {
            UploadedLog::Spooled(log) => {
                let target = path(log.is_zip());
                let to = target.clone();
                tokio::task::spawn_blocking(move || log.keep_as(&to))
                    .await
                    .map_err(ApiError::internal)??;
                Ok(target)
            }
            UploadedLog::Queued(_) => {
                let bytes = self.read().await?;
                let target = path(bytes.starts_with(b"PK"));
                tokio::fs::write(&target, bytes)
                    .await
                    .map_err(ApiError::internal)?;
                Ok(target)
            }
        }
    }
}

/// The directory temporary uploads are written to.
pub fn spool_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("uploads")
}

/// Writes a multipart field to a temporary file under `dir`, hashing it on the way, and
/// refuses it (413, file removed) as soon as it passes `limit` bytes.
pub async fn spool(dir: &Path, mut field: Field<'_>, limit: u64) -> ApiResult<SpooledLog> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(ApiError::internal)?;
    let dir_owned = dir.to_owned();
    let temp = tokio::task::spawn_blocking(move || {
        tempfile::Builder::new()
            .prefix("upload-")
            .suffix(".part")
            .tempfile_in(dir_owned)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let (std_file, path) = temp.into_parts();
    let mut file = tokio::fs::File::from_std(std_file);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head = Vec::with_capacity(4);
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        size += chunk.len() as u64;
        if size > limit {
            // `path` is dropped here: the partial file is removed.
            return Err(too_large(limit));
        }
        if head.len() < 4 {
            let take = (4 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(ApiError::internal)?;
    }
    file.flush().await.map_err(ApiError::internal)?;
    drop(file);
    Ok(SpooledLog {
        file: path,
        size,
        sha256: hex::encode(hasher.finalize()),
        head,
    })
}

fn too_large(limit: u64) -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the log is larger than the {} MiB this server accepts",
        limit / (1024 * 1024)
    ))
}

/// A multipart read error as the API answers it (413 when the body limit was hit).
pub fn multipart_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the upload is larger than the server accepts".into())
    } else {
        ApiError::BadRequest(format!("malformed multipart body: {}", err.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_has_a_bounded_number_of_uploads_in_flight() {
        let gate = UploadGate::new(2, 1);
        let (ann, bo) = (Uuid::new_v4(), Uuid::new_v4());
        let first = gate.begin(ann).expect("first");
        let _second = gate.begin(ann).expect("second");
        assert!(matches!(gate.begin(ann), Err(ApiError::Busy { .. })));
        assert!(gate.begin(bo).is_ok(), "other accounts are not affected");
        drop(first);
        assert_eq!(gate.in_flight(ann), 1);
        assert!(gate.begin(ann).is_ok(), "a finished upload frees its slot");
    }

    #[tokio::test]
    async fn parses_wait_for_a_permit() {
        let gate = UploadGate::new(2, 1);
        let held = gate.parse_permit().await.expect("permit");
        let waiting =
            tokio::time::timeout(std::time::Duration::from_millis(50), gate.parse_permit()).await;
        assert!(
            waiting.is_err(),
            "a second parse waits while the first runs"
        );
        drop(held);
        assert!(gate.parse_permit().await.is_ok());
    }
}
