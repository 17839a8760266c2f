//! HTTP transport: one GET with retries. Retries cover what a later attempt can fix — 429 (after
//! `Retry-After`, capped), 5xx and connection errors — with exponential backoff and jitter, bounded
//! by `max_retries`. Timeouts are not retried (the latency budget is spent; the breaker counts them)
//! and neither are other 4xx (the request itself is wrong).

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CACHE_CONTROL, RETRY_AFTER};
use reqwest::StatusCode;
use tracing::{debug, warn};

use crate::client::Gw2Client;
use crate::error::Gw2ApiError;

/// Longest error text kept from a failed response (it ends up in error messages and logs).
const MAX_ERROR_TEXT: usize = 300;

/// A response that ended the retry loop (2xx, or a 4xx that retrying cannot fix).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    pub(crate) cache_control: Option<String>,
}

impl Gw2Client {
    /// GET with retries on 429, 5xx and connection errors. Returns the first answer that retrying
    /// would not change.
    pub(crate) async fn send_with_retries(
        &self,
        url: &str,
        key: &str,
    ) -> Result<Answer, Gw2ApiError> {
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
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let config = &self.inner.config;
        let exp = config
            .retry_base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(config.retry_max_delay);
        capped.mul_f64(0.5 + 0.5 * random_unit())
    }
}

/// The API's `{"text": "..."}` message, or the start of the body when it is not JSON (e.g. an
/// HTML 502 page from a proxy).
pub(crate) fn error_text(body: &[u8]) -> String {
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
    use std::sync::Arc;

    use super::*;
    use crate::cache::MemoryCache;
    use crate::config::ClientConfig;

    fn client(config: ClientConfig) -> Gw2Client {
        Gw2Client::new(config, Arc::new(MemoryCache::default())).expect("client")
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
}
