//! GW2Optimizer's service: configuration, the HTTP/WebSocket application, services and
//! adapters. Layering follows the seed: `http` (delivery) → services → `store`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod auth;
pub mod cache;
pub mod clock;
pub mod config;
pub mod connections;
pub mod error;
pub mod events;
pub mod expiring;
pub mod extract;
pub mod gw2_api;
pub mod hot;
pub mod http;
pub mod json_body;
pub mod language_model;
pub mod middleware;
pub mod monitoring;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod text;

use std::future::Future;
use std::time::Duration;

use store::{Db, DbOptions};

use crate::cache::Cache;
use crate::config::Settings;
use crate::state::AppState;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Cache(#[from] cache::CacheConfigError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Mail(#[from] services::mailer::MailError),
    #[error(transparent)]
    Password(#[from] auth::password::PasswordError),
    #[error("invalid GW2 API settings: {0}")]
    Gw2Api(String),
    #[error("invalid Ollama settings: {0}")]
    Ollama(String),
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// In-process cache size, in KiB.
const CACHE_CAPACITY_KIB: u64 = 64 * 1024;

/// Opens the database (running pending migrations), the cache and the shared clients.
pub async fn build_state(settings: Settings) -> Result<AppState, StartError> {
    settings.check_production()?;
    settings.check_cors()?;
    settings.check_web_dir()?;
    settings.check_metrics()?;
    let (secret_key, generated) = settings.resolve_secret_key()?;
    if generated {
        tracing::warn!(
            path = %settings.data_dir.join("secret_key").display(),
            "SECRET_KEY not set: using a development key kept in the data dir (set SECRET_KEY in production)"
        );
    }
    let url = settings.effective_database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| {
            config::ConfigError::DataDir {
                path: settings.data_dir.clone(),
                source,
            }
        })?;
    }
    let options = DbOptions {
        max_connections: settings.db_max_connections,
        ..DbOptions::default()
    };
    let db = Db::connect(&url, &options).await?;
    let report = db.migrate().await?;
    db.refresh_statistics().await?;
    if report.applied > 0 {
        tracing::info!(
            applied = report.applied,
            total = report.total,
            "database migrated"
        );
    }
    let cache = match &settings.redis_url {
        Some(redis_url) if !redis_url.trim().is_empty() => {
            Cache::with_redis(CACHE_CAPACITY_KIB, redis_url, Duration::from_secs(5))?
        }
        _ => Cache::in_memory(CACHE_CAPACITY_KIB),
    };
    AppState::new(settings, db, cache, secret_key)
}

/// Binds the configured address and serves until SIGINT/SIGTERM; in-flight requests finish.
pub async fn run(settings: Settings) -> Result<(), StartError> {
    let bind = settings.bind;
    let mut settings = settings;
    settings.max_connections = connections::fit_descriptor_limit(settings.max_connections);
    let state = build_state(settings).await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|source| StartError::Bind { addr: bind, source })?;
    let addr = listener.local_addr().unwrap_or(bind);
    // The metrics address closes once the service has shut down.
    let metrics_stop = tokio_util::sync::CancellationToken::new();
    let _stop_metrics = metrics_stop.clone().drop_guard();
    if let Some(metrics_bind) = state.settings.metrics_bind {
        let metrics_listener =
            tokio::net::TcpListener::bind(metrics_bind)
                .await
                .map_err(|source| StartError::Bind {
                    addr: metrics_bind,
                    source,
                })?;
        tracing::info!("metrics on http://{metrics_bind}/metrics");
        tokio::spawn(serve_metrics(
            metrics_listener,
            state.clone(),
            metrics_stop.clone().cancelled_owned(),
        ));
    }
    tracing::info!(
        "GW2Optimizer {} listening on http://{addr} (database: {} {})",
        env!("CARGO_PKG_VERSION"),
        state.db.backend(),
        store::redact_url(&state.settings.effective_database_url()),
    );
    serve(listener, state, shutdown_signal()).await
}

/// Serves `state`'s application on `listener` until `shutdown` resolves; then fails
/// readiness (`draining`) while still serving for the shutdown delay, then stops accepting,
/// tells open WebSockets to close (1001), lets in-flight requests and sockets finish (at most
/// the drain timeout) and closes the database.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let app = app::service(state.clone());
    let limits = connections::Limits::from_settings(&state.settings);
    let going_away = state.shutting_down.clone();
    let draining = state.draining.clone();
    let delay = state.settings.shutdown_delay;
    let shutdown = async move {
        shutdown.await;
        // Out of the load balancer's rotation first (readiness fails), still serving...
        draining.cancel();
        if !delay.is_zero() {
            tracing::info!(
                delay_s = delay.as_secs_f64(),
                "draining: /health/ready answers 503; still accepting until the shutdown delay ends"
            );
            tokio::time::sleep(delay).await;
        }
        // ...then stop accepting and tell WebSockets to go away.
        going_away.cancel();
    };
    let result = connections::serve(listener, app, limits, shutdown).await;
    match state.flush_views().await {
        Ok(n) if n > 0 => tracing::info!(builds = n, "wrote pending view counts"),
        Ok(_) => {}
        Err(err) => {
            tracing::error!(error = %err, "could not write pending view counts at shutdown");
        }
    }
    state.db.close().await;
    tracing::info!("shut down cleanly");
    result.map_err(StartError::Serve)
}

/// Serves `GET /metrics` alone on `listener` (the separate metrics address) until
/// `shutdown` resolves.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let app = http::metrics::separate_router(state);
    if let Err(err) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        tracing::error!(error = %err, "the metrics listener stopped");
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
