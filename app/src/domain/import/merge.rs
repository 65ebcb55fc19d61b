//! Applying an import to a workflow that already has nodes: imported ids are rewritten so
//! they never clash, names taken by existing nodes of the same kind and namespace get a number
//! (Ingress paths follow their Service's new name), and the imported graph is placed to the
//! right of the existing one.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::names::NameBook;
use crate::domain::editing::node_namespace;
use crate::domain::geometry::bounds;
use crate::domain::layout::COLUMN_GAP;
use crate::model::{Edge, Node, NodeKind, Position};

/// The imported nodes and edges, ready to append to `existing`.
pub fn place_beside(
    existing: &[Node],
    existing_edges: &[Edge],
    nodes: Vec<Node>,
    edges: Vec<Edge>,
) -> (Vec<Node>, Vec<Edge>) {
    let mut ids: BTreeSet<String> = existing.iter().map(|n| n.id.clone()).collect();
    let mut names = NameBook::default();
    let key = |n: &Node| format!("{}/{}", n.kind, node_namespace(n));
    for node in existing {
        if let Some(name) = node.data.get("name").and_then(Value::as_str) {
            names.claim(&key(node), name);
        }
    }
    let offset = offset(existing, &nodes);
    let mut new_ids = BTreeMap::new();
    let mut renamed_services: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(nodes.len());
    for mut node in nodes {
        let id = fresh(&node.id, &mut ids);
        new_ids.insert(node.id.clone(), id.clone());
        node.id = id;
        node.position = Position {
            x: node.position.x + offset.x,
            y: node.position.y + offset.y,
        };
        if let Some(name) = node
            .data
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
        {
            let free = names.claim(&key(&node), &name);
            if free != name {
                if node.kind == NodeKind::Service {
                    renamed_services.insert(name, free.clone());
                }
                node.data.insert("name".into(), json!(free));
            }
        }
        out.push(node);
    }
    for node in out.iter_mut().filter(|n| n.kind == NodeKind::Ingress) {
        if let Some(Value::Array(paths)) = node.data.get_mut("paths") {
            for path in paths {
                let new = path
                    .get("service")
                    .and_then(Value::as_str)
                    .and_then(|s| renamed_services.get(s))
                    .cloned();
                if let Some(new) = new {
                    path["service"] = json!(new);
                }
            }
        }
    }
    let mut edge_ids: BTreeSet<String> = existing_edges.iter().map(|e| e.id.clone()).collect();
    let edges = edges
        .into_iter()
        .filter_map(|e| {
            Some(Edge {
                id: fresh(&e.id, &mut edge_ids),
                source: new_ids.get(&e.source)?.clone(),
                target: new_ids.get(&e.target)?.clone(),
            })
        })
        .collect();
    (out, edges)
}

/// `wanted`, or `wanted-2`, `wanted-3`, … whichever is free; recorded as taken.
fn fresh(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let mut id = wanted.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// How far to move the imported graph: its left edge one column gap right of the existing
/// graph's right edge, top edges aligned.
fn offset(existing: &[Node], imported: &[Node]) -> Position {
    let area = |nodes: &[Node]| bounds(nodes.iter().map(|n| n.position));
    match (area(existing), area(imported)) {
        (Some(existing), Some(imported)) => Position {
            x: existing.right() + COLUMN_GAP - imported.x,
            y: existing.y - imported.y,
        },
        _ => Position::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::geometry::Rect;

    fn node(id: &str, kind: NodeKind, name: &str, x: f64) -> Node {
        Node {
            id: id.into(),
            kind,
            position: Position { x, y: 40.0 },
            data: json!({ "name": name }).as_object().cloned().unwrap(),
        }
    }

    #[test]
    fn ids_names_and_places_never_clash() {
        let existing = vec![
            node("service-web", NodeKind::Service, "web", 0.0),
            node("deployment-web", NodeKind::Deployment, "web", 300.0),
        ];
        let mut ingress = node("ingress-web", NodeKind::Ingress, "web", 0.0);
        ingress
            .data
            .insert("paths".into(), json!([{ "path": "/", "service": "web" }]));
        let imported = vec![node("service-web", NodeKind::Service, "web", 80.0), ingress];
        let edges = vec![Edge {
            id: "e1".into(),
            source: "ingress-web".into(),
            target: "service-web".into(),
        }];
        let existing_edges = vec![Edge {
            id: "e1".into(),
            source: "service-web".into(),
            target: "deployment-web".into(),
        }];
        let (nodes, edges) = place_beside(&existing, &existing_edges, imported, edges);
        assert_eq!(nodes[0].id, "service-web-2");
        assert_eq!(nodes[0].data["name"], json!("web-2"));
        assert_eq!(nodes[1].id, "ingress-web");
        assert_eq!(nodes[1].data["paths"][0]["service"], json!("web-2"));
        assert_eq!(
            edges[0],
            Edge {
                id: "e1-2".into(),
                source: "ingress-web".into(),
                target: "service-web-2".into()
            }
        );
        for a in &existing {
            for b in &nodes {
                assert!(!Rect::node(a.position).intersects(&Rect::node(b.position)));
            }
        }
        assert!(nodes.iter().all(|n| n.position.x > 300.0));
    }
}
