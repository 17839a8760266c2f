//! Password hashing with argon2id. Hashing is deliberately slow, so it runs on the blocking
//! thread pool, never on the async executor, and at most a few at a time (each hash holds
//! `memory_kib` of RAM).

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// argon2id cost. The default follows the OWASP Password Storage Cheat Sheet's first
/// recommended configuration for argon2id: m = 19 MiB, t = 2, p = 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordCost {
    /// The cheapest argon2id settings, for tests that hash many passwords.
    pub const fn minimal() -> Self {
        Self {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("password hashing task failed")]
    Task,
}

#[derive(Clone)]
pub struct PasswordHasherPool {
    argon2: Arc<Argon2<'static>>,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the user does not exist so that
    /// unknown users and wrong passwords take the same time.
    dummy: Arc<OnceLock<String>>,
    /// How many verifications ran (real and dummy), to show that two paths do the same work.
    verified: Arc<std::sync::atomic::AtomicU64>,
}

impl PasswordHasherPool {
    pub fn new(cost: PasswordCost) -> Result<Self, PasswordError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        let workers = std::thread::available_parallelism()
            .map(std::num::NonZero::get)
            .unwrap_or(2);
        Ok(Self {
            argon2: Arc::new(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)),
            permits: Arc::new(Semaphore::new(workers)),
            dummy: Arc::new(OnceLock::new()),
            verified: Default::default(),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let argon2 = self.argon2.clone();
        let password = password.to_owned();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| PasswordError::Hash(e.to_string()))
        })
        .await?
    }

    /// True when `password` matches `hash`. A malformed stored hash counts as a mismatch.
    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, PasswordError> {
        let argon2 = self.argon2.clone();
        let password = password.to_owned();
        let hash = hash.to_owned();
        self.verified
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.run(move || match PasswordHash::new(&hash) {
            Ok(parsed) => argon2.verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        })
        .await
    }

    /// How many password verifications (real or dummy) were asked for so far.
    pub fn verifications(&self) -> u64 {
        self.verified.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Spends the same time as verifying a real password, and always fails.
    pub async fn verify_dummy(&self, password: &str) -> Result<bool, PasswordError> {
        let dummy = match self.dummy.get() {
            Some(h) => h.clone(),
            None => {
                let h = self.hash(&super::random_token(24)).await?;
                self.dummy.get_or_init(|| h).clone()
            }
        };
        self.verify(password, &dummy).await.map(|_| false)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| PasswordError::Task)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| PasswordError::Task)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verifiable() {
        let pool = PasswordHasherPool::new(PasswordCost::minimal()).unwrap();
        let a = pool.hash("correct horse battery").await.unwrap();
        let b = pool.hash("correct horse battery").await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(pool.verify("correct horse battery", &a).await.unwrap());
        assert!(!pool.verify("wrong horse battery", &a).await.unwrap());
        assert!(!pool.verify("anything", "not a hash").await.unwrap());
        assert!(!pool.verify_dummy("anything").await.unwrap());
    }
}
