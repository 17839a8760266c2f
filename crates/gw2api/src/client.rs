//! The client: cache → circuit breaker → rate limit → HTTP with retries (`transport.rs`) → cache
//! write. The typed endpoint methods are in `endpoints.rs`.
//!
//! Requests by id are split into batches of [`MAX_IDS_PER_REQUEST`], each cached on its own, and
//! merged in request order. A call fails as a whole if one batch fails with nothing cached for it:
//! half an answer would be indistinguishable from "those ids do not exist".

use std::collections::HashSet;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use resilience::{BreakerState, CircuitBreaker};
use serde::de::DeserializeOwned;
use tracing::{debug, warn};

use crate::cache::{ttl_from_cache_control, ResponseCache, STALE_PREFIX};
use crate::config::{ClientConfig, Lang, MAX_IDS_PER_REQUEST};
use crate::error::Gw2ApiError;
use crate::fetched::{Fetched, Source};
use crate::ids::Ids;
use crate::model::Resource;
use crate::rate_limit::RateLimiter;
use crate::transport::{error_text, Answer};

const SCHEMA_HEADER: &str = "x-schema-version";

/// Cheap to clone: clones share the HTTP pool, cache, rate limiter and circuit breaker.
#[derive(Clone)]
pub struct Gw2Client {
    pub(crate) inner: Arc<Inner>,
    lang: Lang,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    base_url: String,
    pub(crate) config: ClientConfig,
    cache: Arc<dyn ResponseCache>,
    pub(crate) limiter: RateLimiter,
    breaker: CircuitBreaker,
    pub(crate) headers: HeaderMap,
}

/// How a 404 is read: on `ids=` it means "none of these ids exist", on a single resource
/// "this one does not".
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    Single,
    Many,
}

pub(crate) enum Body {
    Json(Bytes),
    AllIdsInvalid,
}

pub(crate) struct Raw {
    body: Body,
    source: Source,
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

    /// A document endpoint asked without parameters (e.g. `build`, or a bulk endpoint's id
    /// list decoded as `T`).
    pub async fn get_document<T: DeserializeOwned>(
        &self,
        endpoint: &str,
    ) -> Result<Fetched<T>, Gw2ApiError> {
        let raw = self.fetch_raw(endpoint, &[], Expect::Single).await?;
        self.decode_single(endpoint, raw)
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

    pub(crate) fn decode_single<T: DeserializeOwned>(
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

    pub(crate) async fn fetch_raw(
        &self,
        endpoint: &str,
        query: &[(&str, String)],
        expect: Expect,
    ) -> Result<Raw, Gw2ApiError> {
        let encoded: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, encode(v))).collect();
        self.fetch_raw_encoded(endpoint, &encoded, expect).await
    }

    /// One request through the pipeline; `query` values must already be URL-encoded.
    ///
    /// Breaker accounting: any HTTP answer that ends the retry loop (2xx, 404, 401/403, other 4xx)
    /// proves the API is up and counts as a success; timeouts, connection errors, 5xx and 429
    /// after all retries count as failures. 404s on `ids=` (all ids unknown) and non-2xx answers
    /// are not cached.
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

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
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
