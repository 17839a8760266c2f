//! Authentication: password hashing, signed tokens and the extractors that inject the
//! current user into handlers.

pub mod extract;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod rate_limit;
pub mod revocation;
pub mod throttle;

/// A random URL-safe token of `bytes` bytes of entropy from the OS generator, for secrets,
/// token ids and one-time links.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
