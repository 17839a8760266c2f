//! Adapter for the official Guild Wars 2 API v2 (<https://api.guildwars2.com>).
//!
//! The service depends on the API for game data (professions, skills, traits, items, stat
//! combinations) and live WvW state, but must keep answering when the API is slow, throttling or
//! down. So every call here goes through the same pipeline:
//!
//! 1. **cache** ([`ResponseCache`]): raw JSON bodies keyed by path + query (incl. `lang`, never the
//!    API key), with the TTL the API itself sends in `Cache-Control: max-age`;
//! 2. **circuit breaker** ([`resilience::CircuitBreaker`]): after a run of failed calls the API is not
//!    called for a cool-down; meanwhile answers come from a long-lived *stale* copy of the cache;
//! 3. **rate limit** ([`RateLimiter`]): a token bucket sized like the API's own (300 burst, 5/s), so we
//!    wait instead of collecting 429s;
//! 4. **retries** with exponential backoff and jitter on 429, 5xx and connection errors, honouring
//!    `Retry-After`;
//! 5. **typed decoding** ([`model`]) that tolerates fields the API adds over time.
//!
//! Every success says where it came from ([`Source`]) and which requested ids the API did not know
//! ([`Fetched::missing`]), so callers can tell users when data is stale or incomplete.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cache;
mod client;
mod config;
mod endpoints;
mod error;
mod fetched;
mod ids;
pub mod model;
mod rate_limit;
mod transport;

pub use cache::{ttl_from_cache_control, BoxFuture, MemoryCache, ResponseCache, STALE_PREFIX};
pub use client::Gw2Client;
pub use config::{ClientConfig, Lang, DEFAULT_BASE_URL, MAX_IDS_PER_REQUEST, SCHEMA_VERSION};
pub use error::Gw2ApiError;
pub use fetched::{Fetched, Source};
pub use ids::Ids;
pub use rate_limit::RateLimiter;
pub use resilience::BreakerState;
