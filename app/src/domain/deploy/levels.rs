//! Dependency levels: configuration and storage first, then workloads (a workload after the
//! workloads it depends on), then Services, then Ingresses, autoscalers and network policies.
//! Everything in one level can be applied at the same time.

use std::collections::HashMap;

use crate::model::{Edge, NodeKind};

/// A depends-on cycle (the editor refuses to save one, so this only guards the engine).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("these workloads depend on each other in a cycle: {}", .0.join(", "))]
pub struct LevelError(pub Vec<String>);

/// The kind group a node belongs to, in apply order. Custom objects come first with the
/// configuration: they are most often prerequisites (service accounts, roles, certificates).
fn group(kind: NodeKind) -> u32 {
    match kind {
        NodeKind::ConfigMap
        | NodeKind::Secret
        | NodeKind::PersistentVolumeClaim
        | NodeKind::Custom => 0,
        k if k.is_workload() => 1,
        NodeKind::Service => 2,
        _ => 3,
    }
}

/// Groups `nodes` (id, kind) into levels, in order. Depends-on edges (workload → workload: the
/// source is needed by the target) put a workload in a later level than its sources; other
/// edges only follow from the kind order. Node order is kept within a level.
pub fn apply_levels(
    nodes: &[(String, NodeKind)],
    edges: &[Edge],
) -> Result<Vec<Vec<String>>, LevelError> {
    let kinds: HashMap<&str, NodeKind> = nodes.iter().map(|(id, k)| (id.as_str(), *k)).collect();
    let mut needs: HashMap<&str, Vec<&str>> = HashMap::new();
    for edge in edges {
        let (Some(s), Some(t)) = (
            kinds.get(edge.source.as_str()),
            kinds.get(edge.target.as_str()),
        ) else {
            continue;
        };
        if s.is_workload() && t.is_workload() && edge.source != edge.target {
            needs
                .entry(edge.target.as_str())
                .or_default()
                .push(edge.source.as_str());
        }
    }
    let mut depth: HashMap<&str, u32> = HashMap::new();
    for (id, kind) in nodes {
        if kind.is_workload() {
            workload_depth(id, &needs, &mut depth, &mut Vec::new())?;
        }
    }
    let deepest = depth.values().copied().max().unwrap_or(0);
    let level_of = |id: &str, kind: NodeKind| match group(kind) {
        0 => 0,
        1 => 1 + depth.get(id).copied().unwrap_or(0),
        g => g + deepest,
    };
    let mut levels: Vec<Vec<String>> = Vec::new();
    let mut by_level: Vec<(u32, &String)> =
        nodes.iter().map(|(id, k)| (level_of(id, *k), id)).collect();
    by_level.sort_by_key(|(level, _)| *level);
    let mut current = None;
    for (level, id) in by_level {
        if current != Some(level) {
            levels.push(Vec::new());
            current = Some(level);
        }
        if let Some(last) = levels.last_mut() {
            last.push(id.clone());
        }
    }
    Ok(levels)
}

/// Length of the longest chain of workloads `id` depends on.
fn workload_depth<'a>(
    id: &'a str,
    needs: &HashMap<&'a str, Vec<&'a str>>,
    depth: &mut HashMap<&'a str, u32>,
    path: &mut Vec<&'a str>,
) -> Result<u32, LevelError> {
    if let Some(known) = depth.get(id) {
        return Ok(*known);
    }
    if let Some(start) = path.iter().position(|p| *p == id) {
        return Err(LevelError(
            path[start..].iter().map(|s| s.to_string()).collect(),
        ));
    }
    path.push(id);
    let mut deepest = 0;
    for source in needs.get(id).into_iter().flatten() {
        deepest = deepest.max(workload_depth(source, needs, depth, path)? + 1);
    }
    path.pop();
    depth.insert(id, deepest);
    Ok(deepest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(id: &str, kind: NodeKind) -> (String, NodeKind) {
        (id.to_string(), kind)
    }

    fn e(source: &str, target: &str) -> Edge {
        Edge {
            id: format!("{source}>{target}"),
            source: source.into(),
            target: target.into(),
        }
    }

    #[test]
    fn kinds_come_in_order_and_share_levels() {
        let nodes = [
            n("ing", NodeKind::Ingress),
            n("svc", NodeKind::Service),
            n("web", NodeKind::Deployment),
            n("cfg", NodeKind::ConfigMap),
            n("pvc", NodeKind::PersistentVolumeClaim),
            n("hpa", NodeKind::Hpa),
            n("job", NodeKind::Job),
        ];
        let edges = [
            e("ing", "svc"),
            e("svc", "web"),
            e("cfg", "web"),
            e("hpa", "web"),
        ];
        let levels = apply_levels(&nodes, &edges).unwrap();
        assert_eq!(
            levels,
            vec![
                vec!["cfg", "pvc"],
                vec!["web", "job"],
                vec!["svc"],
                vec!["ing", "hpa"]
            ]
        );
    }

    #[test]
    fn depends_on_chains_split_the_workload_level() {
        let nodes = [
            n("api", NodeKind::Deployment),
            n("db", NodeKind::StatefulSet),
            n("migrate", NodeKind::Job),
            n("svc", NodeKind::Service),
            n("worker", NodeKind::Deployment),
        ];
        let edges = [e("db", "migrate"), e("migrate", "api"), e("db", "worker")];
        let levels = apply_levels(&nodes, &edges).unwrap();
        assert_eq!(
            levels,
            vec![
                vec!["db"],
                vec!["migrate", "worker"],
                vec!["api"],
                vec!["svc"]
            ]
        );
        assert_eq!(apply_levels(&[], &[]).unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn cycles_are_reported() {
        let nodes = [n("a", NodeKind::Deployment), n("b", NodeKind::Deployment)];
        let err = apply_levels(&nodes, &[e("a", "b"), e("b", "a")]).unwrap_err();
        assert_eq!(err.0.len(), 2);
        assert!(err.to_string().contains("cycle"));
    }
}
