//! Business logic, one module per capability (the seed's `{Entity}Service`s).

use store::users::User;
use uuid::Uuid;

pub mod accounts;
pub mod ai;
pub mod audit;
pub mod builds;
pub mod chat;
pub mod commander;
pub mod community_import;
pub mod engines;
pub mod feedback;
pub mod game_data;
pub mod gear_jobs;
pub mod in_flight;
pub mod jobs;
pub mod lang;
pub mod learning;
pub mod live_match;
pub mod mailer;
pub mod mcm;
pub mod meta;
pub mod saved_builds;
pub mod session_watch;
pub mod team_scores;
pub mod teams;
pub mod uploads;
pub mod views;
pub mod web_pages;

/// Whether `viewer` may read a resource owned by `owner`: public, their own, or a superuser.
/// Builds, teams, fights and sessions all answer this way.
pub(crate) fn can_read(viewer: Option<&User>, owner: Uuid, is_public: bool) -> bool {
    is_public || viewer.is_some_and(|v| v.id == owner || v.is_superuser)
}
