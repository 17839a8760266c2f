//! WvW (McM) analytics: uploaded arcdps logs are parsed and analysed off the async executor,
//! their reports stored, and sessions aggregated into "top stats". Every change to a session
//! (parse progress, a new fight, the new aggregate) is published on its event topic, which
//! the `/ws/mcm` WebSocket streams to subscribers.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use evtc::{FightReport, SessionStats};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::fights::{FightRow, NewFight, SessionRow};
use store::users::User;
use store::StoreError;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::events::EventBus;
use crate::services::uploads::{UploadGate, UploadedLog};
use store::Db;

/// The event topic of a session.
pub fn session_topic(id: Uuid) -> String {
    format!("session:{id}")
}

/// A fight as lists show it (the report is fetched separately).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FightSummary {
    pub id: Uuid,
    pub uploader: String,
    pub file_name: String,
    pub file_size: i64,
    pub fight_name: String,
    pub map_id: Option<i64>,
    pub is_wvw: bool,
    /// When the fight started (server time from the log), if recorded.
    pub started_at: Option<DateTime<Utc>>,
    pub duration_ms: i64,
    pub squad_size: i32,
    pub enemy_count: i32,
    /// `victory`, `defeat` or `draw`.
    pub outcome: String,
    pub squad_damage: i64,
    pub commander: Option<String>,
    pub raw_log_kept: bool,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    /// Set when the log was cut in the middle of an event (a crashed client): the byte
    /// offset (in the decompressed log) where the incomplete data starts. The report covers
    /// everything before it.
    pub truncated_at: Option<i64>,
}

impl From<FightRow> for FightSummary {
    fn from(f: FightRow) -> Self {
        Self {
            id: f.id,
            uploader: f.uploader,
            file_name: f.file_name,
            file_size: f.file_size,
            fight_name: f.fight_name,
            map_id: f.map_id,
            is_wvw: f.is_wvw,
            started_at: f.started_at,
            duration_ms: f.duration_ms,
            squad_size: f.squad_size,
            enemy_count: f.enemy_count,
            outcome: f.outcome,
            squad_damage: f.squad_damage,
            commander: f.commander,
            raw_log_kept: f.raw_path.is_some(),
            is_public: f.is_public,
            created_at: f.created_at,
            truncated_at: f.truncated_at,
        }
    }
}

/// An uploaded log and what to do with it.
pub struct Upload {
    pub file_name: String,
    pub log: UploadedLog,
    pub session: Option<Uuid>,
    pub is_public: bool,
    pub keep_raw: bool,
    /// The queued `log_parse` job this upload is (`None`: answered synchronously). Its id
    /// becomes the fight's, so an attempt that follows one whose instance died after storing
    /// the fight finds it instead of storing it twice; parse progress also goes to the job's
    /// event topic.
    pub job: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UploadOut {
    pub id: Uuid,
    /// True when this user had already uploaded the same bytes: nothing was parsed again.
    pub duplicate: bool,
    pub session_id: Option<Uuid>,
    pub fight: FightSummary,
}

use crate::services::can_read;

fn can_write(user: &User, owner: Uuid) -> bool {
    user.id == owner || user.is_superuser
}

fn new_fight(
    id: Uuid,
    user: &User,
    upload: &Upload,
    sha: String,
    report: &FightReport,
) -> ApiResult<NewFight> {
    let outcome = serde_json::to_value(report.outcome.result)
        .ok()
        .and_then(|v| v.as_str().map(str::to_lowercase))
        .unwrap_or_else(|| "draw".into());
    Ok(NewFight {
        id,
        user_id: user.id,
        file_name: upload.file_name.clone(),
        file_size: i64::try_from(upload.log.size()).unwrap_or(i64::MAX),
        file_sha256: sha,
        fight_name: report.fight_name.clone(),
        map_id: report.map_id.and_then(|m| i64::try_from(m).ok()),
        is_wvw: report.is_wvw,
        started_at: report
            .server_start_unix
            .and_then(|t| Utc.timestamp_opt(i64::from(t), 0).single()),
        duration_ms: report.duration_ms,
        squad_size: i32::try_from(report.squad_size).unwrap_or(i32::MAX),
        enemy_count: i32::try_from(report.enemy_count).unwrap_or(i32::MAX),
        outcome,
        squad_damage: report.outcome.squad_damage,
        commander: report.commander.clone(),
        report: serde_json::to_string(report).map_err(ApiError::internal)?,
        raw_path: None,
        is_public: upload.is_public,
        truncated_at: report
            .truncated_at
            .map(|at| i64::try_from(at).unwrap_or(i64::MAX)),
    })
}

async fn remove_raw(path: Option<String>) {
    if let Some(path) = path {
        let _ = tokio::fs::remove_file(path).await;
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionCreate {
    /// 1–100 characters, e.g. "Tuesday reset, EBG".
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub is_public: bool,
    /// Fights to start with (each must be visible to you).
    #[serde(default)]
    pub fight_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionFights {
    pub fight_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionSummary {
    pub id: Uuid,
    pub name: String,
    pub author: String,
    pub description: Option<String>,
    pub is_public: bool,
    pub fight_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SessionRow> for SessionSummary {
    fn from(s: SessionRow) -> Self {
        Self {
            id: s.id,
            name: s.name,
            author: s.author,
            description: s.description,
            is_public: s.is_public,
            fight_count: s.fight_count,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A session with its fights and aggregate.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    #[serde(flatten)]
    pub session: SessionSummary,
    pub fights: Vec<FightSummary>,
    /// Top stats over the session's fights: totals, per-player table and rankings.
    #[schema(value_type = Object)]
    pub stats: SessionStats,
}

/// The WvW analytics service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Mcm {
    pub(crate) db: Db,
    /// Deletions are audited.
    pub(crate) audit: crate::services::audit::Audit,
    /// Fight and parse-progress events for session subscribers.
    pub(crate) events: EventBus,
    /// Limits on uploads in flight and parses at once.
    pub(crate) uploads: UploadGate,
    /// Where raw logs are kept (`DATA_DIR/logs`).
    pub(crate) data_dir: std::path::PathBuf,
    /// Largest upload, and largest decompressed log, in bytes.
    pub(crate) upload_limit: usize,
    /// When fights are uploaded and sessions changed (the meta counts fights by upload time).
    pub(crate) clock: crate::clock::Clock,
}

impl Mcm {
    /// A session the caller may read (public, owner or superuser): 404 unknown, 403 private.
    async fn readable_session(&self, viewer: Option<&User>, id: Uuid) -> ApiResult<SessionRow> {
        let session = store::fights::session_by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("session"))?;
        if !can_read(viewer, session.user_id, session.is_public) {
            return Err(ApiError::Forbidden("this session is private".into()));
        }
        Ok(session)
    }

    /// A session the caller may change (owner or superuser).
    async fn writable_session(&self, user: &User, id: Uuid) -> ApiResult<SessionRow> {
        let session = store::fights::session_by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("session"))?;
        if !can_write(user, session.user_id) {
            return Err(ApiError::Forbidden(
                "only the session's owner can change it".into(),
            ));
        }
        Ok(session)
    }

    /// Parses, analyses and stores an uploaded log; publishes progress and the new aggregate on
    /// the session's topic when one is given.
    pub async fn upload(&self, user: &User, upload: Upload) -> ApiResult<UploadOut> {
        if let Some(session) = upload.session {
            self.writable_session(user, session).await?;
        }
        if upload.log.size() == 0 {
            return Err(ApiError::validation("file", "the uploaded file is empty"));
        }
        if let Some(job) = upload.job {
            if let Some(stored) = self.stored_by_job(user, job, upload.session).await? {
                return Ok(stored);
            }
        }
        let sha = upload.log.sha256().to_owned();
        if let Some(existing) = store::fights::by_hash(&self.db, user.id, &sha).await? {
            return self.finish_duplicate(existing, upload.session).await;
        }

        let report = self.parse_and_analyze(&upload).await?;
        let id = upload.job.unwrap_or_else(Uuid::new_v4);
        let fight = new_fight(id, user, &upload, sha.clone(), &report)?;
        let Upload {
            log,
            session,
            keep_raw,
            ..
        } = upload;
        let raw_path = if keep_raw {
            Some(self.keep_raw_log(id, log).await?)
        } else {
            None
        };
        let fight = NewFight {
            raw_path: raw_path.clone(),
            ..fight
        };
        match store::fights::insert(&self.db, &fight, session, self.clock.now()).await {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => {
                // The same log raced in twice: the first one won.
                remove_raw(raw_path).await;
                let existing = store::fights::by_hash(&self.db, user.id, &sha)
                    .await?
                    .ok_or_else(|| ApiError::internal("duplicate fight vanished"))?;
                return self.finish_duplicate(existing, session).await;
            }
            Err(err) => {
                remove_raw(raw_path).await;
                return Err(err.into());
            }
        }
        let row = store::fights::by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::internal("stored fight vanished"))?;
        let summary = FightSummary::from(row);
        if let Some(session) = session {
            self.publish_fight_added(session, &summary).await;
        }
        tracing::info!(fight = %id, players = report.squad_size, duration_ms = report.duration_ms, "log parsed");
        Ok(UploadOut {
            id,
            duplicate: false,
            session_id: session,
            fight: summary,
        })
    }

    /// The fight an earlier attempt of the queued upload `job` stored (the fight's id is the
    /// job's), answered as that upload: not a duplicate, added to its session if it was not yet.
    pub async fn stored_by_job(
        &self,
        user: &User,
        job: Uuid,
        session: Option<Uuid>,
    ) -> ApiResult<Option<UploadOut>> {
        match store::fights::by_id(&self.db, job).await? {
            Some(row) if row.user_id == user.id => {
                let out = self.finish_duplicate(row, session).await?;
                Ok(Some(UploadOut {
                    duplicate: false,
                    ..out
                }))
            }
            _ => Ok(None),
        }
    }

    async fn finish_duplicate(
        &self,
        existing: FightRow,
        session: Option<Uuid>,
    ) -> ApiResult<UploadOut> {
        let summary = FightSummary::from(existing);
        if let Some(session) = session {
            let added =
                store::fights::add_fights(&self.db, session, &[summary.id], self.clock.now())
                    .await?;
            if added > 0 {
                self.publish_fight_added(session, &summary).await;
            }
        }
        Ok(UploadOut {
            id: summary.id,
            duplicate: true,
            session_id: session,
            fight: summary,
        })
    }

    /// Parses and analyses on the blocking pool, publishing progress at most every 100 ms.
    /// The log is read into memory only under a parse permit, and a compressed log may inflate
    /// to at most the upload limit.
    async fn parse_and_analyze(&self, upload: &Upload) -> ApiResult<FightReport> {
        let _permit = self.uploads.parse_permit().await?;
        let bytes = upload.log.read().await?;
        let limits = evtc::Limits {
            max_decompressed_size: self.upload_limit as u64,
            ..evtc::Limits::default()
        };
        let upload_id = Uuid::new_v4();
        let (progress_tx, mut progress_rx) = tokio::sync::mpsc::channel::<(u64, u64)>(8);
        // Progress goes to the session's subscribers and to the queued job's followers.
        let topics: Vec<(String, Value)> = upload
            .session
            .map(|session| {
                (
                    session_topic(session),
                    json!({"type": "parse_progress", "session_id": session, "upload_id": upload_id,
                        "file_name": upload.file_name}),
                )
            })
            .into_iter()
            .chain(upload.job.map(|job| {
                (
                    crate::services::jobs::job_topic(job),
                    json!({"type": "job_progress", "job_id": job}),
                )
            }))
            .collect();
        let publisher = (!topics.is_empty()).then(|| {
            let events = self.events.clone();
            tokio::spawn(async move {
                while let Some((done, total)) = progress_rx.recv().await {
                    let fraction = if total == 0 {
                        1.0
                    } else {
                        done as f64 / total as f64
                    };
                    for (topic, base) in &topics {
                        let mut message = base.clone();
                        let progress =
                            json!({"done_bytes": done, "total_bytes": total, "fraction": fraction});
                        if message["type"] == "job_progress" {
                            message["progress"] = progress;
                        } else if let (Some(m), Some(p)) =
                            (message.as_object_mut(), progress.as_object())
                        {
                            m.extend(p.clone());
                        }
                        events.publish(topic, &message).await;
                    }
                }
            })
        });
        let size = bytes.len();
        let started = Instant::now();
        let parsed = tokio::task::spawn_blocking(move || {
            let mut last = Instant::now() - Duration::from_secs(1);
            let log = evtc::parse_with(&bytes, &limits, &mut |done, total| {
                if done == total || last.elapsed() >= Duration::from_millis(100) {
                    last = Instant::now();
                    // A full queue means nobody is keeping up: skip this update, not the parse.
                    let _ = progress_tx.try_send((done, total));
                }
            })?;
            drop(bytes);
            Ok::<_, evtc::ParseError>(evtc::analyze(&log))
        })
        .await
        .map_err(ApiError::internal)?;
        crate::monitoring::log_parsed(size, started.elapsed(), parsed.is_ok());
        if let Some(publisher) = publisher {
            let _ = publisher.await;
        }
        parsed.map_err(|e| match e {
            evtc::ParseError::Zip(evtc::ZipError::TooLarge { limit }) => {
                ApiError::PayloadTooLarge(format!(
                    "the compressed log inflates to more than the {} MiB this server accepts",
                    limit / (1024 * 1024)
                ))
            }
            e => ApiError::validation("file", format!("not a readable arcdps log: {e}")),
        })
    }

    /// Keeps the raw log under `DATA_DIR/logs/` (only when the uploader asked): the temporary
    /// upload file is moved there, not copied (a queued log is written from its blob).
    async fn keep_raw_log(&self, id: Uuid, log: UploadedLog) -> ApiResult<String> {
        let dir = self.data_dir.join("logs");
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(ApiError::internal)?;
        let path = log.keep_in(&dir, id).await?;
        Ok(path.display().to_string())
    }

    async fn publish_fight_added(&self, session: Uuid, fight: &FightSummary) {
        let topic = session_topic(session);
        self.events
            .publish(
                &topic,
                &json!({"type": "fight_added", "session_id": session, "fight": fight}),
            )
            .await;
        match self.session_stats(session).await {
            Ok(stats) => {
                self.events
                    .publish(
                        &topic,
                        &json!({"type": "session_stats", "session_id": session, "stats": stats}),
                    )
                    .await;
            }
            Err(err) => tracing::warn!(error = %err, %session, "cannot aggregate the session"),
        }
    }

    /// A fight's summary, if the viewer may read it (403 private, 404 unknown).
    pub async fn fight(&self, viewer: Option<&User>, id: Uuid) -> ApiResult<FightSummary> {
        let row = store::fights::by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("fight"))?;
        if !can_read(viewer, row.user_id, row.is_public) {
            return Err(ApiError::Forbidden("this fight is private".into()));
        }
        Ok(row.into())
    }

    /// A fight's full report (after the same permission check as [`fight`]).
    pub async fn fight_report(
        &self,
        viewer: Option<&User>,
        id: Uuid,
    ) -> ApiResult<(FightSummary, FightReport)> {
        let summary = self.fight(viewer, id).await?;
        let json = store::fights::report(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("fight"))?;
        let report =
            tokio::task::spawn_blocking(move || serde_json::from_str::<FightReport>(&json))
                .await
                .map_err(ApiError::internal)?
                .map_err(|e| ApiError::internal(format!("stored report unreadable: {e}")))?;
        Ok((summary, report))
    }

    pub async fn delete_fight(&self, user: &User, id: Uuid) -> ApiResult<()> {
        let row = store::fights::by_id(&self.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("fight"))?;
        if !can_write(user, row.user_id) {
            return Err(ApiError::Forbidden(
                "only the uploader can delete a fight".into(),
            ));
        }
        if let Some(raw) = store::fights::delete(&self.db, id).await? {
            remove_raw(raw).await;
        }
        self.audit
            .record(crate::services::builds::deletion(
                crate::services::audit::Action::FightDeleted,
                user,
                row.user_id,
                "fight",
                id,
            ))
            .await;
        Ok(())
    }

    /// Checks that every fight exists and is visible to the caller.
    async fn check_fights(&self, user: &User, ids: &[Uuid]) -> ApiResult<()> {
        if ids.len() > 500 {
            return Err(ApiError::validation(
                "fight_ids",
                "at most 500 fights per request",
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            let row = store::fights::by_id(&self.db, *id).await?.ok_or_else(|| {
                ApiError::validation(
                    format!("fight_ids.{i}"),
                    format!("fight {id} does not exist"),
                )
            })?;
            if !can_read(Some(user), row.user_id, row.is_public) {
                return Err(ApiError::validation(
                    format!("fight_ids.{i}"),
                    format!("fight {id} is private"),
                ));
            }
        }
        Ok(())
    }

    pub async fn create_session(&self, user: &User, input: SessionCreate) -> ApiResult<SessionOut> {
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::validation("name", "1 to 100 characters"));
        }
        if input
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 5000)
        {
            return Err(ApiError::validation(
                "description",
                "at most 5000 characters",
            ));
        }
        self.check_fights(user, &input.fight_ids).await?;
        let id = store::fights::create_session(
            &self.db,
            user.id,
            name,
            input.description.as_deref(),
            input.is_public,
            &input.fight_ids,
            self.clock.now(),
        )
        .await?;
        self.session(Some(user), id).await
    }

    pub async fn session(&self, viewer: Option<&User>, id: Uuid) -> ApiResult<SessionOut> {
        let row = self.readable_session(viewer, id).await?;
        let fights = store::fights::session_fights(&self.db, id)
            .await?
            .into_iter()
            .map(FightSummary::from)
            .collect();
        let stats = self.session_stats(id).await?;
        Ok(SessionOut {
            session: row.into(),
            fights,
            stats,
        })
    }

    /// Whether `user` may add fights to a session (a queued upload checks before it is stored).
    pub async fn check_session_writable(&self, user: &User, id: Uuid) -> ApiResult<()> {
        self.writable_session(user, id).await.map(|_| ())
    }

    /// Whether the viewer may follow a session (used by the WebSocket before subscribing).
    pub async fn check_session_readable(&self, viewer: &User, id: Uuid) -> ApiResult<()> {
        self.readable_session(Some(viewer), id).await.map(|_| ())
    }

    /// Aggregates the session's stored reports (on the blocking pool: it is CPU work).
    pub async fn session_stats(&self, id: Uuid) -> ApiResult<SessionStats> {
        let reports = store::fights::session_reports(&self.db, id).await?;
        tokio::task::spawn_blocking(move || {
            let fights = reports
                .iter()
                .map(|json| serde_json::from_str::<FightReport>(json))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, serde_json::Error>(evtc::aggregate(&fights))
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::internal(format!("stored report unreadable: {e}")))
    }

    pub async fn add_fights(
        &self,
        user: &User,
        id: Uuid,
        input: SessionFights,
    ) -> ApiResult<SessionOut> {
        self.writable_session(user, id).await?;
        self.check_fights(user, &input.fight_ids).await?;
        let added =
            store::fights::add_fights(&self.db, id, &input.fight_ids, self.clock.now()).await?;
        let out = self.session(Some(user), id).await?;
        if added > 0 {
            let topic = session_topic(id);
            for fight in out
                .fights
                .iter()
                .filter(|f| input.fight_ids.contains(&f.id))
            {
                self.events
                    .publish(
                        &topic,
                        &json!({"type": "fight_added", "session_id": id, "fight": fight}),
                    )
                    .await;
            }
            self.events
                .publish(
                    &topic,
                    &json!({"type": "session_stats", "session_id": id, "stats": out.stats}),
                )
                .await;
        }
        Ok(out)
    }

    pub async fn remove_fight(&self, user: &User, id: Uuid, fight: Uuid) -> ApiResult<()> {
        self.writable_session(user, id).await?;
        if !store::fights::remove_fight(&self.db, id, fight).await? {
            return Err(ApiError::not_found("fight in this session"));
        }
        Ok(())
    }

    pub async fn delete_session(&self, user: &User, id: Uuid) -> ApiResult<()> {
        let owner = self.writable_session(user, id).await?.user_id;
        store::fights::delete_session(&self.db, id).await?;
        self.audit
            .record(crate::services::builds::deletion(
                crate::services::audit::Action::SessionDeleted,
                user,
                owner,
                "session",
                id,
            ))
            .await;
        Ok(())
    }

    /// Fights the viewer may see, matching `filter`, newest first.
    pub async fn fights(
        &self,
        viewer: Option<Uuid>,
        filter: &store::fights::FightFilter,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<store::fights::FightRow>, i64)> {
        Ok(store::fights::list(&self.db, viewer, filter, skip, limit).await?)
    }

    /// Sessions the viewer may see, newest first.
    pub async fn sessions(
        &self,
        viewer: Option<Uuid>,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<store::fights::SessionRow>, i64)> {
        Ok(store::fights::list_sessions(&self.db, viewer, skip, limit).await?)
    }
}
