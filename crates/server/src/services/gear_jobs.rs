//! Gear optimizations as jobs: started by `POST /optimize/gear` (answered at once when the
//! search finishes within the synchronous budget, otherwise 202 with a job to poll) or by
//! the `/ws/optimize` WebSocket, which streams the same progress. Each job holds an engine
//! slot (see `services::engines`) until its search returns, and searches at most the time
//! it was started with.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use optimizer::gear::{GearInput, GearOutput, GearResult, Progress};
use serde::Serialize;
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::services::engines::EngineSlot;

/// Finished jobs are kept this long for polling.
const KEEP_FINISHED: Duration = Duration::from_secs(15 * 60);
/// At most this many jobs run or wait for collection; older finished ones go first.
const MAX_JOBS: usize = 256;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JobState {
    Running {
        subtrees_done: usize,
        subtrees_total: usize,
        evaluated: u64,
        #[schema(value_type = Option<Object>)]
        best: Option<Box<GearResult>>,
    },
    Done {
        #[schema(value_type = Object)]
        output: Box<GearOutput>,
    },
    Failed {
        detail: String,
    },
}

pub struct Job {
    pub id: Uuid,
    /// The account that started the job: only it may poll or cancel it (jobs exist only for
    /// signed-in callers).
    pub owner: Option<Uuid>,
    cancel: AtomicBool,
    state: watch::Sender<JobState>,
    started: Instant,
}

impl Job {
    pub fn state(&self) -> JobState {
        self.state.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<JobState> {
        self.state.subscribe()
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn finished(&self) -> bool {
        !matches!(*self.state.borrow(), JobState::Running { .. })
    }
}

#[derive(Default)]
pub struct GearJobs {
    jobs: Mutex<HashMap<Uuid, Arc<Job>>>,
}

impl GearJobs {
    /// Starts a search on the engine threads of `slot`, cancelled after `max_search` (it then
    /// ends with the best result so far); progress and the outcome go to the job's state.
    pub fn start(
        &self,
        input: GearInput,
        slot: EngineSlot,
        max_search: Duration,
        owner: Option<Uuid>,
    ) -> Result<Arc<Job>, &'static str> {
        let (tx, _) = watch::channel(JobState::Running {
            subtrees_done: 0,
            subtrees_total: 0,
            evaluated: 0,
            best: None,
        });
        let job = Arc::new(Job {
            id: Uuid::new_v4(),
            owner,
            cancel: AtomicBool::new(false),
            state: tx,
            started: Instant::now(),
        });
        {
            let mut jobs = self
                .jobs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            jobs.retain(|_, j| !(j.finished() && j.started.elapsed() > KEEP_FINISHED));
            if jobs.len() >= MAX_JOBS {
                let running = jobs.values().filter(|j| !j.finished()).count();
                if running >= MAX_JOBS / 2 {
                    return Err("too many optimizations are running; retry shortly");
                }
                let mut finished: Vec<_> = jobs
                    .values()
                    .filter(|j| j.finished())
                    .map(|j| (j.started, j.id))
                    .collect();
                finished.sort();
                for (_, id) in finished.into_iter().take(jobs.len() + 1 - MAX_JOBS) {
                    jobs.remove(&id);
                }
            }
            jobs.insert(job.id, job.clone());
        }
        let worker = job.clone();
        let (progress_tx, mut progress_rx) = mpsc::unbounded_channel::<Progress>();
        // Progress arrives from rayon worker threads; one task folds it into the state.
        let folder = job.clone();
        tokio::spawn(async move {
            let mut best: Option<Box<GearResult>> = None;
            while let Some(p) = progress_rx.recv().await {
                if let Some(b) = p.best {
                    best = Some(Box::new(b));
                }
                // Check and update under the state's lock: progress still queued when the
                // search finishes must never overwrite the final state (a job would then
                // look `running` forever).
                let update = JobState::Running {
                    subtrees_done: p.subtrees_done,
                    subtrees_total: p.subtrees_total,
                    evaluated: p.evaluated,
                    best: best.clone(),
                };
                let still_running = folder.state.send_if_modified(|state| {
                    let running = matches!(state, JobState::Running { .. });
                    if running {
                        *state = update;
                    }
                    running
                });
                if !still_running {
                    break;
                }
            }
        });
        let watchdog = job.clone();
        tokio::spawn(async move {
            tokio::time::sleep(max_search).await;
            watchdog.cancel();
        });
        let searcher = worker.clone();
        let search = slot.run(crate::services::engines::Search::Gear, move || {
            optimizer::gear::run_with(&input, &searcher.cancel, &|p: &Progress| {
                let _ = progress_tx.send(p.clone());
            })
        });
        // The outcome is published once the search has returned and given its slot back, so a
        // caller who sees `done` may start the next search at once.
        tokio::spawn(async move {
            worker.state.send_replace(match search.await {
                Ok(Ok(output)) => JobState::Done {
                    output: Box::new(output),
                },
                Ok(Err(e)) => JobState::Failed {
                    detail: e.to_string(),
                },
                Err(e) => {
                    tracing::error!(error = %e, "a gear search stopped unexpectedly");
                    JobState::Failed {
                        detail: "the search stopped unexpectedly".into(),
                    }
                }
            });
        });
        Ok(job)
    }

    /// The job `id` if `user` started it (another account's job is as good as unknown).
    pub fn get_owned(&self, id: Uuid, user: Uuid) -> Option<Arc<Job>> {
        self.get(id).filter(|job| job.owner == Some(user))
    }

    pub fn get(&self, id: Uuid) -> Option<Arc<Job>> {
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .cloned()
    }
}
