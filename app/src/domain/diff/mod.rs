//! What changed between two versions of a design (spec §10). Pure: no IO, no Leptos.
//!
//! Nodes are matched by id, so a renamed node is a field change, never a removal plus an
//! addition. A node's `kind` and every field of its `data` are compared down to the leaves, with
//! paths into nested maps and lists (`data.env[1].value`, `data.ingressRules[0].peers[0].cidr`,
//! `data.labels["example.com/team"]`); a change of position alone is a move, reported under
//! `moved` and never as a modification. Edges are matched by their two ends (their meaning
//! follows from the ends, whatever their ids). `diff(a, b)` is the mirror image of `diff(b, a)`
//! (see [`GraphDiff::reversed`]) and is empty exactly when nothing a user drew differs.

pub mod lines;
mod value;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Edge, Graph, Node, Position};
use value::{diff_objects, diff_values, Path};

/// Everything that differs between two designs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GraphDiff {
    /// Node changes.
    pub nodes: NodeChanges,
    /// Edge changes.
    pub edges: EdgeChanges,
}

/// Node changes, each list sorted by node id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeChanges {
    /// Nodes only in the newer design.
    pub added: Vec<Node>,
    /// Nodes only in the older design.
    pub removed: Vec<Node>,
    /// Nodes in both whose kind or settings differ.
    pub modified: Vec<NodeModification>,
    /// Nodes in both that were drawn somewhere else.
    pub moved: Vec<NodeMove>,
}

/// The field changes of one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeModification {
    /// The node.
    pub node_id: String,
    /// What changed, in field order.
    pub changes: Vec<FieldChange>,
}

/// One changed field. `old` is absent when the field was added, `new` when it was removed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Where, e.g. `data.env[1].value`.
    pub path: String,
    /// The older value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The newer value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// A node drawn at another place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeMove {
    /// The node.
    pub node_id: String,
    /// Where it was.
    pub from: Position,
    /// Where it is.
    pub to: Position,
}

/// Edge changes, sorted by source, target and id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgeChanges {
    /// Connections only in the newer design.
    pub added: Vec<Edge>,
    /// Connections only in the older design.
    pub removed: Vec<Edge>,
}

/// How many of each change, for a summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffCounts {
    /// Nodes added.
    pub added: usize,
    /// Nodes removed.
    pub removed: usize,
    /// Nodes modified.
    pub modified: usize,
    /// Nodes moved.
    pub moved: usize,
    /// Connections added.
    pub edges_added: usize,
    /// Connections removed.
    pub edges_removed: usize,
}

/// How one node fared, for highlighting it on a canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeMark {
    /// Only in the newer design.
    pub added: bool,
    /// Only in the older design.
    pub removed: bool,
    /// Kind or settings differ.
    pub modified: bool,
    /// Drawn elsewhere.
    pub moved: bool,
}

impl NodeMark {
    /// True when nothing happened to the node.
    pub fn is_unchanged(self) -> bool {
        self == NodeMark::default()
    }
}

impl GraphDiff {
    /// True when the two designs are the same.
    pub fn is_empty(&self) -> bool {
        self.counts() == DiffCounts::default()
    }

    /// The number of changes of each sort.
    pub fn counts(&self) -> DiffCounts {
        DiffCounts {
            added: self.nodes.added.len(),
            removed: self.nodes.removed.len(),
            modified: self.nodes.modified.len(),
            moved: self.nodes.moved.len(),
            edges_added: self.edges.added.len(),
            edges_removed: self.edges.removed.len(),
        }
    }

    /// The field changes of one node (empty when it was not modified).
    pub fn changes_of(&self, node_id: &str) -> &[FieldChange] {
        self.nodes
            .modified
            .iter()
            .find(|m| m.node_id == node_id)
            .map(|m| m.changes.as_slice())
            .unwrap_or_default()
    }

    /// What happened to a node.
    pub fn mark_of(&self, node_id: &str) -> NodeMark {
        let nodes = &self.nodes;
        NodeMark {
            added: nodes.added.iter().any(|n| n.id == node_id),
            removed: nodes.removed.iter().any(|n| n.id == node_id),
            modified: nodes.modified.iter().any(|m| m.node_id == node_id),
            moved: nodes.moved.iter().any(|m| m.node_id == node_id),
        }
    }

    /// The diff the other way round: what `diff(to, from)` returns.
    pub fn reversed(&self) -> GraphDiff {
        let flip = |change: &FieldChange| FieldChange {
            path: change.path.clone(),
            old: change.new.clone(),
            new: change.old.clone(),
        };
        GraphDiff {
            nodes: NodeChanges {
                added: self.nodes.removed.clone(),
                removed: self.nodes.added.clone(),
                modified: (self.nodes.modified.iter())
                    .map(|m| NodeModification {
                        node_id: m.node_id.clone(),
                        changes: m.changes.iter().map(flip).collect(),
                    })
                    .collect(),
                moved: (self.nodes.moved.iter())
                    .map(|m| NodeMove {
                        node_id: m.node_id.clone(),
                        from: m.to,
                        to: m.from,
                    })
                    .collect(),
            },
            edges: EdgeChanges {
                added: self.edges.removed.clone(),
                removed: self.edges.added.clone(),
            },
        }
    }
}

/// What changed from `from` (older) to `to` (newer).
pub fn diff(from: &Graph, to: &Graph) -> GraphDiff {
    GraphDiff {
        nodes: diff_nodes(&from.nodes, &to.nodes),
        edges: diff_edges(&from.edges, &to.edges),
    }
}

/// Field-level changes between two JSON documents, with paths from the top (`spec.replicas`,
/// `spec.template.spec.containers[0].image`). `null` counts as an empty object, so comparing
/// with `null` lists every top-level field as added or removed.
pub fn json_changes(old: &Value, new: &Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let as_map = |v: &Value| match v {
        Value::Object(map) => Some(map.clone()),
        Value::Null => Some(empty.clone()),
        _ => None,
    };
    let mut out = Vec::new();
    match (as_map(old), as_map(new)) {
        (Some(a), Some(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let path = Path::field(key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff_values(&path, x, y, &mut out),
                    (x, y) => out.push(FieldChange {
                        path: path.render(),
                        old: x.cloned(),
                        new: y.cloned(),
                    }),
                }
            }
        }
        _ if value::same(old, new) => {}
        _ => out.push(FieldChange {
            path: String::new(),
            old: Some(old.clone()),
            new: Some(new.clone()),
        }),
    }
    out
}

fn by_id(nodes: &[Node]) -> BTreeMap<&str, &Node> {
    nodes.iter().map(|n| (n.id.as_str(), n)).collect()
}

fn diff_nodes(from: &[Node], to: &[Node]) -> NodeChanges {
    let (old, new) = (by_id(from), by_id(to));
    let mut changes = NodeChanges::default();
    for (id, node) in &old {
        match new.get(id) {
            None => changes.removed.push((*node).clone()),
            Some(now) => compare_node(node, now, &mut changes),
        }
    }
    let added = new.iter().filter(|(id, _)| !old.contains_key(*id));
    changes.added = added.map(|(_, node)| (*node).clone()).collect();
    changes
}

fn compare_node(old: &Node, new: &Node, out: &mut NodeChanges) {
    let mut fields = Vec::new();
    if old.kind != new.kind {
        let kind = |node: &Node| Value::String(node.kind.as_str().to_string());
        diff_values(&Path::field("kind"), &kind(old), &kind(new), &mut fields);
    }
    diff_objects(&Path::field("data"), &old.data, &new.data, &mut fields);
    if !fields.is_empty() {
        out.modified.push(NodeModification {
            node_id: old.id.clone(),
            changes: fields,
        });
    }
    if old.position != new.position {
        out.moved.push(NodeMove {
            node_id: old.id.clone(),
            from: old.position,
            to: new.position,
        });
    }
}

fn edge_order(edge: &Edge) -> (&str, &str, &str) {
    (&edge.source, &edge.target, &edge.id)
}

/// Edges grouped by their ends; where one side has more edges between the same two nodes, the
/// extra ones are those whose ids the other side lacks (then the highest ids).
fn diff_edges(from: &[Edge], to: &[Edge]) -> EdgeChanges {
    let (old, new) = (by_ends(from), by_ends(to));
    let none = Vec::new();
    let mut changes = EdgeChanges::default();
    for (ends, edges) in &old {
        changes
            .removed
            .extend(surplus(edges, new.get(ends).unwrap_or(&none)));
    }
    for (ends, edges) in &new {
        changes
            .added
            .extend(surplus(edges, old.get(ends).unwrap_or(&none)));
    }
    changes
        .added
        .sort_by(|a, b| edge_order(a).cmp(&edge_order(b)));
    changes
        .removed
        .sort_by(|a, b| edge_order(a).cmp(&edge_order(b)));
    changes
}

type Ends<'a> = (&'a str, &'a str);

fn by_ends(edges: &[Edge]) -> HashMap<Ends<'_>, Vec<&Edge>> {
    let mut map: HashMap<Ends<'_>, Vec<&Edge>> = HashMap::new();
    for edge in edges {
        map.entry((&edge.source, &edge.target))
            .or_default()
            .push(edge);
    }
    map
}

/// The edges of `mine` beyond the count of `theirs`.
fn surplus(mine: &[&Edge], theirs: &[&Edge]) -> Vec<Edge> {
    let Some(extra) = mine.len().checked_sub(theirs.len()).filter(|n| *n > 0) else {
        return Vec::new();
    };
    let mut ranked: Vec<&Edge> = mine.to_vec();
    ranked.sort_by_key(|edge| {
        (
            theirs.iter().any(|t| t.id == edge.id),
            std::cmp::Reverse(&edge.id),
        )
    });
    ranked.into_iter().take(extra).cloned().collect()
}
