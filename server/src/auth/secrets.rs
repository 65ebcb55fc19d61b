//! The server's keys: the token-signing secret and the credential encryption key.
//!
//! Taken from the environment (`KUBEORCH_JWT_SECRET`, `KUBEORCH_ENCRYPTION_KEY`). Outside
//! production mode, a missing key is generated on first start and kept in the data directory
//! (`jwt.key`, `encryption.key`, mode 0600) so sessions and encrypted data survive restarts.
//! In production mode a missing key stops the server from starting.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rand::RngCore;

use crate::config::{Config, Secret};

/// Shortest accepted token-signing secret, in bytes.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// The keys, loaded or generated.
#[derive(Clone)]
pub struct Keys {
    /// HS256 signing secret.
    pub jwt: Vec<u8>,
    /// AES-256-GCM key for credentials at rest.
    pub encryption: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

/// Why the keys could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Production mode without a key in the environment.
    #[error("{0} must be set in production mode (generate one with `openssl rand -base64 32`)")]
    Missing(&'static str),
    /// The signing secret is too short.
    #[error("KUBEORCH_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes long")]
    WeakJwtSecret,
    /// The encryption key is not 32 bytes of base64.
    #[error("{0} must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)")]
    BadEncryptionKey(String),
    /// The key file could not be read or written.
    #[error("cannot use the key file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}

/// Loads the keys for `config` (see the module docs).
pub fn load_or_create(config: &Config) -> Result<Keys, KeyError> {
    let jwt = match &config.jwt_secret {
        Some(secret) => secret.expose().as_bytes().to_vec(),
        None if config.production => return Err(KeyError::Missing("KUBEORCH_JWT_SECRET")),
        None => persisted(&config.data_dir.join("jwt.key"))?.into_bytes(),
    };
    if jwt.len() < MIN_JWT_SECRET_BYTES {
        return Err(KeyError::WeakJwtSecret);
    }
    let encryption = match &config.encryption_key {
        Some(key) => decode_key(key, "KUBEORCH_ENCRYPTION_KEY")?,
        None if config.production => return Err(KeyError::Missing("KUBEORCH_ENCRYPTION_KEY")),
        None => {
            let path = config.data_dir.join("encryption.key");
            decode_key(
                &Secret::from(persisted(&path)?),
                &path.display().to_string(),
            )?
        }
    };
    Ok(Keys { jwt, encryption })
}

fn decode_key(key: &Secret, source: &str) -> Result<[u8; 32], KeyError> {
    BASE64
        .decode(key.expose().trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| KeyError::BadEncryptionKey(source.to_string()))
}

/// The key kept in `path`, created (32 random bytes, base64, mode 0600) when absent.
fn persisted(path: &Path) -> Result<String, KeyError> {
    let file_error = |source| KeyError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let fresh = BASE64.encode(bytes);
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(fresh.as_bytes()).map_err(file_error)?;
            file.sync_all().map_err(file_error)?;
            tracing::info!("generated a new key in {}", path.display());
            Ok(fresh)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(file_error)?;
            Ok(text.trim().to_string())
        }
        Err(e) => Err(file_error(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn keys_are_generated_once_with_private_permissions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config::for_data_dir(dir.path());
        let first = load_or_create(&config).expect("generated");
        let second = load_or_create(&config).expect("read back");
        assert_eq!(first.jwt, second.jwt);
        assert_eq!(first.encryption, second.encryption);
        for name in ["jwt.key", "encryption.key"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[test]
    fn production_mode_refuses_to_start_without_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(dir.path());
        config.production = true;
        assert!(matches!(load_or_create(&config), Err(KeyError::Missing(_))));
        config.jwt_secret = Some(Secret::from("x".repeat(40)));
        assert!(matches!(load_or_create(&config), Err(KeyError::Missing(_))));
        config.encryption_key = Some(Secret::from(BASE64.encode([7u8; 32])));
        let keys = load_or_create(&config).expect("keys from the environment");
        assert_eq!(keys.encryption, [7u8; 32]);
        assert!(
            !dir.path().join("jwt.key").exists(),
            "nothing written in production"
        );
        config.jwt_secret = Some(Secret::from("short".to_string()));
        assert!(matches!(
            load_or_create(&config),
            Err(KeyError::WeakJwtSecret)
        ));
    }
}
