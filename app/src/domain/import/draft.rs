//! The graph being built by an import: nodes with unique names per kind, allowed edges only,
//! warnings, then the layered layout.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::names::NameBook;
use crate::domain::edges::edge_rule;
use crate::domain::layout;
use crate::model::import::{Analysis, ImportFormat, ImportWarning};
use crate::model::{Edge, Node, NodeData, NodeKind, Position};

/// Where imported graphs start on the canvas.
pub const ORIGIN: Position = Position { x: 80.0, y: 80.0 };

/// A graph under construction.
#[derive(Debug)]
pub struct Draft {
    namespace: String,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    linked: BTreeSet<(String, String)>,
    names: NameBook,
    warnings: Vec<ImportWarning>,
}

impl Draft {
    /// An empty graph whose objects go into `namespace`.
    pub fn new(namespace: &str) -> Self {
        Self {
            namespace: namespace.to_string(),
            nodes: Vec::new(),
            edges: Vec::new(),
            linked: BTreeSet::new(),
            names: NameBook::default(),
            warnings: Vec::new(),
        }
    }

    /// Adds a node of `kind` named as close to `wanted` (already sanitised) as is free; `data`
    /// is a JSON object of settings (name and namespace are filled in). Returns the node id.
    pub fn add(&mut self, kind: NodeKind, wanted: &str, data: Value) -> String {
        let name = self.names.claim(kind.as_str(), wanted);
        let mut data: NodeData = match data {
            Value::Object(map) => map,
            _ => NodeData::new(),
        };
        data.insert("name".into(), json!(name));
        data.entry("namespace")
            .or_insert_with(|| json!(self.namespace));
        let id = format!("{kind}-{name}");
        self.nodes.push(Node {
            id: id.clone(),
            kind,
            position: Position::default(),
            data,
        });
        id
    }

    /// The node `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The node `id`, to change its settings.
    pub fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| n.id == id)
    }

    /// The name given to node `id`.
    pub fn name_of(&self, id: &str) -> String {
        self.node(id)
            .and_then(|n| n.data.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    /// Connects two nodes when the edge is allowed between their kinds (once). Returns whether
    /// the edge exists afterwards.
    pub fn link(&mut self, source: &str, target: &str) -> bool {
        let (Some(s), Some(t)) = (self.node(source), self.node(target)) else {
            return false;
        };
        if source == target || edge_rule(s.kind, t.kind).is_none() {
            return false;
        }
        if self.linked.insert((source.to_string(), target.to_string())) {
            self.edges.push(Edge {
                id: format!("e-{source}-{target}"),
                source: source.to_string(),
                target: target.to_string(),
            });
        }
        true
    }

    /// Records a warning.
    pub fn warn(&mut self, service: Option<&str>, key: Option<&str>, message: impl Into<String>) {
        self.warnings.push(ImportWarning {
            service: service.map(str::to_string),
            key: key.map(str::to_string),
            message: message.into(),
        });
    }

    /// Number of nodes so far.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no node was added.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Lays the graph out and returns it.
    pub fn finish(mut self, format: ImportFormat) -> Analysis {
        let positions = layout::layered(&self.nodes, &self.edges, ORIGIN);
        for node in &mut self.nodes {
            if let Some(at) = positions.get(&node.id) {
                node.position = *at;
            }
        }
        Analysis {
            format,
            nodes: self.nodes,
            edges: self.edges,
            positions,
            warnings: self.warnings,
            profiles: Vec::new(),
            services: Vec::new(),
        }
    }
}
