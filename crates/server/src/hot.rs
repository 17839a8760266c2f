//! Hot-path caches: what nearly every request reads is kept in process memory, so the
//! database is asked once per entry rather than once per request.
//!
//! - users by id (every authenticated request), for at most [`USER_TTL`], with their
//!   `/auth/me` JSON once rendered ([`HotUser`]);
//! - builds by id, until they change (bounded by a TTL as a safety net), with their JSON kept
//!   per view count ([`HotBuild`]);
//! - serialized pages (build lists, teams with their builds inlined), per viewer, until any
//!   build or team changes; a page older than [`LIST_REFRESH_AFTER`] is still answered while
//!   one background task rebuilds it, and one unread for [`LIST_TTL`] is rebuilt on demand.
//!
//! Writers invalidate what they change at once on their own instance and announce it on
//! the event bus (topic [`INVALIDATE_TOPIC`]), so other instances drop their copies too.
//! When Redis is down the announcement does not travel; the TTLs bound how long another
//! instance may serve a stale copy, after which it reads the database again (which is
//! where revocation lives: token version, `is_active`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use store::users::User;
use uuid::Uuid;

use crate::events::EventBus;
use crate::expiring::Expiring;
use crate::json_body::JsonBody;
use store::builds::StoredBuild;

/// The longest a cached user (and so a revoked token) can outlive a change made on another
/// instance while Redis is down.
pub const USER_TTL: Duration = Duration::from_secs(5);
/// Builds: invalidated on change; the TTL only bounds cross-instance staleness.
pub const ENTITY_TTL: Duration = Duration::from_secs(30);
/// How old a page gets before it is rebuilt in the background (while read, view counts in
/// pages lag about this much).
pub const LIST_REFRESH_AFTER: Duration = Duration::from_secs(2);
/// The longest a page is served from memory: one nobody read for this long is rebuilt while
/// its reader waits (the most view counts in a page can lag).
pub const LIST_TTL: Duration = Duration::from_secs(6);

pub const INVALIDATE_TOPIC: &str = "invalidate";

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Invalidation {
    User { id: Uuid },
    Build { id: Uuid },
    Team { id: Uuid },
}

/// A cached user, and its `/auth/me` JSON rendered once (the copy is dropped when the row
/// changes, and with it the rendering).
#[derive(Debug)]
pub struct HotUser {
    pub user: User,
    me: std::sync::OnceLock<JsonBody>,
}

impl HotUser {
    /// The user's own JSON: the one `render` made for an earlier request, or makes now.
    pub fn me_json<E>(
        &self,
        render: impl FnOnce(&User) -> Result<JsonBody, E>,
    ) -> Result<JsonBody, E> {
        if let Some(body) = self.me.get() {
            return Ok(body.clone());
        }
        let body = render(&self.user)?;
        Ok(self.me.get_or_init(|| body).clone())
    }
}

/// A cached build, and its last JSON rendering for readers: a build opened by a whole squad
/// is serialized once per view count instead of once per request. The copy is dropped when the
/// build changes (and with it the rendering).
#[derive(Debug)]
pub struct HotBuild {
    pub stored: StoredBuild,
    /// The last rendering and the view count it shows.
    rendered: std::sync::Mutex<Option<(i64, JsonBody)>>,
}

impl HotBuild {
    /// The JSON of this build showing `views` views: the last rendering if it showed as
    /// many, else the one `render` makes (kept for the next reader).
    pub fn rendered<E>(
        &self,
        views: i64,
        render: impl FnOnce() -> Result<JsonBody, E>,
    ) -> Result<JsonBody, E> {
        let lock = || {
            self.rendered
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((shown, body)) = lock().as_ref() {
            if *shown == views {
                return Ok(body.clone());
            }
        }
        let body = render()?;
        *lock() = Some((views, body.clone()));
        Ok(body)
    }
}

#[derive(Clone)]
pub struct HotCaches {
    users: Expiring<Uuid, Arc<HotUser>>,
    builds: Expiring<Uuid, Arc<HotBuild>>,
    /// Concurrent misses on one page wait for a single computation.
    lists: Expiring<PageKey, JsonBody>,
    /// The pages being rebuilt in the background (one rebuild per page at a time).
    refreshing: Expiring<PageKey, ()>,
    /// Bumped by every build or team change: list keys include it, so a change makes every
    /// cached page unreachable at once.
    generation: Arc<AtomicU64>,
    events: EventBus,
}

impl HotCaches {
    /// Creates the caches and starts listening for other instances' invalidations.
    pub fn new(events: EventBus) -> Self {
        let caches = Self {
            users: Expiring::new(100_000, USER_TTL),
            builds: Expiring::new(50_000, ENTITY_TTL),
            lists: Expiring::new(10_000, LIST_TTL),
            refreshing: Expiring::new(10_000, LIST_TTL),
            generation: Arc::new(AtomicU64::new(0)),
            events,
        };
        let mut remote = caches.events.subscribe(INVALIDATE_TOPIC);
        let listener = caches.clone();
        tokio::spawn(async move {
            loop {
                match remote.recv().await {
                    Ok(message) => {
                        if let Ok(invalidation) = serde_json::from_str::<Invalidation>(&message) {
                            listener.apply(&invalidation);
                        }
                    }
                    // Missed some: forget everything rather than serve something stale.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => listener.clear(),
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        });
        caches
    }

    fn apply(&self, invalidation: &Invalidation) {
        match invalidation {
            Invalidation::User { id } => self.users.remove(id),
            Invalidation::Build { id } => {
                self.builds.remove(id);
                self.bump();
            }
            Invalidation::Team { .. } => self.bump(),
        }
    }

    fn clear(&self) {
        self.users.clear();
        self.builds.clear();
        self.bump();
    }

    /// Makes every cached page unreachable (a team page inlines builds, so any build
    /// change may change any page).
    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    async fn announce(&self, invalidation: Invalidation) {
        self.apply(&invalidation);
        self.events.publish(INVALIDATE_TOPIC, &invalidation).await;
    }

    pub fn user(&self, id: Uuid) -> Option<Arc<HotUser>> {
        let found = self.users.get(&id);
        crate::monitoring::cache_lookup("users", found.is_some());
        found
    }

    /// Keeps `user` (as read from the database) and returns the kept copy.
    pub fn put_user(&self, user: User) -> Arc<HotUser> {
        let hot = Arc::new(HotUser {
            user,
            me: std::sync::OnceLock::new(),
        });
        self.users.insert(hot.user.id, hot.clone());
        hot
    }

    /// After any change to a user row (password, profile, activation, login counters).
    pub async fn user_changed(&self, id: Uuid) {
        self.announce(Invalidation::User { id }).await;
    }

    pub fn build(&self, id: Uuid) -> Option<Arc<HotBuild>> {
        let found = self.builds.get(&id);
        crate::monitoring::cache_lookup("builds", found.is_some());
        found
    }

    /// Keeps `build` (as read from the database) and returns the kept copy.
    pub fn put_build(&self, build: StoredBuild) -> Arc<HotBuild> {
        let hot = Arc::new(HotBuild {
            stored: build,
            rendered: std::sync::Mutex::new(None),
        });
        self.builds.insert(hot.stored.id, hot.clone());
        hot
    }

    /// Drops this instance's copy only (e.g. after flushing its view counts).
    pub fn forget_build(&self, id: Uuid) {
        self.builds.remove(&id);
    }

    /// After a build is created, changed, voted on or deleted.
    pub async fn build_changed(&self, id: Uuid) {
        self.announce(Invalidation::Build { id }).await;
    }

    pub async fn team_changed(&self, id: Uuid) {
        self.announce(Invalidation::Team { id }).await;
    }

    /// The cache key of a page: what it shows (`scope`, and the query text or the team id)
    /// plus who asks, under the current generation.
    pub fn list_key(&self, scope: &'static str, viewer: Option<Uuid>, query: &str) -> PageKey {
        PageKey {
            generation: self.generation.load(Ordering::Acquire),
            scope,
            viewer,
            query: query.into(),
        }
    }

    /// The cached page under `key`, or the one `make` builds. Concurrent callers missing the
    /// same key wait for one `make` instead of all querying the database. A page read
    /// continuously never makes its readers wait: past [`LIST_REFRESH_AFTER`] it is answered
    /// as it is while `make` runs in the background (on one core, a 25 ms query over 100,000
    /// builds on a reader's time was the list's whole p99).
    pub async fn page<F>(
        &self,
        key: PageKey,
        make: impl FnOnce() -> F,
    ) -> Result<JsonBody, crate::error::ApiError>
    where
        F: std::future::Future<Output = Result<JsonBody, crate::error::ApiError>> + Send + 'static,
    {
        // A miss is a call that started `make` (on its own time or in the background: a
        // database query); callers that waited for another's `make` and callers that found
        // the page count as hits.
        let computed = std::sync::atomic::AtomicBool::new(false);
        let page = self
            .lists
            .get_or_refresh(&key, LIST_REFRESH_AFTER, &self.refreshing, || {
                computed.store(true, Ordering::Relaxed);
                make()
            })
            .await;
        crate::monitoring::cache_lookup("pages", !computed.load(Ordering::Relaxed));
        page
    }
}

/// What a cached page is kept under ([`HotCaches::list_key`]): compared field by field, not
/// formatted into one string on every request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    generation: u64,
    scope: &'static str,
    viewer: Option<Uuid>,
    query: Box<str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_change_announced_elsewhere_drops_the_local_copy() {
        let bus = EventBus::local();
        let caches = HotCaches::new(bus.clone());
        let key = caches.list_key("builds", None, "sort=new");
        let page = caches
            .page(key.clone(), || async { Ok(JsonBody::new(&b"[]"[..])) })
            .await
            .unwrap();
        assert_eq!(&page[..], b"[]");
        let id = Uuid::new_v4();
        // Another instance's announcement arrives through the bus.
        bus.publish(INVALIDATE_TOPIC, &Invalidation::Build { id })
            .await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_ne!(
            caches.list_key("builds", None, "sort=new"),
            key,
            "new generation"
        );
    }

    #[tokio::test]
    async fn concurrent_misses_compute_a_page_once() {
        let caches = HotCaches::new(EventBus::local());
        let runs = Arc::new(AtomicU64::new(0));
        let calls: Vec<_> = (0..50)
            .map(|_| {
                let caches = caches.clone();
                let runs = runs.clone();
                tokio::spawn(async move {
                    caches
                        .page(caches.list_key("test", None, "same"), || async move {
                            runs.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(JsonBody::new(&b"{}"[..]))
                        })
                        .await
                })
            })
            .collect();
        for call in calls {
            assert_eq!(&call.await.unwrap().unwrap()[..], b"{}");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // Errors are not cached.
        let err = caches
            .page(caches.list_key("test", None, "bad"), || async {
                Err(crate::error::ApiError::Unavailable("db".into()))
            })
            .await;
        assert!(err.is_err());
        let ok = caches
            .page(caches.list_key("test", None, "bad"), || async {
                Ok(JsonBody::new(&b"1"[..]))
            })
            .await;
        assert_eq!(&ok.unwrap()[..], b"1");
    }
}
