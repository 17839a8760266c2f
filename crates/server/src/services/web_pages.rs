//! A polite client for community build pages (`/ai/analyze/url`): http and https only, public
//! addresses only (the resolved address is the one connected to, so a name cannot be
//! re-pointed at an internal host between the check and the request), robots.txt honoured
//! (`texting_robots`, cached per host for an hour), one request per second per host, a
//! 10-second timeout, at most 3 redirects (each checked again), HTML or text only, at most
//! 2 MiB read, and successful pages cached for ten minutes.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Url;

use crate::error::{ApiError, ApiResult};

const USER_AGENT: &str = concat!(
    "GW2OptimizerBot/",
    env!("CARGO_PKG_VERSION"),
    " (build page import; honours robots.txt)"
);
/// The name robots.txt rules are matched against.
const ROBOTS_AGENT: &str = "GW2OptimizerBot";
const MAX_BYTES: usize = 2 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(10);
const PER_HOST_GAP: Duration = Duration::from_secs(1);
const MAX_REDIRECTS: usize = 3;

#[derive(Clone)]
pub struct WebPages {
    allow_private: bool,
    pages: moka::future::Cache<String, Arc<String>>,
    /// Host → robots.txt body (`None`: no rules, everything allowed).
    robots: moka::future::Cache<String, Arc<Option<Vec<u8>>>>,
    last_hit: Arc<Mutex<HashMap<String, Instant>>>,
}

fn bad_url(message: impl Into<String>) -> ApiError {
    ApiError::validation("url", message)
}

/// Loopback, private, link-local, shared (CGNAT), unspecified, multicast, documentation and
/// unique-local addresses: never fetched for a user.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

impl WebPages {
    pub fn new(allow_private: bool) -> Self {
        WebPages {
            allow_private,
            pages: moka::future::Cache::builder()
                .max_capacity(256)
                .time_to_live(Duration::from_secs(600))
                .build(),
            robots: moka::future::Cache::builder()
                .max_capacity(1024)
                .time_to_live(Duration::from_secs(3600))
                .build(),
            last_hit: Arc::default(),
        }
    }

    /// The page at `url` as text, or a 422 on `url` saying why not.
    pub async fn fetch(&self, url: &str) -> ApiResult<Arc<String>> {
        let url = Url::parse(url.trim()).map_err(|e| bad_url(format!("not a URL: {e}")))?;
        if let Some(page) = self.pages.get(url.as_str()).await {
            return Ok(page);
        }
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let (client, host) = self.client_for(&current).await?;
            if !self.robots_allow(&current, &client, &host).await? {
                return Err(bad_url(format!(
                    "{host}'s robots.txt does not allow fetching {}",
                    current.path()
                )));
            }
            self.wait_turn(&host).await;
            let response =
                client.get(current.clone()).send().await.map_err(|e| {
                    bad_url(format!("could not fetch the page: {}", without_url(&e)))
                })?;
            let status = response.status();
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| current.join(l).ok())
                    .ok_or_else(|| bad_url("a redirect without a usable Location"))?;
                current = next;
                continue;
            }
            if !status.is_success() {
                return Err(bad_url(format!("the page answered {status}")));
            }
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            if !(content_type.starts_with("text/html")
                || content_type.starts_with("text/plain")
                || content_type.starts_with("application/xhtml"))
            {
                return Err(bad_url(format!(
                    "the page is {content_type:?}, not HTML or text"
                )));
            }
            let body = read_capped(response).await?;
            let page = Arc::new(body);
            self.pages.insert(url.to_string(), page.clone()).await;
            return Ok(page);
        }
        Err(bad_url(format!("more than {MAX_REDIRECTS} redirects")))
    }

    /// A client pinned to a checked address of `url`'s host, and the host.
    async fn client_for(&self, url: &Url) -> ApiResult<(reqwest::Client, String)> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad_url("only http and https pages can be fetched"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad_url("a URL with credentials is refused"));
        }
        let host = url
            .host_str()
            .ok_or_else(|| bad_url("the URL has no host"))?
            .to_owned();
        let port = url
            .port_or_known_default()
            .ok_or_else(|| bad_url("the URL has no port"))?;
        let bare = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let addrs: Vec<SocketAddr> = tokio::time::timeout(
            Duration::from_secs(5),
            tokio::net::lookup_host((bare.as_str(), port)),
        )
        .await
        .map_err(|_| bad_url(format!("{host} did not resolve in time")))?
        .map_err(|_| bad_url(format!("{host} does not resolve")))?
        .collect();
        let addr = addrs
            .iter()
            .find(|a| self.allow_private || !is_internal(a.ip()))
            .copied()
            .ok_or_else(|| {
                bad_url(format!(
                    "{host} is an internal address; only public pages can be fetched"
                ))
            })?;
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&bare, addr)
            .build()
            .map_err(|e| ApiError::internal(format!("http client: {e}")))?;
        Ok((client, host))
    }

    async fn robots_allow(
        &self,
        url: &Url,
        client: &reqwest::Client,
        host: &str,
    ) -> ApiResult<bool> {
        let key = format!("{}://{}", url.scheme(), url.authority());
        let rules = match self.robots.get(&key).await {
            Some(r) => r,
            None => {
                let robots_url = format!("{key}/robots.txt");
                self.wait_turn(host).await;
                let fetched = match client.get(&robots_url).send().await {
                    // No robots.txt (4xx): no rules.
                    Ok(r) if r.status().is_client_error() => None,
                    Ok(r) if r.status().is_success() => Some(
                        read_capped(r)
                            .await
                            .map(String::into_bytes)
                            .unwrap_or_default(),
                    ),
                    // Unreachable or failing: the site's wishes are unknown; do not fetch.
                    _ => {
                        return Err(bad_url(format!(
                            "{host}'s robots.txt could not be read; not fetching"
                        )))
                    }
                };
                let rules = Arc::new(fetched);
                self.robots.insert(key, rules.clone()).await;
                rules
            }
        };
        Ok(match rules.as_ref() {
            None => true,
            Some(body) => match texting_robots::Robot::new(ROBOTS_AGENT, body) {
                Ok(robot) => robot.allowed(url.as_str()),
                Err(_) => true,
            },
        })
    }

    /// Waits until a second has passed since the last request to `host`.
    async fn wait_turn(&self, host: &str) {
        let wait = {
            let mut hits = self
                .last_hit
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let next = hits
                .get(host)
                .map_or(now, |last| (*last + PER_HOST_GAP).max(now));
            hits.insert(host.to_owned(), next);
            next.saturating_duration_since(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

async fn read_capped(mut response: reqwest::Response) -> ApiResult<String> {
    let mut body: Vec<u8> = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| bad_url(format!("the page broke off: {}", without_url(&e))))?
    {
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(bad_url(format!(
                "the page is larger than {} MiB",
                MAX_BYTES / (1024 * 1024)
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// A reqwest error's text without the URL it carries (already known to the caller).
fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(url) = e.url() {
        s = s
            .replace(&format!(" ({url})"), "")
            .replace(url.as_str(), "the page");
    }
    s
}
