//! Deploying a workflow: preview the changes (design vs live), run (save, version, deploy in the
//! background), list runs, delete the workflow's objects from its cluster.
//!
//! JSON endpoints: `POST /api/workflows/plan`, `POST /api/workflows/run`,
//! `GET /api/workflows/runs?id=…`, `POST /api/workflows/delete_objects`. Progress streams on
//! `GET /api/workflows/{id}/events`. See `docs/api.md`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::domain::deploy::ObjectPlan;
use crate::error::AppError;
use crate::model::{Edge, Node, ObjectRef, PrunedObject, Run, Viewport};
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// Secret values entered at deploy time, by node id then key. Used for this run only: never
/// stored, logged or returned.
pub type SecretInputs = BTreeMap<String, BTreeMap<String, String>>;

/// A run to start: the design as drawn (saved first as a `deploy` version).
#[derive(Clone, Serialize, Deserialize)]
pub struct RunRequest {
    /// All nodes.
    pub nodes: Vec<Node>,
    /// All edges.
    pub edges: Vec<Edge>,
    /// Pan and zoom (kept as is when absent).
    pub viewport: Option<Viewport>,
    /// Message for the version.
    pub message: Option<String>,
    /// Secret values for Secret nodes.
    pub secrets: SecretInputs,
}

impl std::fmt::Debug for RunRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunRequest")
            .field("nodes", &self.nodes.len())
            .field("edges", &self.edges.len())
            .field("secrets", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A run that was started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStarted {
    /// The run's id (its progress comes as `run_update` events).
    pub run_id: String,
    /// The `deploy` version created.
    pub version: u64,
}

/// What a run would do: each object's action and field changes against the live cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeployPlan {
    /// The cluster it goes to.
    pub cluster_id: String,
    /// Its name.
    pub cluster_name: String,
    /// Per object, in node order, then the objects to prune.
    pub objects: Vec<ObjectPlan>,
    /// Namespaces that will be created.
    pub namespaces_to_create: Vec<String>,
    /// Why the run would fail as a whole (errors in the design, cluster unreachable).
    pub error: Option<String>,
}

/// What deleting a workflow's objects did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedObjects {
    /// Objects deleted (or not, with the error).
    pub objects: Vec<PrunedObject>,
}

impl RemovedObjects {
    /// Objects that could not be deleted.
    pub fn failed(&self) -> Vec<&ObjectRef> {
        self.objects
            .iter()
            .filter(|o| !o.error.is_empty())
            .map(|o| &o.object)
            .collect()
    }
}

/// `POST /api/workflows/plan` `{id, nodes, edges, secrets?}`: what a run of this design would
/// change in the cluster (server-side dry-run against the live objects). Stores nothing.
#[server(endpoint = "workflows/plan", input = Json, output = crate::api::TextJson)]
pub async fn plan_deploy(
    id: String,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    secrets: Option<SecretInputs>,
) -> Result<DeployPlan, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let request = RunRequest {
            nodes,
            edges,
            viewport: None,
            message: None,
            secrets: secrets.unwrap_or_default(),
        };
        services.deploy.plan(&session, &id, request).await
    })
    .await
}

/// `POST /api/workflows/run` `{id, nodes, edges, viewport?, message?, secrets?}`: saves the
/// design as a `deploy` version and deploys it in the background.
#[server(endpoint = "workflows/run", input = Json, output = crate::api::TextJson)]
pub async fn run_workflow(
    id: String,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    viewport: Option<Viewport>,
    message: Option<String>,
    secrets: Option<SecretInputs>,
) -> Result<RunStarted, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let request = RunRequest {
            nodes,
            edges,
            viewport,
            message,
            secrets: secrets.unwrap_or_default(),
        };
        services.deploy.run(&session, &id, request).await
    })
    .await
}

/// `GET /api/workflows/runs?id=…`: the workflow's latest runs, newest first.
#[server(endpoint = "workflows/runs", input = GetUrl, output = crate::api::TextJson)]
pub async fn list_runs(id: String) -> Result<Vec<Run>, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.deploy.runs(&session, &id).await
    })
    .await
}

/// `POST /api/workflows/delete_objects` `{id}`: deletes every object the workflow deployed (all
/// kinds, found by its label) from its cluster.
#[server(endpoint = "workflows/delete_objects", input = Json, output = crate::api::TextJson)]
pub async fn delete_workflow_objects(id: String) -> Result<RemovedObjects, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.deploy.delete_objects(&session, &id).await
    })
    .await
}
