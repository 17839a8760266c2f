//! The Redis side of the event bus: one publishing connection behind a circuit breaker,
//! and one subscriber task per instance that reconnects with backoff.

use std::sync::Weak;
use std::time::Duration;

use futures_util::StreamExt;
use resilience::CircuitBreaker;
use tokio::sync::Mutex;

use super::Inner;

/// The Redis channel every instance publishes to and listens on.
pub const REDIS_CHANNEL: &str = "gw2opt:events";

const TIMEOUT: Duration = Duration::from_millis(500);

pub(super) struct Publisher {
    client: redis::Client,
    conn: Mutex<Option<redis::aio::MultiplexedConnection>>,
    breaker: CircuitBreaker,
}

impl Publisher {
    pub(super) fn new(client: redis::Client) -> Self {
        Self {
            client,
            conn: Mutex::new(None),
            breaker: CircuitBreaker::new(3, Duration::from_secs(5)),
        }
    }

    /// Publishes `payload`; when Redis is down the message still reached this instance's
    /// subscribers, and the breaker keeps a dead Redis from costing every publish a timeout.
    pub(super) async fn publish(&self, payload: String) {
        if !self.breaker.allow() {
            return;
        }
        let result = tokio::time::timeout(TIMEOUT, async {
            let mut guard = self.conn.lock().await;
            let mut conn = match guard.as_ref() {
                Some(conn) => conn.clone(),
                None => {
                    let conn = self.client.get_multiplexed_async_connection().await?;
                    *guard = Some(conn.clone());
                    conn
                }
            };
            drop(guard);
            redis::cmd("PUBLISH")
                .arg(REDIS_CHANNEL)
                .arg(payload)
                .query_async::<i64>(&mut conn)
                .await
        })
        .await;
        match result {
            Ok(Ok(_)) => self.breaker.record_success(),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "cannot publish an event to redis");
                *self.conn.lock().await = None;
                self.breaker.record_failure();
            }
            Err(_) => {
                *self.conn.lock().await = None;
                self.breaker.record_failure();
            }
        }
    }
}

/// Listens on [`REDIS_CHANNEL`] for as long as the bus exists, reconnecting (1 s, doubling
/// up to 30 s) whenever the connection drops.
pub(super) fn spawn_subscriber(client: redis::Client, bus: Weak<Inner>) {
    tokio::spawn(async move {
        let mut backoff = Duration::from_secs(1);
        loop {
            if bus.strong_count() == 0 {
                return;
            }
            match client.get_async_pubsub().await {
                Ok(mut pubsub) => match pubsub.subscribe(REDIS_CHANNEL).await {
                    Ok(()) => {
                        backoff = Duration::from_secs(1);
                        set_listening(&bus, true);
                        let mut messages = pubsub.on_message();
                        while let Some(message) = messages.next().await {
                            let Some(inner) = bus.upgrade() else { return };
                            if let Ok(payload) = message.get_payload::<String>() {
                                inner.deliver_remote(&payload);
                            }
                        }
                        set_listening(&bus, false);
                        tracing::warn!("redis event subscription ended; reconnecting");
                    }
                    Err(err) => tracing::warn!(error = %err, "cannot subscribe to redis events"),
                },
                Err(err) => tracing::debug!(error = %err, "redis unavailable for events"),
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(30));
        }
    });
}

fn set_listening(bus: &Weak<Inner>, value: bool) {
    if let Some(inner) = bus.upgrade() {
        inner
            .listening
            .store(value, std::sync::atomic::Ordering::Release);
    }
}
