//! The `users` table (the seed's UserDB) and its login history.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub username: String,
    pub hashed_password: String,
    pub is_active: bool,
    pub is_verified: bool,
    pub is_superuser: bool,
    pub full_name: Option<String>,
    pub bio: Option<String>,
    pub profile_picture_url: Option<String>,
    /// JSON object, validated by the service before it is written.
    pub preferences: String,
    /// Access tokens carry the version they were issued under; a password change bumps it.
    pub token_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, email, username, hashed_password, is_active, is_verified, is_superuser, full_name, bio, \
     profile_picture_url, preferences, token_version, created_at, updated_at";

/// What registration stores.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub username: String,
    pub hashed_password: String,
    pub full_name: Option<String>,
    pub is_superuser: bool,
    pub is_verified: bool,
}

/// Profile fields a user may change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub full_name: Option<Option<String>>,
    pub bio: Option<Option<String>>,
    pub profile_picture_url: Option<Option<String>>,
    pub preferences: Option<String>,
}

pub async fn create(db: &Db, new: &NewUser, now: DateTime<Utc>) -> Result<User, StoreError> {
    let sql = format!(
        "INSERT INTO users (id, email, username, hashed_password, is_active, is_verified, is_superuser, full_name, \
         preferences, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7, '{{}}', $8, $8) RETURNING {COLUMNS}"
    );
    let id = Uuid::new_v4();
    Ok(on_write!(db, pool => sqlx::query_as::<_, User>(&sql)
        .bind(id).bind(&new.email).bind(&new.username).bind(&new.hashed_password)
        .bind(new.is_verified).bind(new.is_superuser).bind(&new.full_name).bind(now)
        .fetch_one(pool).await)?)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(on_read!(db, pool => sqlx::query_as::<_, User>(&sql).bind(id).fetch_optional(pool).await)?)
}

/// Finds a user by e-mail or username, case-insensitively (the login form accepts either).
pub async fn by_login(db: &Db, login: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE LOWER(email) = LOWER($1) OR LOWER(username) = LOWER($1) LIMIT 1");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, User>(&sql).bind(login).fetch_optional(pool).await)?,
    )
}

pub async fn by_email(db: &Db, email: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE LOWER(email) = LOWER($1)");
    Ok(
        on_read!(db, pool => sqlx::query_as::<_, User>(&sql).bind(email).fetch_optional(pool).await)?,
    )
}

/// Failed logins of one account from one address (or from every address: `*`).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Throttle {
    pub account: String,
    pub address: String,
    pub failures: i32,
    pub last_failure_at: DateTime<Utc>,
    pub blocked_until: Option<DateTime<Utc>>,
}

/// The address of the per-account row, which counts failures from every address.
pub const EVERY_ADDRESS: &str = "*";

/// The throttle rows of `account` for `address` and for every address (either may be missing).
pub async fn throttles(db: &Db, account: &str, address: &str) -> Result<Vec<Throttle>, StoreError> {
    let sql =
        "SELECT account, address, failures, last_failure_at, blocked_until FROM login_throttle \
               WHERE account = $1 AND (address = $2 OR address = $3)";
    // Through the writer on SQLite: a failure just recorded must be seen by the next attempt.
    Ok(
        on_write!(db, pool => sqlx::query_as::<_, Throttle>(sql).bind(account).bind(address).bind(EVERY_ADDRESS)
        .fetch_all(pool).await)?,
    )
}

/// Counts one more failure of `account` from `address` atomically (concurrent failures are
/// all counted); a run whose last failure is older than `window_start` starts again at 1.
/// Returns the new count.
pub async fn count_login_failure(
    db: &Db,
    account: &str,
    address: &str,
    now: DateTime<Utc>,
    window_start: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let sql = "INSERT INTO login_throttle (account, address, failures, last_failure_at, blocked_until) \
               VALUES ($1, $2, 1, $3, NULL) \
               ON CONFLICT (account, address) DO UPDATE SET \
                 failures = CASE WHEN login_throttle.last_failure_at < $4 THEN 1 ELSE login_throttle.failures + 1 END, \
                 blocked_until = CASE WHEN login_throttle.last_failure_at < $4 THEN NULL ELSE login_throttle.blocked_until END, \
                 last_failure_at = $3 \
               RETURNING failures";
    Ok(
        on_write!(db, pool => sqlx::query_scalar::<_, i32>(sql).bind(account).bind(address).bind(now).bind(window_start)
        .fetch_one(pool).await)?,
    )
}

/// Blocks `account` from `address` until `until` (never shortens a longer block).
pub async fn block_login(
    db: &Db,
    account: &str,
    address: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "UPDATE login_throttle SET blocked_until = $3 WHERE account = $1 AND address = $2 \
               AND (blocked_until IS NULL OR blocked_until < $3)";
    on_write!(db, pool => sqlx::query(sql).bind(account).bind(address).bind(until).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Forgets the failures of `account` from `address` (a successful login from there).
pub async fn clear_login_failures(db: &Db, account: &str, address: &str) -> Result<(), StoreError> {
    let sql = "DELETE FROM login_throttle WHERE account = $1 AND address = $2";
    on_write!(db, pool => sqlx::query(sql).bind(account).bind(address).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Forgets every failure of `account` (its owner proved control: a password change or reset).
pub async fn clear_account_throttle(db: &Db, account: &str) -> Result<(), StoreError> {
    let sql = "DELETE FROM login_throttle WHERE account = $1";
    on_write!(db, pool => sqlx::query(sql).bind(account).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Deletes rows whose run ended before `window_start` and whose block is over.
pub async fn purge_login_throttle(
    db: &Db,
    window_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let sql = "DELETE FROM login_throttle WHERE last_failure_at < $1 AND (blocked_until IS NULL OR blocked_until <= $2)";
    Ok(
        on_write!(db, pool => sqlx::query(sql).bind(window_start).bind(now).execute(pool).await.map(|r| r.rows_affected()))?,
    )
}

/// Whether `user_id` logged in successfully from `ip` since `since` (a known device).
pub async fn logged_in_from(
    db: &Db,
    user_id: Uuid,
    ip: &str,
    since: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = "SELECT COUNT(*) FROM login_history WHERE user_id = $1 AND ip = $2 AND success = TRUE AND created_at > $3";
    let n = on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(user_id).bind(ip).bind(since).fetch_one(pool).await)?;
    Ok(n > 0)
}

pub async fn update_profile(
    db: &Db,
    id: Uuid,
    update: &ProfileUpdate,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    // COALESCE cannot express "clear this field", so each optional field carries a flag.
    let sql = format!(
        "UPDATE users SET \
           full_name = CASE WHEN $2 THEN $3 ELSE full_name END, \
           bio = CASE WHEN $4 THEN $5 ELSE bio END, \
           profile_picture_url = CASE WHEN $6 THEN $7 ELSE profile_picture_url END, \
           preferences = COALESCE($8, preferences), \
           updated_at = $9 \
         WHERE id = $1 RETURNING {COLUMNS}"
    );
    let (set_name, name) = split(&update.full_name);
    let (set_bio, bio) = split(&update.bio);
    let (set_pic, pic) = split(&update.profile_picture_url);
    on_write!(db, pool => sqlx::query_as::<_, User>(&sql)
        .bind(id).bind(set_name).bind(name).bind(set_bio).bind(bio).bind(set_pic).bind(pic)
        .bind(&update.preferences).bind(now)
        .fetch_optional(pool).await)?
    .ok_or(StoreError::NotFound)
}

fn split(field: &Option<Option<String>>) -> (bool, Option<String>) {
    match field {
        None => (false, None),
        Some(value) => (true, value.clone()),
    }
}

/// Replaces the password hash and invalidates every access token issued so far.
pub async fn set_password(
    db: &Db,
    id: Uuid,
    hashed_password: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "UPDATE users SET hashed_password = $2, token_version = token_version + 1, updated_at = $3 \
               WHERE id = $1";
    let done = on_write!(db, pool => sqlx::query(sql).bind(id).bind(hashed_password).bind(now).execute(pool).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn set_verified(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    let sql = "UPDATE users SET is_verified = TRUE, updated_at = $2 WHERE id = $1";
    on_write!(db, pool => sqlx::query(sql).bind(id).bind(now).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Superuser changes to another account. `None` leaves a flag as it is.
pub async fn admin_update(
    db: &Db,
    id: Uuid,
    is_active: Option<bool>,
    is_superuser: Option<bool>,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    let sql = format!(
        "UPDATE users SET is_active = COALESCE($2, is_active), is_superuser = COALESCE($3, is_superuser), \
         updated_at = $4 WHERE id = $1 RETURNING {COLUMNS}"
    );
    on_write!(db, pool => sqlx::query_as::<_, User>(&sql)
        .bind(id).bind(is_active).bind(is_superuser).bind(now).fetch_optional(pool).await)?
    .ok_or(StoreError::NotFound)
}

/// Deletes the account; builds, teams, tokens and login history go with it (ON DELETE CASCADE).
pub async fn delete(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    let n = on_write!(db, pool => sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

pub async fn list(db: &Db, skip: i64, limit: i64) -> Result<(Vec<User>, i64), StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY created_at, id LIMIT $1 OFFSET $2");
    let rows = on_read!(db, pool => sqlx::query_as::<_, User>(&sql).bind(limit).bind(skip).fetch_all(pool).await)?;
    let total = on_read!(db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(pool).await)?;
    Ok((rows, total))
}

/// One login attempt, successful or not.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LoginRecord {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub success: bool,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn record_login(
    db: &Db,
    user_id: Option<Uuid>,
    ip: Option<&str>,
    user_agent: Option<&str>,
    success: bool,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql =
        "INSERT INTO login_history (id, user_id, ip, user_agent, success, reason, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_write!(db, pool => sqlx::query(sql).bind(Uuid::new_v4()).bind(user_id).bind(ip).bind(user_agent)
        .bind(success).bind(reason).bind(now).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Newest first.
pub async fn login_history(
    db: &Db,
    user_id: Uuid,
    skip: i64,
    limit: i64,
) -> Result<(Vec<LoginRecord>, i64), StoreError> {
    let sql = "SELECT id, user_id, ip, user_agent, success, reason, created_at FROM login_history \
               WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3";
    let rows = on_read!(db, pool => sqlx::query_as::<_, LoginRecord>(sql).bind(user_id).bind(limit).bind(skip).fetch_all(pool).await)?;
    let total = on_read!(db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_history WHERE user_id = $1").bind(user_id).fetch_one(pool).await)?;
    Ok((rows, total))
}

/// The active superuser created first: who owns what an operator imports from the command
/// line when no account is named.
pub async fn oldest_superuser(db: &Db) -> Result<Option<User>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE is_superuser = TRUE AND is_active = TRUE \
         ORDER BY created_at, id LIMIT 1"
    );
    Ok(on_read!(db, pool => sqlx::query_as::<_, User>(&sql).fetch_optional(pool).await)?)
}
