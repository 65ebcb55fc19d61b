//! The signed-in user's clusters: list, get, kubeconfig contexts, create, update, delete, test.
//!
//! JSON endpoints under `/api/clusters/…` (see `docs/api.md`). Credentials are write-only: no
//! answer ever contains a token, key or kubeconfig. Another user's cluster is always a 404.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
use crate::model::cluster::{ClusterChanges, KubeconfigContext};
use crate::model::{Cluster, CredentialsInput};
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// `GET /api/clusters/list`: the caller's clusters by name.
#[server(endpoint = "clusters/list", input = GetUrl, output = crate::api::TextJson)]
pub async fn list_clusters() -> Result<Vec<Cluster>, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.list(&session).await
    })
    .await
}

/// `GET /api/clusters/get?id=…`: one cluster.
#[server(endpoint = "clusters/get", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_cluster(id: String) -> Result<Cluster, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.get(&session, &id).await
    })
    .await
}

/// `POST /api/clusters/contexts` `{kubeconfig}`: the contexts a kubeconfig offers (nothing is
/// stored).
#[server(endpoint = "clusters/contexts", input = Json, output = crate::api::TextJson)]
pub async fn kubeconfig_contexts(kubeconfig: String) -> Result<Vec<KubeconfigContext>, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.contexts(&session, kubeconfig).await
    })
    .await
}

/// `POST /api/clusters/create` `{name, credentials}` where `credentials` is
/// `{"type": "kubeconfig", kubeconfig, context?}` or
/// `{"type": "token", server, token, ca_pem?, insecure_skip_tls_verify?}`.
#[server(endpoint = "clusters/create", input = Json, output = crate::api::TextJson)]
pub async fn create_cluster(
    name: String,
    credentials: CredentialsInput,
) -> Result<Cluster, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.create(&session, name, credentials).await
    })
    .await
}

/// `POST /api/clusters/update` `{id, changes}`: blank credential fields keep the stored ones.
#[server(endpoint = "clusters/update", input = Json, output = crate::api::TextJson)]
pub async fn update_cluster(id: String, changes: ClusterChanges) -> Result<Cluster, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.update(&session, &id, changes).await
    })
    .await
}

/// `POST /api/clusters/delete` `{id}`.
#[server(endpoint = "clusters/delete", input = Json, output = crate::api::TextJson)]
pub async fn delete_cluster(id: String) -> Result<(), AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.delete(&session, &id).await
    })
    .await
}

/// `POST /api/clusters/test` `{id}`: tests the connection now.
#[server(endpoint = "clusters/test", input = Json, output = crate::api::TextJson)]
pub async fn test_cluster(id: String) -> Result<Cluster, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.clusters.test(&session, &id).await
    })
    .await
}
