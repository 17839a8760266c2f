//! Keeps checking the access token of a long-lived connection (a WebSocket), which was
//! authenticated once when it opened: the connection must end (close code 4401) when the
//! token expires, is revoked (logout, revoked login), or stops standing for its account
//! (password changed, account disabled or deleted).
//!
//! Three triggers: a timer at the token's `exp`; a message on the account's event-bus topic
//! (`auth::revocation::account_topic`, published on every instance through Redis when
//! configured), after which the database is asked at once; and a periodic check every
//! `ws_auth_recheck` through the same caches as requests, in case a message was lost.

use std::pin::Pin;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::time::{Interval, Sleep};

use crate::auth::jwt::Claims;
use crate::error::ApiError;
use crate::services::accounts::Accounts;

pub struct SessionWatch {
    accounts: Accounts,
    claims: Claims,
    account: broadcast::Receiver<crate::events::Message>,
    account_open: bool,
    /// An account message arrived and its fresh check has not completed yet (the check is
    /// redone if the future asking was dropped in between).
    pending: bool,
    recheck: Interval,
    expiry: Pin<Box<Sleep>>,
}

impl SessionWatch {
    /// Starts watching the session of `claims` (already verified).
    /// `recheck` is the periodic check's interval (`ws_auth_recheck`).
    pub fn new(accounts: &Accounts, recheck: Duration, claims: Claims) -> Self {
        let account = accounts
            .events
            .subscribe(&crate::auth::revocation::account_topic(claims.sub));
        let every = recheck.max(Duration::from_millis(10));
        let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let expiry = Box::pin(tokio::time::sleep_until(deadline(claims.exp)));
        Self {
            accounts: accounts.clone(),
            claims,
            account,
            account_open: true,
            pending: false,
            recheck,
            expiry,
        }
    }

    /// Resolves when the session has ended, with why. Cancel-safe: use it in `select!`.
    pub async fn ended(&mut self) -> String {
        loop {
            if self.pending {
                if let Some(why) = self.check(true).await {
                    return why;
                }
                self.pending = false;
            }
            tokio::select! {
                _ = &mut self.expiry => {
                    return "the access token expired; reconnect with a new one".into();
                }
                _ = self.recheck.tick() => {
                    if let Some(why) = self.check(false).await {
                        return why;
                    }
                }
                event = self.account.recv(), if self.account_open => match event {
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => self.pending = true,
                    Err(broadcast::error::RecvError::Closed) => self.account_open = false,
                },
            }
        }
    }

    /// `Some(why)` when the token no longer stands. A database outage is not a reason: the
    /// connection stays and is checked again later.
    async fn check(&self, fresh: bool) -> Option<String> {
        match self.accounts.check_claims(&self.claims, fresh).await {
            Ok(_) => None,
            Err(err @ ApiError::Unauthorized(_)) => Some(err.to_string()),
            Err(err) => {
                tracing::warn!(error = %err, "could not check a connection's token; checking again later");
                None
            }
        }
    }
}

/// When a token whose `exp` claim is `exp` (Unix seconds) expires, on the runtime's clock.
fn deadline(exp: i64) -> tokio::time::Instant {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    // The token is refused from that second on; a year bounds a nonsense claim.
    let left = (exp as f64 - now).clamp(0.0, 366.0 * 86_400.0);
    tokio::time::Instant::now() + Duration::from_secs_f64(left)
}
