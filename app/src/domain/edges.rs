//! Which edges are allowed and what they mean (spec §3) — the one place the editor, save
//! validation and wiring ask.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::issue::Issue;
use crate::model::{Edge, Node, NodeKind};

/// What an allowed edge does when rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EdgeMeaning {
    /// service → deployment/statefulset/daemonset: selector and target ports from the workload.
    Selects,
    /// ingress → service: paths route to the Service.
    Routes,
    /// configmap → workload: `envFrom` or a read-only volume.
    ConfigFrom,
    /// secret → workload: `envFrom` or a read-only volume.
    SecretFrom,
    /// persistentvolumeclaim → deployment/statefulset/daemonset/job: a mounted volume.
    Mounts,
    /// hpa → deployment/statefulset: `scaleTargetRef`.
    Scales,
    /// networkpolicy → workload: `podSelector`.
    Isolates,
    /// workload → workload: ordering and layout only.
    DependsOn,
}

impl EdgeMeaning {
    /// Short description for tooltips.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Selects => "sends traffic to",
            Self::Routes => "routes to",
            Self::ConfigFrom => "configures",
            Self::SecretFrom => "provides secrets to",
            Self::Mounts => "is mounted by",
            Self::Scales => "scales",
            Self::Isolates => "restricts traffic of",
            Self::DependsOn => "is needed by",
        }
    }
}

/// The meaning of an edge from a `source` node to a `target` node, or `None` when not allowed.
pub fn edge_rule(source: NodeKind, target: NodeKind) -> Option<EdgeMeaning> {
    use NodeKind::*;
    let meaning = match source {
        Service => EdgeMeaning::Selects,
        Ingress => EdgeMeaning::Routes,
        ConfigMap => EdgeMeaning::ConfigFrom,
        Secret => EdgeMeaning::SecretFrom,
        PersistentVolumeClaim => EdgeMeaning::Mounts,
        Hpa => EdgeMeaning::Scales,
        NetworkPolicy => EdgeMeaning::Isolates,
        _ if source.is_workload() => EdgeMeaning::DependsOn,
        _ => return None,
    };
    let allowed = match meaning {
        EdgeMeaning::Selects => matches!(target, Deployment | StatefulSet | DaemonSet),
        EdgeMeaning::Routes => target == Service,
        EdgeMeaning::Mounts => matches!(target, Deployment | StatefulSet | DaemonSet | Job),
        EdgeMeaning::Scales => matches!(target, Deployment | StatefulSet),
        EdgeMeaning::ConfigFrom
        | EdgeMeaning::SecretFrom
        | EdgeMeaning::Isolates
        | EdgeMeaning::DependsOn => target.is_workload(),
    };
    allowed.then_some(meaning)
}

/// Why an edge between these kinds is refused, for the editor and save errors.
pub fn refusal(source: NodeKind, target: NodeKind) -> String {
    let targets: Vec<&str> = NodeKind::ALL
        .into_iter()
        .filter(|t| edge_rule(source, *t).is_some())
        .map(NodeKind::as_str)
        .collect();
    if targets.is_empty() {
        format!("a {source} cannot be connected to anything")
    } else {
        format!(
            "a {source} can connect to {} — not to a {target}",
            targets.join(", ")
        )
    }
}

/// What an edge from `source` to `target` (each an id and kind) would mean, or why it may not be
/// drawn: a node joined to itself, kinds that do not connect, or — asked only when the kinds do
/// connect — `connected()` saying the two nodes are already joined.
pub fn judge_edge(
    source: (&str, NodeKind),
    target: (&str, NodeKind),
    connected: impl FnOnce() -> bool,
) -> Result<EdgeMeaning, String> {
    if source.0 == target.0 {
        return Err("a node cannot connect to itself".to_string());
    }
    match edge_rule(source.1, target.1) {
        None => Err(refusal(source.1, target.1)),
        Some(_) if connected() => Err("these two nodes are already connected".to_string()),
        Some(meaning) => Ok(meaning),
    }
}

/// A checked edge: its ends and meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link<'a> {
    /// The edge.
    pub edge: &'a Edge,
    /// Source node index in the node list.
    pub source: usize,
    /// Target node index in the node list.
    pub target: usize,
    /// What it does.
    pub meaning: EdgeMeaning,
}

/// Checks every edge (ends exist, no self-loops or duplicates, allowed kinds, no dependency
/// cycles); returns the valid links and the problems by edge id.
pub fn check<'a>(
    nodes: &[Node],
    edges: &'a [Edge],
) -> (Vec<Link<'a>>, BTreeMap<String, Vec<Issue>>) {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut links = Vec::with_capacity(edges.len());
    let mut issues: BTreeMap<String, Vec<Issue>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for edge in edges {
        let problem = match (
            index.get(edge.source.as_str()),
            index.get(edge.target.as_str()),
        ) {
            (None, _) => Some(format!("its source node `{}` does not exist", edge.source)),
            (_, None) => Some(format!("its target node `{}` does not exist", edge.target)),
            (Some(&s), Some(&t)) => match judge_edge(
                (&edge.source, nodes[s].kind),
                (&edge.target, nodes[t].kind),
                || !seen.insert((s, t)),
            ) {
                Err(why) => Some(why),
                Ok(meaning) => {
                    links.push(Link {
                        edge,
                        source: s,
                        target: t,
                        meaning,
                    });
                    None
                }
            },
        };
        if let Some(message) = problem {
            issues
                .entry(edge.id.clone())
                .or_default()
                .push(Issue::error(message));
        }
    }
    for id in dependency_cycle(nodes.len(), &links) {
        issues.entry(id.to_string()).or_default().push(Issue::error(
            "this dependency closes a cycle: remove one of the edges between the workloads",
        ));
    }
    links.retain(|link| !issues.contains_key(&link.edge.id));
    (links, issues)
}

/// Ids of depends-on edges that lie on a cycle: trim nodes that have no remaining incoming
/// edges, then nodes with no remaining outgoing edges; what is left are cycles.
fn dependency_cycle<'a>(node_count: usize, links: &[Link<'a>]) -> Vec<&'a str> {
    let deps: Vec<&Link> = links
        .iter()
        .filter(|l| l.meaning == EdgeMeaning::DependsOn)
        .collect();
    let mut alive = vec![true; node_count];
    loop {
        let mut has_in = vec![false; node_count];
        let mut has_out = vec![false; node_count];
        for l in deps.iter().filter(|l| alive[l.source] && alive[l.target]) {
            has_out[l.source] = true;
            has_in[l.target] = true;
        }
        let before = alive.iter().filter(|a| **a).count();
        for i in 0..node_count {
            alive[i] = alive[i] && has_in[i] && has_out[i];
        }
        if alive.iter().filter(|a| **a).count() == before {
            break;
        }
    }
    deps.iter()
        .filter(|l| alive[l.source] && alive[l.target])
        .map(|l| l.edge.id.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodeKind::*;

    #[test]
    fn the_spec_table() {
        assert_eq!(edge_rule(Service, Deployment), Some(EdgeMeaning::Selects));
        assert_eq!(edge_rule(Service, Job), None);
        assert_eq!(edge_rule(Ingress, Service), Some(EdgeMeaning::Routes));
        assert_eq!(edge_rule(Ingress, Deployment), None);
        for workload in [Deployment, StatefulSet, DaemonSet, Job, CronJob] {
            assert_eq!(
                edge_rule(ConfigMap, workload),
                Some(EdgeMeaning::ConfigFrom)
            );
            assert_eq!(edge_rule(Secret, workload), Some(EdgeMeaning::SecretFrom));
            assert_eq!(
                edge_rule(NetworkPolicy, workload),
                Some(EdgeMeaning::Isolates)
            );
            assert_eq!(
                edge_rule(Deployment, workload),
                Some(EdgeMeaning::DependsOn)
            );
        }
        assert_eq!(
            edge_rule(PersistentVolumeClaim, Job),
            Some(EdgeMeaning::Mounts)
        );
        assert_eq!(edge_rule(PersistentVolumeClaim, CronJob), None);
        assert_eq!(edge_rule(Hpa, StatefulSet), Some(EdgeMeaning::Scales));
        assert_eq!(edge_rule(Hpa, DaemonSet), None);
        assert_eq!(edge_rule(Deployment, Service), None);
        for kind in NodeKind::ALL {
            assert_eq!(edge_rule(Custom, kind), None);
            assert_eq!(edge_rule(kind, Custom), None);
        }
        assert!(refusal(Hpa, DaemonSet).contains("deployment, statefulset"));
    }

    fn node(id: &str, kind: NodeKind) -> Node {
        Node {
            id: id.into(),
            kind,
            position: Default::default(),
            data: Default::default(),
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
    fn bad_edges_are_reported_by_id() {
        let nodes = [
            node("a", Deployment),
            node("b", Job),
            node("s", Service),
            node("c", CronJob),
            node("d", DaemonSet),
        ];
        let edges = [
            edge("ok", "s", "a"),
            edge("dup", "s", "a"),
            edge("self", "a", "a"),
            edge("gone", "x", "a"),
            edge("wrong", "s", "b"),
            edge("c1", "a", "b"),
            edge("c2", "b", "a"),
            edge("free", "c", "a"),
            edge("after", "a", "d"),
        ];
        let (links, issues) = check(&nodes, &edges);
        let ids: Vec<&str> = links.iter().map(|l| l.edge.id.as_str()).collect();
        assert_eq!(ids, ["ok", "free", "after"]);
        let bad: Vec<&str> = issues.keys().map(String::as_str).collect();
        assert_eq!(bad, ["c1", "c2", "dup", "gone", "self", "wrong"]);
    }

    #[test]
    fn a_new_edge_is_judged_on_its_ends_kinds_and_existing_edges() {
        let never = || panic!("asked whether connected although the edge is refused anyway");
        assert_eq!(
            judge_edge(("s", Service), ("a", Deployment), || false),
            Ok(EdgeMeaning::Selects)
        );
        assert_eq!(
            judge_edge(("a", Deployment), ("a", Deployment), never),
            Err("a node cannot connect to itself".to_string())
        );
        assert_eq!(
            judge_edge(("s", Service), ("b", Job), never),
            Err(refusal(Service, Job))
        );
        assert_eq!(
            judge_edge(("s", Service), ("a", Deployment), || true),
            Err("these two nodes are already connected".to_string())
        );
    }
}
