//! The `audit_log` table: administrative actions and security events, appended by the
//! server's audit service and listed (newest first, filtered) for superusers.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// A dotted name (`login.failed`, `user.flags_changed`, `build.deleted`...).
    pub action: String,
    /// Who did it, when known (an account may since have been deleted).
    pub actor_id: Option<Uuid>,
    /// The actor's username at the time.
    pub actor_name: Option<String>,
    /// What it was done to (`user`, `build`, `team`, `fight`, `session`, `token_family`...).
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// The client's address, when the action came from a request.
    pub ip: Option<String>,
    /// A JSON object with the action's particulars (never a secret).
    pub detail: String,
}

/// One entry to append (`id` and `at` are given by the caller).
#[derive(Debug, Clone, Default)]
pub struct NewAudit<'a> {
    pub action: &'a str,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<&'a str>,
    pub target_type: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: &'a str,
}

/// Which entries to list; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    /// The actor's username (case-insensitive), when no id is given.
    pub actor_name: Option<String>,
    /// An exact action, or every action starting with it when it ends with `.`.
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, at, action, actor_id, actor_name, target_type, target_id, ip, detail";

pub async fn append(db: &Db, entry: &NewAudit<'_>, now: DateTime<Utc>) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    let sql =
        format!("INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    on_write!(db, pool => sqlx::query(&sql)
        .bind(id).bind(now).bind(entry.action).bind(entry.actor_id).bind(entry.actor_name)
        .bind(entry.target_type).bind(entry.target_id).bind(entry.ip).bind(entry.detail)
        .execute(pool).await.map(|_| ()))?;
    Ok(id)
}

/// A page of the entries matching `filter`, newest first, and how many match in all.
pub async fn list(
    db: &Db,
    filter: &AuditFilter,
    skip: i64,
    limit: i64,
) -> Result<(Vec<AuditRow>, i64), StoreError> {
    // The WHERE clause is built from fixed fragments; every value is a bound parameter.
    let mut clauses: Vec<String> = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if filter.actor_id.is_some() {
        clauses.push(format!("actor_id = {}", next()));
    }
    if filter.actor_name.is_some() {
        clauses.push(format!("LOWER(actor_name) = LOWER({})", next()));
    }
    let prefix = filter.action.as_deref().filter(|a| a.ends_with('.'));
    if filter.action.is_some() {
        if prefix.is_some() {
            // `substr` is in both dialects; a LIKE pattern would need its wildcards escaped.
            let p = next();
            clauses.push(format!("substr(action, 1, length({p})) = {p}"));
        } else {
            clauses.push(format!("action = {}", next()));
        }
    }
    if filter.since.is_some() {
        clauses.push(format!("at >= {}", next()));
    }
    let condition = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let (skip_p, limit_p) = (next(), next());
    let rows_sql = format!(
        "SELECT {COLUMNS} FROM audit_log {condition} ORDER BY at DESC, id DESC LIMIT {limit_p} OFFSET {skip_p}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM audit_log {condition}");
    macro_rules! bind_filters {
        ($query:expr) => {{
            let mut query = $query;
            if let Some(id) = filter.actor_id {
                query = query.bind(id);
            }
            if let Some(name) = &filter.actor_name {
                query = query.bind(name.clone());
            }
            if let Some(action) = &filter.action {
                query = query.bind(action.clone());
            }
            if let Some(since) = filter.since {
                query = query.bind(since);
            }
            query
        }};
    }
    let rows = on_read!(db, pool => bind_filters!(sqlx::query_as::<_, AuditRow>(&rows_sql))
        .bind(skip).bind(limit).fetch_all(pool).await)?;
    let total: i64 = on_read!(db, pool => bind_filters!(sqlx::query_scalar::<_, i64>(&count_sql))
        .fetch_one(pool).await)?;
    Ok((rows, total))
}
