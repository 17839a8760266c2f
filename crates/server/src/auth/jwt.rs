//! Signed tokens (JWT, HS256 with SECRET_KEY). Access tokens authorize requests; refresh
//! tokens only buy new pairs. The `type` claim keeps one from being used as the other.

use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: Uuid,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
    #[serde(rename = "type")]
    pub token_type: TokenType,
    /// The account's token version at issue time; a password change makes older ones invalid.
    #[serde(default)]
    pub ver: i32,
    /// The login (refresh-token family) an access token was issued in: revoking the family
    /// (logout, a replayed refresh token) revokes its access tokens too. Absent in refresh
    /// tokens (their family is stored with them) and in access tokens issued before it
    /// existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fam: Option<Uuid>,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Tokens whose signature this process has checked, with their claims (see
    /// [`TokenKeys::verify`]).
    verified: crate::expiring::Expiring<Box<[u8]>, Claims>,
}

/// How many verified tokens are remembered (about 400 bytes each).
const VERIFIED_TOKENS: u64 = 10_000;
/// The longest a verified token is remembered; its own expiry is checked on every use.
const VERIFIED_FOR: std::time::Duration = std::time::Duration::from_secs(15 * 60);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("token expired")]
    Expired,
    #[error("invalid token")]
    Invalid,
    #[error("wrong token type")]
    WrongType,
}

impl TokenKeys {
    pub fn new(secret: &str) -> Self {
        // Only HS256 is accepted: `alg: none` and algorithm-confusion tokens fail validation.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            verified: crate::expiring::Expiring::new(VERIFIED_TOKENS, VERIFIED_FOR),
        }
    }

    pub fn issue(
        &self,
        user: Uuid,
        token_type: TokenType,
        jti: Uuid,
        now: DateTime<Utc>,
        ttl: std::time::Duration,
    ) -> String {
        self.issue_versioned(user, token_type, jti, 0, now, ttl)
    }

    pub fn issue_versioned(
        &self,
        user: Uuid,
        token_type: TokenType,
        jti: Uuid,
        ver: i32,
        now: DateTime<Utc>,
        ttl: std::time::Duration,
    ) -> String {
        self.issue_in_family(user, token_type, jti, ver, None, now, ttl)
    }

    /// A token that names the login family it belongs to (see [`Claims::fam`]).
    #[allow(clippy::too_many_arguments)]
    pub fn issue_in_family(
        &self,
        user: Uuid,
        token_type: TokenType,
        jti: Uuid,
        ver: i32,
        family: Option<Uuid>,
        now: DateTime<Utc>,
        ttl: std::time::Duration,
    ) -> String {
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::minutes(30));
        let claims = Claims {
            sub: user,
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
            jti,
            token_type,
            ver,
            fam: family,
        };
        // Encoding HS256 claims made of plain fields cannot fail.
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// The claims of `token` if its signature is ours, it has not expired and it is of the
    /// `expected` type.
    ///
    /// A client sends the same access token on every request for its lifetime, and checking
    /// it (base64, JSON, HMAC-SHA256 with a key schedule per call) was most of what an
    /// authenticated read cost: about 34 k instructions of `GET /auth/me`'s 79 k
    /// (callgrind). A token whose signature checked out is remembered with its claims, keyed
    /// by its exact text, as Envoy's JWT filter caches verified tokens: a forged or altered
    /// token is different text and is checked in full. Expiry and type are checked on every
    /// use; revocation is the caller's, on every request (`Accounts::authenticate_claims`).
    ///
    /// `token` is taken as bytes (an `Authorization` header's): only a token not seen before
    /// is read as text, a remembered one is the very bytes that were.
    pub fn verify(
        &self,
        token: impl AsRef<[u8]>,
        expected: TokenType,
    ) -> Result<Claims, TokenError> {
        let token = token.as_ref();
        let claims = match self.verified.get(token) {
            Some(claims) => {
                if claims.exp < jsonwebtoken::get_current_timestamp() as i64 {
                    self.verified.remove(token);
                    return Err(TokenError::Expired);
                }
                claims
            }
            None => {
                let text = std::str::from_utf8(token).map_err(|_| TokenError::Invalid)?;
                let claims = decode::<Claims>(text, &self.decoding, &self.validation)
                    .map_err(|e| match e.kind() {
                        jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                        _ => TokenError::Invalid,
                    })?
                    .claims;
                self.verified.insert(token.into(), claims.clone());
                claims
            }
        };
        if claims.token_type != expected {
            return Err(TokenError::WrongType);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// An access token of `user` issued at `at`, valid for a minute.
    fn access_token(keys: &TokenKeys, user: Uuid, at: DateTime<Utc>) -> String {
        keys.issue(
            user,
            TokenType::Access,
            Uuid::new_v4(),
            at,
            Duration::from_secs(60),
        )
    }

    #[test]
    fn round_trip_and_attacks() {
        let keys = TokenKeys::new("a-secret-key-that-is-long-enough-for-tests");
        let user = Uuid::new_v4();
        let token = access_token(&keys, user, Utc::now());
        assert_eq!(keys.verify(&token, TokenType::Access).unwrap().sub, user);
        assert_eq!(
            keys.verify(&token, TokenType::Refresh),
            Err(TokenError::WrongType)
        );

        let other = TokenKeys::new("another-secret-key-that-is-long-enough!!");
        assert_eq!(
            other.verify(&token, TokenType::Access),
            Err(TokenError::Invalid)
        );

        let old = access_token(&keys, user, Utc::now() - chrono::Duration::hours(2));
        assert_eq!(
            keys.verify(&old, TokenType::Access),
            Err(TokenError::Expired)
        );

        assert_eq!(
            keys.verify("garbage", TokenType::Access),
            Err(TokenError::Invalid)
        );
        assert_eq!(keys.verify("", TokenType::Access), Err(TokenError::Invalid));
    }

    /// A remembered token is still refused once expired, and any altered copy of it (payload
    /// or signature) is checked in full and refused.
    #[test]
    fn remembered_tokens_still_expire_and_altered_copies_are_refused() {
        let keys = TokenKeys::new("a-secret-key-that-is-long-enough-for-tests");
        let user = Uuid::new_v4();
        let token = access_token(&keys, user, Utc::now() - chrono::Duration::seconds(59));
        assert_eq!(keys.verify(&token, TokenType::Access).unwrap().sub, user);
        assert_eq!(keys.verify(&token, TokenType::Access).unwrap().sub, user);
        let (head_and_payload, signature) = token.rsplit_once('.').unwrap();
        let mut flipped = signature.to_owned().into_bytes();
        flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
        let forged = format!("{head_and_payload}.{}", String::from_utf8(flipped).unwrap());
        assert_eq!(
            keys.verify(&forged, TokenType::Access),
            Err(TokenError::Invalid)
        );
        let other_user = access_token(&keys, Uuid::new_v4(), Utc::now());
        let (_, other_payload_sig) = other_user.split_once('.').unwrap();
        let (other_payload, _) = other_payload_sig.split_once('.').unwrap();
        let (head, _) = head_and_payload.split_once('.').unwrap();
        let spliced = format!("{head}.{other_payload}.{signature}");
        assert_eq!(
            keys.verify(&spliced, TokenType::Access),
            Err(TokenError::Invalid)
        );
        // The token's `exp` is at most 1 s ahead: past it, the remembered token is refused.
        std::thread::sleep(Duration::from_millis(2100));
        assert_eq!(
            keys.verify(&token, TokenType::Access),
            Err(TokenError::Expired)
        );
    }
}
