//! Settings of a running service. The binary fills them from flags, the environment and an
//! optional `.env` file (see `.env.example`); tests build them directly.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use thiserror::Error;

/// Deployment environment: production refuses to start without an explicit secret key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    #[default]
    Development,
    Production,
}

impl std::str::FromStr for Environment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Environment::Development),
            "production" | "prod" => Ok(Environment::Production),
            other => Err(format!(
                "unknown environment {other:?} (development | production)"
            )),
        }
    }
}

impl std::fmt::Display for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Environment::Development => "development",
            Environment::Production => "production",
        })
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "pretty" | "text" => Ok(LogFormat::Pretty),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("unknown log format {other:?} (pretty | json)")),
        }
    }
}

impl std::fmt::Display for LogFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LogFormat::Pretty => "pretty",
            LogFormat::Json => "json",
        })
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub env: Environment,
    pub bind: SocketAddr,
    /// Holds the SQLite database, the development secret key and the e-mail outbox.
    pub data_dir: PathBuf,
    /// `None`: SQLite file `gw2opt.db` in the data dir.
    pub database_url: Option<String>,
    /// `None` in development: generated once and kept in the data dir.
    pub secret_key: Option<String>,
    pub redis_url: Option<String>,
    pub ollama_url: Option<String>,
    /// The Ollama model chats are sent to (`OLLAMA_MODEL`).
    pub ollama_model: String,
    pub smtp_url: Option<String>,
    /// Sender address of the e-mails the service writes.
    pub mail_from: String,
    /// Public base URL of the service, used in links sent by e-mail.
    pub public_url: String,
    pub cors_origins: Vec<String>,
    pub log_format: LogFormat,
    /// Largest request body accepted by ordinary endpoints, in bytes.
    pub body_limit: usize,
    /// Largest accepted arcdps log upload (`POST /mcm/logs`), in bytes. A compressed log
    /// may inflate to at most this much too (a zip bomb is refused as it inflates).
    pub upload_limit: usize,
    /// Uploads one account may have in flight at once; one more is a 429.
    pub uploads_per_user: usize,
    /// Logs parsed at once (each holds its log and report in memory); later uploads wait
    /// their turn. 0 = one per CPU core.
    pub parse_concurrency: usize,
    /// How often batched build view counts are written.
    pub view_flush_interval: Duration,
    /// A viewer (an account, or a client address) counts once per build within this time.
    pub view_window: Duration,
    /// (build, viewer) pairs remembered for `view_window` at most (bounded memory, about
    /// 0.4 KiB a pair measured; past it the least useful are forgotten, and such a viewer may
    /// count again).
    pub view_window_capacity: u64,
    /// Log one line per request (`false` for load tests; errors are logged either way).
    pub access_log: bool,
    /// How often `/ws/mcm` pings its clients; a client silent for three periods is closed.
    pub ws_heartbeat: Duration,
    /// How often a watched WvW match is polled from the GW2 API (the issue caps it at 30 s).
    pub match_poll_interval: Duration,
    /// Base URL of the official GW2 API.
    pub gw2_api_url: String,
    /// Optional GW2 API key (only for authenticated endpoints; never logged).
    pub gw2_api_key: Option<String>,
    pub request_timeout: Duration,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// How long an instance trusts the database's "not revoked" for an access token before
    /// asking again, for revocations whose announcement did not arrive (Redis down or not
    /// configured). See `auth::revocation`.
    pub revocation_recheck: Duration,
    /// How often an open `/ws/mcm` checks its token again (expiry, revocation, password
    /// change, disabled account); revocations are also pushed at once through the event bus.
    pub ws_auth_recheck: Duration,
    /// Delays after failed password checks (see `auth::throttle`).
    pub login_throttle: crate::auth::throttle::ThrottlePolicy,
    /// `Strict-Transport-Security` max-age, sent when `public_url` is `https://` (the service
    /// is served over TLS, by itself or its proxy). Zero: never sent.
    pub hsts_max_age: Duration,
    pub db_max_connections: u32,
    /// argon2id cost of password hashes.
    pub password_cost: crate::auth::password::PasswordCost,
    /// Login attempts allowed per client IP per minute (burst).
    pub login_rate_per_minute: u32,
    /// Registrations allowed per client IP per hour (burst).
    pub register_rate_per_hour: u32,
    /// Take the client IP from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// A connection must deliver a request's complete head within this time (of connecting,
    /// or of the first byte of a later request on a kept-alive connection), else it is closed.
    pub header_read_timeout: Duration,
    /// A kept-alive connection with no request in flight is closed after this time.
    /// Upgraded connections (WebSockets) are exempt: they have their own heartbeat.
    pub idle_timeout: Duration,
    /// Open connections at most (WebSockets included); one more is answered 503 and closed.
    pub max_connections: usize,
    /// Optimizer runs (gear and squad) at once on the whole service; one more is a 503 with
    /// `Retry-After`. 0 = one per CPU core.
    pub optimizer_jobs: usize,
    /// Optimizer runs one caller (an account, or an address for anonymous callers) may have at
    /// once; one more is a 429 with `Retry-After`.
    pub optimizer_jobs_per_user: usize,
    /// Longest gear search for anonymous callers: they get the best result found in this time,
    /// at once (long searches as jobs and the `/ws/optimize` stream need an account).
    pub anonymous_search_budget: Duration,
    /// Longest gear search of an account's job; it then ends with the best result so far.
    pub max_search: Duration,
    /// Whether build-page fetches (`/ai/analyze/url`) may reach loopback and private
    /// addresses (tests against a local server; never in production).
    pub fetch_private_addresses: bool,
    /// Serve the web client from this directory (a `web/dist` built by Vite) instead of the
    /// copy compiled into the binary: for working on the client without rebuilding the
    /// service. `None`: the embedded copy.
    pub web_dir: Option<PathBuf>,
    /// Durable jobs (`/jobs`) this instance runs at once; 0 = it runs none (it still accepts
    /// and serves them: other instances run them).
    pub job_workers: usize,
    /// How long a job's claim lasts without a heartbeat: a job whose instance died is taken
    /// by another this long after its last heartbeat.
    pub job_lease: Duration,
    /// How often an idle job worker looks for work (a job submitted to this instance wakes
    /// it at once).
    pub job_poll: Duration,
    /// Attempts per durable job (a failure or a lost instance counts one).
    pub job_max_attempts: u32,
    /// This instance's name in job leases; empty: `hostname-pid-random`.
    pub instance_name: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: Environment::Development,
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            secret_key: None,
            redis_url: None,
            ollama_url: None,
            ollama_model: ollama::DEFAULT_MODEL.to_owned(),
            smtp_url: None,
            mail_from: "GW2Optimizer <no-reply@gw2optimizer.local>".into(),
            public_url: "http://127.0.0.1:8000".into(),
            cors_origins: Vec::new(),
            log_format: LogFormat::Pretty,
            body_limit: 1024 * 1024,
            upload_limit: 100 * 1024 * 1024,
            uploads_per_user: 2,
            parse_concurrency: 0,
            view_flush_interval: Duration::from_secs(1),
            view_window: Duration::from_secs(24 * 3600),
            view_window_capacity: 100_000,
            access_log: true,
            ws_heartbeat: Duration::from_secs(20),
            match_poll_interval: Duration::from_secs(30),
            gw2_api_url: "https://api.guildwars2.com".into(),
            gw2_api_key: None,
            request_timeout: Duration::from_secs(30),
            access_token_ttl: Duration::from_secs(30 * 60),
            refresh_token_ttl: Duration::from_secs(7 * 24 * 3600),
            revocation_recheck: Duration::from_secs(5),
            ws_auth_recheck: Duration::from_secs(5),
            login_throttle: crate::auth::throttle::ThrottlePolicy::default(),
            hsts_max_age: Duration::from_secs(365 * 24 * 3600),
            db_max_connections: 16,
            password_cost: crate::auth::password::PasswordCost::default(),
            login_rate_per_minute: 20,
            register_rate_per_hour: 20,
            trust_forwarded_for: false,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
            optimizer_jobs: 0,
            optimizer_jobs_per_user: 2,
            anonymous_search_budget: Duration::from_secs(2),
            max_search: Duration::from_secs(120),
            fetch_private_addresses: false,
            web_dir: None,
            job_workers: 1,
            job_lease: Duration::from_secs(30),
            job_poll: Duration::from_millis(500),
            job_max_attempts: 3,
            instance_name: String::new(),
        }
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("SECRET_KEY is required when GW2OPT_ENV=production")]
    MissingSecretKey,
    #[error("SECRET_KEY must be at least 32 characters")]
    WeakSecretKey,
    #[error("cannot serve the web client from {path}: {reason}")]
    WebDir { path: PathBuf, reason: &'static str },
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Settings {
    /// The database URL to use: the configured one or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}", self.data_dir.join("gw2opt.db").display()),
        }
    }

    /// Whether the service is reached over TLS (by itself or its reverse proxy): its public
    /// URL is `https://`. Decides HSTS and the session cookie's `Secure`.
    pub fn is_tls(&self) -> bool {
        self.public_url
            .trim()
            .to_ascii_lowercase()
            .starts_with("https://")
    }

    /// A configured web client directory must hold a built client (`index.html`): pointing
    /// at `web/` instead of `web/dist/` is refused at start, not answered 404 page by page.
    pub fn check_web_dir(&self) -> Result<(), ConfigError> {
        let Some(dir) = &self.web_dir else {
            return Ok(());
        };
        let reason = if !dir.is_dir() {
            "not a directory"
        } else if !dir.join("index.html").is_file() {
            "it has no index.html (give the build's output, e.g. web/dist)"
        } else {
            return Ok(());
        };
        Err(ConfigError::WebDir {
            path: dir.clone(),
            reason,
        })
    }

    /// The signing key for tokens. In development a missing key is generated once and kept in
    /// `DATA_DIR/secret_key` so tokens survive restarts; production must set `SECRET_KEY`.
    pub fn resolve_secret_key(&self) -> Result<(String, bool), ConfigError> {
        if let Some(key) = self.secret_key.as_deref().filter(|k| !k.is_empty()) {
            if key.len() < 32 {
                return Err(ConfigError::WeakSecretKey);
            }
            return Ok((key.to_owned(), false));
        }
        if self.env == Environment::Production {
            return Err(ConfigError::MissingSecretKey);
        }
        let path = self.data_dir.join("secret_key");
        let io = |source| ConfigError::DataDir {
            path: path.clone(),
            source,
        };
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let existing = existing.trim().to_owned();
            if existing.len() >= 32 {
                return Ok((existing, true));
            }
        }
        std::fs::create_dir_all(&self.data_dir).map_err(io)?;
        let key = crate::auth::random_token(48);
        write_private(&path, &key).map_err(io)?;
        Ok((key, true))
    }
}

/// Writes a file readable by its owner only.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_requires_a_secret_key() {
        let settings = Settings {
            env: Environment::Production,
            ..Settings::default()
        };
        assert!(matches!(
            settings.resolve_secret_key(),
            Err(ConfigError::MissingSecretKey)
        ));
        let weak = Settings {
            secret_key: Some("short".into()),
            ..Settings::default()
        };
        assert!(matches!(
            weak.resolve_secret_key(),
            Err(ConfigError::WeakSecretKey)
        ));
    }

    #[test]
    fn development_key_is_generated_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("gw2opt-key-{}", uuid::Uuid::new_v4()));
        let settings = Settings {
            data_dir: dir.clone(),
            ..Settings::default()
        };
        let (first, generated) = settings.resolve_secret_key().unwrap();
        assert!(generated);
        assert!(first.len() >= 32);
        let (second, _) = settings.resolve_secret_key().unwrap();
        assert_eq!(first, second);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_web_dir_must_hold_a_built_client() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::default();
        assert!(settings.check_web_dir().is_ok(), "embedded client");
        settings.web_dir = Some(dir.path().join("missing"));
        assert!(matches!(
            settings.check_web_dir(),
            Err(ConfigError::WebDir {
                reason: "not a directory",
                ..
            })
        ));
        settings.web_dir = Some(dir.path().to_owned());
        assert!(settings.check_web_dir().is_err(), "no index.html");
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        assert!(settings.check_web_dir().is_ok());
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        let settings = Settings::default();
        assert_eq!(settings.effective_database_url(), "sqlite://data/gw2opt.db");
    }
}
