//! Mail-backed flows: e-mail verification and password reset (only hashes of the mailed
//! tokens are stored), sent in the background.

use super::*;

impl Accounts {
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
        self.set_password(user_id, new_password).await?;
        self.audit
            .record(
                crate::services::audit::Event::new(crate::services::audit::Action::PasswordReset)
                    .by(&user)
                    .on("user", user_id)
                    .detail(serde_json::json!({"via": "e-mailed link"})),
            )
            .await;
        Ok(())
    }

    pub(super) async fn send_verification(&self, user: &User) -> ApiResult<()> {
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
    pub(super) fn deliver(&self, to: String, subject: &'static str, body: String) {
        let mailer = self.mailer.clone();
        let task = tokio::spawn(async move {
            if let Err(err) = mailer.send(&to, subject, body).await {
                tracing::error!(error = %err, subject, "mail delivery failed");
            }
        });
        self.background.track(task);
    }
}
