//! Accounts: sign up, log in, log out, who am I, change password, invitations.
//!
//! JSON endpoints (POST bodies are JSON objects whose keys are the parameter names):
//! `POST /api/auth/register`, `POST /api/auth/login`, `POST /api/auth/logout`,
//! `GET /api/auth/me`, `GET /api/auth/session`, `POST /api/auth/password`,
//! `POST /api/auth/invites`. See `docs/api.md`.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::UserProfile;
#[cfg(feature = "ssr")]
use {
    crate::api::services::{request, services, set_cookie, signed_in},
    crate::error::respond,
};

/// Shortest password accepted (characters).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted (bytes: bcrypt ignores anything after 72).
pub const MAX_PASSWORD_BYTES: usize = 72;

/// What a sign-up form sends.
#[derive(Clone, Serialize, Deserialize)]
pub struct Registration {
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// The new password.
    pub password: String,
    /// Required when sign-up is by invitation.
    pub invite_code: Option<String>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("email", &self.email)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A single-use invitation code, shown once to the admin who made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// The code to hand to the invitee.
    pub code: String,
}

/// `POST /api/auth/register`: creates an account (the first one is the admin) and signs it in.
#[server(endpoint = "auth/register", input = Json, output = crate::api::TextJson)]
pub async fn register(
    email: String,
    name: String,
    password: String,
    invite_code: Option<String>,
) -> Result<UserProfile, AppError> {
    respond(async move {
        let form = Registration {
            email,
            name,
            password,
            invite_code,
        };
        let signed = services()?.accounts.register(&request()?, form).await?;
        set_cookie(&signed.set_cookie);
        Ok(signed.user)
    })
    .await
}

/// `POST /api/auth/login`: signs in with email and password.
#[server(endpoint = "auth/login", input = Json, output = crate::api::TextJson)]
pub async fn login(email: String, password: String) -> Result<UserProfile, AppError> {
    respond(async move {
        let signed = services()?
            .accounts
            .login(&request()?, email, password)
            .await?;
        set_cookie(&signed.set_cookie);
        Ok(signed.user)
    })
    .await
}

/// `POST /api/auth/logout`: ends the session (the token stops working everywhere).
#[server(endpoint = "auth/logout", input = Json, output = crate::api::TextJson)]
pub async fn logout() -> Result<(), AppError> {
    respond(async move {
        let clear = services()?.accounts.logout(&request()?).await?;
        set_cookie(&clear);
        Ok(())
    })
    .await
}

/// `GET /api/auth/me`: the signed-in user; 401 when not signed in.
#[server(endpoint = "auth/me", input = GetUrl, output = crate::api::TextJson)]
pub async fn me() -> Result<UserProfile, AppError> {
    respond(async move { Ok(signed_in().await?.1.user) }).await
}

/// `GET /api/auth/session`: the signed-in user, or `null` (never 401; for page chrome).
#[server(endpoint = "auth/session", input = GetUrl, output = crate::api::TextJson)]
pub async fn current_user() -> Result<Option<UserProfile>, AppError> {
    respond(async move {
        let session = services()?.accounts.session(&request()?).await?;
        Ok(session.map(|s| s.user))
    })
    .await
}

/// `POST /api/auth/password`: changes the password; every other session ends.
#[server(endpoint = "auth/password", input = Json, output = crate::api::TextJson)]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<UserProfile, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let signed = services
            .accounts
            .change_password(&request()?, &session, current_password, new_password)
            .await?;
        set_cookie(&signed.set_cookie);
        Ok(signed.user)
    })
    .await
}

/// `POST /api/auth/invites`: a new single-use invitation code (admins only).
#[server(endpoint = "auth/invites", input = Json, output = crate::api::TextJson)]
pub async fn create_invite() -> Result<Invitation, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let code = services.accounts.create_invite(&session).await?;
        Ok(Invitation { code })
    })
    .await
}
