//! Connection pools for the two supported backends and the embedded migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::StoreError;

/// The migrations in `crates/store/migrations`, compiled into the binary.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// Pool sizing and timeouts.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// Readers for SQLite, connections for PostgreSQL.
    pub max_connections: u32,
    /// How long a request waits for a connection before the database counts as unavailable.
    pub acquire_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// A handle on the database, cheap to clone.
///
/// SQLite allows one writer at a time, so it gets a single-connection writer pool (writes
/// queue in the pool instead of failing with `SQLITE_BUSY`) and a pool of readers that work
/// concurrently thanks to WAL mode. PostgreSQL uses one pool for both.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the pool that serves reads, whatever the backend.
/// The body is compiled once per backend, so the same SQL and binds serve both. Each call is
/// timed for the service's metrics ([`crate::metrics::QueryTimer`]).
#[macro_export]
macro_rules! on_read {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite { read: $pool, .. } => {
                let _timer = $crate::metrics::QueryTimer::start("sqlite", "read");
                $body
            }
            $crate::Db::Postgres($pool) => {
                let _timer = $crate::metrics::QueryTimer::start("postgres", "read");
                $body
            }
        }
    };
}

/// Like [`on_read!`] but with the pool that serves writes.
#[macro_export]
macro_rules! on_write {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite { write: $pool, .. } => {
                let _timer = $crate::metrics::QueryTimer::start("sqlite", "write");
                $body
            }
            $crate::Db::Postgres($pool) => {
                let _timer = $crate::metrics::QueryTimer::start("postgres", "write");
                $body
            }
        }
    };
}

/// What [`Db::migrate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// Migrations that ran now.
    pub applied: usize,
    /// Migrations known to the binary (all applied after a successful run).
    pub total: usize,
}

impl Db {
    /// Connects to `url`: `sqlite://PATH` (created when missing) or `postgres://...`.
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Db, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(2))
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            Ok(Db::Postgres(pool))
        } else if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or(rest);
            Self::sqlite(Path::new(path), options).await
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL scheme in {}; use sqlite:// or postgres://",
                redact_url(url)
            )))
        }
    }

    /// Opens (creating if needed) the SQLite database file at `path` in WAL mode.
    pub async fn sqlite(path: &Path, options: &DbOptions) -> Result<Db, StoreError> {
        if path.as_os_str().is_empty() || path == Path::new(":memory:") {
            return Err(StoreError::Config(
                "SQLite needs a file path (an in-memory database is private to one connection)"
                    .into(),
            ));
        }
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect.read_only(true))
            .await?;
        Ok(Db::Sqlite { read, write })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations that have not run yet. Safe to call on every start:
    /// an up-to-date database is left untouched.
    pub async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        let before = self.applied_migrations().await?;
        on_write!(self, pool => MIGRATOR.run(pool).await)?;
        let after = self.applied_migrations().await?;
        // 0006 added the text-search words; index the builds written before it.
        if before < 6 && after >= 6 {
            crate::builds::index_missing_words(self).await?;
        }
        Ok(MigrationReport {
            applied: after.saturating_sub(before),
            total: MIGRATOR.iter().count(),
        })
    }

    /// Number of migrations recorded as applied (0 on an empty database).
    async fn applied_migrations(&self) -> Result<usize, StoreError> {
        let sql = "SELECT COUNT(*) FROM _sqlx_migrations WHERE success";
        let count: Result<i64, sqlx::Error> =
            on_read!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await);
        match count {
            Ok(n) => Ok(usize::try_from(n).unwrap_or(0)),
            // The bookkeeping table does not exist before the first migration.
            Err(sqlx::Error::Database(_)) => Ok(0),
            Err(other) => Err(other.into()),
        }
    }

    /// Refreshes the query planner's statistics. Without them SQLite assumes `is_public = TRUE`
    /// is selective and walks the whole visibility index for filtered lists; PostgreSQL's
    /// autovacuum does this on its own, an explicit ANALYZE just makes it immediate.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite { write, .. } => {
                sqlx::query("ANALYZE").execute(write).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// At start-up: lets SQLite refresh statistics of tables that changed a lot since they
    /// were last analyzed (`PRAGMA optimize`, cheap when nothing changed).
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Db::Sqlite { write, .. } = self {
            sqlx::query("PRAGMA optimize=0x10002")
                .execute(write)
                .await?;
        }
        Ok(())
    }

    /// The size of each connection pool (for metrics).
    pub fn pool_stats(&self) -> Vec<crate::metrics::PoolStats> {
        use crate::metrics::PoolStats;
        match self {
            Db::Sqlite { read, write } => vec![
                PoolStats {
                    name: "sqlite_read",
                    size: read.size(),
                    idle: read.num_idle(),
                    max: read.options().get_max_connections(),
                },
                PoolStats {
                    name: "sqlite_write",
                    size: write.size(),
                    idle: write.num_idle(),
                    max: write.options().get_max_connections(),
                },
            ],
            Db::Postgres(pool) => vec![PoolStats {
                name: "postgres",
                size: pool.size(),
                idle: pool.num_idle(),
                max: pool.options().get_max_connections(),
            }],
        }
    }

    /// A round trip to the database, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_read!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        if let Db::Sqlite { write, .. } = self {
            sqlx::query("SELECT 1").execute(write).await?;
        }
        Ok(())
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://gw2:s3cret@db:5432/gw2"),
            "postgres://gw2:***@db:5432/gw2"
        );
        assert_eq!(redact_url("postgres://gw2@db/gw2"), "postgres://gw2@db/gw2");
        assert_eq!(
            redact_url("sqlite://data/gw2opt.db"),
            "sqlite://data/gw2opt.db"
        );
        assert_eq!(
            redact_url("redis://:pw@localhost:6379"),
            "redis://:***@localhost:6379"
        );
    }
}
