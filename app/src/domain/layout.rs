//! Automatic layout: a deterministic layered layout where traffic flows left to right —
//! Ingress → Service (and the policies that point at workloads) → workloads → config and storage →
//! custom objects. Connected groups are stacked top to bottom, biggest first; inside a column,
//! nodes are ordered to keep edges short (barycentre sweeps). Nothing overlaps.

use std::collections::{BTreeMap, HashMap};

use super::geometry::{NODE_HEIGHT, NODE_WIDTH};
use crate::model::{Edge, Node, NodeKind, Position};

/// Horizontal space between columns.
pub const COLUMN_GAP: f64 = 110.0;
/// Vertical space between nodes in a column.
pub const ROW_GAP: f64 = 34.0;
/// Vertical space between unconnected groups.
pub const GROUP_GAP: f64 = 90.0;
const SWEEPS: usize = 4;
const COLUMNS: usize = 5;

/// The column a kind is placed in.
pub fn column(kind: NodeKind) -> usize {
    match kind {
        NodeKind::Ingress => 0,
        NodeKind::Service | NodeKind::Hpa | NodeKind::NetworkPolicy => 1,
        NodeKind::Deployment
        | NodeKind::StatefulSet
        | NodeKind::DaemonSet
        | NodeKind::Job
        | NodeKind::CronJob => 2,
        NodeKind::ConfigMap | NodeKind::Secret | NodeKind::PersistentVolumeClaim => 3,
        NodeKind::Custom => 4,
    }
}

/// New positions for every node, keyed by node id, placed from `origin` down and to the right.
/// The result depends only on the nodes' ids and kinds and the edges, not on their order.
pub fn layered(nodes: &[Node], edges: &[Edge], origin: Position) -> BTreeMap<String, Position> {
    let mut ids: Vec<(&str, NodeKind)> = nodes.iter().map(|n| (n.id.as_str(), n.kind)).collect();
    ids.sort_unstable();
    ids.dedup_by(|a, b| a.0 == b.0);
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();

    let mut neighbours = vec![Vec::new(); ids.len()];
    for edge in edges {
        if let (Some(&a), Some(&b)) = (
            index.get(edge.source.as_str()),
            index.get(edge.target.as_str()),
        ) {
            if a != b {
                neighbours[a].push(b);
                neighbours[b].push(a);
            }
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }

    let kinds: Vec<NodeKind> = ids.iter().map(|(_, kind)| *kind).collect();
    let mut positions = BTreeMap::new();
    let mut top = origin.y;
    for group in groups(&neighbours) {
        let columns = order_columns(&group, &kinds, &neighbours);
        let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
        let pitch = NODE_HEIGHT + ROW_GAP;
        for (c, members) in columns.iter().enumerate() {
            let x = origin.x + c as f64 * (NODE_WIDTH + COLUMN_GAP);
            let centring = (tallest - members.len()) as f64 * pitch / 2.0;
            for (row, &node) in members.iter().enumerate() {
                let y = top + centring + row as f64 * pitch;
                positions.insert(ids[node].0.to_string(), Position { x, y });
            }
        }
        top += tallest as f64 * pitch - ROW_GAP + GROUP_GAP;
    }
    positions
}

/// Connected groups (node indices, ascending), biggest first, ties by smallest member.
fn groups(neighbours: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut seen = vec![false; neighbours.len()];
    let mut groups = Vec::new();
    for start in 0..neighbours.len() {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut group = vec![start];
        let mut next = 0;
        while next < group.len() {
            for &n in &neighbours[group[next]] {
                if !seen[n] {
                    seen[n] = true;
                    group.push(n);
                }
            }
            next += 1;
        }
        group.sort_unstable();
        groups.push(group);
    }
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    groups
}

/// The group's nodes split into columns, each ordered by barycentre sweeps.
fn order_columns(
    group: &[usize],
    kinds: &[NodeKind],
    neighbours: &[Vec<usize>],
) -> Vec<Vec<usize>> {
    let mut columns = vec![Vec::new(); COLUMNS];
    for &node in group {
        columns[column(kinds[node])].push(node);
    }
    let mut rank = vec![0.0_f64; kinds.len()];
    let renumber = |columns: &Vec<Vec<usize>>, rank: &mut Vec<f64>| {
        for members in columns {
            for (i, &node) in members.iter().enumerate() {
                rank[node] = i as f64;
            }
        }
    };
    renumber(&columns, &mut rank);
    for sweep in 0..SWEEPS {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..COLUMNS).collect()
        } else {
            (0..COLUMNS - 1).rev().collect()
        };
        for c in order {
            let adjacent = if sweep % 2 == 0 { c - 1 } else { c + 1 };
            let key = |node: usize| -> f64 {
                let near: Vec<f64> = neighbours[node]
                    .iter()
                    .filter(|&&n| column(kinds[n]) == adjacent)
                    .map(|&n| rank[n])
                    .collect();
                if near.is_empty() {
                    rank[node]
                } else {
                    near.iter().sum::<f64>() / near.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = columns[c].iter().map(|&n| (key(n), n)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            columns[c] = keyed.into_iter().map(|(_, n)| n).collect();
            renumber(&columns, &mut rank);
        }
    }
    columns.retain(|members| !members.is_empty());
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::geometry::Rect;

    fn node(id: &str, kind: NodeKind) -> Node {
        Node {
            id: id.into(),
            kind,
            position: Position::default(),
            data: Default::default(),
        }
    }

    fn edge(source: &str, target: &str) -> Edge {
        Edge {
            id: format!("{source}->{target}"),
            source: source.into(),
            target: target.into(),
        }
    }

    fn web_stack() -> (Vec<Node>, Vec<Edge>) {
        let nodes = vec![
            node("cfg", NodeKind::ConfigMap),
            node("web", NodeKind::Deployment),
            node("ing", NodeKind::Ingress),
            node("svc", NodeKind::Service),
            node("pvc", NodeKind::PersistentVolumeClaim),
            node("lonely", NodeKind::Job),
        ];
        let edges = vec![
            edge("ing", "svc"),
            edge("svc", "web"),
            edge("cfg", "web"),
            edge("pvc", "web"),
        ];
        (nodes, edges)
    }

    #[test]
    fn traffic_flows_left_to_right() {
        let (nodes, edges) = web_stack();
        let at = layered(&nodes, &edges, Position::default());
        assert!(at["ing"].x < at["svc"].x);
        assert!(at["svc"].x < at["web"].x);
        assert!(at["web"].x < at["cfg"].x);
        assert_eq!(at["cfg"].x, at["pvc"].x);
        assert!(at["lonely"].y > at["web"].y, "unconnected groups go below");
    }

    #[test]
    fn result_does_not_depend_on_input_order() {
        let (mut nodes, mut edges) = web_stack();
        let first = layered(&nodes, &edges, Position::default());
        nodes.reverse();
        edges.reverse();
        assert_eq!(layered(&nodes, &edges, Position::default()), first);
    }

    #[test]
    fn nothing_overlaps_in_a_large_random_graph() {
        let mut seed = 0x2545_f491_u64;
        let mut random = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let nodes: Vec<Node> = (0..500)
            .map(|i| node(&format!("n{i}"), NodeKind::ALL[random(NodeKind::ALL.len())]))
            .collect();
        let edges: Vec<Edge> = (0..600)
            .map(|_| edge(&format!("n{}", random(500)), &format!("n{}", random(500))))
            .collect();
        let at = layered(&nodes, &edges, Position { x: 50.0, y: 50.0 });
        assert_eq!(at.len(), 500);
        let boxes: Vec<Rect> = at.values().map(|&p| Rect::node(p)).collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.intersects(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn edges_to_missing_nodes_and_duplicate_ids_are_ignored() {
        let nodes = vec![node("a", NodeKind::Service), node("a", NodeKind::Service)];
        let at = layered(&nodes, &[edge("a", "ghost")], Position::default());
        assert_eq!(at.len(), 1);
    }
}
