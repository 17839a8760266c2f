//! The access-token deny-list: a logout revokes the access token (its `jti`) and its login
//! (the refresh family, claim `fam`); a replayed refresh token revokes its family. Access
//! tokens are otherwise self-contained for their 30 minutes, so without this list a logout
//! would leave them working.
//!
//! Where the list lives:
//! - the database (`revoked_tokens`) is the truth: shared by every instance, kept across
//!   restarts, each row until the last token it covers has expired (then purged);
//! - every instance keeps the ids it knows are revoked in memory, and a revocation is
//!   announced on the event bus (topic [`TOPIC`]) — in-process, and through Redis pub/sub to
//!   the other instances when Redis is configured — so it takes effect everywhere at once;
//! - the auth extractor asks, per request: is the jti or family in the local set (a hash
//!   lookup), else what did the database say about this jti less than `recheck` ago (a
//!   cached verdict, one primary-key query per token per period, concurrent misses
//!   coalesced). So the check costs no database round trip on the hot path, and when the
//!   announcement does not travel (Redis down or not configured) the database is still
//!   honoured within `recheck` (default 5 s, the same bound as the user cache in `hot`).

use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::tokens::{self, Revoked};
use store::{Db, StoreError};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::events::EventBus;

/// Event-bus topic of revocations (deny-list entries) between instances.
pub const TOPIC: &str = "revocations";

/// The per-account topic that tells open WebSockets of `user` to check their token again
/// now (logout, password change, account disabled or deleted, family revoked).
pub fn account_topic(user: Uuid) -> String {
    format!("account:{user}")
}

/// How often expired deny-list entries and stale login-throttle rows are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(600);

#[derive(Debug, Serialize, Deserialize)]
struct Announcement {
    ids: Vec<Uuid>,
    user_id: Uuid,
}

#[derive(Clone)]
pub struct Revocations {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    events: EventBus,
    /// Ids known to be revoked (access jtis and families). An entry lives as long as an
    /// access token can: whatever it covers has expired by then.
    revoked: crate::expiring::Expiring<Uuid, ()>,
    /// The database's answer for a token (keyed by jti: revoked or not), trusted for
    /// `recheck`.
    verdicts: crate::expiring::Expiring<Uuid, bool>,
}

impl Revocations {
    /// Starts listening for other instances' revocations and purging expired entries.
    /// `token_ttl` is the access-token lifetime, `recheck` how long a database verdict is
    /// trusted without an announcement.
    pub fn new(db: Db, events: EventBus, token_ttl: Duration, recheck: Duration) -> Self {
        let inner = Arc::new(Inner {
            revoked: crate::expiring::Expiring::new(500_000, token_ttl.max(Duration::from_secs(1))),
            verdicts: crate::expiring::Expiring::new(
                200_000,
                recheck.max(Duration::from_millis(1)),
            ),
            db,
            events,
        });
        let mut remote = inner.events.subscribe(TOPIC);
        let weak = Arc::downgrade(&inner);
        tokio::spawn(async move {
            loop {
                let message = remote.recv().await;
                let Some(inner) = weak.upgrade() else { return };
                match message {
                    Ok(text) => {
                        if let Ok(a) = serde_json::from_str::<Announcement>(&text) {
                            inner.remember(&a.ids);
                        }
                    }
                    // Missed some: forget every verdict, so the database is asked again.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        inner.verdicts.clear();
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        });
        spawn_purger(Arc::downgrade(&inner));
        Self { inner }
    }

    /// Whether the access token `jti` (of login family `family`) is revoked.
    pub async fn is_revoked(&self, jti: Uuid, family: Option<Uuid>) -> ApiResult<bool> {
        let inner = &self.inner;
        if inner.revoked.contains(&jti) || family.is_some_and(|f| inner.revoked.contains(&f)) {
            return Ok(true);
        }
        // Every request of a session asks; concurrent misses share one query.
        let revoked = inner
            .verdicts
            .get_or_try_insert(&jti, || {
                let db = inner.db.clone();
                async move { tokens::is_denied(&db, jti, family).await }
            })
            .await;
        let revoked = revoked.map_err(|e: StoreError| {
            if e.is_unavailable() {
                ApiError::Unavailable("the database is unavailable, retry shortly".into())
            } else {
                ApiError::internal(&e)
            }
        })?;
        if revoked {
            inner.revoked.insert(jti, ());
        }
        Ok(revoked)
    }

    /// Asks the database, ignoring every cached verdict (a socket told to check again).
    pub async fn is_revoked_now(
        &self,
        jti: Uuid,
        family: Option<Uuid>,
    ) -> Result<bool, StoreError> {
        if self.inner.revoked.contains(&jti)
            || family.is_some_and(|f| self.inner.revoked.contains(&f))
        {
            return Ok(true);
        }
        tokens::is_denied(&self.inner.db, jti, family).await
    }

    /// Revokes `id` (an access token's jti or a family) of `user` until `expires_at`: written
    /// to the database first (so it holds even if the announcement is lost), then effective
    /// here and announced to the other instances and to the user's open sockets.
    pub async fn revoke(
        &self,
        entries: &[(Uuid, Revoked)],
        user: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for (id, kind) in entries {
            tokens::deny(&self.inner.db, *id, *kind, user, expires_at, now).await?;
        }
        let ids: Vec<Uuid> = entries.iter().map(|(id, _)| *id).collect();
        self.inner.remember(&ids);
        self.inner
            .events
            .publish(TOPIC, &Announcement { ids, user_id: user })
            .await;
        announce_account(&self.inner.events, user).await;
        Ok(())
    }
}

impl Inner {
    fn remember(&self, ids: &[Uuid]) {
        for id in ids {
            self.revoked.insert(*id, ());
            self.verdicts.remove(id);
        }
    }
}

/// Tells the open sockets of `user` (on every instance) to check their token now.
pub async fn announce_account(events: &EventBus, user: Uuid) {
    events
        .publish(&account_topic(user), &serde_json::json!({"type": "check"}))
        .await;
}

/// Deletes expired deny-list entries, and login-throttle rows whose run is over, every
/// [`PURGE_EVERY`] for as long as the deny-list exists.
fn spawn_purger(inner: Weak<Inner>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PURGE_EVERY);
        loop {
            tick.tick().await;
            let Some(inner) = inner.upgrade() else { return };
            let now = store::now();
            match tokens::purge_denied(&inner.db, now).await {
                Ok(n) if n > 0 => tracing::debug!(purged = n, "expired deny-list entries purged"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "could not purge the deny-list"),
            }
            let window_start = now
                - chrono::Duration::from_std(crate::auth::throttle::WINDOW)
                    .unwrap_or(chrono::Duration::hours(24));
            if let Err(err) = store::users::purge_login_throttle(&inner.db, window_start, now).await
            {
                tracing::warn!(error = %err, "could not purge the login throttle");
            }
        }
    });
}
