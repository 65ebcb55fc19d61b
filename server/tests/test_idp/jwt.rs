//! ES256 keys and compact JWS for the test double.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand::RngCore;
use serde_json::{json, Value};

/// The published key id.
pub const KID: &str = "test-key-1";

/// The double's signing key, and a foreign key for forged tokens.
pub struct Keys {
    key: SigningKey,
    foreign: SigningKey,
}

fn random_key() -> anyhow::Result<SigningKey> {
    for _ in 0..8 {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            return Ok(key);
        }
    }
    anyhow::bail!("could not make a P-256 key")
}

impl Keys {
    /// Two fresh keys.
    pub fn generate() -> anyhow::Result<Self> {
        Ok(Keys {
            key: random_key()?,
            foreign: random_key()?,
        })
    }

    /// The JWKS with the real key only.
    pub fn jwks(&self) -> Value {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        json!({ "keys": [{
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": KID,
            "x": B64.encode(&bytes[1..33]),
            "y": B64.encode(&bytes[33..65]),
        }]})
    }

    /// `claims` as a compact ES256 JWS, with the foreign key when `forged`.
    pub fn sign(&self, claims: &Value, forged: bool) -> String {
        let header = json!({ "alg": "ES256", "typ": "JWT", "kid": KID });
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let key = if forged { &self.foreign } else { &self.key };
        let signature: Signature = key.sign(input.as_bytes());
        format!("{input}.{}", B64.encode(signature.to_bytes()))
    }
}
