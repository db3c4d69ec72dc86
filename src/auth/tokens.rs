//! JSON Web Tokens: HS256 access and refresh tokens, issued and verified with
//! the algorithm pinned.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Seconds of clock skew tolerated when checking `exp`.
pub const LEEWAY_SECONDS: u64 = 10;

/// The use a token is issued for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenType {
    Access,
    Refresh,
}

/// The claims of every token this server issues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub username: String,
    pub role: String,
    pub typ: TokenType,
    /// Issued at, in seconds since the Unix epoch.
    pub iat: u64,
    /// Expires at, in seconds since the Unix epoch.
    pub exp: u64,
    /// Unique token id; logout revokes an access token by it.
    pub jti: String,
    pub iss: String,
    /// The refresh-token family of the login session, so logout can revoke it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fam: Option<String>,
}

/// A rejected token. Clients only ever see a generic 401.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TokenError {
    #[error("token is invalid: {0}")]
    Invalid(String),
    #[error("token is a {found:?} token where a {expected:?} token is required")]
    WrongType { expected: TokenType, found: TokenType },
}

/// Signs and verifies tokens with one HS256 secret.
pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    /// Lifetime of access tokens.
    pub access_ttl: Duration,
    /// Lifetime of refresh tokens.
    pub refresh_ttl: Duration,
}

impl TokenSigner {
    /// Creates a signer for `secret`, which the configuration has checked.
    pub fn new(secret: &[u8], issuer: &str, access_ttl: Duration, refresh_ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECONDS;
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "sub"]);
        TokenSigner {
            // HMAC takes a key of any length; the configuration has already
            // rejected secrets that are too short.
            encoding: EncodingKey::from_secret(secret).expect("an HMAC key of any length"),
            decoding: DecodingKey::from_secret(secret).expect("an HMAC key of any length"),
            validation,
            issuer: issuer.to_owned(),
            access_ttl,
            refresh_ttl,
        }
    }

    /// Issues a token of type `typ` for a user in the login session `family`.
    /// Returns the token and its claims.
    pub fn issue(&self, user_id: &str, username: &str, role: &str, typ: TokenType, family: &str) -> (String, Claims) {
        let now = unix_now();
        let ttl = match typ {
            TokenType::Access => self.access_ttl,
            TokenType::Refresh => self.refresh_ttl,
        };
        let claims = Claims {
            sub: user_id.to_owned(),
            username: username.to_owned(),
            role: role.to_owned(),
            typ,
            iat: now,
            exp: now + ttl.as_secs(),
            jti: uuid::Uuid::new_v4().to_string(),
            iss: self.issuer.clone(),
            fam: Some(family.to_owned()),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing of serialisable claims cannot fail");
        (token, claims)
    }

    /// Verifies signature, algorithm, issuer and expiry, then that the token has type `expected`.
    pub fn verify(&self, token: &str, expected: TokenType) -> Result<Claims, TokenError> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| TokenError::Invalid(error.to_string()))?;
        if data.header.alg != Algorithm::HS256 {
            return Err(TokenError::Invalid(format!("algorithm {:?} is not accepted", data.header.alg)));
        }
        if data.claims.typ != expected {
            return Err(TokenError::WrongType { expected, found: data.claims.typ });
        }
        Ok(data.claims)
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> TokenSigner {
        TokenSigner::new(&[7u8; 32], "reynard", Duration::from_secs(60), Duration::from_secs(600))
    }

    #[test]
    fn access_token_round_trips() {
        let signer = signer();
        let (token, claims) = signer.issue("u1", "alice", "user", TokenType::Access, "f1");
        assert_eq!(signer.verify(&token, TokenType::Access), Ok(claims));
    }

    #[test]
    fn refresh_rejected_as_access() {
        let signer = signer();
        let (token, _) = signer.issue("u1", "alice", "user", TokenType::Refresh, "f1");
        assert!(matches!(signer.verify(&token, TokenType::Access), Err(TokenError::WrongType { .. })));
    }

    #[test]
    fn other_issuer_rejected() {
        let other = TokenSigner::new(&[7u8; 32], "elsewhere", Duration::from_secs(60), Duration::from_secs(60));
        let (token, _) = other.issue("u1", "alice", "user", TokenType::Access, "f1");
        assert!(signer().verify(&token, TokenType::Access).is_err());
    }

    #[test]
    fn other_key_rejected() {
        let other = TokenSigner::new(&[8u8; 32], "reynard", Duration::from_secs(60), Duration::from_secs(60));
        let (token, _) = other.issue("u1", "alice", "user", TokenType::Access, "f1");
        assert!(signer().verify(&token, TokenType::Access).is_err());
    }
}
