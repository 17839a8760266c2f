//! Backups and restores of the service's database, online (the service keeps running and
//! writing during a backup):
//!
//! - **SQLite**: `VACUUM INTO` through sqlx writes a consistent copy of the database as of
//!   the start of its read transaction (every write committed before the backup started is
//!   in it; later ones are not), without blocking the service's writer (WAL mode). The copy
//!   is written next to the target, checked (`PRAGMA integrity_check`, foreign keys), then
//!   renamed into place, so a failed backup never leaves a half file under the target name.
//! - **PostgreSQL**: `pg_dump --format=custom`, whose snapshot is also taken at its start;
//!   the archive is checked by `pg_restore --list`. The password is given to the tools in
//!   `PGPASSWORD`, never on their command line (process lists show it).
//!
//! Restores: SQLite's file is checked, then copied over the database with the old file and
//! its `-wal`/`-shm` moved aside (`*.before-restore-<time>`); the service must be stopped.
//! PostgreSQL's archive is loaded by `pg_restore --clean --if-exists --no-owner
//! --single-transaction` (all or nothing). Both end with [`Db::integrity_check`].
//!
//! The PostgreSQL tools are found in `GW2OPT_PG_BIN` (a directory), then on `PATH`, then in
//! the newest `/usr/lib/postgresql/*/bin` (Debian's layout).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::{Backend, Db, DbOptions, StoreError};

/// The environment variable naming the directory of `pg_dump` and `pg_restore`.
pub const PG_BIN_ENV: &str = "GW2OPT_PG_BIN";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} already exists; give a new file name (a backup never overwrites one)")]
    Exists(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("{tool} not found (looked in ${PG_BIN_ENV}, PATH and /usr/lib/postgresql/*/bin); install PostgreSQL's client tools")]
    ToolMissing { tool: &'static str },
    #[error("{tool} failed ({status}): {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: String,
        stderr: String,
    },
    #[error("{path} is not a usable SQLite backup: {reason}")]
    NotABackup { path: PathBuf, reason: String },
    #[error("the database fails its integrity check: {}", .0.join("; "))]
    Integrity(Vec<String>),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a backup or restore did.
#[derive(Debug, Clone)]
pub struct Report {
    pub backend: Backend,
    /// The backup file written or read.
    pub file: PathBuf,
    pub bytes: u64,
    /// How it was done (`VACUUM INTO`, `pg_dump (PostgreSQL) 15.8`...).
    pub method: String,
    /// The database checked after a restore, or the SQLite backup checked after a backup
    /// (`None` for a PostgreSQL backup, whose archive is checked by `pg_restore --list`).
    pub integrity: Option<Integrity>,
}

/// The result of [`Db::integrity_check`]: the tables and their row counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Integrity {
    pub tables: Vec<(String, i64)>,
    /// Migrations recorded as applied.
    pub migrations: i64,
}

impl Integrity {
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

impl Db {
    /// Checks the database: SQLite's `integrity_check` and `foreign_key_check`; on both,
    /// every table is read whole (its rows counted) and every applied migration is one this
    /// binary knows. Errors list what is wrong.
    pub async fn integrity_check(&self) -> Result<Integrity, BackupError> {
        let mut problems = Vec::new();
        let tables: Vec<String> = match self {
            Db::Sqlite { read, .. } => {
                let checks: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(read)
                    .await
                    .map_err(StoreError::from)?;
                problems.extend(checks.into_iter().filter(|c| c != "ok"));
                let dangling: Vec<(String,)> = sqlx::query_as(
                    "SELECT \"table\" FROM pragma_foreign_key_check",
                )
                .fetch_all(read)
                .await
                .map_err(StoreError::from)?;
                problems.extend(
                    dangling
                        .into_iter()
                        .map(|(t,)| format!("a row of {t} references a missing row")),
                );
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(read)
                .await
                .map_err(StoreError::from)?
            }
            Db::Postgres(pool) => sqlx::query_scalar(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
            )
            .fetch_all(pool)
            .await
            .map_err(StoreError::from)?,
        };
        let mut counted = Vec::with_capacity(tables.len());
        for table in tables {
            // Table names come from the catalog, quoted as identifiers.
            let sql = format!("SELECT COUNT(*) FROM \"{}\"", table.replace('"', "\"\""));
            let rows: i64 =
                crate::on_read!(self, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)
                    .map_err(StoreError::from)?;
            counted.push((table, rows));
        }
        let migrations = if counted.iter().any(|(t, _)| t == "_sqlx_migrations") {
            let versions: Vec<i64> = crate::on_read!(self, pool => sqlx::query_scalar(
                "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(pool).await)
            .map_err(StoreError::from)?;
            let known: Vec<i64> = crate::db::MIGRATOR.iter().map(|m| m.version).collect();
            for version in &versions {
                if !known.contains(version) {
                    problems.push(format!(
                        "migration {version} is unknown to this binary (the database is from a newer GW2Optimizer)"
                    ));
                }
            }
            i64::try_from(versions.len()).unwrap_or(i64::MAX)
        } else {
            problems.push("no migrations table: not a GW2Optimizer database".into());
            0
        };
        if problems.is_empty() {
            Ok(Integrity {
                tables: counted,
                migrations,
            })
        } else {
            Err(BackupError::Integrity(problems))
        }
    }
}

/// Writes a backup of the database at `url` to the new file `to`.
pub async fn backup(url: &str, to: &Path) -> Result<Report, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(io(parent))?;
    }
    let partial = with_suffix(to, ".partial");
    remove_if_present(&partial).await?;
    let result = match sqlite_path(url) {
        Some(path) => backup_sqlite(&path, &partial).await,
        None => backup_postgres(url, &partial).await,
    };
    let (method, integrity) = match result {
        Ok(done) => done,
        Err(err) => {
            remove_if_present(&partial).await?;
            return Err(err);
        }
    };
    sync_file(&partial).await?;
    tokio::fs::rename(&partial, to).await.map_err(io(to))?;
    let bytes = tokio::fs::metadata(to).await.map_err(io(to))?.len();
    Ok(Report {
        backend: backend_of(url),
        file: to.to_owned(),
        bytes,
        method,
        integrity,
    })
}

/// Replaces the database at `url` with the backup `from` (the service must be stopped for
/// SQLite; PostgreSQL's restore is one transaction).
pub async fn restore(url: &str, from: &Path) -> Result<Report, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    let bytes = tokio::fs::metadata(from).await.map_err(io(from))?.len();
    let (method, integrity) = match sqlite_path(url) {
        Some(path) => restore_sqlite(&path, from).await?,
        None => restore_postgres(url, from).await?,
    };
    Ok(Report {
        backend: backend_of(url),
        file: from.to_owned(),
        bytes,
        method,
        integrity,
    })
}

fn backend_of(url: &str) -> Backend {
    if sqlite_path(url).is_some() {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// The file of a `sqlite:` URL; `None` for any other URL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

async fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

async fn sync_file(path: &Path) -> Result<(), BackupError> {
    let file = tokio::fs::File::open(path).await.map_err(io(path))?;
    file.sync_all().await.map_err(io(path))
}

/// Opens the SQLite database `path` on its own, without creating it.
async fn open_sqlite(path: &Path, read_only: bool) -> Result<Db, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_owned()));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .read_only(read_only)
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(StoreError::from)?;
    Ok(Db::Sqlite {
        read: pool.clone(),
        write: pool,
    })
}

async fn backup_sqlite(
    source: &Path,
    partial: &Path,
) -> Result<(String, Option<Integrity>), BackupError> {
    let db = open_sqlite(source, false).await?;
    let target = partial.to_str().ok_or_else(|| BackupError::NotABackup {
        path: partial.to_owned(),
        reason: "the file name is not UTF-8".into(),
    })?;
    let vacuum = on_sqlite(&db, |pool| async move {
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&pool)
            .await
    })
    .await;
    db.close().await;
    vacuum.map_err(StoreError::from)?;
    let copy = open_sqlite(partial, true).await?;
    let integrity = copy.integrity_check().await;
    copy.close().await;
    Ok(("VACUUM INTO".into(), Some(integrity?)))
}

async fn on_sqlite<F, Fut, T>(db: &Db, f: F) -> Result<T, sqlx::Error>
where
    F: FnOnce(sqlx::SqlitePool) -> Fut,
    Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
{
    match db {
        Db::Sqlite { write, .. } => f(write.clone()).await,
        Db::Postgres(_) => Err(sqlx::Error::Configuration("not a SQLite database".into())),
    }
}

async fn restore_sqlite(
    target: &Path,
    from: &Path,
) -> Result<(String, Option<Integrity>), BackupError> {
    // The backup is checked before anything is touched.
    let backup = open_sqlite(from, true)
        .await
        .map_err(|e| BackupError::NotABackup {
            path: from.to_owned(),
            reason: e.to_string(),
        })?;
    let checked = backup.integrity_check().await;
    backup.close().await;
    checked.map_err(|e| BackupError::NotABackup {
        path: from.to_owned(),
        reason: e.to_string(),
    })?;
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(io(parent))?;
    }
    let incoming = with_suffix(target, ".restoring");
    tokio::fs::copy(from, &incoming)
        .await
        .map_err(io(&incoming))?;
    sync_file(&incoming).await?;
    // The current database and its journal files are kept aside, not deleted: a stale
    // `-wal` next to the restored file would be replayed into it.
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    for suffix in ["", "-wal", "-shm"] {
        let current = with_suffix(target, suffix);
        if current.exists() {
            let aside = with_suffix(target, &format!("{suffix}.before-restore-{stamp}"));
            tokio::fs::rename(&current, &aside)
                .await
                .map_err(io(&current))?;
        }
    }
    tokio::fs::rename(&incoming, target)
        .await
        .map_err(io(target))?;
    let db = Db::sqlite(target, &DbOptions::default()).await?;
    let integrity = db.integrity_check().await;
    db.close().await;
    Ok(("copy of a checked SQLite backup".into(), Some(integrity?)))
}

/// A PostgreSQL client tool: `$GW2OPT_PG_BIN/<tool>`, `<tool>` on PATH, or the newest
/// `/usr/lib/postgresql/<version>/bin/<tool>`.
pub fn pg_tool(tool: &'static str) -> Result<PathBuf, BackupError> {
    if let Some(dir) = std::env::var_os(PG_BIN_ENV).filter(|d| !d.is_empty()) {
        let path = Path::new(&dir).join(tool);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(BackupError::ToolMissing { tool })
        };
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let path = dir.join(tool);
            if path.is_file() {
                return Ok(path);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let version = e.file_name().to_str()?.parse::<u32>().ok()?;
                    let path = e.path().join("bin").join(tool);
                    path.is_file().then_some((version, path))
                })
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
        .pop()
        .map(|(_, path)| path)
        .ok_or(BackupError::ToolMissing { tool })
}

/// `url` without its password, and the password (percent-decoded) for `PGPASSWORD`.
fn split_password(url: &str) -> Result<(String, Option<String>), BackupError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(e.to_string()))?;
    let Some(scheme_end) = url.find("://") else {
        return Ok((url.to_owned(), None));
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return Ok((url.to_owned(), None));
    };
    let userinfo = &rest[..at];
    let Some(colon) = userinfo.find(':') else {
        return Ok((url.to_owned(), None));
    };
    let password = percent_decode(&userinfo[colon + 1..]);
    let without = format!(
        "{}{}{}",
        &url[..scheme_end + 3],
        &userinfo[..colon],
        &rest[at..]
    );
    // Parsed once more without the password: the same server, user and database.
    let check =
        PgConnectOptions::from_str(&without).map_err(|e| StoreError::Config(e.to_string()))?;
    if check.get_host() != options.get_host() || check.get_database() != options.get_database() {
        return Err(StoreError::Config("cannot read the database URL".into()).into());
    }
    Ok((without, Some(password)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a PostgreSQL tool with the password in its environment; its standard output.
async fn run_tool(
    tool: &'static str,
    args: &[&std::ffi::OsStr],
    password: Option<&str>,
) -> Result<String, BackupError> {
    let program = pg_tool(tool)?;
    let mut command = tokio::process::Command::new(&program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(io(&program))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(BackupError::ToolFailed {
            tool,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

async fn tool_version(tool: &'static str) -> String {
    match run_tool(tool, &["--version".as_ref()], None).await {
        Ok(version) => version.trim().to_owned(),
        Err(_) => tool.to_owned(),
    }
}

async fn backup_postgres(
    url: &str,
    partial: &Path,
) -> Result<(String, Option<Integrity>), BackupError> {
    let (url, password) = split_password(url)?;
    let dbname = format!("--dbname={url}");
    run_tool(
        "pg_dump",
        &[
            "--format=custom".as_ref(),
            "--file".as_ref(),
            partial.as_os_str(),
            dbname.as_ref(),
        ],
        password.as_deref(),
    )
    .await?;
    // The archive's table of contents must read back, and hold our tables' data.
    let listing = run_tool(
        "pg_restore",
        &["--list".as_ref(), partial.as_os_str()],
        None,
    )
    .await?;
    if !listing.contains("TABLE DATA public _sqlx_migrations") {
        return Err(BackupError::Integrity(vec![
            "the dump holds no migrations table: not a GW2Optimizer database".into(),
        ]));
    }
    let entries = listing
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .count();
    Ok((
        format!(
            "{}; archive read back by pg_restore --list ({entries} entries)",
            tool_version("pg_dump").await
        ),
        None,
    ))
}

async fn restore_postgres(
    url: &str,
    from: &Path,
) -> Result<(String, Option<Integrity>), BackupError> {
    let (plain, password) = split_password(url)?;
    let dbname = format!("--dbname={plain}");
    run_tool(
        "pg_restore",
        &[
            "--clean".as_ref(),
            "--if-exists".as_ref(),
            "--no-owner".as_ref(),
            "--no-privileges".as_ref(),
            "--single-transaction".as_ref(),
            "--exit-on-error".as_ref(),
            dbname.as_ref(),
            from.as_os_str(),
        ],
        password.as_deref(),
    )
    .await?;
    let db = Db::connect(url, &small_pool()).await?;
    let integrity = db.integrity_check().await;
    db.close().await;
    Ok((tool_version("pg_restore").await, Some(integrity?)))
}

fn small_pool() -> DbOptions {
    DbOptions {
        max_connections: 2,
        ..DbOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_go_to_the_environment_not_the_command_line() {
        let (url, password) =
            split_password("postgres://gw2:s%40cr%3At@db.example:5432/gw2?sslmode=disable")
                .unwrap();
        assert_eq!(url, "postgres://gw2@db.example:5432/gw2?sslmode=disable");
        assert_eq!(password.as_deref(), Some("s@cr:t"));
        let (url, password) = split_password("postgres://gw2@db/gw2").unwrap();
        assert_eq!((url.as_str(), password), ("postgres://gw2@db/gw2", None));
    }

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite://data/gw2opt.db?mode=rwc"),
            Some(PathBuf::from("data/gw2opt.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/x.db"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(sqlite_path("postgres://h/db"), None);
        assert_eq!(
            with_suffix(Path::new("/b/x.db"), "-wal"),
            PathBuf::from("/b/x.db-wal")
        );
    }
}
