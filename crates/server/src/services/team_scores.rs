//! Build DPS estimates for team slots, cached, and the re-scoring of teams after their builds
//! change.
//!
//! Why a cache: an estimate runs the gear engine once per compared benchmark (0.3–8 ms); a
//! team save scores every distinct build of up to 50 slots, and a build edit re-scores every
//! team that uses it. Keyed by (build, its `updated_at`, role), a cached score never goes
//! stale: an edit changes the key.
//!
//! Why a queue: build edits come in bursts (an author tweaking gear, the load benchmark's
//! mixed run). Each edit only marks the build; one worker wakes, waits a short window so a
//! burst folds into one pass, and re-scores each affected team once.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::Notify;
use uuid::Uuid;

use crate::services::builds::{self, BuildCreate};
use crate::state::{AppState, Inner};

/// How long the worker waits after the first edit of a burst before re-scoring.
const COALESCE: Duration = Duration::from_secs(1);

/// A slot's score: its DPS and the benchmark used, or why it has none.
pub type Score = Result<(f64, String), String>;

type Key = (Uuid, i64, Option<String>);

/// The estimate cache and the queue of builds whose teams need re-scoring.
#[derive(Clone)]
pub struct TeamScores {
    cache: moka::sync::Cache<Key, Score>,
    pending: Arc<Mutex<HashSet<Uuid>>>,
    wake: Arc<Notify>,
}

impl Default for TeamScores {
    fn default() -> Self {
        Self {
            cache: moka::sync::Cache::builder().max_capacity(100_000).build(),
            pending: Arc::default(),
            wake: Arc::default(),
        }
    }
}

impl TeamScores {
    /// The score of `build` (version `updated_at_ms`) playing `role`: from the cache, or
    /// computed (CPU work: call from a blocking task).
    pub fn score(
        &self,
        id: Uuid,
        updated_at_ms: i64,
        build: &BuildCreate,
        role: Option<&str>,
    ) -> Score {
        let key = (id, updated_at_ms, role.map(str::to_owned));
        self.cache.get_with(key, || {
            builds::estimate_dps(build, role)
                .map(|e| (e.dps, format!("{} ({})", e.benchmark.name, e.benchmark.id)))
                .map_err(|e| match e {
                    crate::error::ApiError::Validation { message, .. } => message,
                    other => other.to_string(),
                })
        })
    }

    /// Marks a changed build: the teams using it are re-scored by the worker shortly.
    pub fn schedule(&self, build_id: Uuid) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.insert(build_id);
        }
        self.wake.notify_one();
    }

    /// Starts the worker. It holds the state weakly and ends with it.
    pub(crate) fn spawn_worker(&self, state: Weak<Inner>) {
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                me.wake.notified().await;
                tokio::time::sleep(COALESCE).await;
                let builds: Vec<Uuid> = match me.pending.lock() {
                    Ok(mut p) => p.drain().collect(),
                    Err(_) => return,
                };
                let Some(state) = state.upgrade().map(AppState::from_inner) else {
                    return;
                };
                let mut done = HashSet::new();
                for build_id in builds {
                    match crate::services::teams::refresh_teams_using(&state, build_id, &mut done)
                        .await
                    {
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(build = %build_id, error = %e, "team totals not refreshed")
                        }
                    }
                }
            }
        });
    }
}
