//! Database layer of GW2Optimizer: embedded migrations and repositories.
//!
//! One schema and one set of SQL statements serve both SQLite (the embedded default) and
//! PostgreSQL (production). [`Db`] holds the pools; repositories are plain async functions
//! that take a `&Db` and return domain rows or a [`StoreError`]. Nothing here knows about
//! HTTP: the server maps [`StoreError`] to statuses.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod backup;
pub mod builds;
#[cfg(feature = "bench")]
pub mod bulk;
pub mod chat;
mod db;
mod error;
pub mod feedback;
pub mod fights;
pub mod jobs;
pub mod learning;
pub mod meta;
pub mod metrics;
pub mod saved_builds;
pub mod teams;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;
pub mod users;
pub mod workflow_runs;

pub use db::{redact_url, Backend, Db, DbOptions, MigrationReport};
pub use error::StoreError;

/// Current time truncated to microseconds: PostgreSQL keeps microseconds, so truncating
/// before writing makes what we read back equal to what we wrote on both backends.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
