//! Client-side token bucket. The API throttles per IP with a bucket of 300 requests refilled at 5
//! per second; staying under it ourselves means requests wait a little instead of drawing 429s
//! (which cost a round trip and a `Retry-After` wait each).
//!
//! Each caller *reserves* a token, possibly driving the balance negative, and sleeps until its
//! token has been refilled. Reservations are taken under a lock, so waiters are served in arrival
//! order and none starves. A caller dropped while waiting forfeits its slot (a short extra delay
//! for the others, never a stall). Uses tokio's clock, so tests can run it with paused time.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct RateLimiter {
    /// Tokens per second; `None` = unlimited.
    rate: Option<f64>,
    capacity: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// `rate_per_minute == 0` disables limiting; `burst` is clamped to at least 1.
    pub fn new(rate_per_minute: u32, burst: u32) -> Self {
        let capacity = f64::from(burst.max(1));
        Self {
            rate: (rate_per_minute > 0).then(|| f64::from(rate_per_minute) / 60.0),
            capacity,
            state: Mutex::new(State {
                tokens: capacity,
                last: Instant::now(),
            }),
        }
    }

    /// Waits until a request may be sent.
    pub async fn acquire(&self) {
        let wait = self.reserve();
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "GW2 API rate limit: waiting"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes a token and returns how long to wait for it.
    fn reserve(&self) -> Duration {
        let Some(rate) = self.rate else {
            return Duration::ZERO;
        };
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(state.last).as_secs_f64();
        state.tokens = (state.tokens + elapsed * rate).min(self.capacity);
        state.last = now;
        state.tokens -= 1.0;
        if state.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-state.tokens / rate)
        }
    }

    /// Tokens available now (negative while callers are queued).
    pub fn available(&self) -> f64 {
        let state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match self.rate {
            None => self.capacity,
            Some(rate) => {
                let elapsed = Instant::now()
                    .saturating_duration_since(state.last)
                    .as_secs_f64();
                (state.tokens + elapsed * rate).min(self.capacity)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_then_refill_rate() {
        // 2 tokens, 1 per second: 5 requests need 3 refills.
        let limiter = RateLimiter::new(60, 2);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        let took = start.elapsed();
        assert!(took >= Duration::from_secs(3), "{took:?}");
        assert!(took < Duration::from_millis(3100), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn refills_up_to_capacity_only() {
        let limiter = RateLimiter::new(600, 3);
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!((limiter.available() - 3.0).abs() < 1e-9);
    }

    #[tokio::test(start_paused = true)]
    async fn zero_rate_means_unlimited() {
        let limiter = RateLimiter::new(0, 1);
        let start = Instant::now();
        for _ in 0..100 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
