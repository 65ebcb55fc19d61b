//! Editing operations on a graph that the canvas applies: new nodes with unique names, copy and
//! paste with fresh ids, and which edges go with deleted nodes. Pure and deterministic: ids come
//! from the caller.

use super::id_set::IdSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::import::names::with_suffix;
use crate::model::{Edge, Graph, Node, NodeData, NodeKind, Position};

/// How far pasted nodes are moved from the originals.
pub const PASTE_OFFSET: f64 = 40.0;

/// Copied nodes and the edges among them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Clipboard {
    /// The copied nodes.
    pub nodes: Vec<Node>,
    /// Edges whose both ends were copied.
    pub edges: Vec<Edge>,
}

impl Clipboard {
    /// Whether there is nothing to paste.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// The `name` setting in a node's settings (empty when unset).
pub fn name_in(data: &NodeData) -> &str {
    data.get("name").and_then(Value::as_str).unwrap_or("")
}

/// The `name` setting of a node (empty when unset).
pub fn node_name(node: &Node) -> &str {
    name_in(&node.data)
}

/// A node name as shown on screen: `name`, or `(unnamed)` when it is empty.
pub fn display_name(name: &str) -> &str {
    if name.is_empty() {
        "(unnamed)"
    } else {
        name
    }
}

/// A node's label where it must be told apart from others: its `name` setting, else its id.
pub fn label_or_id(node: &Node) -> String {
    match node_name(node) {
        "" => node.id.clone(),
        name => name.to_string(),
    }
}

/// The `namespace` setting in a node's settings (`default` when unset).
pub fn namespace_in(data: &NodeData) -> &str {
    data.get("namespace")
        .and_then(Value::as_str)
        .filter(|ns| !ns.is_empty())
        .unwrap_or("default")
}

/// The `namespace` setting of a node (`default` when unset).
pub fn node_namespace(node: &Node) -> &str {
    namespace_in(&node.data)
}

/// `base` if no node of `kind` in `namespace` uses it yet, else `base-2`, `base-3`, …
/// Names stay within the 63 characters Kubernetes allows.
pub fn unique_name(graph: &Graph, kind: NodeKind, namespace: &str, base: &str) -> String {
    let mut taken: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == kind && node_namespace(n) == namespace)
        .map(node_name)
        .collect();
    taken.sort_unstable();
    let free = |name: &str| taken.binary_search(&name).is_err();
    let base = if base.is_empty() { kind.as_str() } else { base };
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| with_suffix(base, &format!("-{n}")))
        .find(|candidate| free(candidate))
        .unwrap_or_else(|| base.to_string())
}

/// A new node of `kind` at `position` with `data` (usually the kind's defaults), named after the
/// kind (or its `name` setting) and made unique in its namespace.
pub fn new_node(
    graph: &Graph,
    id: String,
    kind: NodeKind,
    position: Position,
    mut data: NodeData,
) -> Node {
    let name = unique_name(graph, kind, namespace_in(&data), name_in(&data));
    data.insert("name".into(), Value::String(name));
    Node {
        id,
        kind,
        position,
        data,
    }
}

/// Copies the nodes in `selected` and the edges between them.
pub fn copy(graph: &Graph, selected: &IdSet) -> Clipboard {
    Clipboard {
        nodes: graph
            .nodes
            .iter()
            .filter(|n| selected.contains(&n.id))
            .cloned()
            .collect(),
        edges: graph
            .edges
            .iter()
            .filter(|e| selected.contains(&e.source) && selected.contains(&e.target))
            .cloned()
            .collect(),
    }
}

/// The clipboard's nodes and edges ready to add to `graph`: fresh ids from `fresh_id`, names made
/// unique (`web` → `web-copy`, `web-copy-2`, …), moved by `offset`.
pub fn paste(
    graph: &Graph,
    clipboard: &Clipboard,
    offset: Position,
    mut fresh_id: impl FnMut() -> String,
) -> (Vec<Node>, Vec<Edge>) {
    let mut scratch = graph.clone();
    let mut renamed: Vec<(&str, String)> = Vec::with_capacity(clipboard.nodes.len());
    let mut nodes = Vec::with_capacity(clipboard.nodes.len());
    for original in &clipboard.nodes {
        let base = format!("{}-copy", node_name(original).trim_end_matches("-copy"));
        let name = unique_name(&scratch, original.kind, node_namespace(original), &base);
        let mut node = original.clone();
        node.id = fresh_id();
        node.position = Position {
            x: original.position.x + offset.x,
            y: original.position.y + offset.y,
        };
        node.data.insert("name".into(), Value::String(name));
        renamed.push((original.id.as_str(), node.id.clone()));
        scratch.nodes.push(node.clone());
        nodes.push(node);
    }
    renamed.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let new_id = |old: &str| {
        let at = renamed.binary_search_by(|r| r.0.cmp(old)).ok()?;
        Some(renamed[at].1.clone())
    };
    let edges = clipboard
        .edges
        .iter()
        .filter_map(|edge| {
            let source = new_id(&edge.source)?;
            let target = new_id(&edge.target)?;
            Some(Edge {
                id: edge_id(&source, &target),
                source,
                target,
            })
        })
        .collect();
    (nodes, edges)
}

/// The id given to an edge drawn from `source` to `target`.
pub fn edge_id(source: &str, target: &str) -> String {
    format!("e-{source}-{target}")
}

/// Ids of the edges that start or end at one of `nodes`.
pub fn edges_touching(edges: &[Edge], nodes: &IdSet) -> IdSet {
    edges
        .iter()
        .filter(|e| nodes.contains(&e.source) || nodes.contains(&e.target))
        .map(|e| e.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, kind: NodeKind, name: &str) -> Node {
        let mut data = NodeData::new();
        data.insert("name".into(), Value::String(name.into()));
        Node {
            id: id.into(),
            kind,
            position: Position { x: 10.0, y: 20.0 },
            data,
        }
    }

    fn graph() -> Graph {
        Graph {
            nodes: vec![
                node("a", NodeKind::Deployment, "web"),
                node("b", NodeKind::Service, "web"),
                node("c", NodeKind::ConfigMap, "settings"),
            ],
            edges: vec![
                Edge {
                    id: edge_id("b", "a"),
                    source: "b".into(),
                    target: "a".into(),
                },
                Edge {
                    id: edge_id("c", "a"),
                    source: "c".into(),
                    target: "a".into(),
                },
            ],
        }
    }

    #[test]
    fn names_are_unique_per_kind_and_namespace() {
        let g = graph();
        assert_eq!(
            unique_name(&g, NodeKind::Deployment, "default", "web"),
            "web-2"
        );
        assert_eq!(unique_name(&g, NodeKind::Deployment, "other", "web"), "web");
        assert_eq!(unique_name(&g, NodeKind::Job, "default", "web"), "web");
        assert_eq!(unique_name(&g, NodeKind::Job, "default", ""), "job");
        let long = "x".repeat(63);
        let mut g2 = g.clone();
        g2.nodes.push(node("d", NodeKind::Job, &long));
        let name = unique_name(&g2, NodeKind::Job, "default", &long);
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("-2"));
    }

    #[test]
    fn names_shown_fall_back_to_unnamed_or_the_id() {
        assert_eq!(display_name("web"), "web");
        assert_eq!(display_name(""), "(unnamed)");
        assert_eq!(label_or_id(&node("a", NodeKind::Job, "batch")), "batch");
        assert_eq!(label_or_id(&node("a", NodeKind::Job, "")), "a");
    }

    #[test]
    fn new_nodes_get_a_unique_name() {
        let g = graph();
        let fresh = new_node(
            &g,
            "n1".into(),
            NodeKind::Deployment,
            Position::default(),
            NodeData::new(),
        );
        assert_eq!(node_name(&fresh), "deployment");
        let mut data = NodeData::new();
        data.insert("name".into(), Value::String("web".into()));
        let clash = new_node(
            &g,
            "n2".into(),
            NodeKind::Deployment,
            Position::default(),
            data,
        );
        assert_eq!(node_name(&clash), "web-2");
    }

    #[test]
    fn paste_duplicates_with_new_ids_names_and_internal_edges() {
        let g = graph();
        let selected: IdSet = ["a", "c"].map(String::from).into();
        let clip = copy(&g, &selected);
        assert_eq!(clip.nodes.len(), 2);
        assert_eq!(clip.edges.len(), 1, "only the edge between copied nodes");
        let mut n = 0;
        let (nodes, edges) = paste(&g, &clip, Position { x: 40.0, y: 40.0 }, || {
            n += 1;
            format!("p{n}")
        });
        assert_eq!(
            nodes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
            ["p1", "p2"]
        );
        assert_eq!(node_name(&nodes[0]), "web-copy");
        assert_eq!(node_name(&nodes[1]), "settings-copy");
        assert_eq!(nodes[0].position, Position { x: 50.0, y: 60.0 });
        assert_eq!(
            edges,
            vec![Edge {
                id: edge_id("p2", "p1"),
                source: "p2".into(),
                target: "p1".into()
            }]
        );

        let mut twice = g.clone();
        twice.nodes.extend(nodes);
        let (again, _) = paste(&twice, &clip, Position::default(), || "q".into());
        assert_eq!(node_name(&again[0]), "web-copy-2");
    }

    #[test]
    fn deleting_a_node_takes_its_edges() {
        let g = graph();
        let gone: IdSet = ["a".to_string()].into();
        assert_eq!(edges_touching(&g.edges, &gone).len(), 2);
        let gone: IdSet = ["c".to_string()].into();
        assert_eq!(edges_touching(&g.edges, &gone), [edge_id("c", "a")].into());
    }
}
