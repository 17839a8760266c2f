//! Client settings. The defaults follow the API's published limits; tests shrink the delays.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The public API.
pub const DEFAULT_BASE_URL: &str = "https://api.guildwars2.com";

/// Sent as `X-Schema-Version` on every request. The API shapes some responses by this date; this
/// one (2022-03-23) is later than 2019-12-19, so professions carry `code` and `skills_by_palette`
/// (needed to resolve build chat codes), and it is a version the typed models were checked against.
/// Bumping it can change shapes: re-check the models and fixtures when you do.
pub const SCHEMA_VERSION: &str = "2022-03-23T19:00:00.000Z";

/// The API answers at most this many objects per `ids=` request; longer lists are split.
pub const MAX_IDS_PER_REQUEST: usize = 200;

/// Languages the API localizes names and descriptions into (`lang=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    De,
    Es,
    Zh,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Zh => "zh",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            "de" => Ok(Lang::De),
            "es" => Ok(Lang::Es),
            "zh" => Ok(Lang::Zh),
            other => Err(format!("unsupported GW2 API language {other:?}")),
        }
    }
}

#[derive(Clone)]
pub struct ClientConfig {
    /// Scheme + host (+ optional path prefix), without `/v2`.
    pub base_url: String,
    /// Default language; [`crate::Gw2Client::with_lang`] gives a client for another one.
    pub lang: Lang,
    /// Sent as `Authorization: Bearer …` (marked sensitive, never logged, not part of cache keys).
    /// Public endpoints do not need it.
    pub api_key: Option<String>,
    /// `X-Schema-Version` header; see [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Whole-request timeout (connect + headers + body).
    pub timeout: Duration,
    /// Retries after the first attempt on 429, 5xx and connection errors (attempts = 1 + this).
    pub max_retries: u32,
    /// First backoff delay; doubles per retry, with jitter (a random half to full delay).
    pub retry_base_delay: Duration,
    /// Upper bound of one backoff delay.
    pub retry_max_delay: Duration,
    /// Upper bound on how long a `Retry-After` header can make us wait.
    pub retry_after_cap: Duration,
    /// Token refill rate of the client-side limiter (0 disables the limiter).
    pub rate_per_minute: u32,
    /// Bucket capacity: how many requests may go out at once before the refill rate applies.
    pub burst: u32,
    /// Consecutive failed calls (after retries) that open the circuit breaker.
    pub breaker_threshold: u32,
    /// How long the breaker stays open before one trial call.
    pub breaker_cooldown: Duration,
    /// Cache TTL when the API sends no `Cache-Control: max-age`.
    pub default_ttl: Duration,
    /// How long the `stale:` copy is kept for outages.
    pub stale_ttl: Duration,
    /// How many id batches of one call may be in flight at once.
    pub max_concurrent_batches: usize,
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            lang: Lang::En,
            api_key: None,
            schema_version: SCHEMA_VERSION.to_string(),
            timeout: Duration::from_secs(10),
            max_retries: 2,
            retry_base_delay: Duration::from_millis(250),
            retry_max_delay: Duration::from_secs(5),
            retry_after_cap: Duration::from_secs(30),
            // The API's documented bucket: 300 burst, 5 tokens per second.
            rate_per_minute: 300,
            burst: 300,
            breaker_threshold: 5,
            breaker_cooldown: Duration::from_secs(30),
            default_ttl: Duration::from_secs(5 * 60),
            stale_ttl: Duration::from_secs(7 * 24 * 3600),
            max_concurrent_batches: 4,
            user_agent: concat!("GW2Optimizer-gw2api/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// Hand-written so the API key can never end up in a log line through `{:?}`.
impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("lang", &self.lang)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("schema_version", &self.schema_version)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("retry_after_cap", &self.retry_after_cap)
            .field("rate_per_minute", &self.rate_per_minute)
            .field("burst", &self.burst)
            .field("breaker_threshold", &self.breaker_threshold)
            .field("breaker_cooldown", &self.breaker_cooldown)
            .field("default_ttl", &self.default_ttl)
            .field("stale_ttl", &self.stale_ttl)
            .field("max_concurrent_batches", &self.max_concurrent_batches)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let config = ClientConfig {
            api_key: Some("SECRET-KEY-123".into()),
            ..ClientConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET-KEY-123"));
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn lang_round_trips() {
        for lang in [Lang::En, Lang::Fr, Lang::De, Lang::Es, Lang::Zh] {
            assert_eq!(lang.as_str().parse::<Lang>(), Ok(lang));
        }
        assert!("it".parse::<Lang>().is_err());
    }
}
