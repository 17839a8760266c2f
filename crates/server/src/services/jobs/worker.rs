//! One worker: claims a ready job, runs it while beating its lease, and completes it only if
//! it still holds the lease. Runs until its instance stops; a job it holds at that moment is
//! given back (queued again at once) so another instance takes it without waiting for the
//! lease to expire.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use store::jobs::{self as repo, JobRow, Lease};
use tokio_util::sync::CancellationToken;

use super::{job_topic, GearJobInput, Jobs, GEAR, KINDS, LOG_PARSE};

pub struct Worker {
    pub(super) jobs: Jobs,
    /// `instance#n`: the lease owner's name.
    pub(super) name: String,
}

/// How a run ended, as far as the queue is concerned.
pub(super) enum Ending {
    Done(Value),
    /// The owner cancelled: the best result so far.
    Cancelled(Option<Value>),
    /// Retry later (or fail for good after the last attempt).
    Failed(String),
    /// Fail for good now: the input itself is refused (a corrupt log), so another attempt
    /// would fail the same way.
    Rejected(String),
    /// This instance is stopping: give the job back.
    Stopping,
    /// Another worker holds the job now: write nothing.
    LeaseLost,
}

/// How often a worker reads the queue's depth for the metrics.
const DEPTH_EVERY: Duration = Duration::from_secs(5);

/// Backoff before attempt `n + 1`: 2ⁿ seconds, at most a minute.
fn backoff(attempts: i32) -> chrono::Duration {
    chrono::Duration::seconds(1_i64 << attempts.clamp(0, 6).min(6))
}

impl Worker {
    pub async fn run(self, stop: CancellationToken) {
        let poll = self.jobs.settings.poll;
        let mut last_depth: Option<Instant> = None;
        while !stop.is_cancelled() {
            let now = self.jobs.clock.now();
            if let Err(e) = repo::expire_exhausted(&self.jobs.db, now).await {
                tracing::warn!(error = %e, "jobs: expiring exhausted jobs failed");
            }
            // The queue's depth for /metrics, read every few seconds, not every poll.
            if last_depth.is_none_or(|t: Instant| t.elapsed() >= DEPTH_EVERY) {
                last_depth = Some(Instant::now());
                if let Ok((queued, running)) = repo::depth(&self.jobs.db).await {
                    crate::monitoring::job_queue(queued, running);
                }
                // Blobs of jobs that ended without their worker deleting them (cancelled
                // while queued, expired, or their instance died in between).
                if let Err(e) = repo::delete_ended_blobs(&self.jobs.db).await {
                    tracing::warn!(error = %e, "jobs: deleting ended jobs' blobs failed");
                }
            }
            let lease_until = now + lease(&self.jobs);
            match repo::claim(&self.jobs.db, &self.name, &KINDS, now, lease_until).await {
                Ok(Some(job)) => self.execute(job, &stop).await,
                Ok(None) => {
                    tokio::select! {
                        () = tokio::time::sleep(poll) => {}
                        () = self.jobs.wake.notified() => {}
                        () = stop.cancelled() => break,
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "jobs: claim failed");
                    tokio::select! {
                        () = tokio::time::sleep(poll) => {}
                        () = stop.cancelled() => break,
                    }
                }
            }
        }
    }

    async fn execute(&self, job: JobRow, stop: &CancellationToken) {
        let id = job.id;
        let started = Instant::now();
        tracing::info!(job = %id, kind = %job.kind, attempt = job.attempts, worker = %self.name, "job claimed");
        self.jobs
            .events
            .publish(
                &job_topic(id),
                &json!({"type": "job_running", "job_id": id, "attempt": job.attempts, "worker": self.name}),
            )
            .await;
        let ending = match job.kind.as_str() {
            GEAR => self.gear(&job, stop).await,
            LOG_PARSE => self.log_parse(&job, stop).await,
            other => Ending::Failed(format!("no worker runs jobs of kind {other:?}")),
        };
        let db = &self.jobs.db;
        let now = self.jobs.clock.now();
        let written = match &ending {
            Ending::Done(result) => repo::complete(db, id, &self.name, &result.to_string(), now)
                .await
                .map(|held| held.then(|| "done".to_owned())),
            Ending::Cancelled(best) => repo::finish_cancelled(
                db,
                id,
                &self.name,
                best.as_ref().map(Value::to_string).as_deref(),
                now,
            )
            .await
            .map(|held| held.then(|| "cancelled".to_owned())),
            Ending::Failed(error) => {
                repo::retry_or_fail(db, id, &self.name, error, now, now + backoff(job.attempts))
                    .await
            }
            Ending::Rejected(error) => repo::fail(db, id, &self.name, error, now)
                .await
                .map(|held| held.then(|| "failed".to_owned())),
            Ending::Stopping => {
                repo::retry_or_fail(db, id, &self.name, "its instance stopped", now, now).await
            }
            Ending::LeaseLost => Ok(None),
        };
        let outcome = match (&ending, written.as_ref().ok().and_then(Option::as_deref)) {
            (Ending::LeaseLost, _) | (_, None) => "lease_lost",
            (_, Some("done")) => "done",
            (_, Some("cancelled")) => "cancelled",
            (_, Some("queued")) => "queued_again",
            _ => "failed",
        };
        crate::monitoring::job_ended(&job.kind, outcome, started.elapsed());
        match written {
            Ok(Some(status)) => {
                tracing::info!(job = %id, status = %status, worker = %self.name, "job ended");
                if status != "queued" {
                    if let Err(e) = repo::delete_blob(db, id).await {
                        tracing::warn!(job = %id, error = %e, "job blob not deleted (the sweep will)");
                    }
                }
                self.jobs
                    .events
                    .publish(
                        &job_topic(id),
                        &json!({"type": "job_done", "job_id": id, "status": status}),
                    )
                    .await;
            }
            Ok(None) => {
                tracing::warn!(job = %id, worker = %self.name, "job lease lost; another instance has it, nothing written");
            }
            Err(e) => tracing::error!(job = %id, error = %e, "job end not saved"),
        }
    }

    /// The gear engine on one job: beats the lease and publishes progress every heartbeat,
    /// stops the search at its time limit (done, best so far) or the owner's cancel.
    async fn gear(&self, job: &JobRow, stop: &CancellationToken) -> Ending {
        let parsed: GearJobInput = match serde_json::from_str(&job.input) {
            Ok(p) => p,
            Err(e) => return Ending::Failed(format!("stored input does not read back: {e}")),
        };
        let limit = parsed
            .max_seconds
            .map_or(self.jobs.settings.max_search, Duration::from_secs)
            .min(self.jobs.settings.max_search);
        let cancel = Arc::new(AtomicBool::new(false));
        let latest: Arc<Mutex<Option<Value>>> = Arc::default();
        let search = {
            let (cancel, latest) = (cancel.clone(), latest.clone());
            tokio::task::spawn_blocking(move || {
                optimizer::gear::run_with(&parsed.input, &cancel, &|p| {
                    let progress = json!({
                        "subtrees_done": p.subtrees_done,
                        "subtrees_total": p.subtrees_total,
                        "evaluated": p.evaluated,
                        "best": p.best,
                    });
                    if let Ok(mut slot) = latest.lock() {
                        // Keep the best seen: a later report may carry none.
                        let best = slot.as_ref().map(|v| v["best"].clone());
                        let mut progress = progress;
                        if progress["best"].is_null() {
                            if let Some(best) = best {
                                progress["best"] = best;
                            }
                        }
                        *slot = Some(progress);
                    }
                })
            })
        };
        tokio::pin!(search);
        let started = Instant::now();
        let mut owner_cancelled = false;
        let mut lost = false;
        let mut stopping = false;
        // Progress goes out every second; the lease is renewed every heartbeat period.
        let heartbeat = self.jobs.settings.heartbeat();
        let mut beat = tokio::time::interval(heartbeat.min(Duration::from_secs(1)));
        beat.tick().await;
        let mut last_beat = Instant::now();
        let outcome = loop {
            tokio::select! {
                out = &mut search => break out,
                _ = beat.tick() => {
                    let progress = latest.lock().ok().and_then(|p| p.clone());
                    if last_beat.elapsed() >= heartbeat {
                        last_beat = Instant::now();
                        match self.beat(job.id, progress.as_ref()).await {
                            Some(Lease::Held { cancel: true }) => { owner_cancelled = true; cancel.store(true, Ordering::Relaxed); }
                            Some(Lease::Held { cancel: false }) | None => {}
                            Some(Lease::Lost) => { lost = true; cancel.store(true, Ordering::Relaxed); }
                        }
                    }
                    if let Some(progress) = progress {
                        self.jobs.events.publish(&job_topic(job.id),
                            &json!({"type": "job_progress", "job_id": job.id, "progress": progress})).await;
                    }
                    if started.elapsed() >= limit {
                        cancel.store(true, Ordering::Relaxed);
                    }
                }
                () = stop.cancelled(), if !stopping => {
                    stopping = true;
                    cancel.store(true, Ordering::Relaxed);
                }
            }
        };
        if lost {
            return Ending::LeaseLost;
        }
        if stopping {
            return Ending::Stopping;
        }
        match outcome {
            Ok(Ok(output)) => match serde_json::to_value(&output) {
                Ok(value) if owner_cancelled => Ending::Cancelled(Some(value)),
                Ok(value) => Ending::Done(value),
                Err(e) => Ending::Failed(e.to_string()),
            },
            Ok(Err(e)) if owner_cancelled => {
                tracing::debug!(error = %e, "cancelled gear job had no result");
                Ending::Cancelled(None)
            }
            Ok(Err(e)) => Ending::Failed(e.to_string()),
            Err(e) => Ending::Failed(format!("the search stopped unexpectedly: {e}")),
        }
    }
}

impl Worker {
    /// Renews the lease on `job` (storing `progress` when given): what the heartbeat learned,
    /// or `None` when the database did not answer (the next beat tries again).
    pub(super) async fn beat(&self, job: uuid::Uuid, progress: Option<&Value>) -> Option<Lease> {
        let now = self.jobs.clock.now();
        let lease_until = now + lease(&self.jobs);
        let progress = progress.map(Value::to_string);
        match repo::heartbeat(
            &self.jobs.db,
            job,
            &self.name,
            now,
            lease_until,
            progress.as_deref(),
        )
        .await
        {
            Ok(lease) => Some(lease),
            Err(e) => {
                tracing::warn!(job = %job, error = %e, "job heartbeat failed");
                None
            }
        }
    }
}

fn lease(jobs: &Jobs) -> chrono::Duration {
    chrono::Duration::from_std(jobs.settings.lease).unwrap_or(chrono::Duration::seconds(30))
}
