//! One cache interface for the whole service: an in-process cache (moka) always, and Redis
//! when `REDIS_URL` is set so several instances share entries. Redis sits behind a circuit
//! breaker: when it fails, the service keeps answering from the in-process cache, reports
//! the outage in `/health/ready`, and goes back to Redis when it returns.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::Mutex;

pub use resilience::{BreakerState, CircuitBreaker};

/// Every key this service writes to Redis starts with this, so the instance can share a
/// Redis with other applications.
const KEY_PREFIX: &str = "gw2opt:";

#[derive(Clone)]
struct Entry {
    data: Bytes,
    ttl: Duration,
}

struct PerEntryTtl;

impl moka::Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Entry,
        _now: std::time::Instant,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// What `/health/ready` reports about the cache.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CacheStatus {
    /// `memory` or `redis`.
    pub backend: &'static str,
    /// `ok`, `unavailable` (breaker open, serving from memory) or `disabled`.
    pub redis: &'static str,
    pub breaker: Option<BreakerState>,
}

struct RedisLayer {
    client: redis::Client,
    conn: Mutex<Option<redis::aio::MultiplexedConnection>>,
    breaker: CircuitBreaker,
    timeout: Duration,
}

#[derive(Clone)]
pub struct Cache {
    local: moka::future::Cache<String, Entry>,
    redis: Option<Arc<RedisLayer>>,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid REDIS_URL: {0}")]
pub struct CacheConfigError(String);

impl Cache {
    /// An in-process cache holding up to `capacity` entries.
    pub fn in_memory(capacity: u64) -> Self {
        Self {
            local: build_local(capacity),
            redis: None,
        }
    }

    /// In-process cache plus Redis at `url`. Does not connect yet: a Redis that is down at
    /// start is handled like one that goes down later.
    pub fn with_redis(
        capacity: u64,
        url: &str,
        cooldown: Duration,
    ) -> Result<Self, CacheConfigError> {
        let client = redis::Client::open(url).map_err(|e| CacheConfigError(e.to_string()))?;
        let layer = RedisLayer {
            client,
            conn: Mutex::new(None),
            breaker: CircuitBreaker::new(3, cooldown),
            timeout: Duration::from_millis(500),
        };
        Ok(Self {
            local: build_local(capacity),
            redis: Some(Arc::new(layer)),
        })
    }

    pub async fn get(&self, key: &str) -> Option<Bytes> {
        if let Some(redis) = &self.redis {
            match redis
                .run(|mut c| async move {
                    redis::cmd("GET")
                        .arg(prefixed(key))
                        .query_async::<Option<Vec<u8>>>(&mut c)
                        .await
                })
                .await
            {
                Some(Some(data)) => {
                    crate::monitoring::cache_lookup("redis", true);
                    return Some(Bytes::from(data));
                }
                Some(None) => {
                    crate::monitoring::cache_lookup("redis", false);
                    return None;
                }
                None => {} // Redis unavailable: fall back to this instance's copy.
            }
        }
        let found = self.local.get(key).await.map(|e| e.data);
        crate::monitoring::cache_lookup("memory", found.is_some());
        found
    }

    pub async fn set(&self, key: &str, data: Bytes, ttl: Duration) {
        self.local
            .insert(
                key.to_owned(),
                Entry {
                    data: data.clone(),
                    ttl,
                },
            )
            .await;
        if let Some(redis) = &self.redis {
            let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            redis
                .run(|mut c| async move {
                    redis::cmd("SET")
                        .arg(prefixed(key))
                        .arg(data.as_ref())
                        .arg("PX")
                        .arg(millis)
                        .query_async::<()>(&mut c)
                        .await
                })
                .await;
        }
    }

    pub async fn delete(&self, key: &str) {
        self.local.invalidate(key).await;
        if let Some(redis) = &self.redis {
            redis
                .run(|mut c| async move {
                    redis::cmd("DEL")
                        .arg(prefixed(key))
                        .query_async::<i64>(&mut c)
                        .await
                })
                .await;
        }
    }

    /// Asks Redis for a PING (through the breaker) and reports the cache's state.
    pub async fn check(&self) -> CacheStatus {
        match &self.redis {
            None => CacheStatus {
                backend: "memory",
                redis: "disabled",
                breaker: None,
            },
            Some(redis) => {
                let ok =
                    redis
                        .run(|mut c| async move {
                            redis::cmd("PING").query_async::<String>(&mut c).await
                        })
                        .await
                        .is_some();
                CacheStatus {
                    backend: "redis",
                    redis: if ok { "ok" } else { "unavailable" },
                    breaker: Some(redis.breaker.state()),
                }
            }
        }
    }

    /// The Redis breaker's state when Redis is configured (for metrics).
    pub fn breaker_state(&self) -> Option<BreakerState> {
        self.redis.as_ref().map(|r| r.breaker.state())
    }

    /// The Redis client when one is configured (for pub/sub between instances).
    pub fn redis_client(&self) -> Option<&redis::Client> {
        self.redis.as_deref().map(|r| &r.client)
    }
}

impl RedisLayer {
    /// Runs one Redis command through the breaker with a timeout. `None` means Redis was
    /// not usable (breaker open, connect failure, timeout or error).
    async fn run<T, F, Fut>(&self, command: F) -> Option<T>
    where
        F: FnOnce(redis::aio::MultiplexedConnection) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        if !self.breaker.allow() {
            return None;
        }
        let Some(conn) = self.connection().await else {
            self.breaker.record_failure();
            return None;
        };
        match tokio::time::timeout(self.timeout, command(conn)).await {
            Ok(Ok(value)) => {
                self.breaker.record_success();
                Some(value)
            }
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "redis command failed; serving from the in-process cache");
                self.drop_connection().await;
                self.breaker.record_failure();
                None
            }
            Err(_) => {
                tracing::warn!("redis command timed out; serving from the in-process cache");
                self.drop_connection().await;
                self.breaker.record_failure();
                None
            }
        }
    }

    async fn connection(&self) -> Option<redis::aio::MultiplexedConnection> {
        let mut guard = self.conn.lock().await;
        if let Some(conn) = guard.as_ref() {
            return Some(conn.clone());
        }
        match tokio::time::timeout(self.timeout, self.client.get_multiplexed_async_connection())
            .await
        {
            Ok(Ok(conn)) => {
                *guard = Some(conn.clone());
                Some(conn)
            }
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "cannot connect to redis");
                None
            }
            Err(_) => None,
        }
    }

    async fn drop_connection(&self) {
        *self.conn.lock().await = None;
    }
}

fn prefixed(key: &str) -> String {
    format!("{KEY_PREFIX}{key}")
}

fn build_local(capacity: u64) -> moka::future::Cache<String, Entry> {
    moka::future::Cache::builder()
        .max_capacity(capacity)
        .weigher(|_k: &String, v: &Entry| {
            u32::try_from(v.data.len() / 1024 + 1).unwrap_or(u32::MAX)
        })
        .expire_after(PerEntryTtl)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_cache_honours_ttl_and_delete() {
        let cache = Cache::in_memory(1024);
        cache
            .set("a", Bytes::from_static(b"1"), Duration::from_millis(80))
            .await;
        cache
            .set("b", Bytes::from_static(b"2"), Duration::from_secs(60))
            .await;
        assert_eq!(cache.get("a").await.as_deref(), Some(&b"1"[..]));
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(cache.get("a").await, None, "expired");
        cache.delete("b").await;
        assert_eq!(cache.get("b").await, None);
        assert_eq!(cache.check().await.redis, "disabled");
    }
}
