//! The composition root: every service is built here, once, with the handful of things it
//! needs, and the background workers are started here and stopped with the state. Handlers
//! reach services through [`AppState`]; services never reach into it.

use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::Db;
use tokio::task::JoinHandle;

use tokio_util::sync::{CancellationToken, DropGuard};

use crate::auth::jwt::TokenKeys;
use crate::auth::password::PasswordHasherPool;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::revocation::Revocations;
use crate::auth::throttle::LoginThrottle;
use crate::cache::Cache;
use crate::clock::Clock;
use crate::config::Settings;
use crate::hot::HotCaches;
use crate::services::accounts::Accounts;
use crate::services::builds::Builds;
use crate::services::feedback::Feedback;
use crate::services::learning::Learning;
use crate::services::mailer::Mailer;
use crate::services::mcm::Mcm;
use crate::services::meta::Meta;
use crate::services::saved_builds::SavedBuilds;
use crate::services::team_scores::TeamScores;
use crate::services::teams::Teams;
use crate::services::uploads::UploadGate;
use crate::services::views::ViewCounter;
use crate::StartError;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The services, and the shared handles the delivery layer itself needs (settings, limiters,
/// health checks) or that operators and tests reach (database, clock, caches).
pub struct Inner {
    pub settings: Settings,
    pub accounts: Accounts,
    pub builds: Builds,
    pub teams: Teams,
    pub mcm: Mcm,
    /// Each player's private bookmarks of builds ("My Builds").
    pub saved_builds: SavedBuilds,
    /// Ratings of the AI answers, kept for the learning work.
    pub feedback: Feedback,
    /// The meta overview of a game mode, counted from what is stored.
    pub meta: Meta,
    /// The AI adviser: agents on the engines and the workflows chaining them.
    pub adviser: crate::services::ai::Adviser,
    /// The learning loop: samples, the model registry, learned squad weights.
    pub learning: Learning,
    /// Cached build DPS estimates of team slots, and the re-scoring of teams after edits.
    pub team_scores: TeamScores,
    /// Slots and threads of the optimizers (per caller and for the service).
    pub engines: crate::services::engines::Engines,
    pub gear_jobs: crate::services::gear_jobs::GearJobs,
    /// The durable queue of long work any instance runs (`/jobs`).
    pub jobs: crate::services::jobs::Jobs,
    /// Live WvW matches followed over `/ws/mcm` (one poller per match).
    pub matches: crate::services::live_match::Matches,
    /// Live events for WebSocket subscribers (shared through Redis when configured).
    pub events: crate::events::EventBus,
    /// The official GW2 API (cached, rate-limited, behind a circuit breaker).
    pub gw2: gw2api::Gw2Client,
    /// Ollama, when `OLLAMA_URL` is set (timeouts, circuit breaker).
    pub ollama: Option<ollama::OllamaClient>,
    /// Chat with the adviser: conversations, grounding in the engines, the language model.
    pub chat: crate::services::chat::Chat,
    pub login_limiter: RateLimiter,
    pub register_limiter: RateLimiter,
    pub db: Db,
    pub cache: Cache,
    /// In-process copies of hot rows and pages (see `hot`).
    pub hot: HotCaches,
    /// Build views waiting to be written in the next batch.
    pub views: ViewCounter,
    /// Limits on arcdps log uploads in flight and parses at once.
    pub uploads: UploadGate,
    pub keys: TokenKeys,
    pub passwords: PasswordHasherPool,
    pub clock: Clock,
    /// Shared outbound HTTP client (Ollama, GW2 API, ...): one connection pool for all.
    pub http: reqwest::Client,
    /// The polite client for community build pages (`/ai/analyze/url`).
    pub web_pages: crate::services::web_pages::WebPages,
    /// Builds imported from community guide pages (`gw2opt scrape`, `/admin/import/builds`).
    pub community_import: crate::services::community_import::CommunityImport,
    /// Administrative actions and security events (written by the services, read by
    /// superusers).
    pub audit: crate::services::audit::Audit,
    /// The Prometheus recorder's handle when metrics are served (see `monitoring`).
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Mail and other work that outlives its request; shutdown waits for it.
    pub background: Arc<Background>,
    pub started_at: std::time::Instant,
    /// Cancelled when the service starts shutting down: open WebSockets close with 1001
    /// "going away" (clients reconnect, to another instance).
    pub shutting_down: CancellationToken,
    /// Cancelled at the shutdown signal, [`Settings::shutdown_delay`] before
    /// `shutting_down`: from then on `/health/ready` answers 503 `draining`, so a load
    /// balancer stops sending new requests while the listener still accepts them.
    ///
    /// [`Settings::shutdown_delay`]: crate::config::Settings::shutdown_delay
    pub draining: CancellationToken,
    /// Stops the background workers when the last handle to the state is dropped.
    _workers: DropGuard,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Builds every service with what it needs and starts the background workers (view
    /// batches, team re-scoring); they stop when the last clone of the state is dropped.
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
        let hot = HotCaches::new(events.clone());
        let revocations = Revocations::new(
            db.clone(),
            events.clone(),
            settings.access_token_ttl,
            settings.revocation_recheck,
        );
        let views = ViewCounter::new(
            settings.view_window,
            settings.view_window_capacity,
            &secret_key,
        );
        let clock = Clock::default();
        let keys = TokenKeys::new(&secret_key);
        let background = Arc::new(Background::default());
        let team_scores = TeamScores::default();
        let uploads = UploadGate::new(settings.uploads_per_user, settings.parse_concurrency);

        let audit = crate::services::audit::Audit::new(db.clone(), clock.clone());
        let builds = Builds {
            audit: audit.clone(),
            db: db.clone(),
            hot: hot.clone(),
            views: views.clone(),
            team_scores: team_scores.clone(),
            clock: clock.clone(),
        };
        let teams = Teams {
            audit: audit.clone(),
            db: db.clone(),
            hot: hot.clone(),
            builds: builds.clone(),
            team_scores: team_scores.clone(),
            clock: clock.clone(),
        };
        let accounts = Accounts {
            audit: audit.clone(),
            db: db.clone(),
            hot: hot.clone(),
            keys: keys.clone(),
            passwords: passwords.clone(),
            mailer,
            clock: clock.clone(),
            revocations,
            events: events.clone(),
            throttle: LoginThrottle {
                db: db.clone(),
                clock: clock.clone(),
                policy: settings.login_throttle,
            },
            team_scores: team_scores.clone(),
            background: background.clone(),
            access_token_ttl: settings.access_token_ttl,
            refresh_token_ttl: settings.refresh_token_ttl,
            public_url: settings.public_url.clone(),
        };
        let mcm = Mcm {
            audit: audit.clone(),
            db: db.clone(),
            events: events.clone(),
            uploads: uploads.clone(),
            data_dir: settings.data_dir.clone(),
            upload_limit: settings.upload_limit,
            clock: clock.clone(),
        };
        let saved_builds = SavedBuilds {
            db: db.clone(),
            clock: clock.clone(),
        };
        let feedback = Feedback {
            db: db.clone(),
            clock: clock.clone(),
        };
        let meta = Meta {
            db: db.clone(),
            clock: clock.clone(),
        };
        let learning = Learning::new(db.clone(), clock.clone());

        let settings_fetch_private = settings.fetch_private_addresses;
        let web_pages = crate::services::web_pages::WebPages::new(settings_fetch_private);
        let community_import = crate::services::community_import::CommunityImport {
            pages: web_pages.clone(),
            builds: builds.clone(),
            audit: audit.clone(),
        };
        let workers = CancellationToken::new();
        views.spawn_flusher(db.clone(), hot.clone(), settings.view_flush_interval);
        team_scores.spawn_worker(teams.clone(), workers.clone());

        let jobs = crate::services::jobs::Jobs::new(
            db.clone(),
            clock.clone(),
            events.clone(),
            crate::services::jobs::JobSettings {
                workers: settings.job_workers,
                lease: settings.job_lease,
                poll: settings.job_poll,
                max_attempts: i32::try_from(settings.job_max_attempts).unwrap_or(3),
                max_search: settings.max_search,
                instance: if settings.instance_name.is_empty() {
                    crate::services::jobs::default_instance_name()
                } else {
                    settings.instance_name.clone()
                },
            },
            mcm.clone(),
        );
        jobs.spawn_workers(workers.clone());

        let engines = crate::services::engines::Engines::new(
            settings.optimizer_jobs,
            settings.optimizer_jobs_per_user,
        );
        // One recommender for the adviser's agents and the chat's build questions.
        let recommender = Arc::new(crate::services::ai::agents::recommender::Recommender {
            builds: builds.clone(),
            scores: team_scores.clone(),
        });
        let adviser = crate::services::ai::Adviser::new(
            crate::services::ai::Agents {
                recommender: recommender.clone(),
                build_optimization:
                    crate::services::ai::agents::build_optimization::BuildOptimization {
                        builds: builds.clone(),
                        engines: engines.clone(),
                    },
                team_analysis: crate::services::ai::agents::team_analysis::TeamAnalysis {
                    teams: teams.clone(),
                    engines: engines.clone(),
                },
                meta_analysis: crate::services::ai::agents::meta_analysis::MetaAnalysis {
                    meta: meta.clone(),
                },
                learning: crate::services::ai::agents::learning::LearningAgent {
                    learning: learning.clone(),
                },
                squad_planner: crate::services::ai::agents::squad_planner::SquadPlanner {
                    engines: engines.clone(),
                    learning: learning.clone(),
                },
            },
            db.clone(),
            events.clone(),
            clock.clone(),
        );
        let ollama = crate::language_model::client(&settings)
            .map_err(|e| StartError::Ollama(e.to_string()))?;
        let chat = crate::services::chat::Chat {
            db: db.clone(),
            clock: clock.clone(),
            grounding: Arc::new(
                crate::services::chat::grounding::EngineGrounding::new(engines.clone())
                    .with_recommender(recommender.clone()),
            ),
            ollama: ollama.clone(),
            answer_budget: crate::language_model::answer_budget(&settings),
        };
        let metrics = if settings.metrics_enabled() {
            crate::monitoring::install()
        } else {
            None
        };
        Ok(Self(Arc::new(Inner {
            audit,
            metrics,
            adviser,
            accounts,
            builds,
            teams,
            mcm,
            saved_builds,
            feedback,
            meta,
            learning,
            team_scores,
            engines,
            gear_jobs: Default::default(),
            jobs,
            matches,
            events,
            gw2,
            ollama,
            chat,
            login_limiter,
            register_limiter,
            settings,
            db,
            cache,
            hot,
            views,
            uploads,
            keys,
            passwords,
            clock,
            http,
            background,
            web_pages,
            community_import,
            started_at: std::time::Instant::now(),
            shutting_down: CancellationToken::new(),
            draining: CancellationToken::new(),
            _workers: workers.drop_guard(),
        })))
    }
}

impl AppState {
    /// What `/metrics` reads at scrape time: pool sizes and the dependencies' breakers.
    pub fn metrics_snapshot(&self) -> crate::monitoring::Snapshot<'_> {
        let mut breakers = vec![("gw2_api", self.gw2.breaker_state())];
        if let Some(redis) = self.cache.breaker_state() {
            breakers.push(("redis", redis));
        }
        if let Some(ollama) = &self.ollama {
            breakers.push(("ollama", ollama.breaker_state()));
        }
        crate::monitoring::Snapshot {
            db: &self.db,
            breakers,
        }
    }

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
        let mut tasks = self
            .tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }

    /// Waits for every tracked task to finish.
    pub async fn drain(&self) {
        loop {
            let batch: Vec<_> = std::mem::take(
                &mut *self
                    .tasks
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            if batch.is_empty() {
                return;
            }
            for task in batch {
                let _ = task.await;
            }
        }
    }
}
