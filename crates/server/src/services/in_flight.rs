//! Work in flight per key (an account, a caller), capped: what the upload gate and the
//! optimizer slots both count. A claim is given back when dropped, also when the request
//! that held it is cancelled.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

type Counts<K> = Arc<Mutex<HashMap<K, usize>>>;

/// At most `limit` claims per key at once.
pub struct InFlight<K> {
    limit: usize,
    counts: Counts<K>,
}

/// Clones share the counts.
impl<K> Clone for InFlight<K> {
    fn clone(&self) -> Self {
        Self {
            limit: self.limit,
            counts: Arc::clone(&self.counts),
        }
    }
}

impl<K: Hash + Eq + Clone> InFlight<K> {
    pub fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            counts: Arc::default(),
        }
    }

    /// The most claims one key may hold.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// One more claim for `key`, or `Err(held)` when it already holds the limit.
    pub fn claim(&self, key: K) -> Result<Claim<K>, usize> {
        let mut counts = lock(&self.counts);
        let held = counts.entry(key.clone()).or_insert(0);
        if *held >= self.limit {
            return Err(*held);
        }
        *held += 1;
        Ok(Claim {
            key,
            counts: self.counts.clone(),
        })
    }

    /// Claims `key` holds now.
    pub fn held(&self, key: &K) -> usize {
        lock(&self.counts).get(key).copied().unwrap_or(0)
    }
}

/// One claim; released when dropped.
pub struct Claim<K: Hash + Eq> {
    key: K,
    counts: Counts<K>,
}

impl<K: Hash + Eq> Drop for Claim<K> {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        if let Some(held) = counts.get_mut(&self.key) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_capped_per_key_and_given_back_when_dropped() {
        let in_flight = InFlight::new(2);
        let first = in_flight.claim("ann").expect("first");
        let _second = in_flight.claim("ann").expect("second");
        assert_eq!(in_flight.claim("ann").err(), Some(2));
        assert!(in_flight.claim("bo").is_ok(), "other keys are not affected");
        drop(first);
        assert_eq!(in_flight.held(&"ann"), 1);
        assert!(in_flight.claim("ann").is_ok());
    }
}
