//! Build views, counted in memory and written in batches: a popular build viewed by a whole
//! squad costs one `UPDATE` per flush period instead of one write transaction per request.
//!
//! A viewer counts once per build per window ([`Settings::view_window`], a day by default),
//! so reloading a page, or a script requesting it in a loop, adds one view, not one per
//! request (issue #17). Viewers are told apart by account when signed in, else by client
//! address (IPv6 by its /64 network, which one subscriber usually holds whole). Addresses are
//! never kept: only a 128-bit SipHash-2-4 of them (a keyed pseudorandom function, made for
//! short inputs; a tenth of an HMAC-SHA-256's cost on every anonymous view) under a key
//! derived from the service's secret key. The (build, viewer) pairs seen are held in memory, each for
//! one window, at most [`Settings::view_window_capacity`] of them (least useful first out when
//! full: such a viewer may then count again). One instance sees its own viewers: behind a load
//! balancer spreading one client over N instances, it counts at most N times per window.
//!
//! No counted view is lost: a batch that fails to commit is merged back and retried at the
//! next flush, and shutdown flushes what is left. (A crash loses at most one period's views.)
//! What a reader sees is the stored count plus the views still pending on this instance.
//!
//! [`Settings::view_window`]: crate::config::Settings::view_window
//! [`Settings::view_window_capacity`]: crate::config::Settings::view_window_capacity

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};
use siphasher::sip128::{Hasher128, SipHasher24};
use store::Db;
use uuid::Uuid;

use crate::expiring::{Expiring, KeyHasher};
use crate::hot::HotCaches;

/// Who viewed a build, as far as view counting needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Viewer {
    User(Uuid),
    /// Keyed hash of the client address (its /64 network for IPv6).
    Anonymous([u8; 16]),
}

#[derive(Clone)]
pub struct ViewCounter {
    pending: Arc<Mutex<HashMap<Uuid, i64, KeyHasher>>>,
    /// (build, viewer) pairs counted within the window.
    seen: Expiring<(Uuid, Viewer), ()>,
    /// SipHash-2-4 keyed for client addresses.
    address_mac: SipHasher24,
}

impl ViewCounter {
    /// A counter that counts each viewer once per build per `window`, remembering at most
    /// `capacity` (build, viewer) pairs; addresses are hashed under a key derived from
    /// `secret_key`.
    pub fn new(window: Duration, capacity: u64, secret_key: &str) -> Self {
        // A key of its own for this use (so the hashes say nothing about the signing key).
        let derived = Sha256::new()
            .chain_update(b"gw2opt view counter: client addresses\0")
            .chain_update(secret_key.as_bytes())
            .finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&derived[..16]);
        let address_mac = SipHasher24::new_with_key(&key);
        ViewCounter {
            pending: Arc::default(),
            seen: Expiring::new(capacity, window.max(Duration::from_millis(1))),
            address_mac,
        }
    }

    /// The viewer of a request: the account when signed in, else the client address.
    pub fn viewer(&self, user: Option<Uuid>, ip: Option<IpAddr>) -> Viewer {
        if let Some(id) = user {
            return Viewer::User(id);
        }
        let network = crate::services::engines::network_of(ip);
        let mut mac = self.address_mac;
        match network {
            IpAddr::V4(v4) => std::hash::Hasher::write(&mut mac, &v4.octets()),
            IpAddr::V6(v6) => std::hash::Hasher::write(&mut mac, &v6.octets()),
        }
        Viewer::Anonymous(mac.finish128().as_bytes())
    }

    /// Writes the pending counts every `period` for as long as this counter (the service
    /// state holding it) lives.
    pub fn spawn_flusher(&self, db: Db, hot: HotCaches, period: std::time::Duration) {
        let pending = Arc::downgrade(&self.pending);
        let (seen, address_mac) = (self.seen.clone(), self.address_mac);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(pending) = pending.upgrade() else {
                    return;
                };
                let counter = ViewCounter {
                    pending,
                    seen: seen.clone(),
                    address_mac,
                };
                if let Err(err) = counter.flush(&db, &hot).await {
                    tracing::warn!(error = %err, "could not write view counts; will retry");
                }
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, i64, KeyHasher>> {
        // Counts stay meaningful whatever panicked while holding the lock.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a view of `id` by `viewer` unless that viewer was counted within the window;
    /// returns the views of `id` not yet written.
    pub fn record(&self, id: Uuid, viewer: Viewer) -> i64 {
        if !self.seen.insert_if_absent(&(id, viewer), ()) {
            return self.pending(id);
        }
        let mut pending = self.lock();
        let n = pending.entry(id).or_insert(0);
        *n += 1;
        *n
    }

    /// Views of `id` not yet written.
    pub fn pending(&self, id: Uuid) -> i64 {
        self.lock().get(&id).copied().unwrap_or(0)
    }

    /// Writes every pending count in one transaction. On failure the counts go back into
    /// the pending map (merged with views counted meanwhile) and the error is returned.
    pub async fn flush(&self, db: &Db, hot: &HotCaches) -> Result<usize, store::StoreError> {
        let batch: Vec<(Uuid, i64)> = std::mem::take(&mut *self.lock()).into_iter().collect();
        if batch.is_empty() {
            return Ok(0);
        }
        match store::builds::add_views(db, &batch).await {
            Ok(()) => {
                // The cached copies now hold old counts: read them again next time.
                for (id, _) in &batch {
                    hot.forget_build(*id);
                }
                Ok(batch.len())
            }
            Err(err) => {
                let mut pending = self.lock();
                for (id, n) in batch {
                    *pending.entry(id).or_insert(0) += n;
                }
                Err(err)
            }
        }
    }
}
