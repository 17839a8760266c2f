//! Business logic, one module per capability (the seed's `{Entity}Service`s).

pub mod accounts;
pub mod builds;
pub mod engines;
pub mod gear_jobs;
pub mod in_flight;
pub mod live_match;
pub mod mailer;
pub mod mcm;
pub mod session_watch;
pub mod team_scores;
pub mod teams;
pub mod uploads;
pub mod views;
