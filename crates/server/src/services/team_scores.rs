//! Build DPS estimates, cached, and the re-scoring of teams after their builds change.
//!
//! Why a cache: an estimate runs the gear engine once per compared benchmark (0.05–8 ms); a
//! team save scores every distinct build of up to 50 slots, a build edit re-scores every team
//! that uses it, and `GET /builds/{id}/dps` may be asked again and again. Entries are keyed by
//! (build, its `updated_at` to the microsecond as stored, role): an edit changes the key.
//!
//! Why a queue: build edits come in bursts (an author tweaking gear, the load benchmark's
//! mixed run). Each edit only marks the build (or, for an account deletion, the teams); one
//! worker wakes, waits a short window so a burst folds into one pass, and re-scores each
//! affected team once. A team saved meanwhile is left alone by the pass (its save scored it)
//! and the build is looked at again in the next pass.

use gw2::build::Build;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use optimizer::benchmark::DpsEstimate;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::error::ApiError;
use crate::services::builds;
use crate::services::teams::Teams;

/// How long the worker waits after the first edit of a burst before re-scoring.
const COALESCE: Duration = Duration::from_secs(1);

/// An estimate, or why the build has none (a 422 naming the field).
pub type Score = Result<Arc<DpsEstimate>, ApiError>;

type Key = (Uuid, i64, Option<String>);

#[derive(Default)]
struct Pending {
    builds: HashSet<Uuid>,
    teams: HashSet<Uuid>,
}

/// The estimate cache and the queue of builds and teams to re-score.
#[derive(Clone)]
pub struct TeamScores {
    cache: moka::sync::Cache<Key, Score, crate::expiring::KeyHasher>,
    pending: Arc<Mutex<Pending>>,
    wake: Arc<Notify>,
}

impl Default for TeamScores {
    fn default() -> Self {
        Self {
            cache: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .build_with_hasher(crate::expiring::KeyHasher::default()),
            pending: Arc::default(),
            wake: Arc::default(),
        }
    }
}

impl TeamScores {
    /// The estimate of `build` (version `updated_at_us`, microseconds) playing `role`: from
    /// the cache, or computed (CPU work: call from a blocking task).
    pub fn score(&self, id: Uuid, updated_at_us: i64, build: &Build, role: Option<&str>) -> Score {
        let key = (id, updated_at_us, role.map(str::to_owned));
        self.cache
            .get_with(key, || builds::estimate_dps(build, role).map(Arc::new))
    }

    /// Marks a changed build: the teams using it are re-scored by the worker shortly.
    pub fn schedule(&self, build_id: Uuid) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.builds.insert(build_id);
        }
        self.wake.notify_one();
    }

    /// Marks teams whose slots changed without a build edit (an account deletion emptied
    /// them): re-scored by the worker shortly.
    pub fn schedule_teams(&self, teams: impl IntoIterator<Item = Uuid>) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.teams.extend(teams);
        }
        self.wake.notify_one();
    }

    /// Starts the worker, which re-scores through `teams` until `stop` is cancelled (the
    /// service shutting down: see `state`).
    pub(crate) fn spawn_worker(&self, teams: Teams, stop: CancellationToken) {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = me.wake.notified() => {}
                }
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(COALESCE) => {}
                }
                let Pending {
                    builds,
                    teams: queued,
                } = match me.pending.lock() {
                    Ok(mut p) => std::mem::take(&mut *p),
                    Err(_) => return,
                };
                me.run_pass(&teams, builds, queued).await;
            }
        });
    }

    /// Re-scores the given teams and every team using the given builds, each once. A build
    /// whose teams could not all be re-scored (an error, or a team saved meanwhile) is queued
    /// again for the next pass.
    async fn run_pass(&self, service: &Teams, builds: HashSet<Uuid>, teams: HashSet<Uuid>) {
        let mut done = HashSet::new();
        for team_id in teams {
            if let Err(e) = service.refresh_team(team_id).await {
                tracing::warn!(team = %team_id, error = %e, "team totals not refreshed");
            }
            done.insert(team_id);
        }
        for build_id in builds {
            match service.refresh_teams_using(build_id, &mut done).await {
                Ok(true) => {}
                Ok(false) => self.schedule(build_id),
                Err(e) => {
                    tracing::warn!(build = %build_id, error = %e, "team totals not refreshed");
                    self.schedule(build_id);
                }
            }
        }
    }
}
