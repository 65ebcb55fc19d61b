//! Accounts as the UI and the API see them (never with a password hash).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a user may do beyond their own workflows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages the installation (the first user to sign up).
    Admin,
    /// Everyone else.
    #[default]
    User,
}

impl Role {
    /// The serialised name, `admin` or `user`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    /// Parses `admin` or `user`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "user" => Some(Role::User),
            _ => None,
        }
    }
}

/// A signed-in user's public profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    /// Server-assigned id.
    pub id: String,
    /// Login email (lower-cased).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Admin or user.
    pub role: Role,
    /// When the account was created.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
}
