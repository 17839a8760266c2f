//! Throttling of password guesses (login, and the endpoints that check the current password:
//! change password, delete account), instead of locking accounts.
//!
//! A lock that any stranger can trigger by typing a player's name five times is a denial of
//! service on that player, and answering 423 only for real accounts tells which names exist.
//! So (OWASP ASVS 4.0.3 V2.2.1, "soft lockout"; OWASP Authentication Cheat Sheet, "account
//! lockout"):
//!
//! - failures are counted per (account, client address). After [`ThrottlePolicy::per_address_free`]
//!   failures (default 5) that address must wait before its next guess for that account:
//!   [`ThrottlePolicy::base_delay`] (30 s), doubling with every further failure, up to
//!   [`ThrottlePolicy::max_delay`] (1 h). While it waits it gets 429 with `Retry-After`, and
//!   the password is not even checked. A successful login from the address clears its count.
//! - failures are also counted per account over every address (a botnet spreading guesses).
//!   After [`ThrottlePolicy::per_account_free`] failures (default 100) the same growing delays
//!   apply to every address, except the owner's known devices: addresses this account has
//!   logged in from successfully within [`ThrottlePolicy::known_device_for`] (90 days,
//!   from the login history). So the owner's correct login from a known device still works
//!   while an attack runs. (An address is a coarse device identity: someone sharing the
//!   owner's address counts as known too, but is still bound by the per-address count.)
//! - a run of failures is forgotten [`WINDOW`] (24 h) after its last failure; a password
//!   change or reset forgets every count of the account.
//! - the account is the user's id, or — for a name no account has — the name as typed in
//!   lower case, counted and delayed exactly the same way: an unknown name and a real account
//!   give the same answers (same status, body and `Retry-After`) through any sequence, and do
//!   the same work (a password hash is verified for both, or for neither while delayed).
//!
//! Counts live in the database (`login_throttle`), so every instance applies them. Guesses
//! sent at the same instant are all checked before the first failure is counted, so a burst
//! can exceed the free failures by its size; the per-address token bucket on these endpoints
//! (`GW2OPT_LOGIN_RATE_PER_MINUTE`) bounds such bursts.

use std::time::Duration;

use chrono::{DateTime, Utc};
use store::users::{self, User, EVERY_ADDRESS};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use store::Db;

/// How long after its last failure a run of failures is forgotten.
pub const WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The numbers of the policy (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub per_address_free: i32,
    pub per_account_free: i32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    pub known_device_for: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            per_address_free: 5,
            per_account_free: 100,
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(3600),
            known_device_for: Duration::from_secs(90 * 24 * 3600),
        }
    }
}

impl ThrottlePolicy {
    /// The wait after the `failures`-th failure when `free` failures are allowed: none
    /// before, then base, 2 × base, 4 × base, ... up to the maximum.
    pub fn delay(&self, failures: i32, free: i32) -> Option<Duration> {
        if failures < free.max(1) {
            return None;
        }
        let doublings = u32::try_from(failures - free.max(1)).unwrap_or(0).min(30);
        Some(
            self.base_delay
                .saturating_mul(1u32 << doublings)
                .min(self.max_delay),
        )
    }
}

/// One password check by someone, for some account, from some address.
pub struct Attempt {
    account: String,
    address: String,
    user_id: Option<Uuid>,
}

impl Attempt {
    /// `user` when the name belongs to an account; otherwise the name as typed stands for it.
    pub fn new(user: Option<&User>, login: &str, ip: Option<&str>) -> Self {
        Self {
            account: match user {
                Some(u) => u.id.to_string(),
                None => login.trim().to_lowercase(),
            },
            address: ip.unwrap_or("unknown").to_owned(),
            user_id: user.map(|u| u.id),
        }
    }

    /// `Err(429)` while this account must wait before another guess from this address.
    pub async fn check(&self, throttle: &LoginThrottle) -> ApiResult<()> {
        let now = throttle.clock.now();
        let rows = users::throttles(&throttle.db, &self.account, &self.address).await?;
        let blocked = |address: &str| {
            rows.iter()
                .find(|r| r.address == address)
                .and_then(|r| r.blocked_until)
                .filter(|until| *until > now)
        };
        let wait = match (blocked(&self.address), blocked(EVERY_ADDRESS)) {
            (Some(until), _) => Some(until),
            (None, Some(until)) => {
                // The per-account ceiling spares the owner's known devices. Unknown names ask
                // the same question (of a user nobody has), so both do the same work.
                let since = now
                    - chrono::Duration::from_std(throttle.policy.known_device_for)
                        .unwrap_or(chrono::Duration::days(90));
                let known = users::logged_in_from(
                    &throttle.db,
                    self.user_id.unwrap_or(Uuid::nil()),
                    &self.address,
                    since,
                )
                .await?;
                (!known).then_some(until)
            }
            (None, None) => None,
        };
        match wait {
            Some(until) => Err(too_many(until, now)),
            None => Ok(()),
        }
    }

    /// Counts a wrong password, and delays the next guesses once past the free ones. Returns
    /// the waits this failure started: (`address` for this address, `account` for every
    /// address but the owner's known devices, the wait), for the audit log.
    pub async fn failed(
        &self,
        throttle: &LoginThrottle,
    ) -> ApiResult<Vec<(&'static str, Duration)>> {
        let policy = throttle.policy;
        let now = throttle.clock.now();
        let window_start =
            now - chrono::Duration::from_std(WINDOW).unwrap_or(chrono::Duration::hours(24));
        let mut locks = Vec::new();
        for (scope, address, free) in [
            ("address", self.address.as_str(), policy.per_address_free),
            ("account", EVERY_ADDRESS, policy.per_account_free),
        ] {
            let failures =
                users::count_login_failure(&throttle.db, &self.account, address, now, window_start)
                    .await?;
            if let Some(delay) = policy.delay(failures, free) {
                let until = now + chrono::Duration::from_std(delay).unwrap_or_default();
                users::block_login(&throttle.db, &self.account, address, until).await?;
                locks.push((scope, delay));
            }
        }
        Ok(locks)
    }

    /// A right password: this address starts afresh for this account (the per-account run
    /// goes on: an attack elsewhere is not over because the owner logged in).
    pub async fn succeeded(&self, throttle: &LoginThrottle) -> ApiResult<()> {
        users::clear_login_failures(&throttle.db, &self.account, &self.address).await?;
        Ok(())
    }
}

/// What the throttle reads and writes: the failure counters in the database, the clock, and
/// the policy from the settings.
#[derive(Clone)]
pub struct LoginThrottle {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
    pub(crate) policy: ThrottlePolicy,
}

/// 429 with the whole seconds left (at least 1).
fn too_many(until: DateTime<Utc>, now: DateTime<Utc>) -> ApiError {
    let millis = (until - now).num_milliseconds().max(0);
    let secs = u64::try_from((millis + 999) / 1000).unwrap_or(1).max(1);
    ApiError::TooManyRequests {
        retry_after_secs: secs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_the_first_counted_failure_up_to_the_cap() {
        let p = ThrottlePolicy::default();
        let secs = |f| p.delay(f, p.per_address_free).map(|d| d.as_secs());
        assert_eq!(secs(4), None);
        assert_eq!(secs(5), Some(30));
        assert_eq!(secs(6), Some(60));
        assert_eq!(secs(7), Some(120));
        assert_eq!(secs(11), Some(1920));
        assert_eq!(secs(12), Some(3600), "capped");
        assert_eq!(secs(10_000), Some(3600), "no overflow");
        assert_eq!(p.delay(99, p.per_account_free), None);
        assert_eq!(
            p.delay(100, p.per_account_free),
            Some(Duration::from_secs(30))
        );
    }
}
