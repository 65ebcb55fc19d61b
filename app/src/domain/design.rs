//! What the render and validate operations take and give: a design the caller sends, and
//! previews, manifests and reports (shared by the server functions and the browser).

use serde::{Deserialize, Serialize};

use super::{Issue, Report};
use crate::model::{Edge, Node};

/// Largest design the render functions accept.
pub const MAX_NODES: usize = 2000;
/// Most edges the render functions accept.
pub const MAX_EDGES: usize = 10_000;

/// A design to check or render: the workflow's id (labels) and name (file name), and its graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DesignInput {
    /// The workflow id, used in labels.
    pub workflow_id: String,
    /// The workflow name, used for the download's file name.
    #[serde(default)]
    pub workflow_name: String,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The edges.
    #[serde(default)]
    pub edges: Vec<Edge>,
}

/// One node's YAML preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodePreview {
    /// The node.
    pub node_id: String,
    /// The manifest, when the node renders.
    pub yaml: Option<String>,
    /// Why the node renders nothing although it is fine (an existing Secret).
    pub skipped: Option<String>,
    /// Its errors and warnings.
    pub issues: Vec<Issue>,
}

/// The whole workflow as one multi-document YAML file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowManifest {
    /// Suggested file name (`my-shop.yaml`).
    pub filename: String,
    /// Every node that renders, in node order, `---`-separated.
    pub yaml: String,
    /// What is wrong (nodes with errors are left out of `yaml`).
    pub report: Report,
}
