//! The signed-in user's container registries: list, create, update, delete, test, set default.
//!
//! JSON endpoints under `/api/registries/…` (see `docs/api.md`). Passwords and tokens are
//! write-only: no answer ever contains one. Another user's registry is always a 404.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
use crate::model::build::{Registry, RegistryInput};
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// `GET /api/registries/list`: the caller's registries by name.
#[server(endpoint = "registries/list", input = GetUrl, output = crate::api::TextJson)]
pub async fn list_registries() -> Result<Vec<Registry>, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.registries.list(&session).await
    })
    .await
}

/// `POST /api/registries/create` `{input: {name, url, username?, password?, is_default}}`:
/// adds a registry and tests it.
#[server(endpoint = "registries/create", input = Json, output = crate::api::TextJson)]
pub async fn create_registry(input: RegistryInput) -> Result<Registry, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.registries.create(&session, input).await
    })
    .await
}

/// `POST /api/registries/update` `{id, input}`: a blank password keeps the stored one.
#[server(endpoint = "registries/update", input = Json, output = crate::api::TextJson)]
pub async fn update_registry(id: String, input: RegistryInput) -> Result<Registry, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.registries.update(&session, &id, input).await
    })
    .await
}

/// `POST /api/registries/delete` `{id}`.
#[server(endpoint = "registries/delete", input = Json, output = crate::api::TextJson)]
pub async fn delete_registry(id: String) -> Result<(), AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.registries.delete(&session, &id).await
    })
    .await
}

/// `POST /api/registries/test` `{id}`: `GET /v2/` with the stored credentials, now.
#[server(endpoint = "registries/test", input = Json, output = crate::api::TextJson)]
pub async fn test_registry(id: String) -> Result<Registry, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.registries.test(&session, &id).await
    })
    .await
}

/// `POST /api/registries/set_default` `{id}`.
#[server(endpoint = "registries/set_default", input = Json, output = crate::api::TextJson)]
pub async fn set_default_registry(id: String) -> Result<Registry, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.registries.set_default(&session, &id).await
    })
    .await
}
