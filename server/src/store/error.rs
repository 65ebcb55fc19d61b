//! What a store call can fail with.

/// A store failure: a rule of the data was broken, or the backend failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another account already uses this email.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// This provider account is already linked to a user.
    #[error("this provider account is already linked")]
    IdentityTaken,
    /// The owner already has a cluster with this name.
    #[error("a cluster with this name already exists")]
    NameTaken,
    /// Sign-up is closed and this is not the first user.
    #[error("sign-up is closed")]
    SignupClosed,
    /// The invitation code is unknown, used or expired.
    #[error("the invitation code is not valid")]
    InviteInvalid,
    /// Stored data could not be read back (corrupt or from an incompatible version).
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// Wraps a backend error.
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::Backend(Box::new(error))
    }
}
