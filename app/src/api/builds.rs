//! Image builds from Git: start, list, get, cancel, and set a built image on workflow nodes.
//!
//! JSON endpoints under `/api/builds…` (see `docs/api.md`); the live log is the event stream
//! `GET /api/builds/{id}/events`. Another user's build is always a 404.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
use crate::model::build::{Build, BuildRequest, ImageApplied};
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// `POST /api/builds` `{request: {repo_url, branch?, context?, image, tag?, registry_id?,
/// workflow_id?}}`: starts a build in the background; answers the `pending` record.
#[server(endpoint = "builds", input = Json, output = crate::api::TextJson)]
pub async fn start_build(request: BuildRequest) -> Result<Build, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.builds.start(&session, request).await
    })
    .await
}

/// `GET /api/builds/list`: the caller's latest builds, newest first.
#[server(endpoint = "builds/list", input = GetUrl, output = crate::api::TextJson)]
pub async fn list_builds() -> Result<Vec<Build>, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.builds.list(&session).await
    })
    .await
}

/// `GET /api/builds/get?id=…`: one build.
#[server(endpoint = "builds/get", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_build(id: String) -> Result<Build, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.builds.get(&session, &id).await
    })
    .await
}

/// `POST /api/builds/cancel` `{id}`: stops a running build.
#[server(endpoint = "builds/cancel", input = Json, output = crate::api::TextJson)]
pub async fn cancel_build(id: String) -> Result<Build, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.builds.cancel(&session, &id).await
    })
    .await
}

/// `POST /api/builds/set_image` `{build_id, workflow_id, node_ids}`: sets the completed build's
/// image (with digest) on those workload nodes and saves a version.
#[server(endpoint = "builds/set_image", input = Json, output = crate::api::TextJson)]
pub async fn set_build_image(
    build_id: String,
    workflow_id: String,
    node_ids: Vec<String>,
) -> Result<ImageApplied, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services
            .builds
            .set_image(&session, &build_id, &workflow_id, node_ids)
            .await
    })
    .await
}
