//! The service's side of the official GW2 API: the client (crate `gw2api`) plugged into the
//! service's cache (in-process, plus Redis when configured, so instances share responses
//! and one poll serves them all), and the live WvW match feed built on it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use gw2api::{ClientConfig, Gw2Client, ResponseCache, Source};

use crate::cache::Cache;
use crate::config::Settings;
use crate::services::live_match::{BoxFuture, FetchedMatch, MatchFeed};

/// The service cache as the client's response cache.
struct ServiceCache(Cache);

impl ResponseCache for ServiceCache {
    fn get<'a>(&'a self, key: &'a str) -> gw2api::BoxFuture<'a, Option<Bytes>> {
        Box::pin(async move { self.0.get(&format!("gw2api:{key}")).await })
    }

    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> gw2api::BoxFuture<'a, ()> {
        Box::pin(async move { self.0.set(&format!("gw2api:{key}"), value, ttl).await })
    }
}

/// A client for `settings.gw2_api_url` sharing the service cache.
pub fn client(settings: &Settings, cache: &Cache) -> Result<Gw2Client, gw2api::Gw2ApiError> {
    let config = ClientConfig {
        base_url: settings.gw2_api_url.clone(),
        api_key: settings.gw2_api_key.clone(),
        ..ClientConfig::default()
    };
    Gw2Client::new(config, Arc::new(ServiceCache(cache.clone())))
}

fn source_name(source: Source) -> &'static str {
    match source {
        Source::Live => "live",
        Source::Cache => "cache",
        Source::Stale => "stale",
    }
}

/// The match feed for `/ws/mcm`.
pub fn match_feed(client: Gw2Client) -> Arc<dyn MatchFeed> {
    Arc::new(ApiFeed(client))
}

struct ApiFeed(Gw2Client);

impl MatchFeed for ApiFeed {
    fn fetch(&self, match_id: &str) -> BoxFuture<'_, Result<FetchedMatch, String>> {
        let match_id = match_id.to_owned();
        Box::pin(async move {
            let fetched = self
                .0
                .wvw_match(&match_id)
                .await
                .map_err(|e| e.to_string())?;
            let document = serde_json::to_value(&fetched.value).map_err(|e| e.to_string())?;
            Ok(FetchedMatch {
                document,
                source: source_name(fetched.source),
            })
        })
    }

    fn match_for_world(&self, world_id: u32) -> BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            let fetched = self
                .0
                .wvw_match_by_world(world_id)
                .await
                .map_err(|e| e.to_string())?;
            Ok(fetched.value.id)
        })
    }
}
