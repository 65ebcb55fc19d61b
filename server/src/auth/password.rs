//! Password rules and bcrypt (cost 12), run on the blocking pool so hashing never stalls the
//! async executor, and at most a few at a time so a burst of log-ins queues instead of taking
//! every core.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

use app::api::auth::{MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
use app::error::AppError;

/// bcrypt work factor.
pub const COST: u32 = 12;

/// Checks the length rules; the message says what to change.
pub fn check_policy(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!(
            "The password must have at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::Invalid(format!(
            "The password must be at most {MAX_PASSWORD_BYTES} bytes long \
             (shorter, or with fewer special characters)."
        )));
    }
    Ok(())
}

/// bcrypt runs allowed at once.
fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores * 2)
    })
}

/// Hashes a password.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _permit = permits()
        .acquire()
        .await
        .map_err(|e| internal("hashing queue closed", &e))?;
    tokio::task::spawn_blocking(move || bcrypt::hash(password, COST))
        .await
        .map_err(|e| internal("hashing task failed", &e))?
        .map_err(|e| internal("bcrypt failed", &e))
}

/// Checks `password` against `hash`. Without a hash (unknown account) it checks against a fixed
/// hash anyway, so a wrong email takes as long as a wrong password.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    let Ok(_permit) = permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let matched = bcrypt::verify(&password, hash.as_deref().unwrap_or_else(|| dummy_hash()));
        hash.is_some() && matched.unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| bcrypt::hash("not the password of anyone", COST).unwrap_or_default())
}

fn internal(what: &str, error: &dyn std::fmt::Display) -> AppError {
    tracing::error!("{what}: {error}");
    AppError::internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_count_characters_and_bytes() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("long enough").is_ok());
        assert!(check_policy(&"a".repeat(72)).is_ok());
        assert!(check_policy(&"a".repeat(73)).is_err());
        assert!(check_policy(&"é".repeat(37)).is_err(), "74 bytes");
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let hashed = hash("correct horse".into()).await.expect("hash");
        assert!(hashed.starts_with("$2b$12$"));
        assert!(verify("correct horse".into(), Some(hashed.clone())).await);
        assert!(!verify("wrong horse".into(), Some(hashed)).await);
        assert!(!verify("not the password of anyone".into(), None).await);
    }
}
