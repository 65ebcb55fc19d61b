//! Import of Docker Compose files and Kubernetes YAML (spec §7).
//!
//! JSON endpoints: `POST /api/import/analyze` (pasted or uploaded text, a URL, or a Git
//! repository; Git answers with a session whose progress streams over
//! `GET /api/import/{id}/events`), `GET /api/import/session?id=…`, `POST /api/import/choose`
//! (another compose file or other profiles of a finished Git session) and `POST /api/import/apply`
//! (into an existing workflow, or a new one). Sessions belong to their creator (404 otherwise).
//! See `docs/api.md`.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::import::{Analysis, ImportFormat};
use crate::model::{Edge, Node};
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// Where the text to import comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportSource {
    /// Pasted or uploaded text (`text`).
    #[default]
    Text,
    /// A file at an `https://` URL (`url`).
    Url,
    /// A Git repository (`url`, `branch`, `path`), cloned in the background.
    Git,
}

/// What to analyse.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeRequest {
    /// The source.
    #[serde(default)]
    pub source: ImportSource,
    /// The text (source `text`).
    #[serde(default)]
    pub text: Option<String>,
    /// The `.env` to interpolate with (source `text`; Git reads the repository's).
    #[serde(default)]
    pub dotenv: Option<String>,
    /// The URL (sources `url` and `git`).
    #[serde(default)]
    pub url: Option<String>,
    /// The branch (Git; default: the repository's default branch).
    #[serde(default)]
    pub branch: Option<String>,
    /// The compose file inside the repository (Git; default: found automatically).
    #[serde(default)]
    pub path: Option<String>,
    /// Compose profiles to include.
    #[serde(default)]
    pub profiles: Vec<String>,
    /// Namespace of the imported objects (default `default`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Compose or Kubernetes (detected when absent).
    #[serde(default)]
    pub format: Option<ImportFormat>,
}

/// The answer to an analysis: the graph at once, or a Git session to follow.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeOutcome {
    /// The result (text and URL sources).
    pub analysis: Option<Analysis>,
    /// The import session (Git): follow `GET /api/import/{id}/events`.
    pub session_id: Option<String>,
}

/// The state of a Git import session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionState {
    /// Cloning the repository.
    #[default]
    Cloning,
    /// Looking for and converting the compose file.
    Analyzing,
    /// Done: see `analysis` (and `candidates` to pick another file).
    Completed,
    /// Failed: see `error`.
    Failed,
}

/// A Git import session as its owner sees it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportSession {
    /// Session id.
    pub id: String,
    /// Where it is.
    pub state: SessionState,
    /// 0–100.
    pub progress: u8,
    /// What it is doing (`clone`, `analyze`, `convert`, `done`).
    pub stage: String,
    /// Log lines so far (credentials removed).
    pub log: Vec<String>,
    /// Compose files found in the repository (paths relative to its root).
    pub candidates: Vec<String>,
    /// The one converted.
    pub chosen: Option<String>,
    /// The result, once completed.
    pub analysis: Option<Analysis>,
    /// Why it failed.
    pub error: Option<String>,
}

/// Where imported nodes go.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplyRequest {
    /// An existing workflow of the caller; absent: a new workflow named `name`.
    #[serde(default)]
    pub workflow_id: Option<String>,
    /// Name of the new workflow.
    #[serde(default)]
    pub name: Option<String>,
    /// Cluster of the new workflow.
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// The imported nodes (ids are rewritten so they never clash).
    pub nodes: Vec<Node>,
    /// The imported edges.
    pub edges: Vec<Edge>,
}

/// What an apply did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The workflow the nodes went into.
    pub workflow_id: String,
    /// The version recorded.
    pub version: Option<u64>,
    /// Nodes added.
    pub nodes: usize,
    /// Edges added.
    pub edges: usize,
}

/// `POST /api/import/analyze`: converts text or a URL at once; starts a Git import session.
#[server(endpoint = "import/analyze", input = Json, output = crate::api::TextJson)]
pub async fn analyze_import(request: AnalyzeRequest) -> Result<AnalyzeOutcome, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.imports.analyze(&session, request).await
    })
    .await
}

/// `GET /api/import/session?id=…`: a Git import session of the caller.
#[server(endpoint = "import/session", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_import_session(id: String) -> Result<ImportSession, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.imports.session(&session, &id).await
    })
    .await
}

/// `POST /api/import/choose` `{id, path, profiles}`: converts another compose file of a finished
/// Git session (or the same one with other profiles) without cloning again.
#[server(endpoint = "import/choose", input = Json, output = crate::api::TextJson)]
pub async fn choose_import(
    id: String,
    path: String,
    profiles: Vec<String>,
) -> Result<ImportSession, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.imports.choose(&session, &id, path, profiles).await
    })
    .await
}

/// `POST /api/import/apply`: adds the nodes to the caller's workflow (ids rewritten, placed to
/// the right of what is there) or to a new workflow, and records a version.
#[server(endpoint = "import/apply", input = Json, output = crate::api::TextJson)]
pub async fn apply_import(request: ApplyRequest) -> Result<Applied, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.imports.apply(&session, request).await
    })
    .await
}
