//! Build views, counted in memory and written in batches: a popular build viewed by a whole
//! squad costs one `UPDATE` per flush period instead of one write transaction per request.
//!
//! No view is lost: a batch that fails to commit is merged back and retried at the next
//! flush, and shutdown flushes what is left. (A crash loses at most one period's views.)
//! What a reader sees is the stored count plus the views still pending on this instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use store::Db;
use uuid::Uuid;

use crate::hot::HotCaches;

#[derive(Clone, Default)]
pub struct ViewCounter {
    pending: Arc<Mutex<HashMap<Uuid, i64>>>,
}

impl ViewCounter {
    /// Writes the pending counts every `period` for as long as this counter (the service
    /// state holding it) lives.
    pub fn spawn_flusher(&self, db: Db, hot: HotCaches, period: std::time::Duration) {
        let pending = Arc::downgrade(&self.pending);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(pending) = pending.upgrade() else {
                    return;
                };
                if let Err(err) = (ViewCounter { pending }).flush(&db, &hot).await {
                    tracing::warn!(error = %err, "could not write view counts; will retry");
                }
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, i64>> {
        // Counts stay meaningful whatever panicked while holding the lock.
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one view; returns the views of `id` not yet written.
    pub fn record(&self, id: Uuid) -> i64 {
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
