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
use crate::hot::{HotCaches, HotUser};
use crate::services::audit::{Action, Event};
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

mod recovery;
mod sessions;
mod validate;

use validate::{clean_optional, rename_field, validate_http_url};
pub use validate::{validate_email, validate_password, validate_username};

/// The accounts service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Accounts {
    pub(crate) db: Db,
    pub(crate) hot: HotCaches,
    pub(crate) keys: TokenKeys,
    pub(crate) passwords: PasswordHasherPool,
    pub(crate) mailer: Mailer,
    pub(crate) clock: Clock,
    /// Security events and administrative actions are audited.
    pub(crate) audit: crate::services::audit::Audit,
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
        let user = users::create(&self.db, &new, self.clock.now()).await?;
        self.audit
            .record(
                Event::new(Action::SuperuserCreated)
                    .by(&user)
                    .on("user", user.id)
                    .detail(serde_json::json!({"via": "command line"})),
            )
            .await;
        Ok(user)
    }

    /// Verifies the current password of a signed-in user for a sensitive change, counted and
    /// delayed like login guesses (`auth::throttle`): a stolen session cannot be used to guess
    /// the password either. `field` names the password field in the 422.
    pub(super) async fn verify_current_password(
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
            let locks = attempt.failed(&self.throttle).await?;
            self.audit
                .record(
                    Event::new(Action::PasswordCheckFailed)
                        .by(user)
                        .on("user", user.id)
                        .from_ip(client.ip.as_deref())
                        .detail(serde_json::json!({"for": field})),
                )
                .await;
            self.audit_locks(&locks, Some(user), client).await;
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
        self.set_password(user.id, new).await?;
        self.audit
            .record(
                Event::new(Action::PasswordChanged)
                    .by(user)
                    .on("user", user.id)
                    .from_ip(client.ip.as_deref()),
            )
            .await;
        Ok(())
    }

    pub(super) async fn set_password(&self, user_id: Uuid, new: &str) -> ApiResult<()> {
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
        self.audit
            .record(
                Event::new(Action::AccountDeleted)
                    .by(user)
                    .on("user", user.id)
                    .from_ip(client.ip.as_deref()),
            )
            .await;
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
        let mut changed = serde_json::Map::new();
        if let Some(active) = is_active {
            changed.insert("is_active".into(), active.into());
        }
        if let Some(superuser) = is_superuser {
            changed.insert("is_superuser".into(), superuser.into());
        }
        changed.insert("username".into(), user.username.clone().into());
        self.audit
            .record(
                Event::new(Action::UserFlagsChanged)
                    .by(admin)
                    .on("user", id)
                    .detail(changed.into()),
            )
            .await;
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
