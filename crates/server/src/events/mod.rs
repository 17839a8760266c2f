//! Live events (fights parsed into a session, parse progress, live match changes) delivered
//! to WebSocket subscribers.
//!
//! Topics are strings (`session:<uuid>`, `match:<id>`); a message is a JSON text serialized
//! once and shared by every subscriber. Within one instance delivery is a
//! `tokio::sync::broadcast` channel per topic: a subscriber that falls more than
//! [`TOPIC_CAPACITY`] messages behind sees `Lagged` and is dropped by the WebSocket layer
//! rather than slowing anyone down. With Redis configured, every message is also published
//! to one Redis channel and each instance re-delivers what other instances published, so a
//! client connected to instance B sees a log uploaded to instance A.

mod redis_bridge;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::broadcast;
use uuid::Uuid;

pub use redis_bridge::REDIS_CHANNEL;

/// How many messages a subscriber may fall behind before it is considered too slow.
pub const TOPIC_CAPACITY: usize = 256;

/// One serialized message, shared by all subscribers of its topic.
pub type Message = Arc<str>;

#[derive(Clone)]
pub struct EventBus {
    inner: Arc<Inner>,
}

struct Inner {
    topics: Mutex<HashMap<String, broadcast::Sender<Message>>>,
    /// Tells this instance's own messages apart when they come back from Redis.
    instance: Uuid,
    redis: Option<redis_bridge::Publisher>,
    /// Whether the Redis subscription is currently established.
    listening: std::sync::atomic::AtomicBool,
}

/// What goes over Redis: the topic, the message and which instance sent it.
#[derive(Serialize)]
struct Envelope<'a> {
    origin: Uuid,
    topic: &'a str,
    message: &'a str,
}

/// An [`Envelope`] as read back: the message is JSON inside a JSON string, so it has
/// escapes and cannot be borrowed.
#[derive(serde::Deserialize)]
struct ReceivedEnvelope {
    origin: Uuid,
    topic: String,
    message: String,
}

impl EventBus {
    /// An in-process bus (one instance).
    pub fn local() -> Self {
        Self {
            inner: Arc::new(Inner {
                topics: Mutex::new(HashMap::new()),
                instance: Uuid::new_v4(),
                redis: None,
                listening: Default::default(),
            }),
        }
    }

    /// A bus shared with other instances through Redis pub/sub. Starts the subscriber task
    /// (it reconnects by itself when Redis goes away); must be called inside a runtime.
    pub fn with_redis(client: redis::Client) -> Self {
        let bus = Self {
            inner: Arc::new(Inner {
                topics: Mutex::new(HashMap::new()),
                instance: Uuid::new_v4(),
                redis: Some(redis_bridge::Publisher::new(client.clone())),
                listening: Default::default(),
            }),
        };
        redis_bridge::spawn_subscriber(client, Arc::downgrade(&bus.inner));
        bus
    }

    /// Receives every message published on `topic` from now on.
    pub fn subscribe(&self, topic: &str) -> broadcast::Receiver<Message> {
        let mut topics = self.inner.lock_topics();
        // Forget topics nobody listens to any more, so the map does not grow forever.
        topics.retain(|_, sender| sender.receiver_count() > 0);
        topics
            .entry(topic.to_owned())
            .or_insert_with(|| broadcast::channel(TOPIC_CAPACITY).0)
            .subscribe()
    }

    /// How many subscribers `topic` has on this instance.
    pub fn subscriber_count(&self, topic: &str) -> usize {
        self.inner
            .lock_topics()
            .get(topic)
            .map_or(0, tokio::sync::broadcast::Sender::receiver_count)
    }

    /// Publishes `message` (serialized once) to this instance's subscribers and, with
    /// Redis, to the other instances'. Never fails: an event nobody can receive is dropped.
    pub async fn publish(&self, topic: &str, message: &impl Serialize) {
        let Ok(text) = serde_json::to_string(message) else {
            return;
        };
        self.inner.deliver(topic, Arc::from(text.as_str()));
        if let Some(redis) = &self.inner.redis {
            let envelope = Envelope {
                origin: self.inner.instance,
                topic,
                message: &text,
            };
            if let Ok(payload) = serde_json::to_string(&envelope) {
                redis.publish(payload).await;
            }
        }
    }

    /// Whether this instance currently receives other instances' events from Redis.
    pub fn is_listening(&self) -> bool {
        self.inner
            .listening
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Waits up to `timeout` for the Redis subscription (start-up, tests).
    pub async fn wait_until_listening(&self, timeout: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while !self.is_listening() {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        true
    }
}

impl Inner {
    fn lock_topics(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, broadcast::Sender<Message>>> {
        // The map stays consistent whatever panicked while holding it.
        self.topics
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn deliver(&self, topic: &str, message: Message) {
        if let Some(sender) = self.lock_topics().get(topic) {
            // No receivers is not an error: nobody is watching this topic right now.
            let _ = sender.send(message);
        }
    }

    /// Delivers a message that arrived from Redis, unless this instance sent it.
    fn deliver_remote(&self, payload: &str) {
        match serde_json::from_str::<ReceivedEnvelope>(payload) {
            Ok(envelope) if envelope.origin != self.instance => {
                self.deliver(&envelope.topic, Arc::from(envelope.message));
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "ignoring a malformed event from redis"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_get_messages_of_their_topic_only() {
        let bus = EventBus::local();
        let mut a = bus.subscribe("session:a");
        let mut b = bus.subscribe("session:b");
        bus.publish("session:a", &serde_json::json!({"n": 1})).await;
        assert_eq!(&*a.recv().await.unwrap(), r#"{"n":1}"#);
        assert!(b.try_recv().is_err());
        assert_eq!(bus.subscriber_count("session:a"), 1);
        drop(a);
        assert_eq!(bus.subscriber_count("session:a"), 0);
    }

    #[tokio::test]
    async fn a_slow_subscriber_lags_instead_of_blocking_the_publisher() {
        let bus = EventBus::local();
        let mut slow = bus.subscribe("t");
        for n in 0..(TOPIC_CAPACITY + 10) {
            bus.publish("t", &n).await;
        }
        assert!(matches!(
            slow.recv().await,
            Err(broadcast::error::RecvError::Lagged(10))
        ));
    }

    #[test]
    fn own_messages_coming_back_from_redis_are_not_delivered_twice() {
        let bus = EventBus::local();
        let mut rx = bus.subscribe("t");
        let own = serde_json::to_string(&Envelope {
            origin: bus.inner.instance,
            topic: "t",
            message: "1",
        })
        .unwrap();
        let other = serde_json::to_string(&Envelope {
            origin: Uuid::new_v4(),
            topic: "t",
            message: r#"{"type":"fight_added"}"#,
        })
        .unwrap();
        bus.inner.deliver_remote(&own);
        bus.inner.deliver_remote(&other);
        bus.inner.deliver_remote("not json");
        assert_eq!(&*rx.try_recv().unwrap(), r#"{"type":"fight_added"}"#);
        assert!(rx.try_recv().is_err());
    }
}
