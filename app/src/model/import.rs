//! What an import produces and what the import API takes: shared by the server (which converts)
//! and the browser (which previews and applies). The conversion itself is server-only
//! (`domain::import`).

pub mod progress;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::graph::{Edge, Node, Position};

/// Which kind of text was imported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportFormat {
    /// A Docker Compose file.
    #[default]
    Compose,
    /// Plain Kubernetes YAML (one or more documents).
    Kubernetes,
}

/// Something the import dropped or approximated, with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportWarning {
    /// The Compose service (or Kubernetes object) it concerns, if any.
    pub service: Option<String>,
    /// The key it concerns (`ports[1]`, `deploy.placement`, …), if any.
    pub key: Option<String>,
    /// What happened and what to do about it.
    pub message: String,
}

/// The result of analysing an import: a graph ready to preview and apply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// What the text was.
    pub format: ImportFormat,
    /// The nodes (already positioned).
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
    /// Positions by node id (the same as the nodes' own, for clients that lay out themselves).
    pub positions: BTreeMap<String, Position>,
    /// Everything dropped or approximated.
    pub warnings: Vec<ImportWarning>,
    /// Compose profiles found in the file (services in them are only imported when picked).
    pub profiles: Vec<String>,
    /// Compose services imported (after profile selection).
    pub services: Vec<String>,
}
