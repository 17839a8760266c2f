//! `gw2opt`: the GW2Optimizer command line. `serve` runs the service; the other commands
//! run the same engines and maintenance tasks without it.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
mod commands;

/// mimalloc: fewer cycles per allocation than glibc's malloc on the request path (a few
/// percent of throughput under load) and it returns freed memory (argon2's buffers) sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use server::auth::password::PasswordCost;
use server::config::{Environment, LogFormat, Settings};

#[derive(Parser)]
#[command(
    name = "gw2opt",
    version,
    about = "GW2Optimizer: Guild Wars 2 builds, squads and WvW analytics"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP/WebSocket service.
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Decode and encode the game's build chat codes (`[&DQ...]`).
    #[command(subcommand)]
    Code(CodeCommand),
    /// Find the best gear (stat prefix per slot) for a build.
    Optimize {
        /// Input JSON (see presets/gear/ and the README).
        #[arg(long, required_unless_present_any = ["template", "list_templates"], conflicts_with = "template")]
        input: Option<PathBuf>,
        /// Run a discretize template instead (`--list-templates` lists their ids), with its
        /// default candidates: affixes, infusions and every extras candidate.
        #[arg(long)]
        template: Option<String>,
        /// The template's game mode.
        #[arg(long, value_enum, default_value = "fractals", requires = "template")]
        template_mode: commands::engines::TemplateModeArg,
        /// Print the template's gear input (JSON, for `--input`) instead of optimizing.
        #[arg(long, requires = "template")]
        print_input: bool,
        /// List the discretize templates (id, profession, specialization, name).
        #[arg(long)]
        list_templates: bool,
        /// How many distinct results to return.
        #[arg(long)]
        top: Option<usize>,
        #[arg(long, value_enum, default_value = "table")]
        format: commands::Format,
    },
    /// Assign players to builds and parties so every party's boons are covered.
    Squad {
        /// Input JSON with `players: [{name, options: [...]}]` (see presets/squad/).
        #[arg(long)]
        input: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: commands::Format,
    },
    /// Parse an arcdps log (.evtc / .zevtc) and print the fight report.
    ParseLog {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: commands::engines::LogFormat,
    },
    /// Game data maintenance.
    #[command(subcommand)]
    Data(DataCommand),
    /// Load benchmark helpers (used by bench/load.sh).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Print the service's OpenAPI document (JSON) without starting it: the web client's
    /// build generates its API types from it.
    Openapi,
    /// The learning loop: samples from what users store, models, the registry.
    #[command(subcommand)]
    Learn(LearnCommand),
    /// The meta of the stored builds, teams, saved builds and fights: popularity, ratings and
    /// trends of professions, specializations, roles and stat prefixes (GET /api/v1/meta).
    Meta(MetaArgs),
    /// Back the database up to a new file while the service runs (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump --format=custom), then check the copy.
    Backup(BackupArgs),
    /// Replace the database with a backup made by `gw2opt backup` (stop the service first for
    /// SQLite; PostgreSQL's restore is one transaction), then check it.
    Restore(RestoreArgs),
    /// Import builds from community guide pages (Snowcrows, MetaBattle, Hardstuck style),
    /// fetched politely (robots.txt, one request per second per host).
    Scrape(ScrapeArgs),
    /// Ask the service listening on GW2OPT_BIND whether it is ready (GET /health/ready on
    /// loopback when it listens on every interface): exit 0 on 200, 1 otherwise (a
    /// container's HEALTHCHECK).
    Healthcheck(HealthcheckArgs),
}

#[derive(Args)]
struct HealthcheckArgs {
    /// The address the service listens on.
    #[arg(long, env = "GW2OPT_BIND", default_value = "127.0.0.1:8000")]
    bind: std::net::SocketAddr,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    timeout: u64,
}

#[derive(Subcommand)]
enum LearnCommand {
    /// Collect the samples, train every model kind with k-fold cross-validation against the
    /// baseline, register them all and select the best of each task; print a table.
    Run(LearnRunArgs),
}

#[derive(Args)]
struct LearnRunArgs {
    #[command(flatten)]
    db: DbArgs,
    /// fight_outcome | build_rating | player_contribution | all.
    #[arg(long, default_value = "all", value_parser = ["fight_outcome", "build_rating", "player_contribution", "all"])]
    task: String,
    /// Cross-validation folds (2..=20; fewer when the data is small).
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the folds and of the importance shuffles.
    #[arg(long)]
    seed: Option<u64>,
    #[arg(long, value_enum, default_value = "table")]
    format: commands::Format,
}

#[derive(Args)]
struct MetaArgs {
    #[command(flatten)]
    db: DbArgs,
    /// A game mode (`wvw` takes in its formats); every mode when absent.
    #[arg(long)]
    game_mode: Option<String>,
    /// The period, compared with the one before it: `30d`, `4w` or a number of days.
    #[arg(long, default_value = "30d")]
    period: String,
    /// Only this profession's entries.
    #[arg(long)]
    profession: Option<String>,
    /// Print the analysis as JSON (the API's shape) instead of tables.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ScrapeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Guide pages to import.
    #[arg(required = true)]
    urls: Vec<String>,
    /// The account (username or e-mail) owning the builds; default: the oldest superuser.
    #[arg(long = "as", value_name = "USER")]
    owner: Option<String>,
    /// Make the imported builds public (default: private, to review first).
    #[arg(long)]
    public: bool,
    /// Print the per-URL results as JSON.
    #[arg(long)]
    json: bool,
    /// Let the import fetch loopback and private addresses (local test servers only).
    #[arg(long, env = "GW2OPT_FETCH_PRIVATE_ADDRESSES", default_value_t = D.fetch_private_addresses, action = clap::ArgAction::Set)]
    fetch_private_addresses: bool,
}

#[derive(Args)]
struct BackupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The backup file to write (must not exist).
    #[arg(long)]
    to: PathBuf,
}

#[derive(Args)]
struct RestoreArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The backup file to restore.
    #[arg(long)]
    from: PathBuf,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Serve a bare axum endpoint (no middleware, database or auth): the ceiling.
    Ceiling {
        #[arg(long, default_value = "127.0.0.1:18081")]
        bind: SocketAddr,
    },
    /// Seed a running service with users, builds and a team of 50 slots.
    Seed {
        /// The service's base URL.
        #[arg(long)]
        url: String,
        /// The service's database (needed for more than 50 builds: the rest are bulk copies).
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 64)]
        users: usize,
        #[arg(long, default_value_t = 50)]
        builds: usize,
        /// Where to write what was seeded (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// 90% reads / 10% votes and edits, then check every accepted write in the database.
    Mixed {
        #[arg(long)]
        url: String,
        #[arg(long)]
        seed: PathBuf,
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
}

#[derive(Subcommand)]
enum CodeCommand {
    /// Print the build a code stands for, as JSON.
    Decode {
        /// Numbers only, without the game data (any structurally valid code).
        #[arg(long)]
        raw: bool,
        code: String,
    },
    /// Read a build as JSON on standard input and print its code.
    Encode {
        #[arg(long)]
        raw: bool,
    },
}

#[derive(Subcommand)]
enum DataCommand {
    /// Rebuild the game-data snapshot from API-shaped JSON files.
    Import {
        /// Directory laid out like ../shared/data (gw2-api/*.json, discretize/specializations.json).
        #[arg(long)]
        from: PathBuf,
        /// Where to write the snapshot.
        #[arg(long, default_value = "crates/gw2/data/snapshot.json")]
        out: PathBuf,
    },
    /// Fetch the same endpoints from the live GW2 API, save them, and rebuild the snapshot.
    Sync {
        /// Base URL of the API.
        #[arg(long, env = "GW2_API_URL", default_value_t = D.gw2_api_url.clone())]
        base_url: String,
        /// Language of names (en, fr, de, es, zh).
        #[arg(long, default_value = "en")]
        lang: String,
        /// discretize's data (specializations.json, gw2-data.ts), not served by the API.
        #[arg(long, default_value = "../shared/data/discretize")]
        discretize: PathBuf,
        /// Where to save the fetched responses (same layout as `data import --from`).
        #[arg(long, default_value = "data/sync")]
        save_to: PathBuf,
        #[arg(long, default_value = "crates/gw2/data/snapshot.json")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a superuser (asks on the terminal for what is not given).
    CreateSuperuser(CreateSuperuserArgs),
}

#[derive(Args)]
struct CreateSuperuserArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    username: Option<String>,
    /// Prefer the environment variable or the prompt: flags show up in process lists.
    #[arg(long, env = "GW2OPT_SUPERUSER_PASSWORD", hide_env_values = true)]
    password: Option<String>,
}

/// The service's defaults: the single source of every flag's default below.
static D: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(Settings::default);

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Where the data lives; shared by every command that touches the database.
#[derive(Args, Clone)]
struct DbArgs {
    /// Directory for the SQLite database, the development secret key and the mail outbox.
    #[arg(long, env = "GW2OPT_DATA_DIR", default_value_os_t = D.data_dir.clone())]
    data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DB`; default: SQLite in the data dir.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Log format: pretty | json.
    #[arg(long, env = "GW2OPT_LOG_FORMAT", default_value_t = D.log_format)]
    log_format: LogFormat,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "GW2OPT_BIND", default_value_t = D.bind)]
    bind: SocketAddr,
    /// development | production (production requires SECRET_KEY).
    #[arg(long, env = "GW2OPT_ENV", default_value_t = D.env)]
    env: Environment,
    /// Token signing key (at least 32 characters).
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// Optional Redis for a shared cache and pub/sub between instances.
    #[arg(long, env = "REDIS_URL", hide_env_values = true)]
    redis_url: Option<String>,
    /// Optional Ollama server: chat answers are phrased by its model (else they are the
    /// engines' own text); /health/ready reports it.
    #[arg(long, env = "OLLAMA_URL")]
    ollama_url: Option<String>,
    /// The Ollama model chats are sent to (it must be pulled: `ollama pull MODEL`).
    #[arg(long, env = "OLLAMA_MODEL", default_value_t = D.ollama_model.clone())]
    ollama_model: String,
    /// Optional SMTP server (`smtp://user:pass@host:port`, `smtps://...`); without it, mail
    /// goes to DATA_DIR/outbox as .eml files.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender address of outgoing mail.
    #[arg(
        long,
        env = "GW2OPT_MAIL_FROM",
        default_value_t = D.mail_from.clone()
    )]
    mail_from: String,
    /// Public base URL, used in links sent by mail.
    #[arg(
        long,
        env = "GW2OPT_PUBLIC_URL",
        default_value_t = D.public_url.clone()
    )]
    public_url: String,
    /// Allowed CORS origins, comma separated (`*` for any).
    #[arg(long, env = "GW2OPT_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,
    /// Largest accepted request body in bytes for ordinary endpoints.
    #[arg(long, env = "GW2OPT_BODY_LIMIT", default_value_t = D.body_limit)]
    body_limit: usize,
    /// Largest accepted arcdps log upload in bytes (default 100 MiB); a compressed log may
    /// inflate to at most this much too.
    #[arg(long, env = "GW2OPT_UPLOAD_LIMIT", default_value_t = D.upload_limit)]
    upload_limit: usize,
    /// Log uploads one account may have in flight at once.
    #[arg(long, env = "GW2OPT_UPLOADS_PER_USER", default_value_t = D.uploads_per_user)]
    uploads_per_user: usize,
    /// Logs parsed at once (0 = one per CPU core); later uploads wait their turn.
    #[arg(long, env = "GW2OPT_PARSE_CONCURRENCY", default_value_t = D.parse_concurrency)]
    parse_concurrency: usize,
    /// One log line per request (`false` under load tests; errors are logged either way).
    #[arg(long, env = "GW2OPT_ACCESS_LOG", default_value_t = D.access_log, action = clap::ArgAction::Set)]
    access_log: bool,
    /// Milliseconds between batched writes of build view counts.
    #[arg(long, env = "GW2OPT_VIEW_FLUSH_MS", default_value_t = millis(D.view_flush_interval))]
    view_flush_ms: u64,
    /// Seconds within which a viewer (account, or client address) counts once per build.
    #[arg(long, env = "GW2OPT_VIEW_WINDOW_SECONDS", default_value_t = D.view_window.as_secs())]
    view_window_seconds: u64,
    /// (build, viewer) pairs remembered for the view window at most (about 0.4 KiB each).
    #[arg(long, env = "GW2OPT_VIEW_WINDOW_CAPACITY", default_value_t = D.view_window_capacity)]
    view_window_capacity: u64,
    /// Seconds between WebSocket heartbeats on /ws/mcm.
    #[arg(long, env = "GW2OPT_WS_HEARTBEAT", default_value_t = D.ws_heartbeat.as_secs())]
    ws_heartbeat: u64,
    /// Seconds between polls of a watched WvW match (at least 30 against the real API).
    #[arg(long, env = "GW2OPT_MATCH_POLL_SECONDS", default_value_t = D.match_poll_interval.as_secs())]
    match_poll_seconds: u64,
    /// Base URL of the official GW2 API.
    #[arg(
        long,
        env = "GW2_API_URL",
        default_value_t = D.gw2_api_url.clone()
    )]
    gw2_api_url: String,
    /// GW2 API key for authenticated endpoints.
    #[arg(long, env = "GW2_API_KEY", hide_env_values = true)]
    gw2_api_key: Option<String>,
    /// Per-request timeout in seconds.
    #[arg(long, env = "GW2OPT_REQUEST_TIMEOUT", default_value_t = D.request_timeout.as_secs())]
    request_timeout: u64,
    /// Access token lifetime in minutes.
    #[arg(long, env = "GW2OPT_ACCESS_TOKEN_MINUTES", default_value_t = D.access_token_ttl.as_secs() / 60)]
    access_token_minutes: u64,
    /// Refresh token lifetime in days.
    #[arg(long, env = "GW2OPT_REFRESH_TOKEN_DAYS", default_value_t = D.refresh_token_ttl.as_secs() / 86_400)]
    refresh_token_days: u64,
    /// Seconds between checks of an open /ws/mcm's token (revocations are also pushed at once).
    #[arg(long, env = "GW2OPT_WS_AUTH_RECHECK", default_value_t = D.ws_auth_recheck.as_secs())]
    ws_auth_recheck: u64,
    /// Strict-Transport-Security max-age in seconds, sent when GW2OPT_PUBLIC_URL is https://
    /// (0: never).
    #[arg(long, env = "GW2OPT_HSTS_MAX_AGE", default_value_t = D.hsts_max_age.as_secs())]
    hsts_max_age: u64,
    /// Database connections (readers for SQLite).
    #[arg(long, env = "GW2OPT_DB_MAX_CONNECTIONS", default_value_t = D.db_max_connections)]
    db_max_connections: u32,
    /// Login attempts allowed per client IP per minute.
    #[arg(long, env = "GW2OPT_LOGIN_RATE_PER_MINUTE", default_value_t = D.login_rate_per_minute)]
    login_rate_per_minute: u32,
    /// Registrations (and reset requests) allowed per client IP per hour.
    #[arg(long, env = "GW2OPT_REGISTER_RATE_PER_HOUR", default_value_t = D.register_rate_per_hour)]
    register_rate_per_hour: u32,
    /// Trust `X-Forwarded-For` for the client IP (only behind your own reverse proxy).
    #[arg(long, env = "GW2OPT_TRUST_FORWARDED_FOR", default_value_t = D.trust_forwarded_for)]
    trust_forwarded_for: bool,
    /// Seconds a client has to send a request's complete head; a slower one is cut off.
    #[arg(long, env = "GW2OPT_HEADER_READ_TIMEOUT", default_value_t = D.header_read_timeout.as_secs())]
    header_read_timeout: u64,
    /// Seconds a kept-alive connection may wait between requests (WebSockets excepted).
    #[arg(long, env = "GW2OPT_IDLE_TIMEOUT", default_value_t = D.idle_timeout.as_secs())]
    idle_timeout: u64,
    /// Open connections at most; one more is answered 503 and closed.
    #[arg(long, env = "GW2OPT_MAX_CONNECTIONS", default_value_t = D.max_connections)]
    max_connections: usize,
    /// Optimizer runs at once on the whole service (0 = one per core).
    #[arg(long, env = "GW2OPT_OPTIMIZER_JOBS", default_value_t = D.optimizer_jobs)]
    optimizer_jobs: usize,
    /// Optimizer runs one caller (account, or address when anonymous) may have at once.
    #[arg(long, env = "GW2OPT_OPTIMIZER_JOBS_PER_USER", default_value_t = D.optimizer_jobs_per_user)]
    optimizer_jobs_per_user: usize,
    /// Seconds of gear search an anonymous caller gets (answered at once, best so far).
    #[arg(long, env = "GW2OPT_ANONYMOUS_SEARCH_SECONDS", default_value_t = D.anonymous_search_budget.as_secs())]
    anonymous_search_seconds: u64,
    /// Longest gear search of an account's job, in seconds.
    #[arg(long, env = "GW2OPT_MAX_SEARCH_SECONDS", default_value_t = D.max_search.as_secs())]
    max_search_seconds: u64,
    /// Durable jobs this instance runs at once (0: none; it still accepts them).
    #[arg(long, env = "GW2OPT_JOB_WORKERS", default_value_t = D.job_workers)]
    job_workers: usize,
    /// Seconds a job's claim lasts without a heartbeat (then another instance takes it).
    #[arg(long, env = "GW2OPT_JOB_LEASE_SECONDS", default_value_t = D.job_lease.as_secs())]
    job_lease_seconds: u64,
    /// Milliseconds between an idle job worker's looks for work.
    #[arg(long, env = "GW2OPT_JOB_POLL_MS", default_value_t = D.job_poll.as_millis() as u64)]
    job_poll_ms: u64,
    /// Attempts per durable job.
    #[arg(long, env = "GW2OPT_JOB_MAX_ATTEMPTS", default_value_t = D.job_max_attempts)]
    job_max_attempts: u32,
    /// This instance's name in job leases (default: host, process id and a random suffix).
    #[arg(long, env = "GW2OPT_INSTANCE_NAME", default_value = "")]
    instance_name: String,
    /// argon2id memory cost in KiB (OWASP: 19456).
    #[arg(long, env = "GW2OPT_ARGON2_MEMORY_KIB", default_value_t = D.password_cost.memory_kib)]
    argon2_memory_kib: u32,
    /// argon2id iterations (OWASP: 2).
    #[arg(long, env = "GW2OPT_ARGON2_ITERATIONS", default_value_t = D.password_cost.iterations)]
    argon2_iterations: u32,
    /// Let build-page imports (`/ai/analyze/url`) fetch loopback and private addresses (local
    /// test servers only; keep off in production)
    #[arg(long, env = "GW2OPT_FETCH_PRIVATE_ADDRESSES", default_value_t = D.fetch_private_addresses, action = clap::ArgAction::Set)]
    fetch_private_addresses: bool,
    /// Serve the web client from this directory (e.g. web/dist after `npm run build`) instead
    /// of the copy compiled into the binary.
    #[arg(long, env = "GW2OPT_WEB_DIR")]
    web_dir: Option<PathBuf>,
    /// Serve GET /metrics (Prometheus) on the main address to callers sending this bearer
    /// token (at least 16 characters).
    #[arg(long, env = "GW2OPT_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Serve GET /metrics on this separate address instead (e.g. 127.0.0.1:9100); the token,
    /// when set, is required there too.
    #[arg(long, env = "GW2OPT_METRICS_BIND")]
    metrics_bind: Option<SocketAddr>,
    /// How many instances run on this configuration (production refuses SQLite, or no Redis,
    /// for more than one).
    #[arg(long, env = "GW2OPT_INSTANCES", default_value_t = D.instances)]
    instances: u32,
    /// Send Access-Control-Allow-Credentials to the allowed origins (never with `*`).
    #[arg(long, env = "GW2OPT_CORS_CREDENTIALS", default_value_t = D.cors_credentials, action = clap::ArgAction::Set)]
    cors_credentials: bool,
    /// Seconds shutdown waits for in-flight requests and WebSockets (told 1001 "going
    /// away") to finish.
    #[arg(long, env = "GW2OPT_DRAIN_TIMEOUT", default_value_t = D.drain_timeout.as_secs())]
    drain_timeout: u64,
    /// Seconds shutdown keeps serving, with /health/ready answering 503 "draining", before
    /// it stops accepting (for a load balancer's health checks to notice; 0: at once).
    #[arg(long, env = "GW2OPT_SHUTDOWN_DELAY", default_value_t = D.shutdown_delay.as_secs())]
    shutdown_delay: u64,
}

impl ServeArgs {
    fn into_settings(self) -> Settings {
        let blank_to_none = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        Settings {
            env: self.env,
            bind: self.bind,
            data_dir: self.db.data_dir,
            database_url: blank_to_none(self.db.database_url),
            secret_key: blank_to_none(self.secret_key),
            redis_url: blank_to_none(self.redis_url),
            ollama_url: blank_to_none(self.ollama_url),
            ollama_model: blank_to_none(Some(self.ollama_model))
                .unwrap_or_else(|| D.ollama_model.clone()),
            smtp_url: blank_to_none(self.smtp_url),
            mail_from: self.mail_from,
            public_url: self.public_url,
            cors_origins: self
                .cors_origins
                .into_iter()
                .filter(|o| !o.trim().is_empty())
                .collect(),
            log_format: self.db.log_format,
            body_limit: self.body_limit,
            upload_limit: self.upload_limit,
            uploads_per_user: self.uploads_per_user.max(1),
            parse_concurrency: self.parse_concurrency,
            access_log: self.access_log,
            view_flush_interval: Duration::from_millis(self.view_flush_ms.max(10)),
            view_window: Duration::from_secs(self.view_window_seconds.max(1)),
            view_window_capacity: self.view_window_capacity.max(1),
            ws_heartbeat: Duration::from_secs(self.ws_heartbeat.max(1)),
            match_poll_interval: Duration::from_secs(self.match_poll_seconds.max(1)),
            gw2_api_url: self.gw2_api_url,
            gw2_api_key: self.gw2_api_key.filter(|k| !k.trim().is_empty()),
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            access_token_ttl: Duration::from_secs(self.access_token_minutes.max(1) * 60),
            refresh_token_ttl: Duration::from_secs(self.refresh_token_days.max(1) * 24 * 3600),
            revocation_recheck: D.revocation_recheck,
            ws_auth_recheck: Duration::from_secs(self.ws_auth_recheck.max(1)),
            login_throttle: D.login_throttle,
            hsts_max_age: Duration::from_secs(self.hsts_max_age),
            db_max_connections: self.db_max_connections.max(1),
            password_cost: PasswordCost {
                memory_kib: self.argon2_memory_kib,
                iterations: self.argon2_iterations,
                parallelism: 1,
            },
            login_rate_per_minute: self.login_rate_per_minute,
            register_rate_per_hour: self.register_rate_per_hour,
            trust_forwarded_for: self.trust_forwarded_for,
            header_read_timeout: Duration::from_secs(self.header_read_timeout.max(1)),
            idle_timeout: Duration::from_secs(self.idle_timeout.max(1)),
            max_connections: self.max_connections.max(1),
            optimizer_jobs: self.optimizer_jobs,
            optimizer_jobs_per_user: self.optimizer_jobs_per_user.max(1),
            anonymous_search_budget: Duration::from_secs(self.anonymous_search_seconds.max(1)),
            max_search: Duration::from_secs(self.max_search_seconds.max(1)),
            job_workers: self.job_workers,
            job_lease: Duration::from_secs(self.job_lease_seconds.max(1)),
            job_poll: Duration::from_millis(self.job_poll_ms.max(10)),
            job_max_attempts: self.job_max_attempts.clamp(1, 100),
            instance_name: self.instance_name,
            fetch_private_addresses: self.fetch_private_addresses,
            web_dir: self.web_dir.filter(|d| !d.as_os_str().is_empty()),
            metrics_token: blank_to_none(self.metrics_token),
            metrics_bind: self.metrics_bind,
            instances: self.instances.max(1),
            cors_credentials: self.cors_credentials,
            drain_timeout: Duration::from_secs(self.drain_timeout),
            shutdown_delay: Duration::from_secs(self.shutdown_delay),
        }
    }
}

fn main() -> ExitCode {
    // A missing .env is normal; a malformed one is worth saying.
    if let Err(err) = dotenvy::dotenv() {
        if !err.not_found() {
            eprintln!("warning: ignoring .env: {err}");
        }
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            let settings = args.into_settings();
            // Logs, and traces when an OTLP endpoint is configured; flushed when dropped.
            let _telemetry = server::telemetry::init_service(settings.log_format);
            server::run(settings).await?;
        }
        Command::Migrate(args) => {
            let _log = server::telemetry::init(args.log_format);
            let settings = Settings {
                data_dir: args.data_dir,
                database_url: args.database_url,
                ..Settings::default()
            };
            let url = settings.effective_database_url();
            if url.starts_with("sqlite:") {
                std::fs::create_dir_all(&settings.data_dir)
                    .context("creating the data directory")?;
            }
            let db = store::Db::connect(&url, &store::DbOptions::default())
                .await
                .with_context(|| format!("connecting to {}", store::redact_url(&url)))?;
            let report = db.migrate().await?;
            println!(
                "{} migration(s) applied; {} known; database {} is up to date",
                report.applied,
                report.total,
                db.backend()
            );
            db.close().await;
        }
        Command::Openapi => {
            // A closed pipe (`gw2opt openapi | head`) is an error to report, not a panic.
            use std::io::Write;
            writeln!(
                std::io::stdout().lock(),
                "{}",
                server::app::openapi_pretty_json()?
            )?;
        }
        Command::Learn(LearnCommand::Run(args)) => {
            // No log subscriber: it writes to standard output, which is the table or JSON.
            let settings = Settings {
                data_dir: args.db.data_dir,
                database_url: args.db.database_url,
                ..Settings::default()
            };
            let url = settings.effective_database_url();
            if url.starts_with("sqlite:") {
                std::fs::create_dir_all(&settings.data_dir)
                    .context("creating the data directory")?;
            }
            let db = store::Db::connect(&url, &store::DbOptions::default())
                .await
                .with_context(|| format!("connecting to {}", store::redact_url(&url)))?;
            db.migrate().await?;
            let learning = server::services::learning::Learning::new(
                db.clone(),
                server::clock::Clock::default(),
            );
            let result =
                commands::learn::run(&learning, args.task, args.folds, args.seed, args.format)
                    .await;
            db.close().await;
            result?;
        }
        Command::Code(CodeCommand::Decode { raw, code }) => commands::code::decode(&code, raw)?,
        Command::Code(CodeCommand::Encode { raw }) => commands::code::encode(raw)?,
        Command::Optimize {
            input,
            template,
            template_mode,
            print_input,
            list_templates,
            top,
            format,
        } => {
            let source = match (input, template) {
                _ if list_templates => commands::engines::GearSource::List,
                (Some(path), _) => commands::engines::GearSource::File(path),
                (None, Some(id)) if print_input => {
                    commands::engines::GearSource::PrintTemplate(id, template_mode)
                }
                (None, Some(id)) => commands::engines::GearSource::Template(id, template_mode),
                (None, None) => anyhow::bail!("give --input FILE or --template ID"),
            };
            commands::engines::optimize(source, top, format)?;
        }
        Command::Squad { input, format } => commands::engines::squad(&input, format)?,
        Command::ParseLog { file, format } => commands::engines::parse_log(&file, format)?,
        Command::Data(DataCommand::Import { from, out }) => commands::data::import(&from, &out)?,
        Command::Data(DataCommand::Sync {
            base_url,
            lang,
            discretize,
            save_to,
            out,
        }) => commands::data::sync(&base_url, &lang, &discretize, &save_to, &out).await?,
        Command::Bench(BenchCommand::Ceiling { bind }) => commands::bench::ceiling(bind).await?,
        Command::Bench(BenchCommand::Seed {
            url,
            database_url,
            users,
            builds,
            out,
        }) => {
            commands::bench::seed(
                url.trim_end_matches('/'),
                database_url.as_deref(),
                users,
                builds,
                &out,
            )
            .await?;
        }
        Command::Bench(BenchCommand::Mixed {
            url,
            seed,
            database_url,
            seconds,
            concurrency,
        }) => {
            commands::bench::mixed(
                url.trim_end_matches('/'),
                &seed,
                &database_url,
                Duration::from_secs(seconds),
                concurrency.max(1),
            )
            .await?;
        }
        Command::Meta(args) => {
            let _log = server::telemetry::init_stderr(args.db.log_format);
            let state = state_on(&args.db, false).await?;
            let result = commands::meta::run(
                &state,
                args.game_mode.as_deref(),
                Some(&args.period),
                args.profession.as_deref(),
                args.json,
            )
            .await;
            state.db.close().await;
            result?;
        }
        Command::Healthcheck(args) => {
            let said =
                commands::healthcheck::check(args.bind, Duration::from_secs(args.timeout)).await?;
            commands::out(&format!("{said}\n"))?;
        }
        Command::Backup(args) => {
            let url = database_url(&args.db);
            let report = store::backup::backup(&url, &args.to)
                .await
                .with_context(|| format!("backing up {}", store::redact_url(&url)))?;
            commands::out(&commands::backup::describe("backed up", &url, &report))?;
        }
        Command::Restore(args) => {
            let url = database_url(&args.db);
            let report = store::backup::restore(&url, &args.from)
                .await
                .with_context(|| {
                    format!(
                        "restoring {} into {}",
                        args.from.display(),
                        store::redact_url(&url)
                    )
                })?;
            commands::out(&commands::backup::describe("restored", &url, &report))?;
        }
        Command::Scrape(args) => {
            let _log = server::telemetry::init_stderr(args.db.log_format);
            let state = state_on(&args.db, args.fetch_private_addresses).await?;
            let result = commands::scrape::run(
                &state,
                &args.urls,
                args.owner.as_deref(),
                args.public,
                args.json,
            )
            .await;
            state.db.close().await;
            result?;
        }
        Command::User(UserCommand::CreateSuperuser(args)) => {
            let _log = server::telemetry::init(args.db.log_format);
            let email = match args.email {
                Some(e) => e,
                None => prompt("E-mail: ")?,
            };
            let username = match args.username {
                Some(u) => u,
                None => prompt("Username: ")?,
            };
            let password = match args.password {
                Some(p) => p,
                None => prompt("Password (at least 12 characters, not a common one): ")?,
            };
            let settings = Settings {
                data_dir: args.db.data_dir,
                database_url: args.db.database_url,
                ..Settings::default()
            };
            let state = server::build_state(settings).await?;
            let user = state
                .accounts
                .create_superuser(email.trim(), username.trim(), &password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "superuser {} <{}> created (id {})",
                user.username, user.email, user.id
            );
            state.db.close().await;
        }
    }
    Ok(())
}

/// The database URL `db` names: the configured one or the SQLite file in the data dir.
fn database_url(db: &DbArgs) -> String {
    Settings {
        data_dir: db.data_dir.clone(),
        database_url: db.database_url.clone().filter(|u| !u.trim().is_empty()),
        ..Settings::default()
    }
    .effective_database_url()
}

/// The services on the database of `db` (migrated), as `serve` builds them.
async fn state_on(
    db: &DbArgs,
    fetch_private_addresses: bool,
) -> anyhow::Result<server::state::AppState> {
    let settings = Settings {
        data_dir: db.data_dir.clone(),
        database_url: db.database_url.clone().filter(|u| !u.trim().is_empty()),
        fetch_private_addresses,
        ..Settings::default()
    };
    Ok(server::build_state(settings).await?)
}

/// Reads one line from standard input after printing `label` on standard error.
fn prompt(label: &str) -> anyhow::Result<String> {
    use std::io::{BufRead, Write};
    eprint!("{label}");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading standard input")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(
        !line.is_empty(),
        "no value given for {}",
        label.trim_end_matches([':', ' '])
    );
    Ok(line)
}
