//! Session tokens: JWT, HS256 only, 24 hours, with `sub`, `role`, `jti`, `iat`, `exp` and `gen`
//! (the user's token generation, which a password change moves on).

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use app::model::Role;

use crate::store::UserRecord;

/// How long a session lasts.
pub const LIFETIME: Duration = Duration::hours(24);

/// What a session token says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The role when issued (informational; the stored role is what counts).
    pub role: Role,
    /// Unique token id, for revocation.
    pub jti: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// The user's token generation when issued.
    pub r#gen: u64,
}

impl Claims {
    /// The expiry as a time.
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or_else(Utc::now)
    }
}

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
#[error("cannot sign the session token: {0}")]
pub struct TokenError(#[from] jsonwebtoken::errors::Error);

/// Issues and checks tokens with one secret.
#[derive(Clone)]
pub struct TokenCodec {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenCodec {
    /// A codec for `secret` (which must not be empty).
    pub fn new(secret: &[u8]) -> Result<Self, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        validation.leeway = 0;
        Ok(TokenCodec {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            validation,
        })
    }

    /// A fresh token for `user` issued at `now`.
    pub fn issue(
        &self,
        user: &UserRecord,
        now: DateTime<Utc>,
    ) -> Result<(String, Claims), TokenError> {
        let claims = Claims {
            sub: user.id.clone(),
            role: user.role,
            jti: uuid::Uuid::new_v4().simple().to_string(),
            iat: now.timestamp(),
            exp: (now + LIFETIME).timestamp(),
            r#gen: user.token_generation,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims))
    }

    /// The claims of a token that is well-formed, HS256-signed with our secret and not expired.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine;

    use super::*;

    fn user() -> UserRecord {
        UserRecord {
            id: "u1".into(),
            email: "a@example.com".into(),
            name: "A".into(),
            password_hash: None,
            role: Role::User,
            token_generation: 3,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn codec() -> TokenCodec {
        TokenCodec::new(&[42u8; 32]).expect("codec")
    }

    #[test]
    fn issued_tokens_verify_with_all_claims() {
        let (token, claims) = codec().issue(&user(), Utc::now()).expect("issue");
        assert_eq!(codec().verify(&token), Some(claims.clone()));
        assert_eq!(claims.exp - claims.iat, 24 * 3600);
        assert_eq!(claims.r#gen, 3);
    }

    #[test]
    fn foreign_tampered_unsigned_and_expired_tokens_are_rejected() {
        let (token, _) = codec().issue(&user(), Utc::now()).expect("issue");
        let other = TokenCodec::new(&[7u8; 32]).expect("codec");
        assert_eq!(other.verify(&token), None, "another secret");

        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&B64.decode(parts[1]).expect("b64")).expect("json");
        claims["role"] = "admin".into();
        let forged = B64.encode(claims.to_string());
        let tampered = format!("{}.{}.{}", parts[0], forged, parts[2]);
        assert_eq!(codec().verify(&tampered), None, "tampered payload");

        let none = B64.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(
            codec().verify(&format!("{none}.{forged}.")),
            None,
            "alg none"
        );

        let (old, _) = codec()
            .issue(&user(), Utc::now() - Duration::hours(25))
            .expect("issue");
        assert_eq!(codec().verify(&old), None, "expired");
        assert_eq!(codec().verify("not a token"), None);
    }
}
