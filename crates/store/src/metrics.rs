//! Query latency for the service's `/metrics`: every `on_read!`/`on_write!` call (one
//! statement, or one transaction written inside it) is timed by a [`QueryTimer`]. Recording
//! goes through the `metrics` facade, which does nothing until the service installs a
//! recorder, so commands and tests pay two clock reads per call.

use std::time::Instant;

/// Histogram of database call durations, labelled `backend` (sqlite, postgres) and `op`
/// (read, write).
pub const QUERY_DURATION: &str = "gw2opt_db_query_duration_seconds";

/// Times one database call from its creation to its drop (an early return through `?`
/// included).
pub struct QueryTimer {
    backend: &'static str,
    op: &'static str,
    started: Instant,
}

impl QueryTimer {
    pub fn start(backend: &'static str, op: &'static str) -> Self {
        QueryTimer {
            backend,
            op,
            started: Instant::now(),
        }
    }
}

impl Drop for QueryTimer {
    fn drop(&mut self) {
        metrics::histogram!(QUERY_DURATION, "backend" => self.backend, "op" => self.op)
            .record(self.started.elapsed().as_secs_f64());
    }
}

/// The size of one connection pool, read when metrics are scraped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// `sqlite_read`, `sqlite_write` or `postgres`.
    pub name: &'static str,
    /// Connections open now (idle or in use).
    pub size: u32,
    pub idle: usize,
    /// Most connections the pool may open.
    pub max: u32,
}
