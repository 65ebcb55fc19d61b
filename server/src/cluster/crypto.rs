//! Credentials at rest: AES-256-GCM with the server's encryption key, a random 96-bit nonce per
//! message (stored in front of the ciphertext), and the record's owner and id as associated data,
//! so a ciphertext copied into another record does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;

const NONCE_BYTES: usize = 12;

/// Encrypts and decrypts credentials with one key.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key redacted>)")
    }
}

/// A ciphertext that does not decrypt with this key and these record ids.
#[derive(Debug, thiserror::Error)]
#[error(
    "stored credentials cannot be decrypted (was KUBEORCH_ENCRYPTION_KEY changed?); \
     edit the cluster and enter its credentials again"
)]
pub struct OpenError;

impl Sealer {
    /// A sealer with a 32-byte key.
    pub fn new(key: &[u8; 32]) -> Self {
        Sealer {
            cipher: Aes256Gcm::new(key.into()),
        }
    }

    /// Encrypts `plain` for the record `(owner_id, record_id)`.
    pub fn seal(&self, owner_id: &str, record_id: &str, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated(owner_id, record_id);
        let payload = Payload {
            msg: plain,
            aad: &aad,
        };
        // Encryption only fails for messages beyond AES-GCM's limit (64 GiB).
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts what [`Sealer::seal`] produced for the same record.
    pub fn open(
        &self,
        owner_id: &str,
        record_id: &str,
        sealed: &[u8],
    ) -> Result<Vec<u8>, OpenError> {
        if sealed.len() < NONCE_BYTES {
            return Err(OpenError);
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let aad = associated(owner_id, record_id);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError)
    }
}

fn associated(owner_id: &str, record_id: &str) -> Vec<u8> {
    format!("kubeorch-cluster\0{owner_id}\0{record_id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_only_for_the_same_key_and_record() {
        let sealer = Sealer::new(&[7; 32]);
        let sealed = sealer.seal("ann", "c1", b"token-123");
        assert!(
            !sealed.windows(9).any(|w| w == b"token-123"),
            "not in clear"
        );
        assert_eq!(sealer.open("ann", "c1", &sealed).unwrap(), b"token-123");
        assert_ne!(
            sealed,
            sealer.seal("ann", "c1", b"token-123"),
            "fresh nonce"
        );
        assert!(sealer.open("bob", "c1", &sealed).is_err(), "other owner");
        assert!(sealer.open("ann", "c2", &sealed).is_err(), "other record");
        assert!(Sealer::new(&[8; 32]).open("ann", "c1", &sealed).is_err());
        assert!(sealer.open("ann", "c1", &sealed[..5]).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(sealer.open("ann", "c1", &tampered).is_err());
    }
}
