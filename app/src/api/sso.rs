//! Single sign-on: the providers on offer, the one-time code exchange that ends a provider
//! sign-in, and the signed-in user's login methods (linked identities).
//!
//! JSON endpoints: `GET /api/auth/sso/providers`, `POST /api/auth/sso/exchange`,
//! `GET /api/auth/methods`, `POST /api/auth/methods/unlink`. The browser redirects to and from
//! the providers (`/api/auth/sso/{provider}/login|link|callback`) are plain server routes.
//! See `docs/api.md`.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{LoginMethods, ProviderInfo, UserProfile};
#[cfg(feature = "ssr")]
use {
    crate::api::services::{request, services, set_cookie, signed_in},
    crate::error::respond,
};

/// A finished provider sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoSignIn {
    /// The signed-in user.
    pub user: UserProfile,
    /// The local path to continue to.
    pub next: String,
}

/// `GET /api/auth/sso/providers`: the identity providers the log-in page offers.
#[server(endpoint = "auth/sso/providers", input = GetUrl, output = crate::api::TextJson)]
pub async fn sso_providers() -> Result<Vec<ProviderInfo>, AppError> {
    respond(async move { Ok(services()?.sso.providers()) }).await
}

/// `POST /api/auth/sso/exchange`: trades the one-time code from a provider sign-in for the
/// session cookie.
#[server(endpoint = "auth/sso/exchange", input = Json, output = crate::api::TextJson)]
pub async fn exchange_sso_code(code: String) -> Result<SsoSignIn, AppError> {
    respond(async move {
        let (signed, next) = services()?.sso.exchange(&request()?, code).await?;
        set_cookie(&signed.set_cookie);
        Ok(SsoSignIn {
            user: signed.user,
            next,
        })
    })
    .await
}

/// `GET /api/auth/methods`: how the signed-in user can log in.
#[server(endpoint = "auth/methods", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_login_methods() -> Result<LoginMethods, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.sso.login_methods(&session).await
    })
    .await
}

/// `POST /api/auth/methods/unlink`: unlinks a provider account (not the last way to log in).
#[server(endpoint = "auth/methods/unlink", input = Json, output = crate::api::TextJson)]
pub async fn unlink_identity(provider: String, subject: String) -> Result<LoginMethods, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.sso.unlink(&session, provider, subject).await
    })
    .await
}
