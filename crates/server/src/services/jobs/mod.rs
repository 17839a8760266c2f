//! Long work any instance can run: a durable queue in the database (`store::jobs`), with
//! leases, heartbeats, retries with backoff, cancellation and stored results.
//!
//! `POST /api/v1/jobs` stores a job; every instance runs [`worker`]s that claim ready jobs,
//! renew their lease while they work and complete them only while they still hold it. A job
//! whose instance dies (kill -9, a lost machine) keeps its expired lease until another
//! instance claims it again, so it finishes elsewhere, once. Progress and the end are
//! published on the event bus (`job:{id}`), which Redis carries between instances.
//!
//! Kinds: `gear_optimization` (`{input: GearInput, max_seconds?}`: the gear engine, ended by
//! `max_seconds` or a cancel with the best result so far) and `log_parse` (an arcdps log
//! uploaded with `POST /mcm/logs?async=true`, kept in the database with its job: see
//! [`log_parse`]).

pub mod log_parse;
pub mod worker;

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::jobs::{self as repo, JobRow, NewJob};
use store::users::User;
use store::Db;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::events::EventBus;
use crate::services::mcm::Mcm;

/// The gear engine's kind.
pub const GEAR: &str = "gear_optimization";
/// An uploaded arcdps log to parse and store as a fight.
pub const LOG_PARSE: &str = "log_parse";
/// Every kind the workers know.
pub const KINDS: [&str; 2] = [GEAR, LOG_PARSE];

/// How the queue runs on this instance.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Jobs this instance runs at once (0: none; the instance only submits and reads).
    pub workers: usize,
    /// How long a claim holds a job without a heartbeat; a job whose instance died is taken
    /// again after this.
    pub lease: Duration,
    /// How often an idle worker looks for a job.
    pub poll: Duration,
    /// Attempts per job (a failure or a lost instance counts one).
    pub max_attempts: i32,
    /// Longest search of one attempt.
    pub max_search: Duration,
    /// This instance's name in leases (`completed_by`).
    pub instance: String,
}

impl JobSettings {
    /// The heartbeat period: a third of the lease, so two missed beats do not lose it.
    pub fn heartbeat(&self) -> Duration {
        (self.lease / 3).max(Duration::from_millis(100))
    }
}

/// What `POST /jobs` takes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobIn {
    /// `gear_optimization` (a `log_parse` job is queued by `POST /mcm/logs?async=true`,
    /// which takes the log).
    pub kind: String,
    /// The kind's input: for `gear_optimization`, `{input: GearInput, max_seconds?}`.
    #[schema(value_type = Object)]
    pub input: Value,
}

/// A gear optimization's stored input.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GearJobInput {
    pub input: optimizer::gear::GearInput,
    /// Seconds of search at most (1 to the service's limit; default the limit).
    #[serde(default)]
    pub max_seconds: Option<u64>,
}

/// A job as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobOut {
    pub id: Uuid,
    pub kind: String,
    /// queued | running | done | failed | cancelled
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    /// The latest progress a worker reported.
    #[schema(value_type = Option<Object>)]
    pub progress: Option<Value>,
    /// The result once done (a cancelled search keeps its best result so far).
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    pub error: Option<String>,
    /// The instance that completed it.
    pub completed_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl JobOut {
    fn of(row: JobRow) -> Self {
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        JobOut {
            id: row.id,
            kind: row.kind,
            status: row.status,
            attempts: row.attempts,
            max_attempts: row.max_attempts,
            progress: json(row.progress),
            result: json(row.result),
            error: row.error,
            completed_by: row.completed_by,
            created_at: row.created_at,
            finished_at: row.finished_at,
        }
    }
}

/// `host-pid-xxxx`: unique per process, readable in logs.
pub fn default_instance_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "gw2opt".to_owned());
    let suffix = Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &suffix[..4])
}

/// The event-bus topic of a job's progress and end.
pub fn job_topic(id: Uuid) -> String {
    format!("job:{id}")
}

/// The queue (clones share everything).
#[derive(Clone)]
pub struct Jobs {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
    pub(crate) events: EventBus,
    pub(crate) settings: JobSettings,
    /// Wakes this instance's idle workers when a job is submitted here.
    pub(crate) wake: std::sync::Arc<tokio::sync::Notify>,
    /// What parses and stores the logs of `log_parse` jobs.
    pub(crate) mcm: Mcm,
}

impl Jobs {
    pub fn new(db: Db, clock: Clock, events: EventBus, settings: JobSettings, mcm: Mcm) -> Self {
        Jobs {
            db,
            clock,
            events,
            settings,
            wake: std::sync::Arc::default(),
            mcm,
        }
    }

    /// Checks and stores a job of `owner`'s; answers it queued.
    pub async fn submit(&self, owner: &User, job: JobIn) -> ApiResult<JobOut> {
        let input = match job.kind.as_str() {
            GEAR => {
                let gear: GearJobInput = serde_json::from_value(job.input)
                    .map_err(|e| ApiError::validation("input", e.to_string()))?;
                if let Some(s) = gear.max_seconds {
                    let limit = self.settings.max_search.as_secs();
                    if s == 0 || s > limit {
                        return Err(ApiError::validation(
                            "input.max_seconds",
                            format!("must be 1 to {limit}"),
                        ));
                    }
                }
                optimizer::gear::validate(&gear.input)
                    .map_err(|e| ApiError::validation("input.input", e.to_string()))?;
                serde_json::to_string(&gear).map_err(ApiError::internal)?
            }
            LOG_PARSE => {
                return Err(ApiError::validation(
                    "kind",
                    "a log_parse job is queued by uploading the log: POST /mcm/logs?async=true",
                ))
            }
            other => {
                return Err(ApiError::validation(
                    "kind",
                    format!("unknown kind {other:?} (known: {})", KINDS.join(", ")),
                ))
            }
        };
        let row = repo::enqueue(
            &self.db,
            &NewJob {
                id: Uuid::new_v4(),
                kind: job.kind,
                owner_id: Some(owner.id),
                input,
                max_attempts: self.settings.max_attempts,
            },
            self.clock.now(),
        )
        .await?;
        self.wake.notify_waiters();
        Ok(JobOut::of(row))
    }

    /// A job of `user`'s (a superuser sees every job; anyone else's is 404).
    pub async fn get(&self, user: &User, id: Uuid) -> ApiResult<JobOut> {
        match repo::get(&self.db, id).await? {
            Some(row) if row.owner_id == Some(user.id) || user.is_superuser => Ok(JobOut::of(row)),
            _ => Err(ApiError::NotFound("no such job".into())),
        }
    }

    /// Asks to cancel a job of `user`'s; answers its state. A job cancelled while queued
    /// loses its blob (an uploaded log) at once.
    pub async fn cancel(&self, user: &User, id: Uuid) -> ApiResult<JobOut> {
        self.get(user, id).await?;
        repo::request_cancel(&self.db, id, self.clock.now()).await?;
        let job = self.get(user, id).await?;
        if job.status == "cancelled" {
            repo::delete_blob(&self.db, id).await?;
        }
        Ok(job)
    }

    /// Starts this instance's workers; they stop with `stop`.
    pub fn spawn_workers(&self, stop: tokio_util::sync::CancellationToken) {
        for n in 0..self.settings.workers {
            let worker = worker::Worker {
                jobs: self.clone(),
                name: format!("{}#{n}", self.settings.instance),
            };
            tokio::spawn(worker.run(stop.clone()));
        }
    }
}
