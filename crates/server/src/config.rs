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
    /// Bearer token `GET /metrics` requires (at least 16 characters). With it and without
    /// [`Settings::metrics_bind`], metrics are served on the main address.
    pub metrics_token: Option<String>,
    /// A separate address serving `GET /metrics` only (e.g. `127.0.0.1:9100`, reachable by
    /// the monitoring network alone); the main address then does not serve it.
    pub metrics_bind: Option<SocketAddr>,
    /// How many instances of the service run on this configuration (behind a load
    /// balancer). Declared by the operator so production can refuse what one instance
    /// tolerates and several do not (SQLite, no Redis).
    pub instances: u32,
    /// Send `Access-Control-Allow-Credentials: true` to the allowed origins (a web client on
    /// another origin using the session cookie). Never with `*` as an origin.
    pub cors_credentials: bool,
    /// At shutdown (SIGTERM, Ctrl-C): how long in-flight requests and open WebSockets (told
    /// to close with 1001 "going away") get to finish before the service exits anyway.
    pub drain_timeout: Duration,
    /// At shutdown, how long the service keeps serving with `/health/ready` answering 503
    /// `draining` before it stops accepting: time for a load balancer's health checks to
    /// take the instance out of rotation, so no new request reaches a closed listener.
    /// 0 (the default, one instance) stops accepting at once.
    pub shutdown_delay: Duration,
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
            metrics_token: None,
            metrics_bind: None,
            instances: 1,
            cors_credentials: false,
            drain_timeout: Duration::from_secs(20),
            shutdown_delay: Duration::ZERO,
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
    #[error("{}", unsafe_message(.0))]
    Unsafe(Vec<String>),
    #[error("GW2OPT_CORS_ORIGINS=* cannot be combined with GW2OPT_CORS_CREDENTIALS=true (browsers refuse credentials for any origin): list the allowed origins")]
    CorsAnyWithCredentials,
    #[error("GW2OPT_METRICS_TOKEN must be at least 16 characters")]
    WeakMetricsToken,
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The one message listing every unsafe production setting.
fn unsafe_message(problems: &[String]) -> String {
    let mut message = format!(
        "GW2OPT_ENV=production refuses to start with {} unsafe setting(s):",
        problems.len()
    );
    for problem in problems {
        message.push_str("\n  - ");
        message.push_str(problem);
    }
    message
}

impl Settings {
    /// Whether any allowed CORS origin is `*`.
    pub fn cors_any_origin(&self) -> bool {
        self.cors_origins.iter().any(|o| o.trim() == "*")
    }

    /// Refused in every environment: a combination browsers reject (and the CORS layer
    /// cannot be built with).
    pub fn check_cors(&self) -> Result<(), ConfigError> {
        if self.cors_credentials && self.cors_any_origin() {
            return Err(ConfigError::CorsAnyWithCredentials);
        }
        Ok(())
    }

    /// What production refuses, one line each (empty when the settings are safe, and always
    /// in development). Reads nothing but the settings.
    pub fn production_problems(&self) -> Vec<String> {
        if self.env != Environment::Production {
            return Vec::new();
        }
        let mut problems = Vec::new();
        if self
            .secret_key
            .as_deref()
            .is_none_or(|k| k.trim().is_empty())
        {
            problems.push(
                "SECRET_KEY is required: without it tokens would be signed with a development key kept in the data dir (set a random key of at least 32 characters)".to_owned(),
            );
        } else if self.secret_key.as_deref().is_some_and(|k| k.len() < 32) {
            problems.push("SECRET_KEY is shorter than 32 characters".to_owned());
        }
        if self.instances > 1 {
            if self.effective_database_url().starts_with("sqlite:") {
                problems.push(format!(
                    "GW2OPT_INSTANCES={} with SQLite: each instance would write its own file; use PostgreSQL (DATABASE_URL=postgres://...)",
                    self.instances
                ));
            }
            if self
                .redis_url
                .as_deref()
                .is_none_or(|u| u.trim().is_empty())
            {
                problems.push(format!(
                    "GW2OPT_INSTANCES={} without REDIS_URL: caches, revocations and live events would not reach the other instances",
                    self.instances
                ));
            }
        }
        if self.cors_credentials && self.cors_any_origin() {
            problems.push(
                "GW2OPT_CORS_ORIGINS=* with GW2OPT_CORS_CREDENTIALS=true: any site could act with a visitor's credentials; list the allowed origins".to_owned(),
            );
        }
        if self.is_public() {
            if !self.is_tls() {
                problems.push(format!(
                    "GW2OPT_PUBLIC_URL={} is public but not https://: serve it over TLS (by the service's reverse proxy) and give the https:// URL",
                    self.public_url.trim()
                ));
            } else if self.hsts_max_age.is_zero() {
                problems.push(
                    "GW2OPT_HSTS_MAX_AGE=0 on a public https:// URL: browsers would not be told to keep to TLS (e.g. 31536000)".to_owned(),
                );
            }
        }
        if self.fetch_private_addresses {
            problems.push(
                "GW2OPT_FETCH_PRIVATE_ADDRESSES=true: page imports could reach the service's own network (for local tests only)".to_owned(),
            );
        }
        problems
    }

    /// In production, every unsafe setting at once in one error.
    pub fn check_production(&self) -> Result<(), ConfigError> {
        let problems = self.production_problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Unsafe(problems))
        }
    }

    /// Whether the public URL names a host others reach: not loopback (`localhost`,
    /// `127.0.0.0/8`, `::1`) nor empty.
    pub fn is_public(&self) -> bool {
        let url = self.public_url.trim();
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if let Some(v6) = host_port.strip_prefix('[') {
            v6.split(']').next().unwrap_or("")
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        let host = host.to_ascii_lowercase();
        if host.is_empty() || host == "localhost" || host.ends_with(".localhost") {
            return false;
        }
        match host.parse::<std::net::IpAddr>() {
            Ok(ip) => !ip.is_loopback(),
            Err(_) => true,
        }
    }

    /// The database URL to use: the configured one or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}", self.data_dir.join("gw2opt.db").display()),
        }
    }

    /// Whether `/metrics` is served at all (a token or a separate address is configured);
    /// without either, nothing is recorded.
    pub fn metrics_enabled(&self) -> bool {
        self.metrics_token.is_some() || self.metrics_bind.is_some()
    }

    /// Whether the main address serves `/metrics` (behind the token): a token is set and
    /// no separate metrics address is.
    pub fn metrics_on_main(&self) -> bool {
        self.metrics_token.is_some() && self.metrics_bind.is_none()
    }

    /// A metrics token must not be guessable.
    pub fn check_metrics(&self) -> Result<(), ConfigError> {
        match &self.metrics_token {
            Some(token) if token.len() < 16 => Err(ConfigError::WeakMetricsToken),
            _ => Ok(()),
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

    fn production() -> Settings {
        Settings {
            env: Environment::Production,
            secret_key: Some("k".repeat(48)),
            ..Settings::default()
        }
    }

    #[test]
    fn production_lists_every_unsafe_setting_in_one_message() {
        let unsafe_settings = Settings {
            env: Environment::Production,
            secret_key: None,
            instances: 3,
            cors_origins: vec!["*".into()],
            cors_credentials: true,
            public_url: "http://gw2.example.org".into(),
            fetch_private_addresses: true,
            ..Settings::default()
        };
        let problems = unsafe_settings.production_problems();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        let message = unsafe_settings.check_production().unwrap_err().to_string();
        assert!(
            message.starts_with("GW2OPT_ENV=production refuses to start with 6 unsafe setting(s):")
        );
        for needle in [
            "SECRET_KEY is required",
            "GW2OPT_INSTANCES=3 with SQLite",
            "GW2OPT_INSTANCES=3 without REDIS_URL",
            "GW2OPT_CORS_ORIGINS=* with GW2OPT_CORS_CREDENTIALS=true",
            "GW2OPT_PUBLIC_URL=http://gw2.example.org is public but not https://",
            "GW2OPT_FETCH_PRIVATE_ADDRESSES=true",
        ] {
            assert_eq!(message.matches(needle).count(), 1, "{needle} in {message}");
        }
        assert_eq!(message.lines().count(), 7, "one line per problem");
        // The same settings are fine in development.
        let dev = Settings {
            env: Environment::Development,
            ..unsafe_settings
        };
        assert!(dev.production_problems().is_empty());
    }

    #[test]
    fn safe_production_settings_start() {
        // One instance on SQLite, local URL: fine.
        assert!(production().check_production().is_ok());
        // Several instances on PostgreSQL and Redis, public over TLS with HSTS, credentials
        // for listed origins: fine.
        let fleet = Settings {
            instances: 3,
            database_url: Some("postgres://gw2:pw@db/gw2".into()),
            redis_url: Some("redis://cache:6379".into()),
            public_url: "https://gw2.example.org".into(),
            cors_origins: vec!["https://app.example.org".into()],
            cors_credentials: true,
            ..production()
        };
        assert!(
            fleet.check_production().is_ok(),
            "{:?}",
            fleet.production_problems()
        );
        let no_hsts = Settings {
            hsts_max_age: Duration::ZERO,
            ..fleet.clone()
        };
        let problems = no_hsts.production_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("GW2OPT_HSTS_MAX_AGE=0"));
        let weak = Settings {
            secret_key: Some("short".into()),
            ..production()
        };
        assert_eq!(
            weak.production_problems(),
            vec!["SECRET_KEY is shorter than 32 characters"]
        );
        // `*` without credentials is allowed; with them it is refused in every environment.
        let any = Settings {
            cors_origins: vec!["*".into()],
            ..production()
        };
        assert!(any.check_production().is_ok());
        let any_with_credentials = Settings {
            cors_credentials: true,
            env: Environment::Development,
            ..any
        };
        assert!(matches!(
            any_with_credentials.check_cors(),
            Err(ConfigError::CorsAnyWithCredentials)
        ));
    }

    #[test]
    fn public_means_a_host_others_reach() {
        let public = |url: &str| {
            Settings {
                public_url: url.into(),
                ..Settings::default()
            }
            .is_public()
        };
        for local in [
            "http://127.0.0.1:8000",
            "http://localhost:8000/",
            "http://[::1]:8000",
            "http://app.localhost",
            "http://127.0.0.2",
            "",
        ] {
            assert!(!public(local), "{local}");
        }
        for reached in [
            "http://gw2.example.org",
            "https://gw2.example.org:8443/app",
            "http://192.0.2.10:8000",
            "http://[2001:db8::1]/",
            "http://user@gw2.example.org",
        ] {
            assert!(public(reached), "{reached}");
        }
    }

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
