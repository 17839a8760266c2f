//! The service's use of the official GW2 API: the live WvW match feed.

use std::sync::Arc;

use crate::cache::Cache;
use crate::config::Settings;
use crate::services::live_match::{BoxFuture, FetchedMatch, MatchFeed};

/// The match feed backed by the GW2 API at `settings.gw2_api_url`.
pub fn match_feed(
    settings: &Settings,
    _cache: &Cache,
    http: &reqwest::Client,
) -> Arc<dyn MatchFeed> {
    Arc::new(ApiFeed {
        base: settings.gw2_api_url.trim_end_matches('/').to_owned(),
        http: http.clone(),
    })
}

struct ApiFeed {
    base: String,
    http: reqwest::Client,
}

impl MatchFeed for ApiFeed {
    fn fetch(&self, match_id: &str) -> BoxFuture<'_, Result<FetchedMatch, String>> {
        let url = format!("{}/v2/wvw/matches/{match_id}", self.base);
        Box::pin(async move {
            let response = self.http.get(url).send().await.map_err(|e| e.to_string())?;
            let document = response
                .error_for_status()
                .map_err(|e| e.to_string())?
                .json::<serde_json::Value>()
                .await
                .map_err(|e| e.to_string())?;
            Ok(FetchedMatch {
                document,
                source: "live",
            })
        })
    }

    fn match_for_world(&self, world_id: u32) -> BoxFuture<'_, Result<String, String>> {
        let url = format!("{}/v2/wvw/matches?world={world_id}", self.base);
        Box::pin(async move {
            let response = self.http.get(url).send().await.map_err(|e| e.to_string())?;
            let document = response
                .error_for_status()
                .map_err(|e| e.to_string())?
                .json::<serde_json::Value>()
                .await
                .map_err(|e| e.to_string())?;
            document["id"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| "no match for this world".into())
        })
    }
}
