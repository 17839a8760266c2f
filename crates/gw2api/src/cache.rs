//! Response cache interface. The crate only needs get/set of raw JSON bytes with a TTL; the server
//! plugs in its moka + Redis cache, and [`MemoryCache`] serves standalone use and tests.
//!
//! Keys are the request path and query as sent, e.g. `/v2/skills?ids=1,2&lang=en` — the language is
//! part of the key, the API key never is (public endpoints answer the same for every key). The
//! outage copy of each body lives under [`STALE_PREFIX`] + key with a much longer TTL.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;

/// A boxed, sendable future: lets the trait stay object-safe without the async-trait crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Prefix of the long-lived copies answered while the API is down.
pub const STALE_PREFIX: &str = "stale:";

/// Cache of raw response bodies. Implementations swallow their own errors (a cache that fails is a
/// miss): the API stays the source of truth.
pub trait ResponseCache: Send + Sync {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Bytes>>;
    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> BoxFuture<'a, ()>;
}

/// In-process cache with per-entry expiry and a size bound (expired entries go first, then the
/// entry closest to expiry).
#[derive(Debug)]
pub struct MemoryCache {
    entries: Mutex<HashMap<String, (Bytes, Instant)>>,
    max_entries: usize,
}

impl MemoryCache {
    pub fn new(max_entries: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries: max_entries.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Bytes, Instant)>> {
        // Entries are replaced whole, so a poisoned map is still consistent.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Live (unexpired) entries.
    pub fn len(&self) -> usize {
        let now = Instant::now();
        self.lock().values().filter(|(_, exp)| *exp > now).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps only the entries whose key passes `keep` (e.g. drop the fresh copies but keep the
    /// `stale:` ones, to simulate expiry).
    pub fn retain(&self, mut keep: impl FnMut(&str) -> bool) {
        self.lock().retain(|k, _| keep(k));
    }

    pub fn keys(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    fn get_now(&self, key: &str) -> Option<Bytes> {
        let mut map = self.lock();
        match map.get(key) {
            Some((value, expires)) if *expires > Instant::now() => Some(value.clone()),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    fn set_now(&self, key: &str, value: Bytes, ttl: Duration) {
        let now = Instant::now();
        let Some(expires) = now.checked_add(ttl) else {
            return;
        };
        let mut map = self.lock();
        if !map.contains_key(key) && map.len() >= self.max_entries {
            map.retain(|_, (_, exp)| *exp > now);
            if map.len() >= self.max_entries {
                let soonest = map
                    .iter()
                    .min_by_key(|(_, (_, exp))| *exp)
                    .map(|(k, _)| k.clone());
                if let Some(k) = soonest {
                    map.remove(&k);
                }
            }
        }
        map.insert(key.to_string(), (value, expires));
    }
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self::new(10_000)
    }
}

impl ResponseCache for MemoryCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Bytes>> {
        Box::pin(async move { self.get_now(key) })
    }

    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move { self.set_now(key, value, ttl) })
    }
}

/// How long a response may be cached, from its `Cache-Control` header: `max-age=N` gives N seconds,
/// no header (or no `max-age`) gives `default`, and `no-store`, `no-cache`, `private` or
/// `max-age=0` give `None` (not cached, and no stale copy either).
pub fn ttl_from_cache_control(header: Option<&str>, default: Duration) -> Option<Duration> {
    let Some(header) = header else {
        return Some(default);
    };
    let mut max_age = None;
    for directive in header.split(',') {
        let directive = directive.trim().to_ascii_lowercase();
        match directive.as_str() {
            "no-store" | "no-cache" | "private" => return None,
            _ => {}
        }
        if let Some(value) = directive.strip_prefix("max-age=") {
            if let Ok(secs) = value.trim_matches('"').parse::<u64>() {
                max_age = Some(secs);
            }
        }
    }
    match max_age {
        Some(0) => None,
        Some(secs) => Some(Duration::from_secs(secs)),
        None => Some(default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: Duration = Duration::from_secs(300);

    #[test]
    fn cache_control_rules() {
        let ttl = |h| ttl_from_cache_control(h, DEFAULT);
        assert_eq!(ttl(None), Some(DEFAULT));
        assert_eq!(
            ttl(Some("public, max-age=300")),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            ttl(Some("max-age=60, public")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(ttl(Some("public")), Some(DEFAULT));
        assert_eq!(ttl(Some("no-store")), None);
        assert_eq!(ttl(Some("public, no-cache")), None);
        assert_eq!(ttl(Some("private, max-age=60")), None);
        assert_eq!(ttl(Some("max-age=0")), None);
        assert_eq!(ttl(Some("max-age=abc")), Some(DEFAULT));
    }

    #[tokio::test]
    async fn memory_cache_expires_and_bounds() {
        let cache = MemoryCache::new(2);
        cache
            .set("a", Bytes::from_static(b"1"), Duration::from_secs(60))
            .await;
        cache
            .set("b", Bytes::from_static(b"2"), Duration::from_millis(1))
            .await;
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(cache.get("b").await, None, "expired");
        cache
            .set("b", Bytes::from_static(b"2"), Duration::from_secs(30))
            .await;
        cache
            .set("c", Bytes::from_static(b"3"), Duration::from_secs(90))
            .await;
        assert_eq!(cache.keys().len(), 2, "bounded");
        assert_eq!(
            cache.get("b").await,
            None,
            "the entry closest to expiry went"
        );
        assert_eq!(cache.get("a").await, Some(Bytes::from_static(b"1")));
        assert_eq!(cache.get("c").await, Some(Bytes::from_static(b"3")));
    }
}
