//! Refresh tokens (rotation with families) and single-use mailed tokens.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{on_read, on_write, Db, StoreError};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RefreshToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub replaced_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_refresh(
    db: &Db,
    id: Uuid,
    user_id: Uuid,
    family_id: Uuid,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO refresh_tokens (id, user_id, family_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)";
    on_write!(db, pool => sqlx::query(sql).bind(id).bind(user_id).bind(family_id).bind(expires_at).bind(now)
        .execute(pool).await.map(|_| ()))?;
    Ok(())
}

pub async fn refresh_by_id(db: &Db, id: Uuid) -> Result<Option<RefreshToken>, StoreError> {
    let sql = "SELECT id, user_id, family_id, expires_at, revoked_at, replaced_by, created_at FROM refresh_tokens WHERE id = $1";
    // Read through the writer on SQLite: rotation must see its own latest writes.
    Ok(
        on_write!(db, pool => sqlx::query_as::<_, RefreshToken>(sql).bind(id).fetch_optional(pool).await)?,
    )
}

/// Revokes `id` if it is still live, recording its successor. Returns false when it was
/// already revoked: the caller is replaying a used token.
pub async fn rotate_refresh(
    db: &Db,
    id: Uuid,
    replaced_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = "UPDATE refresh_tokens SET revoked_at = $2, replaced_by = $3 WHERE id = $1 AND revoked_at IS NULL";
    let n = on_write!(db, pool => sqlx::query(sql).bind(id).bind(now).bind(replaced_by).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Revokes every live token of a family (theft detection). Returns how many were live.
pub async fn revoke_family(
    db: &Db,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let sql =
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";
    Ok(
        on_write!(db, pool => sqlx::query(sql).bind(family_id).bind(now).execute(pool).await.map(|r| r.rows_affected()))?,
    )
}

/// Revokes every live refresh token of a user (password change, deactivation).
pub async fn revoke_all_for_user(
    db: &Db,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let sql = "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
    Ok(
        on_write!(db, pool => sqlx::query(sql).bind(user_id).bind(now).execute(pool).await.map(|r| r.rows_affected()))?,
    )
}

/// Why a mailed token exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

pub async fn insert_user_token(
    db: &Db,
    user_id: Uuid,
    purpose: Purpose,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO user_tokens (id, user_id, purpose, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    on_write!(db, pool => sqlx::query(sql).bind(Uuid::new_v4()).bind(user_id).bind(purpose.as_str()).bind(token_hash)
        .bind(expires_at).bind(now).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The user of the live (unused, unexpired) token with this hash and purpose, without using
/// it: a request can be checked before the link is spent.
pub async fn user_token_owner(
    db: &Db,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let sql = "SELECT user_id FROM user_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL \
               AND expires_at > $3";
    Ok(
        on_write!(db, pool => sqlx::query_scalar::<_, Uuid>(sql).bind(token_hash).bind(purpose.as_str()).bind(now)
        .fetch_optional(pool).await)?,
    )
}

/// Marks the token with this hash used, if it exists, has this purpose, is unused and has
/// not expired; returns its user. One statement, so a token cannot be used twice even by
/// concurrent requests.
pub async fn consume_user_token(
    db: &Db,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let sql = "UPDATE user_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL \
               AND expires_at > $3 RETURNING user_id";
    Ok(
        on_write!(db, pool => sqlx::query_scalar::<_, Uuid>(sql).bind(token_hash).bind(purpose.as_str()).bind(now)
        .fetch_optional(pool).await)?,
    )
}

/// Live (unused) tokens of a purpose for a user: a new request supersedes older links.
pub async fn invalidate_user_tokens(
    db: &Db,
    user_id: Uuid,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL";
    on_write!(db, pool => sqlx::query(sql).bind(user_id).bind(purpose.as_str()).bind(now).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Counts refresh tokens still live for a user (tests and admin views).
pub async fn live_refresh_count(
    db: &Db,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";
    Ok(
        on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(user_id).bind(now).fetch_one(pool).await)?,
    )
}

/// What a deny-list entry revokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    /// One access token (its `jti`).
    Access,
    /// Every access token of one login (its refresh-token family).
    Family,
}

impl Revoked {
    pub fn as_str(self) -> &'static str {
        match self {
            Revoked::Access => "access",
            Revoked::Family => "family",
        }
    }
}

/// Puts `id` (an access token's jti or a family id) on the deny-list until `expires_at`,
/// when every token it covers has expired anyway. Revoking twice is a no-op.
pub async fn deny(
    db: &Db,
    id: Uuid,
    kind: Revoked,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO revoked_tokens (id, kind, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (id) DO NOTHING";
    on_write!(db, pool => sqlx::query(sql).bind(id).bind(kind.as_str()).bind(user_id).bind(expires_at).bind(now)
        .execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Whether an access token with this `jti` (of login family `family`, if it names one) is on
/// the deny-list. One primary-key lookup per id.
pub async fn is_denied(db: &Db, jti: Uuid, family: Option<Uuid>) -> Result<bool, StoreError> {
    let sql = "SELECT COUNT(*) FROM revoked_tokens WHERE id = $1 OR id = $2";
    let n = on_read!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(jti).bind(family.unwrap_or(jti))
        .fetch_one(pool).await)?;
    Ok(n > 0)
}

/// Deletes deny-list entries whose tokens have all expired. Returns how many went.
pub async fn purge_denied(db: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "DELETE FROM revoked_tokens WHERE expires_at <= $1";
    Ok(
        on_write!(db, pool => sqlx::query(sql).bind(now).execute(pool).await.map(|r| r.rows_affected()))?,
    )
}
