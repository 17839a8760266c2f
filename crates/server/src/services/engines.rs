//! The optimizers' share of the machine (issue #17): runs of the gear and squad engines are
//! counted per caller and for the whole service, and run on their own threads at a lowered
//! scheduling priority, so that a full house of searches cannot starve `/health`, logins or
//! any other request.
//!
//! - A caller (an account, or the client address of an anonymous caller, IPv6 by its /64
//!   network) may hold [`Settings::optimizer_jobs_per_user`] runs at once; one more is a 429.
//! - The service holds at most [`Settings::optimizer_jobs`] runs at once (default: one per
//!   core); one more is a 503. Both answers carry `Retry-After`.
//! - The engines' parallel parts (rayon) run on thread pools of their own, one per running
//!   slot (one thread per core each, made when first needed and kept for the next run): runs
//!   never wait on each other, as they would on one shared pool, where a thread that waits for
//!   its own run steals and finishes another run's long task first (so a cancelled search
//!   could not answer until another search ended). The threads have nice value
//!   [`ENGINE_NICE`]: under Linux's CFS a nice-10 thread weighs 110 against 1024 for a nice-0
//!   one (`sched_prio_to_weight` in kernel/sched/core.c), so the async runtime's workers and
//!   the password hashers get the CPU as soon as they need it, and the engines take what is
//!   left. The calling side waits on the blocking pool, never on the async runtime's workers.
//!
//! [`Settings::optimizer_jobs_per_user`]: crate::config::Settings::optimizer_jobs_per_user
//! [`Settings::optimizer_jobs`]: crate::config::Settings::optimizer_jobs

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::error::ApiError;
use crate::services::in_flight::{Claim, InFlight};

/// Nice value of the engine threads (0 is normal, 19 the lowest priority).
pub const ENGINE_NICE: i32 = 10;
/// What `Retry-After` says when a caller or the service is at its limit, in seconds.
const RETRY_AFTER_SECS: u64 = 5;

/// Who runs an optimization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    User(Uuid),
    /// An anonymous caller by address (an IPv6 address by its /64 network, which one
    /// subscriber usually holds whole).
    Anonymous(IpAddr),
}

impl Caller {
    pub fn new(user: Option<Uuid>, ip: Option<IpAddr>) -> Self {
        match user {
            Some(id) => Caller::User(id),
            None => Caller::Anonymous(network_of(ip)),
        }
    }
}

/// The address an anonymous caller is known by: IPv4 as is, IPv6 by its /64 network.
/// Unknown addresses (in-process tests) share one key.
pub fn network_of(ip: Option<IpAddr>) -> IpAddr {
    match ip {
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut octets = v6.octets();
                octets[8..].fill(0);
                IpAddr::from(octets)
            }
        },
        Some(v4) => v4,
        None => IpAddr::from([0, 0, 0, 0]),
    }
}

/// Thread pools not in use by a run (at most one per slot ever exists).
type Pools = Arc<Mutex<Vec<rayon::ThreadPool>>>;

/// Slots and threads for the optimizers (clones share them).
#[derive(Clone)]
pub struct Engines {
    slots: Arc<Semaphore>,
    total: usize,
    per_caller: InFlight<Caller>,
    pools: Pools,
    threads_per_run: usize,
}

impl Engines {
    /// `total` runs at once (0: one per core), `per_caller` of them per caller.
    pub fn new(total: usize, per_caller: usize) -> Self {
        let cores = std::thread::available_parallelism()
            .map(std::num::NonZero::get)
            .unwrap_or(1);
        let total = if total == 0 { cores } else { total };
        Engines {
            slots: Arc::new(Semaphore::new(total.clamp(1, Semaphore::MAX_PERMITS))),
            total,
            per_caller: InFlight::new(per_caller),
            pools: Arc::default(),
            threads_per_run: cores,
        }
    }

    /// A slot for one run by `caller`, or why there is none.
    pub fn acquire(&self, caller: Caller) -> Result<EngineSlot, ApiError> {
        let claim = self.per_caller.claim(caller).map_err(|mine| ApiError::Busy {
            detail: format!(
                "you already have {mine} optimizations running (at most {} at once); wait for one to finish or cancel it",
                self.per_caller.limit()
            ),
            retry_after_secs: RETRY_AFTER_SECS,
        })?;
        let permit = self
            .slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Saturated {
                detail: format!(
                    "the optimizers are busy ({} runs at once, all taken); retry shortly",
                    self.total
                ),
                retry_after_secs: RETRY_AFTER_SECS,
            })?;
        let pool = match lock(&self.pools).pop() {
            Some(pool) => pool,
            None => rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads_per_run)
                .thread_name(|i| format!("engine-{i}"))
                .start_handler(|_| lower_priority())
                .build()
                .map_err(|e| ApiError::internal(format!("cannot start engine threads: {e}")))?,
        };
        Ok(EngineSlot {
            _permit: permit,
            _claim: claim,
            pool: Some(pool),
            pools: self.pools.clone(),
        })
    }

    /// Runs in progress now.
    pub fn running(&self) -> usize {
        self.total.saturating_sub(self.slots.available_permits())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What an engine run searches, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// The gear optimizer (stat prefixes per slot).
    Gear,
    /// The squad optimizer (players to builds and parties).
    Squad,
    /// Team Commander and the AI analyses (a request to an equipped squad; both engines).
    Commander,
}

impl Search {
    pub fn label(self) -> &'static str {
        match self {
            Search::Gear => "gear",
            Search::Squad => "squad",
            Search::Commander => "commander",
        }
    }
}

/// One optimizer run's right to the engines and its threads; given back when dropped.
pub struct EngineSlot {
    _permit: OwnedSemaphorePermit,
    _claim: Claim<Caller>,
    /// Always `Some` until dropped.
    pool: Option<rayon::ThreadPool>,
    pools: Pools,
}

impl EngineSlot {
    /// Runs `work` on the engine threads (rayon calls inside it use them), waiting on the
    /// blocking pool; the slot is given back when `work` returns.
    /// Its time is recorded in the metrics as a `kind` search.
    pub fn run<T, F>(self, kind: Search, work: F) -> tokio::task::JoinHandle<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        tokio::task::spawn_blocking(move || {
            let slot = self;
            let started = std::time::Instant::now();
            let out = match &slot.pool {
                Some(pool) => pool.install(work),
                None => work(),
            };
            crate::monitoring::search_ran(kind.label(), started.elapsed());
            out
        })
    }
}

impl Drop for EngineSlot {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            lock(&self.pools).push(pool);
        }
    }
}

/// Lowers the calling thread's scheduling priority (Linux: the nice value is per thread,
/// setpriority(2) "NOTES"). A refusal only costs responsiveness, so it is logged, not fatal.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    if let Err(err) = rustix::process::setpriority_process(None, ENGINE_NICE) {
        tracing::warn!(error = %err, "cannot lower the engine threads' priority");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn slots_are_counted_per_caller_and_in_total() {
        let engines = Engines::new(3, 2);
        let ann = Caller::User(Uuid::new_v4());
        let bob = Caller::User(Uuid::new_v4());
        let a1 = engines.acquire(ann).unwrap();
        let _a2 = engines.acquire(ann).unwrap();
        assert!(matches!(engines.acquire(ann), Err(ApiError::Busy { .. })));
        let _b1 = engines.acquire(bob).unwrap();
        assert_eq!(engines.running(), 3);
        // Bob is within his share, but the service is full.
        assert!(matches!(
            engines.acquire(bob),
            Err(ApiError::Saturated { .. })
        ));
        drop(a1);
        assert!(engines.acquire(bob).is_ok());
    }

    #[tokio::test]
    async fn work_runs_on_the_engine_threads_at_a_lower_priority() {
        let engines = Engines::new(1, 1);
        let slot = engines.acquire(Caller::new(None, None)).unwrap();
        let (name, nice) = slot
            .run(Search::Gear, || {
                let name = rayon::scope(|_| std::thread::current().name().map(str::to_owned));
                (name, rustix::process::getpriority_process(None).ok())
            })
            .await
            .unwrap();
        assert!(name.unwrap_or_default().starts_with("engine-"));
        #[cfg(target_os = "linux")]
        assert_eq!(nice, Some(ENGINE_NICE));
        // The slot came back when the work returned.
        assert!(engines.acquire(Caller::new(None, None)).is_ok());
    }

    #[test]
    fn anonymous_ipv6_callers_are_keyed_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(Caller::new(None, Some(a)), Caller::new(None, Some(b)));
        assert_ne!(Caller::new(None, Some(a)), Caller::new(None, Some(c)));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(
            network_of(Some(mapped)),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
    }
}
