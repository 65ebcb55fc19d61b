//! Workflows and their versions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::graph::{Edge, Node, Viewport};

/// Where a workflow stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowStatus {
    /// Never deployed (or changed since; see the latest run).
    #[default]
    Draft,
    /// The last run succeeded.
    Deployed,
    /// The last run failed.
    Failed,
    /// Deleted by the user (kept for history).
    Archived,
}

impl WorkflowStatus {
    /// Every status.
    pub const ALL: [WorkflowStatus; 4] = [
        WorkflowStatus::Draft,
        WorkflowStatus::Deployed,
        WorkflowStatus::Failed,
        WorkflowStatus::Archived,
    ];

    /// The serialised name: `draft`, `deployed`, `failed` or `archived`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowStatus::Draft => "draft",
            WorkflowStatus::Deployed => "deployed",
            WorkflowStatus::Failed => "failed",
            WorkflowStatus::Archived => "archived",
        }
    }
}

/// A workflow: the design (working copy) and its bookkeeping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// Server-assigned id.
    pub id: String,
    /// Display name, 1–100 characters.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// The user who owns it.
    pub owner_id: String,
    /// The cluster it deploys to, if chosen.
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// Draft, deployed, failed or archived.
    pub status: WorkflowStatus,
    /// The working copy's nodes.
    #[serde(default)]
    pub nodes: Vec<Node>,
    /// The working copy's edges.
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Last pan/zoom.
    #[serde(default)]
    pub viewport: Viewport,
    /// The number of the latest version (0 before the first save or deploy).
    pub current_version: u64,
    /// Creation time.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// Last change to the working copy or its details.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub updated_at: DateTime<Utc>,
}

/// A workflow as listed: no graph, just what a list shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowSummary {
    /// Server-assigned id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Draft, deployed, failed or archived.
    pub status: WorkflowStatus,
    /// How many nodes the working copy has.
    pub node_count: usize,
    /// The number of the latest version.
    pub current_version: u64,
    /// Last change.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub updated_at: DateTime<Utc>,
}

/// Why a version was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VersionKind {
    /// An explicit save.
    Save,
    /// A deploy (Run).
    Deploy,
    /// A restore of an older version.
    Restore,
}

/// An immutable snapshot of a workflow's design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// The workflow it belongs to.
    pub workflow_id: String,
    /// 1, 2, 3, … allocated atomically per workflow.
    pub number: u64,
    /// The nodes at that moment.
    pub nodes: Vec<Node>,
    /// The edges at that moment.
    pub edges: Vec<Edge>,
    /// When it was taken.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// The user who made it.
    pub author_id: String,
    /// Optional message.
    #[serde(default)]
    pub message: String,
    /// Optional tag.
    #[serde(default)]
    pub tag: Option<String>,
    /// Save, deploy or restore.
    pub kind: VersionKind,
    /// For restores: the version whose content this is.
    #[serde(default)]
    pub restored_from: Option<u64>,
}

/// A version's details without its content (for lists).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// 1, 2, 3, …
    pub number: u64,
    /// When it was taken.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// The user who made it.
    pub author_id: String,
    /// Save, deploy or restore.
    pub kind: VersionKind,
    /// Optional message.
    pub message: String,
    /// Optional tag.
    pub tag: Option<String>,
    /// For restores: the version whose content this is.
    pub restored_from: Option<u64>,
}

impl Version {
    /// The details without the content.
    pub fn info(&self) -> VersionInfo {
        VersionInfo {
            number: self.number,
            created_at: self.created_at,
            author_id: self.author_id.clone(),
            kind: self.kind,
            message: self.message.clone(),
            tag: self.tag.clone(),
            restored_from: self.restored_from,
        }
    }

    /// The content as a graph.
    pub fn graph(&self) -> super::Graph {
        super::Graph {
            nodes: self.nodes.clone(),
            edges: self.edges.clone(),
        }
    }
}

impl VersionKind {
    /// The serialised name: `save`, `deploy` or `restore`.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionKind::Save => "save",
            VersionKind::Deploy => "deploy",
            VersionKind::Restore => "restore",
        }
    }
}
