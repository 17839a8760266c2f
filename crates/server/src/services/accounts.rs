//! Accounts: registration, login with throttling (`auth::throttle`), token rotation and
//! revocation (`auth::revocation`), e-mail verification, password changes and resets,
//! profiles and administration. HTTP handlers call these; nothing here knows about requests
//! or responses beyond `ApiError`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::tokens::{self, Purpose};
use store::users::{self, NewUser, ProfileUpdate, User};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::jwt::TokenKeys;
use crate::auth::jwt::{Claims, TokenError, TokenType};
use crate::auth::password::PasswordHasherPool;
use crate::auth::policy::MAX_PASSWORD_CHARS;
use crate::auth::random_token;
use crate::auth::revocation::Revocations;
use crate::auth::throttle::Attempt;
use crate::auth::throttle::LoginThrottle;
use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::events::EventBus;
use crate::hot::HotCaches;
use crate::services::mailer::Mailer;
use crate::services::team_scores::TeamScores;
use crate::state::Background;
use store::Db;

const VERIFY_TTL_HOURS: i64 = 24;
const RESET_TTL_HOURS: i64 = 1;
pub const MAX_PREFERENCES_BYTES: usize = 16 * 1024;

/// The same answer for unknown users and wrong passwords, so neither can be told apart.
const BAD_CREDENTIALS: &str = "incorrect username or password";

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserCreate {
    pub email: String,
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub full_name: Option<String>,
}

/// A user as the API shows it: never the password hash or security counters.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserOut {
    pub id: Uuid,
    pub email: String,
    pub username: String,
    pub full_name: Option<String>,
    pub bio: Option<String>,
    pub profile_picture_url: Option<String>,
    #[schema(value_type = Object)]
    pub preferences: serde_json::Value,
    pub is_active: bool,
    pub is_verified: bool,
    pub is_superuser: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        let preferences =
            serde_json::from_str(&u.preferences).unwrap_or_else(|_| serde_json::json!({}));
        Self {
            id: u.id,
            email: u.email,
            username: u.username,
            full_name: u.full_name,
            bio: u.bio,
            profile_picture_url: u.profile_picture_url,
            preferences,
            is_active: u.is_active,
            is_verified: u.is_verified,
            is_superuser: u.is_superuser,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Access token lifetime in seconds.
    pub expires_in: u64,
}

/// Who is logging in from where, for the login history.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UserUpdate {
    /// Absent: unchanged; `null`: cleared.
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    /// http or https URL.
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub profile_picture_url: Option<Option<String>>,
    /// Any JSON object up to 16 KiB.
    #[schema(value_type = Option<Object>)]
    pub preferences: Option<serde_json::Value>,
}

fn token_error(err: TokenError) -> ApiError {
    match err {
        TokenError::Expired => ApiError::Unauthorized("token expired".into()),
        TokenError::WrongType => {
            ApiError::Unauthorized("wrong kind of token for this endpoint".into())
        }
        TokenError::Invalid => ApiError::Unauthorized("invalid token".into()),
    }
}

fn invalid_refresh() -> ApiError {
    ApiError::Unauthorized("invalid refresh token".into())
}

/// Only the hash of a mailed token is stored: a database leak does not leak live links.
fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn rename_field(err: ApiError, field: &str) -> ApiError {
    match err {
        ApiError::Validation { message, .. } => ApiError::validation(field, message),
        other => other,
    }
}

pub fn validate_email(email: &str) -> ApiResult<()> {
    let invalid = |why: &str| Err(ApiError::validation("email", why));
    if email.len() > 254 {
        return invalid("must be at most 254 characters");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return invalid("must be an e-mail address like name@example.com");
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return invalid("the part before @ must be 1 to 64 characters");
    }
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "()<>,;:\\\"[]".contains(c);
    if local.chars().any(bad_char)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return invalid("the part before @ contains characters not allowed in an address");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-'))
        || !domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return invalid("the domain must look like example.com");
    }
    Ok(())
}

pub fn validate_username(username: &str) -> ApiResult<()> {
    let len = username.chars().count();
    if !(3..=50).contains(&len) {
        return Err(ApiError::validation(
            "username",
            "must be 3 to 50 characters",
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(ApiError::validation(
            "username",
            "may contain only letters, digits, '_', '-' and '.'",
        ));
    }
    Ok(())
}

/// The password policy of [`crate::auth::policy`] (ASVS 2.1): 422 on field `password`
/// saying why a password is refused.
pub async fn validate_password(password: &str, username: &str, email: &str) -> ApiResult<()> {
    match crate::auth::policy::check(password, username, email).await {
        None => Ok(()),
        Some(why) => Err(ApiError::validation("password", why)),
    }
}

fn validate_http_url(url: &str) -> ApiResult<()> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && !host.starts_with('/')
                && !url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(())
        }
        _ => Err(ApiError::validation(
            "profile_picture_url",
            "must be an http:// or https:// URL",
        )),
    }
}

/// Trims; empty becomes `None`; longer than `max` characters is refused.
fn clean_optional(value: Option<String>, field: &str, max: usize) -> ApiResult<Option<String>> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(Some(v.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_syntax() {
        for ok in [
            "a@b.co",
            "first.last+tag@example.co.uk",
            "x_y@sub-domain.example.com",
        ] {
            assert!(validate_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a b@example.com",
            "a@exa mple.com",
            "a@-x.com",
            "a..b@x.com",
            "a@x..com",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn username_rules() {
        assert!(validate_username("ab").is_err());
        assert!(validate_username("abc").is_ok());
        assert!(validate_username("Zerg.Lead_01-x").is_ok());
        assert!(validate_username("no spaces").is_err());
        assert!(validate_username(&"x".repeat(51)).is_err());
    }

    #[tokio::test]
    async fn password_refusals_name_the_field() {
        let err = validate_password("xxBOBxx horse battery", "bob", "b@example.com")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ApiError::Validation { field, message } if field == "password" && message.contains("username")),
            "{err:?}"
        );
        assert!(
            validate_password("long enough pass", "bob", "b@example.com")
                .await
                .is_ok()
        );
    }

    #[test]
    fn picture_urls_must_be_http() {
        assert!(validate_http_url("https://example.com/a.png").is_ok());
        assert!(validate_http_url("http://example.com").is_ok());
        assert!(validate_http_url("javascript:alert(1)").is_err());
        assert!(validate_http_url("ftp://example.com").is_err());
        assert!(validate_http_url("https://").is_err());
    }
}

/// The accounts service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Accounts {
    pub(crate) db: Db,
    pub(crate) hot: HotCaches,
    pub(crate) keys: TokenKeys,
    pub(crate) passwords: PasswordHasherPool,
    pub(crate) mailer: Mailer,
    pub(crate) clock: Clock,
    /// Revoked access tokens and logins (shared through the database and the event bus).
    pub(crate) revocations: Revocations,
    /// Account events for other instances and open WebSockets.
    pub(crate) events: EventBus,
    pub(crate) throttle: LoginThrottle,
    /// Teams emptied by an account deletion are re-scored through it.
    pub(crate) team_scores: TeamScores,
    /// Mail sent in the background; shutdown waits for it.
    pub(crate) background: Arc<Background>,
    pub(crate) access_token_ttl: std::time::Duration,
    pub(crate) refresh_token_ttl: std::time::Duration,
    /// Base of the links sent by mail.
    pub(crate) public_url: String,
}

impl Accounts {
    pub async fn register(&self, input: UserCreate) -> ApiResult<User> {
        let email = input.email.trim().to_owned();
        let username = input.username.trim().to_owned();
        validate_email(&email)?;
        validate_username(&username)?;
        validate_password(&input.password, &username, &email).await?;
        let full_name = clean_optional(input.full_name, "full_name", 100)?;
        let hashed_password = self
            .passwords
            .hash(&input.password)
            .await
            .map_err(ApiError::internal)?;
        let new = NewUser {
            email,
            username,
            hashed_password,
            full_name,
            is_superuser: false,
            is_verified: false,
        };
        let user = users::create(&self.db, &new, self.clock.now()).await?;
        self.send_verification(&user).await?;
        Ok(user)
    }

    /// Creates (or promotes) a superuser; used by `gw2opt user create-superuser`.
    pub async fn create_superuser(
        &self,
        email: &str,
        username: &str,
        password: &str,
    ) -> ApiResult<User> {
        validate_email(email)?;
        validate_username(username)?;
        validate_password(password, username, email).await?;
        let hashed_password = self
            .passwords
            .hash(password)
            .await
            .map_err(ApiError::internal)?;
        let new = NewUser {
            email: email.to_owned(),
            username: username.to_owned(),
            hashed_password,
            full_name: None,
            is_superuser: true,
            is_verified: true,
        };
        Ok(users::create(&self.db, &new, self.clock.now()).await?)
    }

    pub async fn login(
        &self,
        login: &str,
        password: &str,
        client: &ClientInfo,
    ) -> ApiResult<TokenPair> {
        let now = self.clock.now();
        let login = login.trim();
        if login.is_empty() || login.len() > 255 || password.len() > MAX_PASSWORD_CHARS * 4 {
            self.passwords
                .verify_dummy(password.get(..64).unwrap_or(""))
                .await
                .map_err(ApiError::internal)?;
            return Err(ApiError::Unauthorized(BAD_CREDENTIALS.into()));
        }
        let record = |user_id: Option<Uuid>, success: bool, reason: &'static str| {
            let client = client.clone();
            let db = self.db.clone();
            async move {
                if let Err(err) = users::record_login(
                    &db,
                    user_id,
                    client.ip.as_deref(),
                    client.user_agent.as_deref(),
                    success,
                    Some(reason),
                    now,
                )
                .await
                {
                    tracing::warn!(error = %err, "could not record a login attempt");
                }
            }
        };
        let user = users::by_login(&self.db, login).await?;
        let user_id = user.as_ref().map(|u| u.id);
        let attempt = Attempt::new(user.as_ref(), login, client.ip.as_deref());
        // Unknown names and real accounts go through the same steps: throttle check, one
        // password verification (against a dummy hash when there is no account), the same count.
        if let Err(wait) = attempt.check(&self.throttle).await {
            record(user_id, false, "throttled").await;
            return Err(wait);
        }
        let matches = match &user {
            Some(user) => self.passwords.verify(password, &user.hashed_password).await,
            None => self.passwords.verify_dummy(password).await,
        }
        .map_err(ApiError::internal)?;
        let Some(user) = user.filter(|_| matches) else {
            attempt.failed(&self.throttle).await?;
            let reason = if user_id.is_some() {
                "bad_password"
            } else {
                "unknown_user"
            };
            record(user_id, false, reason).await;
            return Err(ApiError::Unauthorized(BAD_CREDENTIALS.into()));
        };
        if !user.is_active {
            record(Some(user.id), false, "inactive").await;
            return Err(ApiError::Forbidden("this account is disabled".into()));
        }
        attempt.succeeded(&self.throttle).await?;
        record(Some(user.id), true, "ok").await;
        self.issue_pair(&user, Uuid::new_v4(), None).await
    }

    /// Exchanges a live refresh token for a new pair and revokes it. Presenting a token that
    /// was already rotated means it was copied: the whole family is revoked, with the access
    /// tokens issued in it.
    pub async fn refresh(&self, refresh_token: &str) -> ApiResult<TokenPair> {
        let claims = self
            .keys
            .verify(refresh_token, TokenType::Refresh)
            .map_err(token_error)?;
        let now = self.clock.now();
        let stored = tokens::refresh_by_id(&self.db, claims.jti)
            .await?
            .ok_or_else(invalid_refresh)?;
        if stored.user_id != claims.sub {
            return Err(invalid_refresh());
        }
        if stored.revoked_at.is_some() {
            let revoked = self.revoke_family(stored.user_id, stored.family_id).await?;
            tracing::warn!(user_id = %stored.user_id, revoked, "refresh token reuse detected; token family revoked");
            return Err(ApiError::Unauthorized(
                "refresh token already used; please log in again".into(),
            ));
        }
        if stored.expires_at <= now {
            return Err(ApiError::Unauthorized("refresh token expired".into()));
        }
        let user = self.active_user(stored.user_id).await?;
        let new_id = Uuid::new_v4();
        if !tokens::rotate_refresh(&self.db, stored.id, Some(new_id), now).await? {
            // Another request rotated it first: a concurrent replay.
            self.revoke_family(stored.user_id, stored.family_id).await?;
            return Err(ApiError::Unauthorized(
                "refresh token already used; please log in again".into(),
            ));
        }
        self.issue_pair(&user, stored.family_id, Some(new_id)).await
    }

    /// Revokes every refresh token of a login and, through the deny-list, every access token
    /// issued in it. Returns how many refresh tokens were live.
    async fn revoke_family(&self, user: Uuid, family: Uuid) -> ApiResult<u64> {
        let now = self.clock.now();
        let revoked = tokens::revoke_family(&self.db, family, now).await?;
        // Its access tokens were issued at most one lifetime ago.
        let until = now + self.access_ttl();
        self.revocations
            .revoke(
                &[(family, store::tokens::Revoked::Family)],
                user,
                until,
                now,
            )
            .await?;
        Ok(revoked)
    }

    /// Ends the session the access token `claims` belongs to: that access token, its login
    /// (refresh family and every access token issued in it) and, when given, one more refresh
    /// token of the same account. Open sockets using them are closed.
    pub async fn logout(&self, claims: &Claims, refresh_token: Option<&str>) -> ApiResult<()> {
        let now = self.clock.now();
        let extra = match refresh_token {
            Some(token) => {
                let refresh = self
                    .keys
                    .verify(token, TokenType::Refresh)
                    .map_err(token_error)?;
                let stored = tokens::refresh_by_id(&self.db, refresh.jti)
                    .await?
                    .filter(|t| t.user_id == claims.sub)
                    .ok_or_else(invalid_refresh)?;
                Some(stored.family_id)
            }
            None => None,
        };
        let mut entries = vec![(claims.jti, store::tokens::Revoked::Access)];
        for family in claims.fam.into_iter().chain(extra) {
            tokens::revoke_family(&self.db, family, now).await?;
            if !entries.iter().any(|(id, _)| *id == family) {
                entries.push((family, store::tokens::Revoked::Family));
            }
        }
        // Until the newest token the entries cover has expired.
        let expires = DateTime::<Utc>::from_timestamp(claims.exp, 0)
            .unwrap_or(now)
            .max(now + self.access_ttl());
        self.revocations
            .revoke(&entries, claims.sub, expires, now)
            .await?;
        Ok(())
    }

    /// Revokes every session of a user (the account was disabled): refresh tokens in the
    /// database; access tokens die by the `is_active` check; open sockets are told at once.
    pub async fn end_all_sessions(&self, user: Uuid) -> ApiResult<()> {
        tokens::revoke_all_for_user(&self.db, user, self.clock.now()).await?;
        crate::auth::revocation::announce_account(&self.events, user).await;
        Ok(())
    }

    fn access_ttl(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.access_token_ttl).unwrap_or(chrono::Duration::minutes(30))
    }

    /// The user an access token stands for, if the token and the account are still good.
    pub async fn authenticate(&self, access_token: &str) -> ApiResult<User> {
        self.authenticate_claims(access_token)
            .await
            .map(|(user, _)| user)
    }

    /// [`authenticate`], also giving the token's claims.
    pub async fn authenticate_claims(&self, access_token: &str) -> ApiResult<(User, Claims)> {
        let claims = self
            .keys
            .verify(access_token, TokenType::Access)
            .map_err(token_error)?;
        let user = self.check_claims(&claims, false).await?;
        Ok((user, claims))
    }

    /// Whether the (signature-checked) access token `claims` still stands: not expired, not
    /// revoked, issued under the account's current password, account active. `fresh` asks the
    /// database instead of this instance's caches (a socket told that something changed).
    pub async fn check_claims(&self, claims: &Claims, fresh: bool) -> ApiResult<User> {
        if claims.exp <= Utc::now().timestamp() {
            return Err(ApiError::Unauthorized("token expired".into()));
        }
        let revoked = if fresh {
            self.revocations
                .is_revoked_now(claims.jti, claims.fam)
                .await?
        } else {
            self.revocations.is_revoked(claims.jti, claims.fam).await?
        };
        if revoked {
            return Err(ApiError::Unauthorized(
                "this token was revoked (logged out); please log in again".into(),
            ));
        }
        let cached = if fresh {
            None
        } else {
            self.hot.user(claims.sub)
        };
        let user = match cached {
            Some(user) => user,
            None => {
                let user = users::by_id(&self.db, claims.sub).await?.ok_or_else(|| {
                    ApiError::Unauthorized("the account of this token no longer exists".into())
                })?;
                let user = std::sync::Arc::new(user);
                self.hot.put_user(user.clone());
                user
            }
        };
        if !user.is_active {
            return Err(ApiError::Unauthorized("this account is disabled".into()));
        }
        if claims.ver != user.token_version {
            return Err(ApiError::Unauthorized(
                "token revoked by a password change; please log in again".into(),
            ));
        }
        Ok(User::clone(&user))
    }

    /// Verifies the current password of a signed-in user for a sensitive change, counted and
    /// delayed like login guesses (`auth::throttle`): a stolen session cannot be used to guess
    /// the password either. `field` names the password field in the 422.
    async fn verify_current_password(
        &self,
        user: &User,
        password: &str,
        client: &ClientInfo,
        field: &str,
    ) -> ApiResult<()> {
        let attempt = Attempt::new(Some(user), &user.username, client.ip.as_deref());
        attempt.check(&self.throttle).await?;
        let ok = password.len() <= MAX_PASSWORD_CHARS * 4
            && self
                .passwords
                .verify(password, &user.hashed_password)
                .await
                .map_err(ApiError::internal)?;
        if !ok {
            attempt.failed(&self.throttle).await?;
            let now = self.clock.now();
            if let Err(err) = users::record_login(
                &self.db,
                Some(user.id),
                client.ip.as_deref(),
                client.user_agent.as_deref(),
                false,
                Some("bad_current_password"),
                now,
            )
            .await
            {
                tracing::warn!(error = %err, "could not record a failed password check");
            }
            return Err(ApiError::validation(
                field,
                format!(
                    "the {} is incorrect",
                    if field == "password" {
                        "password"
                    } else {
                        "current password"
                    }
                ),
            ));
        }
        Ok(())
    }

    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        client: &ClientInfo,
    ) -> ApiResult<()> {
        self.verify_current_password(user, current, client, "current_password")
            .await?;
        validate_password(new, &user.username, &user.email)
            .await
            .map_err(|e| rename_field(e, "new_password"))?;
        self.set_password(user.id, new).await
    }

    async fn set_password(&self, user_id: Uuid, new: &str) -> ApiResult<()> {
        let hash = self.passwords.hash(new).await.map_err(ApiError::internal)?;
        let now = self.clock.now();
        users::set_password(&self.db, user_id, &hash, now).await?;
        self.hot.user_changed(user_id).await;
        tokens::revoke_all_for_user(&self.db, user_id, now).await?;
        // The owner proved control of the account: earlier failed guesses no longer count.
        users::clear_account_throttle(&self.db, &user_id.to_string()).await?;
        crate::auth::revocation::announce_account(&self.events, user_id).await;
        Ok(())
    }

    pub async fn delete_account(
        &self,
        user: &User,
        password: &str,
        client: &ClientInfo,
    ) -> ApiResult<()> {
        self.verify_current_password(user, password, client, "password")
            .await?;
        // Other people's teams lose this user's builds (their slots are emptied): re-add them.
        let teams = store::teams::using_builds_of(&self.db, user.id).await?;
        users::delete(&self.db, user.id).await?;
        self.hot.user_changed(user.id).await;
        crate::auth::revocation::announce_account(&self.events, user.id).await;
        self.team_scores.schedule_teams(teams);
        Ok(())
    }

    pub async fn update_profile(&self, user: &User, input: UserUpdate) -> ApiResult<User> {
        let mut update = ProfileUpdate::default();
        if let Some(name) = input.full_name {
            update.full_name = Some(clean_optional(name, "full_name", 100)?);
        }
        if let Some(bio) = input.bio {
            update.bio = Some(clean_optional(bio, "bio", 2000)?);
        }
        if let Some(url) = input.profile_picture_url {
            let url = clean_optional(url, "profile_picture_url", 500)?;
            if let Some(u) = &url {
                validate_http_url(u)?;
            }
            update.profile_picture_url = Some(url);
        }
        if let Some(prefs) = input.preferences {
            if !prefs.is_object() {
                return Err(ApiError::validation("preferences", "must be a JSON object"));
            }
            let text = prefs.to_string();
            if text.len() > MAX_PREFERENCES_BYTES {
                return Err(ApiError::validation(
                    "preferences",
                    "must be at most 16 KiB of JSON",
                ));
            }
            update.preferences = Some(text);
        }
        let updated = users::update_profile(&self.db, user.id, &update, self.clock.now()).await?;
        self.hot.user_changed(user.id).await;
        Ok(updated)
    }

    pub async fn verify_email(&self, token: &str) -> ApiResult<()> {
        let now = self.clock.now();
        let user_id =
            tokens::consume_user_token(&self.db, Purpose::VerifyEmail, &hash_token(token), now)
                .await?
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "this verification link is invalid, used or expired".into(),
                    )
                })?;
        users::set_verified(&self.db, user_id, now).await?;
        self.hot.user_changed(user_id).await;
        Ok(())
    }

    pub async fn resend_verification(&self, user: &User) -> ApiResult<()> {
        if user.is_verified {
            return Err(ApiError::Conflict(
                "this e-mail address is already verified".into(),
            ));
        }
        self.send_verification(user).await
    }

    /// Always succeeds from the caller's point of view, whether or not the address exists.
    pub async fn forgot_password(&self, email: &str) -> ApiResult<()> {
        let Some(user) = users::by_email(&self.db, email.trim()).await? else {
            return Ok(());
        };
        if !user.is_active {
            return Ok(());
        }
        let now = self.clock.now();
        tokens::invalidate_user_tokens(&self.db, user.id, Purpose::ResetPassword, now).await?;
        let token = random_token(32);
        let expires = now + chrono::Duration::hours(RESET_TTL_HOURS);
        tokens::insert_user_token(
            &self.db,
            user.id,
            Purpose::ResetPassword,
            &hash_token(&token),
            expires,
            now,
        )
        .await?;
        let link = format!(
            "{}/reset-password?token={token}",
            self.public_url.trim_end_matches('/')
        );
        let body = format!(
            "Hello {},\n\nSomeone (hopefully you) asked to reset your GW2Optimizer password.\n\
             Open this link within {RESET_TTL_HOURS} hour to choose a new one:\n\n{link}\n\n\
             Or send this token to POST /api/v1/auth/reset-password: {token}\n\n\
             If you did not ask for it, ignore this message.\n",
            user.username
        );
        self.deliver(user.email.clone(), "Reset your GW2Optimizer password", body);
        Ok(())
    }

    pub async fn reset_password(&self, token: &str, new_password: &str) -> ApiResult<()> {
        let now = self.clock.now();
        let hash = hash_token(token);
        let invalid = || ApiError::BadRequest("this reset link is invalid, used or expired".into());
        // Validate before consuming, so a refused password does not burn the link.
        let owner = tokens::user_token_owner(&self.db, Purpose::ResetPassword, &hash, now)
            .await?
            .ok_or_else(invalid)?;
        let user = users::by_id(&self.db, owner).await?.ok_or_else(invalid)?;
        validate_password(new_password, &user.username, &user.email)
            .await
            .map_err(|e| rename_field(e, "new_password"))?;
        let user_id = tokens::consume_user_token(&self.db, Purpose::ResetPassword, &hash, now)
            .await?
            .filter(|id| *id == owner)
            .ok_or_else(invalid)?;
        self.set_password(user_id, new_password).await
    }

    async fn send_verification(&self, user: &User) -> ApiResult<()> {
        let now = self.clock.now();
        tokens::invalidate_user_tokens(&self.db, user.id, Purpose::VerifyEmail, now).await?;
        let token = random_token(32);
        let expires = now + chrono::Duration::hours(VERIFY_TTL_HOURS);
        tokens::insert_user_token(
            &self.db,
            user.id,
            Purpose::VerifyEmail,
            &hash_token(&token),
            expires,
            now,
        )
        .await?;
        let link = format!(
            "{}/api/v1/auth/verify-email?token={token}",
            self.public_url.trim_end_matches('/')
        );
        let body = format!(
            "Welcome to GW2Optimizer, {}!\n\nConfirm your e-mail address within {VERIFY_TTL_HOURS} hours by opening:\n\n{link}\n",
            user.username
        );
        self.deliver(
            user.email.clone(),
            "Confirm your GW2Optimizer e-mail address",
            body,
        );
        Ok(())
    }

    /// Sends in the background: a slow or dead SMTP server must not slow registration down.
    fn deliver(&self, to: String, subject: &'static str, body: String) {
        let mailer = self.mailer.clone();
        let task = tokio::spawn(async move {
            if let Err(err) = mailer.send(&to, subject, body).await {
                tracing::error!(error = %err, subject, "mail delivery failed");
            }
        });
        self.background.track(task);
    }

    async fn issue_pair(
        &self,
        user: &User,
        family: Uuid,
        refresh_id: Option<Uuid>,
    ) -> ApiResult<TokenPair> {
        let user_id = user.id;
        let now = self.clock.now();
        let refresh_id = refresh_id.unwrap_or_else(Uuid::new_v4);
        let refresh_ttl =
            chrono::Duration::from_std(self.refresh_token_ttl).unwrap_or(chrono::Duration::days(7));
        tokens::insert_refresh(
            &self.db,
            refresh_id,
            user_id,
            family,
            now + refresh_ttl,
            now,
        )
        .await?;
        Ok(TokenPair {
            access_token: self.keys.issue_in_family(
                user_id,
                TokenType::Access,
                Uuid::new_v4(),
                user.token_version,
                Some(family),
                now,
                self.access_token_ttl,
            ),
            refresh_token: self.keys.issue_versioned(
                user_id,
                TokenType::Refresh,
                refresh_id,
                user.token_version,
                now,
                self.refresh_token_ttl,
            ),
            token_type: "bearer".into(),
            expires_in: self.access_token_ttl.as_secs(),
        })
    }

    async fn active_user(&self, id: Uuid) -> ApiResult<User> {
        match users::by_id(&self.db, id).await? {
            Some(user) if user.is_active => Ok(user),
            Some(_) => Err(ApiError::Unauthorized("this account is disabled".into())),
            None => Err(ApiError::Unauthorized(
                "the account of this token no longer exists".into(),
            )),
        }
    }

    /// Every account, oldest first (superusers' listing).
    pub async fn list_users(&self, skip: i64, limit: i64) -> ApiResult<(Vec<User>, i64)> {
        Ok(store::users::list(&self.db, skip, limit).await?)
    }

    /// A superuser activates/deactivates an account or grants/revokes superuser rights; not
    /// their own. Deactivating ends the account's sessions at once.
    pub async fn set_account_flags(
        &self,
        admin: &User,
        id: Uuid,
        is_active: Option<bool>,
        is_superuser: Option<bool>,
    ) -> ApiResult<User> {
        if id == admin.id && (is_active == Some(false) || is_superuser == Some(false)) {
            return Err(ApiError::validation(
                "id",
                "superusers cannot disable or demote themselves",
            ));
        }
        let now = self.clock.now();
        let user = store::users::admin_update(&self.db, id, is_active, is_superuser, now)
            .await
            .map_err(|e| match e {
                store::StoreError::NotFound => ApiError::not_found("user"),
                other => other.into(),
            })?;
        self.hot.user_changed(id).await;
        if is_active == Some(false) {
            self.end_all_sessions(id).await?;
        }
        Ok(user)
    }

    /// The account's logins, newest first.
    pub async fn login_history(
        &self,
        user_id: Uuid,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<store::users::LoginRecord>, i64)> {
        Ok(store::users::login_history(&self.db, user_id, skip, limit).await?)
    }
}
