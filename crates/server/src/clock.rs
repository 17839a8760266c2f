//! Time as a dependency, so lockouts and expiries can be tested without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    /// Added to the system time; tests move it forward.
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    /// Now, truncated to microseconds (what both databases store).
    pub fn now(&self) -> DateTime<Utc> {
        store::now() + chrono::Duration::microseconds(self.offset_micros.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: chrono::Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX);
        self.offset_micros.fetch_add(micros, Ordering::Relaxed);
    }
}
