//! The audit log: the one place administrative actions and security events are written
//! (logins, lockouts, superusers' flag changes, deletions, password changes and resets, token
//! revocations), and the superusers' listing (`GET /api/v1/admin/audit`).
//!
//! Writing never fails the action being audited: an entry that cannot be stored is logged as
//! an error (with its action and actor) and the action goes on, so a full disk cannot lock
//! everyone out. Entries never hold secrets: the details are built by the services from
//! fixed fields, and [`scrub`] also replaces the value of any detail key that names a
//! password, token, secret or key.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use store::audit::{AuditFilter, AuditRow, NewAudit};
use store::users::User;
use store::Db;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};

/// What is audited. The names are the API's `action` values (stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    LoginSucceeded,
    /// A wrong password, an unknown account or a disabled one (`detail.reason`).
    LoginFailed,
    /// A guess refused because its account or address must still wait (429).
    LoginThrottled,
    /// A failed guess started a wait (`detail.scope`: this address, or every address).
    LoginLocked,
    /// A wrong current password on change-password or delete-account.
    PasswordCheckFailed,
    PasswordChanged,
    PasswordReset,
    /// A login (token family) or access token ended (`detail.reason`: logout, session_end).
    TokenRevoked,
    /// A rotated refresh token was presented again: its whole family was revoked.
    TokenReuseDetected,
    /// A superuser changed `is_active` / `is_superuser` of an account.
    UserFlagsChanged,
    SuperuserCreated,
    AccountDeleted,
    BuildDeleted,
    TeamDeleted,
    FightDeleted,
    SessionDeleted,
    /// A superuser imported community guide pages.
    BuildsImported,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::LoginSucceeded => "login.succeeded",
            Action::LoginFailed => "login.failed",
            Action::LoginThrottled => "login.throttled",
            Action::LoginLocked => "login.locked",
            Action::PasswordCheckFailed => "password.check_failed",
            Action::PasswordChanged => "password.changed",
            Action::PasswordReset => "password.reset",
            Action::TokenRevoked => "token.revoked",
            Action::TokenReuseDetected => "token.reuse_detected",
            Action::UserFlagsChanged => "user.flags_changed",
            Action::SuperuserCreated => "user.superuser_created",
            Action::AccountDeleted => "account.deleted",
            Action::BuildDeleted => "build.deleted",
            Action::TeamDeleted => "team.deleted",
            Action::FightDeleted => "fight.deleted",
            Action::SessionDeleted => "session.deleted",
            Action::BuildsImported => "admin.builds_imported",
        }
    }
}

/// One entry being written.
#[derive(Debug, Clone)]
pub struct Event {
    action: Action,
    actor: Option<(Uuid, String)>,
    target: Option<(&'static str, String)>,
    ip: Option<String>,
    detail: Value,
}

impl Event {
    pub fn new(action: Action) -> Self {
        Event {
            action,
            actor: None,
            target: None,
            ip: None,
            detail: Value::Object(serde_json::Map::new()),
        }
    }

    /// Who did it.
    pub fn by(mut self, user: &User) -> Self {
        self.actor = Some((user.id, user.username.clone()));
        self
    }

    /// What it was done to.
    pub fn on(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.target = Some((kind, id.to_string()));
        self
    }

    /// The client's address.
    pub fn from_ip(mut self, ip: Option<&str>) -> Self {
        self.ip = ip.map(str::to_owned);
        self
    }

    /// The particulars (a JSON object), scrubbed of anything that looks like a secret.
    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = scrub(detail);
        self
    }
}

/// Detail keys whose values are never kept (their value becomes `"[redacted]"`).
const SECRET_WORDS: [&str; 5] = ["password", "token", "secret", "key", "hash"];

/// `value` with the value of every key (at any depth) naming a secret replaced.
pub fn scrub(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let lower = k.to_ascii_lowercase();
                    if SECRET_WORDS.iter().any(|w| lower.contains(w)) {
                        (k, Value::String("[redacted]".into()))
                    } else {
                        (k, scrub(v))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(scrub).collect()),
        other => other,
    }
}

/// An audit entry as superusers read it.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `login.succeeded`, `login.failed`, `login.throttled`, `login.locked`,
    /// `password.check_failed`, `password.changed`, `password.reset`, `token.revoked`,
    /// `token.reuse_detected`, `user.flags_changed`, `user.superuser_created`,
    /// `account.deleted`, `build.deleted`, `team.deleted`, `fight.deleted`,
    /// `session.deleted` or `admin.builds_imported`.
    pub action: String,
    pub actor_id: Option<Uuid>,
    /// The actor's username when the entry was written.
    pub actor_name: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub detail: Value,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        AuditEntry {
            id: row.id,
            at: row.at,
            action: row.action,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            target_type: row.target_type,
            target_id: row.target_id,
            ip: row.ip,
            detail: serde_json::from_str(&row.detail).unwrap_or(Value::Null),
        }
    }
}

/// The listing's filters as the API takes them.
#[derive(Debug, Default)]
pub struct Query {
    /// A user id, or a username.
    pub actor: Option<String>,
    /// An action, or a prefix ending with `.` (`login.`).
    pub action: Option<String>,
    /// RFC 3339.
    pub since: Option<String>,
}

#[derive(Clone)]
pub struct Audit {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
}

impl Audit {
    pub fn new(db: Db, clock: Clock) -> Self {
        Audit { db, clock }
    }

    /// Appends `event`; a failure is logged, never returned (see the module docs).
    pub async fn record(&self, event: Event) {
        let detail = event.detail.to_string();
        let entry = NewAudit {
            action: event.action.as_str(),
            actor_id: event.actor.as_ref().map(|(id, _)| *id),
            actor_name: event.actor.as_ref().map(|(_, name)| name.as_str()),
            target_type: event.target.as_ref().map(|(kind, _)| *kind),
            target_id: event.target.as_ref().map(|(_, id)| id.as_str()),
            ip: event.ip.as_deref(),
            detail: &detail,
        };
        if let Err(err) = store::audit::append(&self.db, &entry, self.clock.now()).await {
            tracing::error!(
                error = %err,
                action = entry.action,
                actor = ?entry.actor_id,
                "could not write an audit log entry"
            );
        }
    }

    /// Entries matching `query`, newest first, and how many match.
    pub async fn list(
        &self,
        query: &Query,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<AuditEntry>, i64)> {
        let mut filter = AuditFilter::default();
        if let Some(actor) = query
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            match Uuid::parse_str(actor) {
                Ok(id) => filter.actor_id = Some(id),
                Err(_) => filter.actor_name = Some(actor.to_owned()),
            }
        }
        if let Some(action) = query
            .action
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            if action.len() > 64 {
                return Err(ApiError::validation("action", "at most 64 characters"));
            }
            filter.action = Some(action.to_owned());
        }
        if let Some(since) = query
            .since
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let parsed = DateTime::parse_from_rfc3339(since).map_err(|_| {
                ApiError::validation(
                    "since",
                    "an RFC 3339 date and time, e.g. 2026-12-01T00:00:00Z",
                )
            })?;
            use chrono::SubsecRound;
            filter.since = Some(parsed.with_timezone(&Utc).trunc_subsecs(6));
        }
        let (rows, total) = store::audit::list(&self.db, &filter, skip, limit).await?;
        Ok((rows.into_iter().map(AuditEntry::from).collect(), total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_never_reach_an_entry() {
        let scrubbed = scrub(json!({
            "reason": "bad_password",
            "new_password": "hunter2hunter2",
            "nested": {"refresh_token": "abc", "ok": 1, "list": [{"api_key": "k"}]},
            "Secret": "s",
        }));
        assert_eq!(
            scrubbed,
            json!({
                "reason": "bad_password",
                "new_password": "[redacted]",
                "nested": {"refresh_token": "[redacted]", "ok": 1, "list": [{"api_key": "[redacted]"}]},
                "Secret": "[redacted]",
            })
        );
    }
}
