//! How each node and connection is highlighted on either side of a comparison (pure).

use crate::domain::diff::{GraphDiff, NodeMark};
use crate::domain::number::decimal;
use crate::model::Edge;

/// Which version a canvas shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The older side (`from`): removals show here.
    From,
    /// The newer side (`to`): additions show here.
    To,
}

/// The CSS classes of a node card: `diff-removed` (older side only), `diff-added` (newer side
/// only), `diff-modified`, `diff-moved`, or `diff-same` when nothing happened to it.
pub fn node_classes(mark: NodeMark, side: Side) -> String {
    let mut classes = Vec::new();
    if mark.removed && side == Side::From {
        classes.push("diff-removed");
    }
    if mark.added && side == Side::To {
        classes.push("diff-added");
    }
    if mark.modified {
        classes.push("diff-modified");
    }
    if mark.moved {
        classes.push("diff-moved");
    }
    if classes.is_empty() {
        classes.push("diff-same");
    }
    classes.join(" ")
}

/// What happened to a node, in words (`added`, `modified and moved`, …); empty when nothing.
pub fn mark_words(mark: NodeMark) -> String {
    let words: Vec<&str> = [
        (mark.added, "added"),
        (mark.removed, "removed"),
        (mark.modified, "modified"),
        (mark.moved, "moved"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    words.join(" and ")
}

/// What the details of a selected node say about it, besides its field changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeDescription {
    /// What happened to it ([`mark_words`]), or `unchanged`.
    pub headline: String,
    /// `Only in …` when the node is on one side only.
    pub origin: Option<String>,
    /// `Moved from (x, y) to (x, y).` when it was drawn elsewhere.
    pub moved: Option<String>,
}

/// The description of node `id` in `diff`, the sides named `from_label` and `to_label`.
pub fn describe(diff: &GraphDiff, id: &str, from_label: &str, to_label: &str) -> NodeDescription {
    let mark = diff.mark_of(id);
    let headline = match mark_words(mark) {
        words if words.is_empty() => "unchanged".to_string(),
        words => words,
    };
    let origin = if mark.added {
        Some(format!("Only in {to_label}."))
    } else if mark.removed {
        Some(format!("Only in {from_label}."))
    } else {
        None
    };
    let moved = mark
        .moved
        .then(|| diff.nodes.moved.iter().find(|m| m.node_id == id))
        .flatten()
        .map(|m| {
            format!(
                "Moved from ({}, {}) to ({}, {}).",
                decimal(m.from.x, 0),
                decimal(m.from.y, 0),
                decimal(m.to.x, 0),
                decimal(m.to.y, 0)
            )
        });
    NodeDescription {
        headline,
        origin,
        moved,
    }
}

/// The CSS class of a connection drawn on `side`: removed ones on the older side, added ones on
/// the newer side.
pub fn edge_class(diff: &GraphDiff, edge: &Edge, side: Side) -> &'static str {
    let listed = match side {
        Side::From => &diff.edges.removed,
        Side::To => &diff.edges.added,
    };
    match (listed.iter().any(|e| e.id == edge.id), side) {
        (true, Side::From) => "edge-line diff-removed",
        (true, Side::To) => "edge-line diff-added",
        (false, _) => "edge-line",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::diff::diff;
    use crate::model::{Graph, Node, NodeKind, Position};

    fn node(id: &str, x: f64, replicas: u64) -> Node {
        let data = serde_json::json!({ "name": id, "replicas": replicas });
        Node {
            id: id.into(),
            kind: NodeKind::Deployment,
            position: Position { x, y: 0.0 },
            data: data.as_object().cloned().unwrap_or_default(),
        }
    }

    fn edge(id: &str, source: &str, target: &str) -> Edge {
        Edge {
            id: id.into(),
            source: source.into(),
            target: target.into(),
        }
    }

    #[test]
    fn each_side_shows_its_own_changes() {
        let from = Graph {
            nodes: vec![node("a", 0.0, 1), node("b", 0.0, 1), node("c", 0.0, 1)],
            edges: vec![edge("e1", "a", "b")],
        };
        let to = Graph {
            nodes: vec![node("a", 0.0, 3), node("c", 50.0, 1), node("d", 0.0, 1)],
            edges: vec![edge("e2", "a", "d")],
        };
        let changes = diff(&from, &to);
        let classes = |id: &str, side| node_classes(changes.mark_of(id), side);
        assert_eq!(classes("a", Side::From), "diff-modified");
        assert_eq!(classes("a", Side::To), "diff-modified");
        assert_eq!(classes("b", Side::From), "diff-removed");
        assert_eq!(classes("c", Side::To), "diff-moved");
        assert_eq!(classes("d", Side::To), "diff-added");
        assert_eq!(
            classes("d", Side::From),
            "diff-same",
            "not drawn there anyway"
        );
        assert_eq!(mark_words(changes.mark_of("a")), "modified");
        assert_eq!(mark_words(changes.mark_of("zz")), "");

        assert_eq!(
            edge_class(&changes, &from.edges[0], Side::From),
            "edge-line diff-removed"
        );
        assert_eq!(
            edge_class(&changes, &to.edges[0], Side::To),
            "edge-line diff-added"
        );
    }

    #[test]
    fn modified_and_moved_together_get_both() {
        let from = Graph {
            nodes: vec![node("a", 0.0, 1)],
            edges: vec![],
        };
        let to = Graph {
            nodes: vec![node("a", 9.0, 2)],
            edges: vec![],
        };
        let mark = diff(&from, &to).mark_of("a");
        assert_eq!(node_classes(mark, Side::To), "diff-modified diff-moved");
        assert_eq!(mark_words(mark), "modified and moved");
    }

    #[test]
    fn a_node_is_described_in_words() {
        let from = Graph {
            nodes: vec![node("a", 0.0, 1), node("b", 0.0, 1), node("c", 0.0, 1)],
            edges: vec![],
        };
        let to = Graph {
            nodes: vec![node("a", 12.4, 2), node("c", 0.0, 1), node("d", 0.0, 1)],
            edges: vec![],
        };
        let changes = diff(&from, &to);
        let describe = |id| describe(&changes, id, "version 1", "version 2");
        assert_eq!(
            describe("a"),
            NodeDescription {
                headline: "modified and moved".into(),
                origin: None,
                moved: Some("Moved from (0, 0) to (12, 0).".into()),
            }
        );
        assert_eq!(describe("b").headline, "removed");
        assert_eq!(describe("b").origin.as_deref(), Some("Only in version 1."));
        assert_eq!(describe("d").origin.as_deref(), Some("Only in version 2."));
        assert_eq!(
            describe("c"),
            NodeDescription {
                headline: "unchanged".into(),
                origin: None,
                moved: None,
            }
        );
    }
}
