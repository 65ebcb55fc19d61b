//! The drawn graph: nodes with positions and settings, and edges between them.

use serde::{Deserialize, Serialize};

use super::kind::NodeKind;

/// A point on the canvas, in canvas units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Horizontal offset.
    pub x: f64,
    /// Vertical offset.
    pub y: f64,
}

/// The canvas pan and zoom a workflow was last seen at.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// Pan, horizontal.
    pub x: f64,
    /// Pan, vertical.
    pub y: f64,
    /// Zoom factor (1 = 100 %).
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Self {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// A node's settings as stored: a JSON object with one camelCase key per parameter of the kind's
/// `metadata.yaml`. Kept as JSON so storing and versioning never lose anything; read it typed
/// with `domain::settings::parse` (defaults, field errors) into [`super::NodeSettings`].
/// Never holds UI-only or live-status fields.
pub type NodeData = serde_json::Map<String, serde_json::Value>;

/// One resource on the canvas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Unique within the workflow; stable across versions.
    pub id: String,
    /// What the node renders to.
    pub kind: NodeKind,
    /// Where it is drawn.
    pub position: Position,
    /// Its settings.
    #[serde(default)]
    pub data: NodeData,
}

/// A connection; its meaning follows from the kinds at both ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// Unique within the workflow.
    pub id: String,
    /// The node the edge starts at.
    pub source: String,
    /// The node the edge ends at.
    pub target: String,
}

/// Nodes and edges together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    /// The nodes, in drawing order.
    #[serde(default)]
    pub nodes: Vec<Node>,
    /// The edges.
    #[serde(default)]
    pub edges: Vec<Edge>,
}
