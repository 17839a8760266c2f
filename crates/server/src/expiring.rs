//! A bounded in-process map whose entries expire: quick_cache (S3-FIFO eviction, sharded
//! locks) with each value's insertion time kept beside it and compared when it is read.
//!
//! Why not moka, which the other caches use: the maps read on every request (verified tokens,
//! revoked ids, accounts, builds, who viewed what) cost ~800 instructions a read in moka (its
//! read log for the frequency sketch, epoch pinning, the expiry clock), more than the rest of
//! a cached read's own work; here a read is a shard's read lock, one probe and one clock
//! reading. moka stays where its coalescing of concurrent async misses earns its cost.
//!
//! Ages are read on quanta's clock (the TSC where it is invariant): 24 ns a reading and a
//! subtraction on the 2-core test machine, against 36 ns for `std::time::Instant` (a
//! `clock_gettime` call and the `timespec` difference), on every look-up.
//!
//! An expired entry is not removed when read (a read does not take the write lock): it reads
//! as absent, and the caller's next `insert` replaces it, or eviction drops it.

use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use quanta::Instant;

use quick_cache::sync::{Cache, DefaultLifecycle, EntryAction, EntryResult};
use quick_cache::{Equivalent, UnitWeighter};

/// The hasher of the caches read on every request (tokens, accounts, builds, pages, views):
/// foldhash, randomly keyed per process as std's SipHash is, at a fraction of its cost (an
/// access token's text is about 250 bytes: SipHash-1-3 spent ~1,000 instructions on it, more
/// than the rest of the token check).
pub type KeyHasher = foldhash::quality::RandomState;

type Stamped<V> = (Instant, V);
type Inner<K, V> = Cache<K, Stamped<V>, UnitWeighter, KeyHasher, DefaultLifecycle<K, Stamped<V>>>;

/// How long ago `at` was.
fn age(at: Instant) -> Duration {
    Instant::now().saturating_duration_since(at)
}

/// At most about `capacity` entries, each readable for `ttl` after it was inserted.
pub struct Expiring<K, V> {
    cache: Arc<Inner<K, V>>,
    ttl: Duration,
}

impl<K, V> Clone for Expiring<K, V> {
    fn clone(&self) -> Self {
        Expiring {
            cache: self.cache.clone(),
            ttl: self.ttl,
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Expiring<K, V> {
    pub fn new(capacity: u64, ttl: Duration) -> Self {
        let capacity = capacity.max(1);
        Expiring {
            cache: Arc::new(Cache::with(
                usize::try_from(capacity).unwrap_or(usize::MAX),
                capacity,
                UnitWeighter,
                KeyHasher::default(),
                DefaultLifecycle::default(),
            )),
            ttl,
        }
    }

    /// The value under `key` if it was inserted less than the time to live ago.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let (at, value) = self.cache.get(key)?;
        (age(at) < self.ttl).then_some(value)
    }

    /// Whether `key` is present and unexpired.
    pub fn contains<Q>(&self, key: &Q) -> bool
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        self.cache
            .peek(key)
            .is_some_and(|(at, _)| age(at) < self.ttl)
    }

    pub fn insert(&self, key: K, value: V) {
        self.cache.insert(key, (Instant::now(), value));
    }

    pub fn remove<Q>(&self, key: &Q)
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        self.cache.remove(key);
    }

    pub fn clear(&self) {
        self.cache.clear();
    }

    /// The unexpired value under `key`, or the one `make` computes (then kept). Concurrent
    /// callers missing one key wait for a single `make`; if it fails, none is kept and the
    /// next waiter computes its own. The hot path is [`Expiring::get`]: `make`'s future is only
    /// built on a miss.
    pub async fn get_or_try_insert<E, F>(&self, key: &K, make: impl FnOnce() -> F) -> Result<V, E>
    where
        F: std::future::Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.get(key) {
            return Ok(value);
        }
        let ttl = self.ttl;
        let result = self
            .cache
            .entry_async(key, |_, (at, value)| {
                if age(*at) < ttl {
                    EntryAction::Retain(value.clone())
                } else {
                    EntryAction::ReplaceWithGuard
                }
            })
            .await;
        match result {
            EntryResult::Retained(value) => Ok(value),
            EntryResult::Vacant(guard) | EntryResult::Replaced(guard, _) => {
                let value = Box::pin(make()).await?;
                let _ = guard.insert((Instant::now(), value.clone()));
                Ok(value)
            }
            EntryResult::Removed(..) | EntryResult::Timeout => Box::pin(make()).await,
        }
    }

    /// Like [`Expiring::get_or_try_insert`], except that a value older than `refresh_after`
    /// (and younger than the time to live) is answered at once while one background task
    /// computes its replacement: a value read continuously is never recomputed on a reader's
    /// time (stale-while-revalidate). `refreshing` marks the keys whose replacement is under
    /// way, so one task runs per key; a failed refresh keeps the old value until it expires.
    /// A refresh that ends after the key was removed puts it back: callers whose keys go stale
    /// by changing (the page keys carry a generation) are the ones this suits.
    pub async fn get_or_refresh<E, F>(
        &self,
        key: &K,
        refresh_after: Duration,
        refreshing: &Expiring<K, ()>,
        make: impl FnOnce() -> F,
    ) -> Result<V, E>
    where
        K: Send + Sync + 'static,
        V: Send + Sync + 'static,
        E: Send + 'static,
        F: std::future::Future<Output = Result<V, E>> + Send + 'static,
    {
        if let Some((at, value)) = self.cache.get(key) {
            let age = age(at);
            if age < refresh_after {
                return Ok(value);
            }
            if age < self.ttl {
                if refreshing.insert_if_absent(key, ()) {
                    let (cache, refreshing, key, refresh) =
                        (self.cache.clone(), refreshing.clone(), key.clone(), make());
                    tokio::spawn(async move {
                        if let Ok(value) = refresh.await {
                            cache.insert(key.clone(), (Instant::now(), value));
                        }
                        refreshing.remove(&key);
                    });
                }
                return Ok(value);
            }
        }
        self.get_or_try_insert(key, make).await
    }

    /// Inserts `value` under `key` unless an unexpired entry is there; says whether it did.
    /// Of concurrent callers with one absent key, exactly one inserts. (Around an entry's
    /// expiry, two may both replace it: both then see themselves as first.)
    pub fn insert_if_absent(&self, key: &K, value: V) -> bool {
        // Mostly present (a viewer reloading a page): a read lock answers.
        if self.contains(key) {
            return false;
        }
        let ttl = self.ttl;
        let result = self.cache.entry(key, None, |_, (at, _)| {
            if age(*at) < ttl {
                EntryAction::Retain(())
            } else {
                EntryAction::ReplaceWithGuard
            }
        });
        match result {
            EntryResult::Retained(()) => false,
            EntryResult::Vacant(guard) | EntryResult::Replaced(guard, _) => {
                // Err only if the placeholder was removed meanwhile (a `clear`): still first.
                let _ = guard.insert((Instant::now(), value));
                true
            }
            EntryResult::Removed(..) | EntryResult::Timeout => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_as_absent_once_expired() {
        let map: Expiring<u32, &str> = Expiring::new(100, Duration::from_millis(50));
        map.insert(1, "one");
        assert_eq!(map.get(&1), Some("one"));
        assert!(map.contains(&1));
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(map.get(&1), None);
        assert!(!map.contains(&1));
        map.insert(1, "again");
        assert_eq!(
            map.get(&1),
            Some("again"),
            "an insert replaces the expired entry"
        );
        map.remove(&1);
        assert_eq!(map.get(&1), None);
    }

    #[test]
    fn borrowed_keys_find_owned_ones() {
        let map: Expiring<Box<str>, u8> = Expiring::new(10, Duration::from_secs(60));
        map.insert("token".into(), 7);
        assert_eq!(map.get("token"), Some(7));
        map.clear();
        assert_eq!(map.get("token"), None);
    }

    #[test]
    fn only_the_first_of_a_window_is_first() {
        let map: Expiring<(u8, u8), ()> = Expiring::new(100, Duration::from_millis(60));
        assert!(map.insert_if_absent(&(1, 2), ()));
        assert!(!map.insert_if_absent(&(1, 2), ()));
        assert!(map.insert_if_absent(&(1, 3), ()), "another key");
        std::thread::sleep(Duration::from_millis(90));
        assert!(map.insert_if_absent(&(1, 2), ()), "a new window");
        assert!(!map.insert_if_absent(&(1, 2), ()));
    }

    #[test]
    fn concurrent_first_sights_count_once() {
        let map: Expiring<u32, ()> = Expiring::new(10_000, Duration::from_secs(60));
        let firsts = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for key in 0..1_000 {
                        if map.insert_if_absent(&key, ()) {
                            firsts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(firsts.into_inner(), 1_000);
    }

    #[tokio::test]
    async fn concurrent_misses_wait_for_one_computation_and_failures_are_not_kept() {
        let map: Expiring<u32, u32> = Expiring::new(100, Duration::from_secs(60));
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let make = || async {
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ()>(42)
        };
        let (a, b, c) = tokio::join!(
            map.get_or_try_insert(&1, make),
            map.get_or_try_insert(&1, make),
            map.get_or_try_insert(&1, make)
        );
        assert_eq!((a, b, c), (Ok(42), Ok(42), Ok(42)));
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);

        let failed = map
            .get_or_try_insert(&2, || async { Err::<u32, _>("down") })
            .await;
        assert_eq!(failed, Err("down"));
        assert_eq!(map.get(&2), None);
        let later = map
            .get_or_try_insert(&2, || async { Ok::<_, &str>(7) })
            .await;
        assert_eq!(later, Ok(7));
    }

    #[tokio::test]
    async fn an_expired_value_is_computed_again() {
        let map: Expiring<u32, u32> = Expiring::new(100, Duration::from_millis(30));
        assert_eq!(
            map.get_or_try_insert(&1, || async { Ok::<_, ()>(1) }).await,
            Ok(1)
        );
        assert_eq!(
            map.get_or_try_insert(&1, || async { Ok::<_, ()>(2) }).await,
            Ok(1)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            map.get_or_try_insert(&1, || async { Ok::<_, ()>(3) }).await,
            Ok(3)
        );
    }

    #[tokio::test]
    async fn an_aging_value_is_answered_while_one_task_replaces_it() {
        let map: Expiring<u32, u32> = Expiring::new(100, Duration::from_millis(400));
        let refreshing: Expiring<u32, ()> = Expiring::new(100, Duration::from_millis(400));
        let after = Duration::from_millis(50);
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let slow = |value: u32, result: Result<u32, &'static str>| {
            let runs = runs.clone();
            move || async move {
                runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(30)).await;
                result.map(|_| value)
            }
        };
        // A miss computes on the caller's time.
        assert_eq!(
            map.get_or_refresh(&1, after, &refreshing, slow(1, Ok(0)))
                .await,
            Ok(1)
        );
        tokio::time::sleep(Duration::from_millis(70)).await;
        // Past `refresh_after`: the old value at once, from every reader; one refresh runs.
        let started = std::time::Instant::now();
        for _ in 0..5 {
            assert_eq!(
                map.get_or_refresh(&1, after, &refreshing, slow(2, Ok(0)))
                    .await,
                Ok(1)
            );
        }
        assert!(
            started.elapsed() < Duration::from_millis(25),
            "nobody waited"
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert_eq!(map.get(&1), Some(2), "the refresh replaced it");
        assert_eq!(
            map.get_or_refresh(&1, after, &refreshing, slow(3, Ok(0)))
                .await,
            Ok(2)
        );
        assert_eq!(
            runs.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "fresh again"
        );

        // A failed refresh keeps the old value; the next reader tries again.
        tokio::time::sleep(Duration::from_millis(70)).await;
        assert_eq!(
            map.get_or_refresh(&1, after, &refreshing, slow(4, Err("down")))
                .await,
            Ok(2)
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(map.get(&1), Some(2));
        assert_eq!(
            map.get_or_refresh(&1, after, &refreshing, slow(5, Ok(0)))
                .await,
            Ok(2)
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(map.get(&1), Some(5));

        // Past the time to live, the reader waits for a new value (and sees an error).
        tokio::time::sleep(Duration::from_millis(450)).await;
        assert_eq!(
            map.get_or_refresh(&1, after, &refreshing, slow(6, Err("down")))
                .await,
            Err("down")
        );
    }

    #[test]
    fn the_capacity_bounds_the_entries() {
        let map: Expiring<u32, u32> = Expiring::new(100, Duration::from_secs(60));
        for key in 0..10_000 {
            map.insert(key, key);
        }
        let kept = (0..10_000).filter(|key| map.contains(key)).count();
        assert!(kept <= 200, "{kept} kept of a capacity of 100");
        assert!(kept > 0);
    }
}
