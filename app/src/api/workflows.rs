//! The signed-in user's workflows: create, list, get, rename/describe, delete (archive), save.
//!
//! JSON endpoints: `POST /api/workflows/create`, `GET /api/workflows/list`,
//! `GET /api/workflows/get?id=…`, `GET /api/workflows/open?id=…`, `POST /api/workflows/update`, `POST /api/workflows/delete`,
//! `POST /api/workflows/save`. Another user's workflow is always a 404. See `docs/api.md`.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::domain::validate::Report;
use crate::error::AppError;
use crate::model::{Edge, Node, Viewport, Workflow, WorkflowSummary};
#[cfg(feature = "ssr")]
use {
    crate::api::services::signed_in, crate::domain::validate::check, crate::error::respond,
    crate::model::Graph,
};

/// Longest workflow name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A workflow to create.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewWorkflow {
    /// Display name, 1–100 characters.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// The cluster it will deploy to.
    pub cluster_id: Option<String>,
}

/// Changes to a workflow's details (absent fields stay as they are).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct WorkflowChanges {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// The cluster to deploy to (one of the caller's); an empty string clears it.
    #[serde(default)]
    pub cluster_id: Option<String>,
}

/// A save of the working copy.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SaveRequest {
    /// All nodes.
    pub nodes: Vec<Node>,
    /// All edges.
    pub edges: Vec<Edge>,
    /// Pan and zoom (kept as is when absent).
    pub viewport: Option<Viewport>,
    /// Message for the version.
    pub message: Option<String>,
    /// Also create a version (an explicit save); autosave leaves it off.
    pub create_version: bool,
}

/// What a save did. (Read by the hand reader in `api::opened`.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SaveOutcome {
    /// The workflow's new `updated_at`.
    pub updated_at: DateTime<Utc>,
    /// The latest version number after the save.
    pub current_version: u64,
    /// The version created, when one was asked for.
    pub version: Option<u64>,
}

/// `POST /api/workflows/create` `{name, description?, cluster_id?}`: a new draft workflow.
#[server(endpoint = "workflows/create", input = Json, output = crate::api::TextJson)]
pub async fn create_workflow(
    name: String,
    description: Option<String>,
    cluster_id: Option<String>,
) -> Result<Workflow, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let new = NewWorkflow {
            name,
            description,
            cluster_id,
        };
        services.workflows.create(&session, new).await
    })
    .await
}

/// `GET /api/workflows/list`: the caller's workflows, most recently changed first.
#[server(endpoint = "workflows/list", input = GetUrl, output = crate::api::TextJson)]
pub async fn list_workflows() -> Result<Vec<WorkflowSummary>, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.workflows.list(&session).await
    })
    .await
}

/// `GET /api/workflows/get?id=…`: one workflow with its graph.
#[server(endpoint = "workflows/get", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_workflow(id: String) -> Result<Workflow, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.workflows.get(&session, &id).await
    })
    .await
}

/// A workflow opened in the editor, with its working copy's problems as the editor checks them
/// (settings, edges, wiring; not rendering): the page is drawn with its markers, and the browser
/// checks (and loads the code for it) only after an edit. Read by hand (`api/opened.rs`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OpenedWorkflow {
    /// The workflow.
    pub workflow: Workflow,
    /// The problems of its working copy.
    pub report: Report,
}

/// `GET /api/workflows/open?id=…`: one workflow with its graph and its problems.
#[server(endpoint = "workflows/open", input = GetUrl, output = crate::api::TextJson)]
pub async fn open_workflow(id: String) -> Result<OpenedWorkflow, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let workflow = services.workflows.get(&session, &id).await?;
        let graph = Graph {
            nodes: workflow.nodes.clone(),
            edges: workflow.edges.clone(),
        };
        let report = check(&workflow.id, &graph).report;
        Ok(OpenedWorkflow { workflow, report })
    })
    .await
}

/// `POST /api/workflows/update` `{id, name?, description?, cluster_id?}`: rename, describe,
/// and/or choose the cluster (`""` clears it).
#[server(endpoint = "workflows/update", input = Json, output = crate::api::TextJson)]
pub async fn update_workflow(
    id: String,
    name: Option<String>,
    description: Option<String>,
    cluster_id: Option<String>,
) -> Result<Workflow, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let changes = WorkflowChanges {
            name,
            description,
            cluster_id,
        };
        services.workflows.update(&session, &id, changes).await
    })
    .await
}

/// `POST /api/workflows/delete` `{id}`: deletes (archives) a workflow.
#[server(endpoint = "workflows/delete", input = Json, output = crate::api::TextJson)]
pub async fn delete_workflow(id: String) -> Result<(), AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.workflows.delete(&session, &id).await
    })
    .await
}

/// `POST /api/workflows/save` `{id, nodes, edges, viewport?, message?, create_version?}`.
#[server(endpoint = "workflows/save", input = Json, output = crate::api::TextJson)]
pub async fn save_workflow(
    id: String,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    viewport: Option<Viewport>,
    message: Option<String>,
    create_version: Option<bool>,
) -> Result<SaveOutcome, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let save = SaveRequest {
            nodes,
            edges,
            viewport,
            message,
            create_version: create_version.unwrap_or(false),
        };
        services.workflows.save(&session, &id, save).await
    })
    .await
}
