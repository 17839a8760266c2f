//! The client: cache → circuit breaker → rate limit → HTTP with retries → cache write.
//!
//! Requests by id are split into batches of [`MAX_IDS_PER_REQUEST`], each cached on its own, and
//! merged in request order. A call fails as a whole if one batch fails with nothing cached for it:
//! half an answer would be indistinguishable from "those ids do not exist".

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CACHE_CONTROL, RETRY_AFTER};
use reqwest::StatusCode;
use resilience::{BreakerState, CircuitBreaker};
use serde::de::DeserializeOwned;
use tracing::{debug, warn};

use crate::cache::{ttl_from_cache_control, ResponseCache, STALE_PREFIX};
use crate::config::{ClientConfig, Lang, MAX_IDS_PER_REQUEST};
use crate::error::Gw2ApiError;
use crate::fetched::{Fetched, Source};
use crate::ids::Ids;
use crate::model::{
    Item, ItemStat, Legend, Pet, Profession, Resource, Skill, Specialization, Trait, WvwMatch,
    WvwObjective,
};
use crate::rate_limit::RateLimiter;

const SCHEMA_HEADER: &str = "x-schema-version";
/// Longest error text kept from a failed response (it ends up in error messages and logs).
const MAX_ERROR_TEXT: usize = 300;

/// Cheap to clone: clones share the HTTP pool, cache, rate limiter and circuit breaker.
#[derive(Clone)]
pub struct Gw2Client {
    inner: Arc<Inner>,
    lang: Lang,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    config: ClientConfig,
    cache: Arc<dyn ResponseCache>,
    limiter: RateLimiter,
    breaker: CircuitBreaker,
    headers: HeaderMap,
}

/// How a 404 is read: on `ids=` it means "none of these ids exist", on a single resource
/// "this one does not".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Single,
    Many,
}

enum Body {
    Json(Bytes),
    AllIdsInvalid,
}

struct Raw {
    body: Body,
    source: Source,
}

/// A response that ended the retry loop (2xx, or a 4xx that retrying cannot fix).
struct Answer {
    status: StatusCode,
    body: Bytes,
    cache_control: Option<String>,
}

impl Gw2Client {
    pub fn new(config: ClientConfig, cache: Arc<dyn ResponseCache>) -> Result<Self, Gw2ApiError> {
        let parsed = url::Url::parse(&config.base_url)
            .map_err(|e| Gw2ApiError::Config(format!("base_url {:?}: {e}", config.base_url)))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Gw2ApiError::Config(format!(
                "base_url {:?} must be http(s)",
                config.base_url
            )));
        }
        if config.timeout.is_zero() {
            return Err(Gw2ApiError::Config("timeout must be positive".into()));
        }

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let schema = HeaderValue::from_str(&config.schema_version).map_err(|_| {
            Gw2ApiError::Config("schema_version is not a valid header value".into())
        })?;
        headers.insert(SCHEMA_HEADER, schema);
        if let Some(key) = config.api_key.as_deref().filter(|k| !k.trim().is_empty()) {
            // Never echo the key, not even in this error.
            let mut value = HeaderValue::from_str(&format!("Bearer {}", key.trim()))
                .map_err(|_| Gw2ApiError::Config("api_key contains invalid characters".into()))?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }

        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| Gw2ApiError::Config(format!("HTTP client: {e}")))?;

        let inner = Inner {
            http,
            base_url: config.base_url.trim_end_matches('/').to_string(),
            limiter: RateLimiter::new(config.rate_per_minute, config.burst),
            breaker: CircuitBreaker::new(config.breaker_threshold, config.breaker_cooldown),
            cache,
            headers,
            config,
        };
        let lang = inner.config.lang;
        Ok(Self {
            inner: Arc::new(inner),
            lang,
        })
    }

    /// The same client (shared pool, cache, limiter, breaker) asking for another language.
    pub fn with_lang(&self, lang: Lang) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            lang,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// For health endpoints: `Open` means answers come from the stale cache or fail fast.
    pub fn breaker_state(&self) -> BreakerState {
        self.inner.breaker.state()
    }

    // ----- endpoints -------------------------------------------------------------------------

    /// Professions by id ("Guardian") or [`Ids::All`].
    pub async fn professions(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<Profession>>, Gw2ApiError> {
        self.get_ids("professions", ids).await
    }

    pub async fn specializations(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<Specialization>>, Gw2ApiError> {
        self.get_ids("specializations", ids).await
    }

    pub async fn traits(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Trait>>, Gw2ApiError> {
        self.get_ids("traits", ids).await
    }

    pub async fn skills(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Skill>>, Gw2ApiError> {
        self.get_ids("skills", ids).await
    }

    pub async fn items(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Item>>, Gw2ApiError> {
        self.get_ids("items", ids).await
    }

    pub async fn itemstats(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<ItemStat>>, Gw2ApiError> {
        self.get_ids("itemstats", ids).await
    }

    /// Revenant legends by id ("Legend1").
    pub async fn legends(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Legend>>, Gw2ApiError> {
        self.get_ids("legends", ids).await
    }

    pub async fn pets(&self, ids: impl Into<Ids>) -> Result<Fetched<Vec<Pet>>, Gw2ApiError> {
        self.get_ids("pets", ids).await
    }

    /// One match by id ("1-2"). [`Gw2ApiError::NotFound`] if there is no such match.
    pub async fn wvw_match(&self, id: &str) -> Result<Fetched<WvwMatch>, Gw2ApiError> {
        self.get_one("wvw/matches", id).await
    }

    /// The match a world (e.g. 1008) is playing in.
    pub async fn wvw_match_by_world(
        &self,
        world_id: u32,
    ) -> Result<Fetched<WvwMatch>, Gw2ApiError> {
        let query = [("world", world_id.to_string())];
        let raw = self
            .fetch_raw("wvw/matches", &query, Expect::Single)
            .await?;
        self.decode_single("wvw/matches", raw)
    }

    /// Ids of the current matches.
    pub async fn wvw_match_ids(&self) -> Result<Fetched<Vec<String>>, Gw2ApiError> {
        self.list_ids("wvw/matches").await
    }

    /// Several matches (or [`Ids::All`]).
    pub async fn wvw_matches(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<WvwMatch>>, Gw2ApiError> {
        self.get_ids("wvw/matches", ids).await
    }

    /// Objectives by id ("38-9") or [`Ids::All`].
    pub async fn wvw_objectives(
        &self,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<WvwObjective>>, Gw2ApiError> {
        self.get_ids("wvw/objectives", ids).await
    }

    // ----- generic access -------------------------------------------------------------------

    /// Records of `endpoint` (e.g. "skills", "wvw/objectives") by id, in batches of 200, merged in
    /// the order asked (duplicates asked once). Unknown ids are reported in `missing`.
    pub async fn get_ids<T: Resource>(
        &self,
        endpoint: &str,
        ids: impl Into<Ids>,
    ) -> Result<Fetched<Vec<T>>, Gw2ApiError> {
        match ids.into() {
            Ids::All => self.get_all(endpoint).await,
            Ids::List(list) => self.get_list(endpoint, list).await,
        }
    }

    /// Every record of `endpoint`: one `ids=all` request where the endpoint supports it; where it
    /// does not (the API answers 4xx, e.g. on items or skills), the id list and then batches —
    /// which on large endpoints is many requests (the rate limiter paces them).
    pub async fn get_all<T: Resource>(
        &self,
        endpoint: &str,
    ) -> Result<Fetched<Vec<T>>, Gw2ApiError> {
        let query = [("ids", "all".to_string())];
        match self.fetch_raw(endpoint, &query, Expect::Many).await {
            Ok(Raw {
                body: Body::Json(bytes),
                source,
            }) => Ok(Fetched::new(decode(endpoint, &bytes)?, source)),
            Ok(Raw {
                body: Body::AllIdsInvalid,
                ..
            })
            | Err(Gw2ApiError::Status {
                code: 400..=499, ..
            }) => {
                debug!(endpoint, "ids=all not supported: listing ids, then batches");
                let ids = self.list_ids(endpoint).await?;
                let mut all = self.get_list(endpoint, ids.value).await?;
                all.source = all.source.max(ids.source);
                Ok(all)
            }
            Err(e) => Err(e),
        }
    }

    /// The id list a bulk endpoint answers when asked without parameters; numeric ids are
    /// returned in decimal.
    pub async fn list_ids(&self, endpoint: &str) -> Result<Fetched<Vec<String>>, Gw2ApiError> {
        let raw = self.fetch_raw(endpoint, &[], Expect::Single).await?;
        let bytes = match raw.body {
            Body::Json(bytes) => bytes,
            Body::AllIdsInvalid => Bytes::from_static(b"[]"),
        };
        let ids: Vec<serde_json::Value> = decode(endpoint, &bytes)?;
        let ids = ids
            .into_iter()
            .map(|id| match id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect();
        Ok(Fetched::new(ids, raw.source))
    }

    /// One resource by id (`?id=`); [`Gw2ApiError::NotFound`] when the API has none.
    pub async fn get_one<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        id: &str,
    ) -> Result<Fetched<T>, Gw2ApiError> {
        let query = [("id", id.to_string())];
        let raw = self.fetch_raw(endpoint, &query, Expect::Single).await?;
        self.decode_single(endpoint, raw)
    }

    fn decode_single<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        raw: Raw,
    ) -> Result<Fetched<T>, Gw2ApiError> {
        match raw.body {
            Body::Json(bytes) => Ok(Fetched::new(decode(endpoint, &bytes)?, raw.source)),
            Body::AllIdsInvalid => Err(Gw2ApiError::NotFound {
                what: endpoint.to_string(),
            }),
        }
    }

    async fn get_list<T: Resource>(
        &self,
        endpoint: &str,
        ids: Vec<String>,
    ) -> Result<Fetched<Vec<T>>, Gw2ApiError> {
        let mut seen = HashSet::new();
        let ids: Vec<String> = ids
            .into_iter()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty() && seen.insert(id.clone()))
            .collect();
        if ids.is_empty() {
            return Ok(Fetched::new(Vec::new(), Source::Live));
        }
        let concurrency = self.inner.config.max_concurrent_batches.max(1);
        let batches: Vec<Fetched<Vec<T>>> = stream::iter(ids.chunks(MAX_IDS_PER_REQUEST))
            .map(|chunk| self.fetch_batch::<T>(endpoint, chunk))
            .buffered(concurrency)
            .try_collect()
            .await?;

        let mut merged = Fetched::new(Vec::with_capacity(ids.len()), Source::Live);
        for batch in batches {
            merged.value.extend(batch.value);
            merged.missing.extend(batch.missing);
            merged.source = merged.source.max(batch.source);
        }
        Ok(merged)
    }

    async fn fetch_batch<T: Resource>(
        &self,
        endpoint: &str,
        ids: &[String],
    ) -> Result<Fetched<Vec<T>>, Gw2ApiError> {
        let joined = ids
            .iter()
            .map(|id| encode(id))
            .collect::<Vec<_>>()
            .join(",");
        let raw = self
            .fetch_raw_encoded(endpoint, &[("ids", joined)], Expect::Many)
            .await?;
        match raw.body {
            Body::AllIdsInvalid => Ok(Fetched {
                value: Vec::new(),
                source: raw.source,
                missing: ids.to_vec(),
            }),
            Body::Json(bytes) => {
                let records: Vec<T> = decode(endpoint, &bytes)?;
                let returned: HashSet<String> = records.iter().map(Resource::id_key).collect();
                let missing = ids
                    .iter()
                    .filter(|id| !returned.contains(*id))
                    .cloned()
                    .collect();
                Ok(Fetched {
                    value: records,
                    source: raw.source,
                    missing,
                })
            }
        }
    }

    // ----- the pipeline -----------------------------------------------------------------------

    async fn fetch_raw(
        &self,
        endpoint: &str,
        query: &[(&str, String)],
        expect: Expect,
    ) -> Result<Raw, Gw2ApiError> {
        let encoded: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, encode(v))).collect();
        self.fetch_raw_encoded(endpoint, &encoded, expect).await
    }

    /// `query` values must already be URL-encoded.
    async fn fetch_raw_encoded(
        &self,
        endpoint: &str,
        query: &[(&str, String)],
        expect: Expect,
    ) -> Result<Raw, Gw2ApiError> {
        let key = self.request_key(endpoint, query);
        let inner = &self.inner;

        if let Some(bytes) = inner.cache.get(&key).await {
            debug!(request = %key, "GW2 API answer from cache");
            return Ok(Raw {
                body: Body::Json(bytes),
                source: Source::Cache,
            });
        }

        let trial = inner.breaker.state() == BreakerState::HalfOpen;
        if !inner.breaker.allow() {
            let open = Gw2ApiError::Unavailable {
                reason: "circuit breaker open after repeated failures".into(),
            };
            return self.stale_or(&key, open).await;
        }
        let call = BreakerCall {
            breaker: &inner.breaker,
            trial,
            settled: false,
        };

        let url = format!("{}{}", inner.base_url, key);
        match self.send_with_retries(&url, &key).await {
            Ok(answer) => {
                // The API answered: it is up, whatever the status says about the request.
                call.success();
                self.interpret(&key, answer, expect).await
            }
            Err(e) => {
                call.failure();
                if e.is_unavailable() {
                    self.stale_or(&key, e).await
                } else {
                    Err(e)
                }
            }
        }
    }

    async fn interpret(
        &self,
        key: &str,
        answer: Answer,
        expect: Expect,
    ) -> Result<Raw, Gw2ApiError> {
        let status = answer.status;
        if status.is_success() {
            // 200, and 206 Partial Content (some ids unknown: the caller computes which).
            self.store(key, &answer).await;
            return Ok(Raw {
                body: Body::Json(answer.body),
                source: Source::Live,
            });
        }
        let text = error_text(&answer.body);
        match status.as_u16() {
            404 if expect == Expect::Many => Ok(Raw {
                body: Body::AllIdsInvalid,
                source: Source::Live,
            }),
            404 => Err(Gw2ApiError::NotFound {
                what: format!("{key} ({text})"),
            }),
            code @ (401 | 403) => Err(Gw2ApiError::InvalidKey { code, text }),
            code => Err(Gw2ApiError::Status { code, text }),
        }
    }

    async fn store(&self, key: &str, answer: &Answer) {
        let config = &self.inner.config;
        let Some(ttl) = ttl_from_cache_control(answer.cache_control.as_deref(), config.default_ttl)
        else {
            return;
        };
        let cache = &self.inner.cache;
        cache.set(key, answer.body.clone(), ttl).await;
        let stale_key = format!("{STALE_PREFIX}{key}");
        cache
            .set(&stale_key, answer.body.clone(), config.stale_ttl.max(ttl))
            .await;
    }

    async fn stale_or(&self, key: &str, error: Gw2ApiError) -> Result<Raw, Gw2ApiError> {
        let stale_key = format!("{STALE_PREFIX}{key}");
        match self.inner.cache.get(&stale_key).await {
            Some(bytes) => {
                warn!(request = %key, error = %error, "GW2 API unavailable: answering from stale cache");
                Ok(Raw {
                    body: Body::Json(bytes),
                    source: Source::Stale,
                })
            }
            None => Err(error),
        }
    }

    /// GET with retries on 429, 5xx and connection errors. Returns the first answer that retrying
    /// would not change.
    async fn send_with_retries(&self, url: &str, key: &str) -> Result<Answer, Gw2ApiError> {
        let inner = &self.inner;
        let config = &inner.config;
        let attempts = config.max_retries.saturating_add(1);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let last = attempt >= attempts;
            inner.limiter.acquire().await;
            debug!(request = %key, attempt, "GW2 API request");
            let sent = inner
                .http
                .get(url)
                .headers(inner.headers.clone())
                .send()
                .await;
            let (error, wait) = match sent {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let cache_control = response
                        .headers()
                        .get(CACHE_CONTROL)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    let body = match response.bytes().await {
                        Ok(body) => body,
                        Err(e) if e.is_timeout() => {
                            return Err(Gw2ApiError::Timeout(config.timeout))
                        }
                        Err(e) => {
                            let error = Gw2ApiError::Unavailable {
                                reason: format!("reading the response body: {e}"),
                            };
                            if last {
                                return Err(error);
                            }
                            warn!(request = %key, attempt, error = %error, "GW2 API: retrying");
                            tokio::time::sleep(self.backoff(attempt)).await;
                            continue;
                        }
                    };
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        let wait = retry_after
                            .map(|d| d.min(config.retry_after_cap))
                            .unwrap_or_else(|| self.backoff(attempt));
                        (Gw2ApiError::RateLimited { attempts: attempt }, wait)
                    } else if status.is_server_error() {
                        let wait = retry_after
                            .map(|d| d.min(config.retry_after_cap))
                            .unwrap_or_else(|| self.backoff(attempt));
                        let error = Gw2ApiError::Status {
                            code: status.as_u16(),
                            text: error_text(&body),
                        };
                        (error, wait)
                    } else {
                        return Ok(Answer {
                            status,
                            body,
                            cache_control,
                        });
                    }
                }
                Err(e) if e.is_timeout() => return Err(Gw2ApiError::Timeout(config.timeout)),
                Err(e) => (
                    Gw2ApiError::Unavailable {
                        reason: e.to_string(),
                    },
                    self.backoff(attempt),
                ),
            };
            if last {
                return Err(error);
            }
            warn!(request = %key, attempt, error = %error, wait_ms = wait.as_millis() as u64, "GW2 API: retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// Exponential backoff with jitter: base × 2^(attempt−1), capped, then a random value between
    /// half and all of it, so clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let config = &self.inner.config;
        let exp = config
            .retry_base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(config.retry_max_delay);
        capped.mul_f64(0.5 + 0.5 * random_unit())
    }

    /// Cache key and request path: `/v2/{endpoint}?{query}&lang=xx`.
    fn request_key(&self, endpoint: &str, query: &[(&str, String)]) -> String {
        let mut key = format!("/v2/{}?", endpoint.trim_matches('/'));
        for (name, value) in query {
            key.push_str(name);
            key.push('=');
            key.push_str(value);
            key.push('&');
        }
        key.push_str("lang=");
        key.push_str(self.lang.as_str());
        key
    }
}

/// Settles one breaker-guarded call. If the future is dropped mid-call (the caller went away)
/// while holding the half-open trial, the trial is released as a failure so the breaker cannot
/// stay stuck; closed-state calls dropped midway count for nothing.
struct BreakerCall<'a> {
    breaker: &'a CircuitBreaker,
    trial: bool,
    settled: bool,
}

impl BreakerCall<'_> {
    fn success(mut self) {
        self.settled = true;
        self.breaker.record_success();
    }

    fn failure(mut self) {
        self.settled = true;
        self.breaker.record_failure();
    }
}

impl Drop for BreakerCall<'_> {
    fn drop(&mut self) {
        if !self.settled && self.trial {
            self.breaker.record_failure();
        }
    }
}

fn decode<T: DeserializeOwned>(endpoint: &str, bytes: &[u8]) -> Result<T, Gw2ApiError> {
    serde_json::from_slice(bytes).map_err(|e| Gw2ApiError::Decode {
        endpoint: endpoint.to_string(),
        error: e.to_string(),
    })
}

/// The API's `{"text": "..."}` message, or the start of the body when it is not JSON (e.g. an
/// HTML 502 page from a proxy).
fn error_text(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ApiError {
        text: String,
    }
    if let Ok(parsed) = serde_json::from_slice::<ApiError>(body) {
        return truncate(parsed.text);
    }
    truncate(String::from_utf8_lossy(body).trim().to_string())
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_ERROR_TEXT {
        let mut end = MAX_ERROR_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A uniform value in [0, 1) for jitter, from std's randomly keyed hasher (no extra dependency;
/// jitter needs no cryptographic quality).
fn random_unit() -> f64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::MemoryCache;

    fn client(config: ClientConfig) -> Gw2Client {
        Gw2Client::new(config, Arc::new(MemoryCache::default())).expect("client")
    }

    #[test]
    fn keys_carry_lang_but_not_the_api_key() {
        let c = client(ClientConfig {
            api_key: Some("SECRET".into()),
            ..ClientConfig::default()
        });
        let key = c.request_key("skills", &[("ids", "1,2".into())]);
        assert_eq!(key, "/v2/skills?ids=1,2&lang=en");
        let fr = c.with_lang(Lang::Fr);
        assert_eq!(
            fr.request_key("/wvw/matches/", &[]),
            "/v2/wvw/matches?lang=fr"
        );
    }

    #[test]
    fn ids_are_url_encoded() {
        assert_eq!(encode("1-2"), "1-2");
        assert_eq!(encode("a&b c"), "a%26b+c");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let c = client(ClientConfig {
            retry_base_delay: Duration::from_millis(100),
            retry_max_delay: Duration::from_millis(350),
            ..ClientConfig::default()
        });
        for _ in 0..50 {
            let first = c.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = c.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = c.backoff(30);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350));
        }
    }

    #[test]
    fn error_text_reads_the_api_message() {
        assert_eq!(
            error_text(br#"{"text":"all ids provided are invalid"}"#),
            "all ids provided are invalid"
        );
        assert_eq!(error_text(b"<html>502</html>"), "<html>502</html>");
        assert!(error_text(&[b'x'; 1000]).chars().count() <= MAX_ERROR_TEXT + 1);
    }

    #[test]
    fn rejects_bad_config_without_echoing_the_key() {
        let err = Gw2Client::new(
            ClientConfig {
                api_key: Some("BAD\nKEY".into()),
                ..ClientConfig::default()
            },
            Arc::new(MemoryCache::default()),
        )
        .err()
        .expect("invalid header");
        assert!(!err.to_string().contains("BAD"));
        assert!(Gw2Client::new(
            ClientConfig {
                base_url: "ftp://example".into(),
                ..ClientConfig::default()
            },
            Arc::new(MemoryCache::default()),
        )
        .is_err());
    }
}
