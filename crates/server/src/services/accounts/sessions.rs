//! Sessions: login (throttled), token pairs and their rotation, logout and revocation, and
//! the checks every authenticated request and open socket goes through.

use super::*;
use crate::services::audit::{Action, Event};

impl Accounts {
    /// A login attempt's audit entry. An unknown account is not named: what was typed as a
    /// login may be a password typed in the wrong field.
    async fn audit_login(
        &self,
        action: Action,
        user: Option<&User>,
        client: &ClientInfo,
        reason: Option<&str>,
    ) {
        let mut event = Event::new(action).from_ip(client.ip.as_deref());
        if let Some(user) = user {
            event = event.by(user).on("user", user.id);
        }
        let mut detail = serde_json::Map::new();
        if let Some(reason) = reason {
            detail.insert("reason".into(), reason.into());
        }
        if let Some(agent) = &client.user_agent {
            let agent: String = agent.chars().take(200).collect();
            detail.insert("user_agent".into(), agent.into());
        }
        self.audit.record(event.detail(detail.into())).await;
    }

    /// One `login.locked` entry per wait a failed password check started.
    pub(super) async fn audit_locks(
        &self,
        locks: &[(&'static str, std::time::Duration)],
        user: Option<&User>,
        client: &ClientInfo,
    ) {
        for (scope, wait) in locks {
            let mut event = Event::new(Action::LoginLocked)
                .from_ip(client.ip.as_deref())
                .detail(serde_json::json!({"scope": scope, "seconds": wait.as_secs()}));
            if let Some(user) = user {
                event = event.by(user).on("user", user.id);
            }
            self.audit.record(event).await;
        }
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
            self.audit_login(Action::LoginThrottled, user.as_ref(), client, None)
                .await;
            return Err(wait);
        }
        let matches = match &user {
            Some(user) => self.passwords.verify(password, &user.hashed_password).await,
            None => self.passwords.verify_dummy(password).await,
        }
        .map_err(ApiError::internal)?;
        let user = match user {
            Some(user) if matches => user,
            other => {
                let locks = attempt.failed(&self.throttle).await?;
                let reason = if user_id.is_some() {
                    "bad_password"
                } else {
                    "unknown_user"
                };
                record(user_id, false, reason).await;
                self.audit_login(Action::LoginFailed, other.as_ref(), client, Some(reason))
                    .await;
                self.audit_locks(&locks, other.as_ref(), client).await;
                return Err(ApiError::Unauthorized(BAD_CREDENTIALS.into()));
            }
        };
        if !user.is_active {
            record(Some(user.id), false, "inactive").await;
            self.audit_login(Action::LoginFailed, Some(&user), client, Some("inactive"))
                .await;
            return Err(ApiError::Forbidden("this account is disabled".into()));
        }
        attempt.succeeded(&self.throttle).await?;
        record(Some(user.id), true, "ok").await;
        self.audit_login(Action::LoginSucceeded, Some(&user), client, None)
            .await;
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
            self.audit_reuse(stored.user_id, stored.family_id, revoked)
                .await;
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
            let revoked = self.revoke_family(stored.user_id, stored.family_id).await?;
            self.audit_reuse(stored.user_id, stored.family_id, revoked)
                .await;
            return Err(ApiError::Unauthorized(
                "refresh token already used; please log in again".into(),
            ));
        }
        self.issue_pair(&user, stored.family_id, Some(new_id)).await
    }

    async fn audit_reuse(&self, user_id: Uuid, family: Uuid, revoked: u64) {
        let mut event = Event::new(Action::TokenReuseDetected)
            .on("token_family", family)
            .detail(serde_json::json!({"revoked_refresh_tokens": revoked, "user_id": user_id}));
        if let Ok(Some(user)) = users::by_id(&self.db, user_id).await {
            event = event.by(&user);
        }
        self.audit.record(event).await;
    }

    /// A logout's audit entry: the login (token family) ended, or the access token alone.
    async fn audit_revoked(&self, user_id: Uuid, family: Option<Uuid>, reason: &str) {
        let mut event = Event::new(Action::TokenRevoked)
            .detail(serde_json::json!({"reason": reason, "user_id": user_id}));
        if let Some(family) = family {
            event = event.on("token_family", family);
        }
        if let Ok(Some(user)) = users::by_id(&self.db, user_id).await {
            event = event.by(&user);
        }
        self.audit.record(event).await;
    }

    /// Revokes every refresh token of a login and, through the deny-list, every access token
    /// issued in it. Returns how many refresh tokens were live.
    pub(super) async fn revoke_family(&self, user: Uuid, family: Uuid) -> ApiResult<u64> {
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
                let (user, family) = self.refresh_family(token).await?;
                if user != claims.sub {
                    return Err(invalid_refresh());
                }
                Some(family)
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
        self.audit_revoked(claims.sub, claims.fam.or(extra), "logout")
            .await;
        Ok(())
    }

    /// Ends the login a refresh token belongs to, given only that token (the browser's
    /// session cookie): its family is revoked with every access token issued in it, as
    /// [`Accounts::logout`] does for a refresh token it is given, and open sockets using them
    /// are closed. A token that is not ours (bad signature, expired, unknown) has nothing
    /// left to revoke and is no error.
    pub async fn end_session(&self, refresh_token: &str) -> ApiResult<()> {
        match self.refresh_family(refresh_token).await {
            Ok((user, family)) => {
                self.revoke_family(user, family).await?;
                self.audit_revoked(user, Some(family), "session_end").await;
                Ok(())
            }
            Err(ApiError::Unauthorized(_)) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// The account and login (token family) of a refresh token, whether or not it was
    /// already rotated; 401 when it is not a valid refresh token of ours.
    async fn refresh_family(&self, refresh_token: &str) -> ApiResult<(Uuid, Uuid)> {
        let refresh = self
            .keys
            .verify(refresh_token, TokenType::Refresh)
            .map_err(token_error)?;
        let stored = tokens::refresh_by_id(&self.db, refresh.jti)
            .await?
            .filter(|t| t.user_id == refresh.sub)
            .ok_or_else(invalid_refresh)?;
        Ok((stored.user_id, stored.family_id))
    }

    /// Revokes every session of a user (the account was disabled): refresh tokens in the
    /// database; access tokens die by the `is_active` check; open sockets are told at once.
    pub async fn end_all_sessions(&self, user: Uuid) -> ApiResult<()> {
        tokens::revoke_all_for_user(&self.db, user, self.clock.now()).await?;
        crate::auth::revocation::announce_account(&self.events, user).await;
        Ok(())
    }

    pub(super) fn access_ttl(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.access_token_ttl).unwrap_or(chrono::Duration::minutes(30))
    }

    /// The user an access token stands for, if the token and the account are still good.
    pub async fn authenticate(&self, access_token: impl AsRef<[u8]>) -> ApiResult<User> {
        let (account, _) = self.authenticate_shared(access_token).await?;
        Ok(account.user.clone())
    }

    /// [`Accounts::authenticate`], also giving the token's claims.
    pub async fn authenticate_claims(
        &self,
        access_token: impl AsRef<[u8]>,
    ) -> ApiResult<(User, Claims)> {
        let (account, claims) = self.authenticate_shared(access_token).await?;
        Ok((account.user.clone(), claims))
    }

    /// [`Accounts::authenticate_claims`], giving the cached copy of the account itself (with
    /// its renderings) instead of a copy of the user.
    pub async fn authenticate_shared(
        &self,
        access_token: impl AsRef<[u8]>,
    ) -> ApiResult<(Arc<HotUser>, Claims)> {
        let claims = self
            .keys
            .verify(access_token, TokenType::Access)
            .map_err(token_error)?;
        let account = self.check_claims(&claims, false).await?;
        Ok((account, claims))
    }

    /// Whether the (signature-checked) access token `claims` still stands: not expired, not
    /// revoked, issued under the account's current password, account active; the account's
    /// cached copy if so. `fresh` asks the database instead of this instance's caches (a socket
    /// told that something changed).
    pub async fn check_claims(&self, claims: &Claims, fresh: bool) -> ApiResult<Arc<HotUser>> {
        // The clock as seconds, without chrono's calendar arithmetic (every request).
        if claims.exp <= jsonwebtoken::get_current_timestamp() as i64 {
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
        let hot = match cached {
            Some(hot) => hot,
            None => {
                // Boxed: the database's future is large, and a cache hit should not carry it.
                let user = Box::pin(users::by_id(&self.db, claims.sub))
                    .await?
                    .ok_or_else(|| {
                        ApiError::Unauthorized("the account of this token no longer exists".into())
                    })?;
                self.hot.put_user(user)
            }
        };
        let user = &hot.user;
        if !user.is_active {
            return Err(ApiError::Unauthorized("this account is disabled".into()));
        }
        if claims.ver != user.token_version {
            return Err(ApiError::Unauthorized(
                "token revoked by a password change; please log in again".into(),
            ));
        }
        Ok(hot)
    }

    pub(super) async fn issue_pair(
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

    pub(super) async fn active_user(&self, id: Uuid) -> ApiResult<User> {
        match users::by_id(&self.db, id).await? {
            Some(user) if user.is_active => Ok(user),
            Some(_) => Err(ApiError::Unauthorized("this account is disabled".into())),
            None => Err(ApiError::Unauthorized(
                "the account of this token no longer exists".into(),
            )),
        }
    }
}
