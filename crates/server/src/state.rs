//! What every handler can reach: settings, database, cache and shared clients.

use std::ops::Deref;
use std::sync::Arc;

use store::Db;

use crate::cache::Cache;
use crate::config::Settings;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub settings: Settings,
    pub db: Db,
    pub cache: Cache,
    /// Shared outbound HTTP client (Ollama, GW2 API, ...): one connection pool for all.
    pub http: reqwest::Client,
    pub secret_key: String,
    pub started_at: std::time::Instant,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(settings: Settings, db: Db, cache: Cache, secret_key: String) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("GW2Optimizer/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(3))
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Self(Arc::new(Inner { settings, db, cache, http, secret_key, started_at: std::time::Instant::now() }))
    }
}
