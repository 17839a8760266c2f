//! Prometheus metrics (`GET /metrics`): the `metrics` facade records, the
//! `metrics-exporter-prometheus` recorder keeps the series and renders the text format.
//!
//! Recording is done where things happen (the HTTP requests in [`http_requests`], the store's
//! `on_read!`/`on_write!`, the caches, the WebSockets, log parses, the optimizers) through the
//! `metrics::counter!`/`histogram!`/`gauge!` macros: until a recorder is installed they cost
//! next to nothing, and the recorder is installed only when metrics are served
//! (`GW2OPT_METRICS_TOKEN` or `GW2OPT_METRICS_BIND`). What is cheaper to read than to track
//! (database pool sizes, circuit breakers) is read when `/metrics` is scraped.
//!
//! Label values are bounded: routes are axum's route templates (`/api/v1/builds/{id}`, never
//! the raw path; requests no route matched are `fallback`), methods the standard ones, and
//! every dynamic label value goes through [`label`], which keeps at most [`MAX_LABEL_VALUES`]
//! distinct values per process and answers `other` beyond.
//!
//! The recorder is process-wide (the `metrics` facade has one global recorder): several
//! service states in one process (tests, `gw2opt` commands) share it.

pub mod http_requests;

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use resilience::BreakerState;

/// Every series this service writes starts with this.
pub const PREFIX: &str = "gw2opt_";

pub const HTTP_REQUESTS: &str = "gw2opt_http_requests_total";
pub const HTTP_DURATION: &str = "gw2opt_http_request_duration_seconds";
pub const HTTP_IN_FLIGHT: &str = "gw2opt_http_requests_in_flight";
pub const DB_POOL_SIZE: &str = "gw2opt_db_pool_connections";
pub const DB_POOL_IDLE: &str = "gw2opt_db_pool_idle_connections";
pub const DB_POOL_MAX: &str = "gw2opt_db_pool_max_connections";
pub const CACHE_REQUESTS: &str = "gw2opt_cache_requests_total";
pub const BREAKER_STATE: &str = "gw2opt_circuit_breaker_state";
pub const WS_CONNECTIONS: &str = "gw2opt_websocket_connections";
pub const WS_DROPPED_SLOW: &str = "gw2opt_websocket_slow_clients_dropped_total";
pub const LOG_PARSE_BYTES: &str = "gw2opt_log_parse_bytes_total";
pub const LOG_PARSE_DURATION: &str = "gw2opt_log_parse_duration_seconds";
pub const SEARCHES: &str = "gw2opt_optimizer_searches_total";
pub const SEARCH_DURATION: &str = "gw2opt_optimizer_search_duration_seconds";
pub const BUILD_INFO: &str = "gw2opt_build_info";
pub const JOBS_ENDED: &str = "gw2opt_jobs_ended_total";
pub const JOB_DURATION: &str = "gw2opt_job_duration_seconds";
pub const JOB_QUEUE: &str = "gw2opt_job_queue_depth";

/// Latency buckets for requests and queries (seconds): sub-millisecond to ten seconds.
const FAST_BUCKETS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0,
];
/// Buckets for long work (log parses, optimizer searches): ten milliseconds to five minutes.
const SLOW_BUCKETS: &[f64] = &[
    0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
];
/// How often histogram samples are folded into their buckets between scrapes (bounds the
/// memory samples take when nobody scrapes).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Distinct values [`label`] keeps per process; past it every new value is `other`.
pub const MAX_LABEL_VALUES: usize = 1024;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's Prometheus recorder, installed on first use (with the build info series),
/// and its upkeep thread started. `None` when another recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    if let Some(handle) = HANDLE.get() {
        return Some(handle.clone());
    }
    let handle = HANDLE.get_or_init(|| {
        let recorder = builder().build_recorder();
        let handle = recorder.handle();
        if let Err(err) = metrics::set_global_recorder(recorder) {
            tracing::warn!(error = %err, "a metrics recorder was already installed; /metrics shows only this one's series");
        }
        describe();
        metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        let upkeep = handle.clone();
        let spawned = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            });
        if let Err(err) = spawned {
            tracing::warn!(error = %err, "cannot start the metrics upkeep thread (samples are folded at each scrape)");
        }
        handle
    });
    Some(handle.clone())
}

fn builder() -> PrometheusBuilder {
    let buckets = [
        (HTTP_DURATION, FAST_BUCKETS),
        (store::metrics::QUERY_DURATION, FAST_BUCKETS),
        (LOG_PARSE_DURATION, SLOW_BUCKETS),
        (SEARCH_DURATION, SLOW_BUCKETS),
        (JOB_DURATION, SLOW_BUCKETS),
    ];
    let mut builder = PrometheusBuilder::new();
    for (name, values) in buckets {
        // Fails only for an empty bucket list; the lists are constants.
        match builder.set_buckets_for_metric(Matcher::Full(name.to_owned()), values) {
            Ok(configured) => builder = configured,
            Err(err) => {
                tracing::error!(error = %err, name, "invalid histogram buckets");
                return PrometheusBuilder::new();
            }
        }
    }
    builder
}

/// HELP lines of the series.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        JOBS_ENDED,
        "Durable job runs ended on this instance, by kind and outcome (done, cancelled, queued again, failed, lease_lost)"
    );
    describe_histogram!(
        JOB_DURATION,
        Unit::Seconds,
        "Time a durable job run took on this instance, by kind"
    );
    describe_gauge!(
        JOB_QUEUE,
        "Durable jobs in the shared queue by status (queued, running), as a worker last read it"
    );
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route template and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time to the response head, by method, route template and status"
    );
    describe_gauge!(HTTP_IN_FLIGHT, "HTTP requests being handled now");
    describe_gauge!(
        DB_POOL_SIZE,
        "Open database connections, by pool (sqlite_read, sqlite_write, postgres)"
    );
    describe_gauge!(DB_POOL_IDLE, "Idle database connections, by pool");
    describe_gauge!(DB_POOL_MAX, "Most connections a pool may open");
    describe_histogram!(
        store::metrics::QUERY_DURATION,
        Unit::Seconds,
        "Database calls (one statement or one transaction), by backend and read/write"
    );
    describe_counter!(
        CACHE_REQUESTS,
        "Cache look-ups, by cache (redis, memory, users, builds, pages) and result (hit, miss)"
    );
    describe_gauge!(
        BREAKER_STATE,
        "Circuit breaker state by dependency: 0 closed, 1 half-open, 2 open"
    );
    describe_gauge!(
        WS_CONNECTIONS,
        "Open WebSocket connections, by endpoint (mcm, optimize)"
    );
    describe_counter!(
        WS_DROPPED_SLOW,
        "WebSocket clients closed for falling behind (4429)"
    );
    describe_counter!(LOG_PARSE_BYTES, Unit::Bytes, "Bytes of arcdps logs parsed");
    describe_histogram!(
        LOG_PARSE_DURATION,
        Unit::Seconds,
        "arcdps log parse and analysis time, by result (ok, error)"
    );
    describe_counter!(SEARCHES, "Optimizer runs, by kind (gear, squad, commander)");
    describe_histogram!(
        SEARCH_DURATION,
        Unit::Seconds,
        "Optimizer run time on the engine threads, by kind"
    );
    describe_gauge!(BUILD_INFO, "Always 1; the version is a label");
}

/// `value` as a label value that lives for the process, bounded: the first
/// [`MAX_LABEL_VALUES`] distinct values are kept (leaked once each, so repeated values cost a
/// read lock and a hash, no allocation), later ones are `other`. Give it values from a
/// bounded set (route templates, status codes, dependency names): the cap is a guard, not a
/// licence to label by user input.
pub fn label(value: &str) -> &'static str {
    static VALUES: OnceLock<RwLock<HashMap<Box<str>, &'static str>>> = OnceLock::new();
    let values = VALUES.get_or_init(RwLock::default);
    if let Some(found) = values
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(value)
    {
        return found;
    }
    let mut values = values
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = values.get(value) {
        return found;
    }
    if values.len() >= MAX_LABEL_VALUES {
        return "other";
    }
    let kept: &'static str = Box::leak(value.into());
    values.insert(value.into(), kept);
    kept
}

/// Metric handles kept by a cheap key (label values' addresses, small numbers) rather than
/// looked up in the registry by their label strings on every use, which hashes and compares
/// every label (about 4 k instructions a request, callgrind). Give it keys from bounded
/// label values: the set of handles is as bounded as they are.
pub(crate) struct KeptHandles<K, H>(OnceLock<RwLock<rustc_hash::FxHashMap<K, H>>>);

impl<K: std::hash::Hash + Eq, H> KeptHandles<K, H> {
    pub(crate) const fn new() -> Self {
        KeptHandles(OnceLock::new())
    }

    /// Uses the handle of `key`, registered by `register` the first time.
    pub(crate) fn with(&self, key: K, register: impl FnOnce() -> H, use_it: impl FnOnce(&H)) {
        let handles = self.0.get_or_init(RwLock::default);
        if let Some(handle) = handles
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
        {
            use_it(handle);
            return;
        }
        let handle = register();
        use_it(&handle);
        handles
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, handle);
    }
}

/// Counts one look-up of `cache` (`redis`, `memory`, `users`, `builds`, `pages`). It runs on
/// every authenticated request (the user) and every cached read: nothing happens when metrics
/// are not served (a handle kept then would never record).
pub fn cache_lookup(cache: &'static str, hit: bool) {
    static HANDLES: KeptHandles<(usize, bool), metrics::Counter> = KeptHandles::new();
    if HANDLE.get().is_none() {
        return;
    }
    HANDLES.with(
        (cache.as_ptr() as usize, hit),
        || metrics::counter!(CACHE_REQUESTS, "cache" => cache, "result" => if hit { "hit" } else { "miss" }),
        |counter| counter.increment(1),
    );
}

/// What is read at scrape time rather than tracked: pool sizes and breaker states.
pub struct Snapshot<'a> {
    pub db: &'a store::Db,
    /// (dependency name, its breaker's state) for each configured dependency.
    pub breakers: Vec<(&'static str, BreakerState)>,
}

impl Snapshot<'_> {
    fn record(&self) {
        for pool in self.db.pool_stats() {
            metrics::gauge!(DB_POOL_SIZE, "pool" => pool.name).set(f64::from(pool.size));
            metrics::gauge!(DB_POOL_IDLE, "pool" => pool.name).set(pool.idle as f64);
            metrics::gauge!(DB_POOL_MAX, "pool" => pool.name).set(f64::from(pool.max));
        }
        for (name, state) in &self.breakers {
            let value = match state {
                BreakerState::Closed => 0.0,
                BreakerState::HalfOpen => 1.0,
                BreakerState::Open => 2.0,
            };
            metrics::gauge!(BREAKER_STATE, "dependency" => *name).set(value);
        }
    }
}

/// The Prometheus text exposition of every series, after reading `snapshot`.
pub fn render(handle: &PrometheusHandle, snapshot: &Snapshot<'_>) -> String {
    snapshot.record();
    handle.render()
}

/// One open WebSocket of `endpoint`, counted in [`WS_CONNECTIONS`] until dropped.
pub struct OpenSocket(&'static str);

impl OpenSocket {
    pub fn new(endpoint: &'static str) -> Self {
        metrics::gauge!(WS_CONNECTIONS, "endpoint" => endpoint).increment(1.0);
        OpenSocket(endpoint)
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        metrics::gauge!(WS_CONNECTIONS, "endpoint" => self.0).decrement(1.0);
    }
}

/// Counts a WebSocket client closed for being too slow.
pub fn slow_client_dropped() {
    metrics::counter!(WS_DROPPED_SLOW).increment(1);
}

/// Records one arcdps log parse of `bytes` that took `elapsed`.
pub fn log_parsed(bytes: usize, elapsed: Duration, ok: bool) {
    metrics::counter!(LOG_PARSE_BYTES).increment(bytes as u64);
    metrics::histogram!(LOG_PARSE_DURATION, "result" => if ok { "ok" } else { "error" })
        .record(elapsed.as_secs_f64());
}

/// Records the end of one durable job run: its kind, outcome and time.
pub fn job_ended(kind: &str, outcome: &'static str, elapsed: Duration) {
    let kind = label(kind);
    metrics::counter!(JOBS_ENDED, "kind" => kind, "outcome" => outcome).increment(1);
    metrics::histogram!(JOB_DURATION, "kind" => kind).record(elapsed.as_secs_f64());
}

/// The shared queue's depth as a worker read it.
pub fn job_queue(queued: i64, running: i64) {
    metrics::gauge!(JOB_QUEUE, "status" => "queued").set(queued as f64);
    metrics::gauge!(JOB_QUEUE, "status" => "running").set(running as f64);
}

/// Records one optimizer run of `kind` that took `elapsed`.
pub fn search_ran(kind: &'static str, elapsed: Duration) {
    metrics::counter!(SEARCHES, "kind" => kind).increment(1);
    metrics::histogram!(SEARCH_DURATION, "kind" => kind).record(elapsed.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_kept_once_and_bounded() {
        let first = label("/api/v1/builds/{id}");
        let again = label(&String::from("/api/v1/builds/{id}"));
        assert!(std::ptr::eq(first, again), "one copy per value");
        for i in 0..(MAX_LABEL_VALUES + 10) {
            let _ = label(&format!("value-{i}"));
        }
        assert_eq!(label("never-seen-before"), "other");
        assert_eq!(label("/api/v1/builds/{id}"), "/api/v1/builds/{id}");
    }
}
