//! What every handler can reach: settings, database, cache and shared clients.

use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::Db;
use tokio::task::JoinHandle;

use crate::auth::jwt::TokenKeys;
use crate::auth::password::PasswordHasherPool;
use crate::auth::rate_limit::RateLimiter;
use crate::cache::Cache;
use crate::clock::Clock;
use crate::config::Settings;
use crate::services::mailer::Mailer;
use crate::StartError;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub settings: Settings,
    pub db: Db,
    pub cache: Cache,
    /// Shared outbound HTTP client (Ollama, GW2 API, ...): one connection pool for all.
    pub http: reqwest::Client,
    pub keys: TokenKeys,
    pub passwords: PasswordHasherPool,
    pub mailer: Mailer,
    pub clock: Clock,
    pub login_limiter: RateLimiter,
    pub register_limiter: RateLimiter,
    /// Revoked access tokens and logins (shared through the database and the event bus).
    pub revocations: crate::auth::revocation::Revocations,
    pub background: Background,
    pub gear_jobs: crate::services::gear_jobs::GearJobs,
    /// Slots and threads of the optimizers (per caller and for the service).
    pub engines: crate::services::engines::Engines,
    /// Live events for WebSocket subscribers (shared through Redis when configured).
    pub events: crate::events::EventBus,
    /// The official GW2 API (cached, rate-limited, behind a circuit breaker).
    pub gw2: gw2api::Gw2Client,
    /// In-process copies of hot rows and pages (see `hot`).
    pub hot: crate::hot::HotCaches,
    /// Build views waiting to be written in the next batch.
    pub views: crate::services::views::ViewCounter,
    /// Live WvW matches followed over `/ws/mcm` (one poller per match).
    pub matches: crate::services::live_match::Matches,
    /// Cached build DPS estimates of team slots, and the re-scoring of teams after edits.
    pub team_scores: crate::services::team_scores::TeamScores,
    /// Limits on arcdps log uploads in flight and parses at once.
    pub uploads: crate::services::uploads::UploadGate,
    pub started_at: std::time::Instant,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        settings: Settings,
        db: Db,
        cache: Cache,
        secret_key: String,
    ) -> Result<Self, StartError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("GW2Optimizer/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        let mailer = Mailer::new(
            settings.smtp_url.as_deref(),
            &settings.mail_from,
            &settings.data_dir,
        )?;
        let passwords = PasswordHasherPool::new(settings.password_cost)?;
        let login_limiter =
            RateLimiter::new(settings.login_rate_per_minute, Duration::from_secs(60));
        let register_limiter =
            RateLimiter::new(settings.register_rate_per_hour, Duration::from_secs(3600));
        let events = match cache.redis_client() {
            Some(client) => crate::events::EventBus::with_redis(client.clone()),
            None => crate::events::EventBus::local(),
        };
        let gw2 = crate::gw2_api::client(&settings, &cache)
            .map_err(|e| StartError::Gw2Api(e.to_string()))?;
        let matches = crate::services::live_match::Matches::new(
            crate::gw2_api::match_feed(gw2.clone()),
            events.clone(),
            settings.match_poll_interval,
        );
        let hot = crate::hot::HotCaches::new(events.clone());
        let revocations = crate::auth::revocation::Revocations::new(
            db.clone(),
            events.clone(),
            settings.access_token_ttl,
            settings.revocation_recheck,
        );
        let views = crate::services::views::ViewCounter::new(
            settings.view_window,
            settings.view_window_capacity,
            &secret_key,
        );
        views.spawn_flusher(db.clone(), hot.clone(), settings.view_flush_interval);
        let team_scores = crate::services::team_scores::TeamScores::default();
        let engines = crate::services::engines::Engines::new(
            settings.optimizer_jobs,
            settings.optimizer_jobs_per_user,
        );
        let state = Self(Arc::new(Inner {
            team_scores: team_scores.clone(),
            uploads: crate::services::uploads::UploadGate::new(
                settings.uploads_per_user,
                settings.parse_concurrency,
            ),
            gw2,
            hot,
            views,
            events,
            matches,
            keys: TokenKeys::new(&secret_key),
            settings,
            db,
            cache,
            http,
            passwords,
            mailer,
            clock: Clock::default(),
            login_limiter,
            register_limiter,
            revocations,
            background: Background::default(),
            gear_jobs: Default::default(),
            engines,
            started_at: std::time::Instant::now(),
        }));
        team_scores.spawn_worker(Arc::downgrade(&state.0));
        Ok(state)
    }

    /// The state behind a weak handle held by a background task.
    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        Self(inner)
    }
}

impl AppState {
    /// Writes pending view counts now (shutdown, tests).
    pub async fn flush_views(&self) -> Result<usize, store::StoreError> {
        self.views.flush(&self.db, &self.hot).await
    }
}

/// Work started by a request that outlives it (sending mail). Shutdown and tests wait for it.
#[derive(Default)]
pub struct Background {
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Background {
    pub fn track(&self, task: JoinHandle<()>) {
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }

    /// Waits for every tracked task to finish.
    pub async fn drain(&self) {
        loop {
            let batch: Vec<_> =
                std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|p| p.into_inner()));
            if batch.is_empty() {
                return;
            }
            for task in batch {
                let _ = task.await;
            }
        }
    }
}
