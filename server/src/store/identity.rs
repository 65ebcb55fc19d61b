//! Records for single sign-on: identities at external providers linked to users, pending
//! sign-ins (the `state` of an authorization request) and one-time sign-in codes.
//!
//! States and codes are looked up by the SHA-256 of their value; the values themselves are
//! never stored.

use chrono::{DateTime, Utc};

/// An account at an external identity provider, linked to a user. `(provider, subject)` is
/// unique: one provider account belongs to at most one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityRecord {
    /// The configured provider id (`github`, `keycloak`, …).
    pub provider: String,
    /// The provider's stable id of the account (`sub`, or GitHub's numeric user id).
    pub subject: String,
    /// The user it signs in as.
    pub user_id: String,
    /// The email the provider reported when linked (for display only).
    pub email: Option<String>,
    /// Whether the provider said that email is verified.
    pub email_verified: bool,
    /// When it was linked.
    pub created_at: DateTime<Utc>,
}

/// A pending authorization request: what the callback needs to finish it. Single use.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoStateRecord {
    /// SHA-256 (hex) of the `state` parameter sent to the provider.
    pub state_hash: String,
    /// The provider the request went to.
    pub provider: String,
    /// SHA-256 (hex) of the browser-binding cookie of the browser that started it.
    pub binding_hash: String,
    /// The OIDC `nonce` sent (must come back in the id_token).
    pub nonce: String,
    /// The PKCE code verifier (its S256 challenge was sent).
    pub pkce_verifier: String,
    /// Set when a signed-in user is linking a provider account, not logging in.
    pub link_user_id: Option<String>,
    /// The local path to go to afterwards.
    pub next: String,
    /// After this the callback is refused.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for SsoStateRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoStateRecord")
            .field("provider", &self.provider)
            .field("link_user_id", &self.link_user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A one-time code that the app exchanges for a session after a provider sign-in. Single use.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoCodeRecord {
    /// SHA-256 (hex) of the code.
    pub code_hash: String,
    /// The user it signs in.
    pub user_id: String,
    /// SHA-256 (hex) of the browser-binding cookie; the exchange must come from that browser.
    pub binding_hash: String,
    /// The local path to go to afterwards.
    pub next: String,
    /// After this the code is refused.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for SsoCodeRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoCodeRecord")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What unlinking an identity did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unlink {
    /// The identity is no longer linked.
    Removed,
    /// The user has no such identity.
    NotFound,
    /// Refused: it is the user's only way to sign in (no password, no other identity).
    LastLoginMethod,
}
