//! What a deploy works on: each node's rendered object (or why there is none), the apply levels
//! and the dependencies between nodes that decide what a failure blocks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use app::domain::deploy::{apply_levels, LevelError};
use app::model::{Edge, NodeKind, ObjectRef};

/// One node's part of a deploy.
#[derive(Clone, Debug)]
pub struct Planned {
    /// The node.
    pub node_id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// What rendering gave.
    pub outcome: Outcome,
    /// A Secret rendered without values (none were entered for this run): it is kept as it is
    /// in the cluster, never applied without its data.
    pub keep_existing: bool,
}

/// What rendering gave for a node.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// An object to apply.
    Object {
        /// Where it goes.
        object: ObjectRef,
        /// The object.
        body: Value,
    },
    /// Nothing to apply, and that is fine (e.g. it uses an existing Secret).
    Skipped(String),
    /// The node has errors (the message lists them).
    Failed(String),
}

impl Planned {
    /// The object, when there is one.
    pub fn object(&self) -> Option<(&ObjectRef, &Value)> {
        match &self.outcome {
            Outcome::Object { object, body } => Some((object, body)),
            _ => None,
        }
    }
}

/// Levels and dependencies of the nodes that have objects.
#[derive(Clone, Debug, Default)]
pub struct Order {
    /// Node ids per level, first level first.
    pub levels: Vec<Vec<String>>,
    /// Level of each node.
    pub level_of: HashMap<String, u32>,
    /// For each node, the nodes that must succeed before it is applied.
    pub needs: HashMap<String, BTreeSet<String>>,
}

/// Orders the nodes with objects: kind order and depends-on edges give the levels; every edge
/// between two levelled nodes makes the later one need the earlier one.
pub fn order(planned: &[Planned], edges: &[Edge]) -> Result<Order, LevelError> {
    let nodes: Vec<(String, NodeKind)> = planned
        .iter()
        .filter(|p| p.object().is_some())
        .map(|p| (p.node_id.clone(), p.kind))
        .collect();
    let levels = apply_levels(&nodes, edges)?;
    let level_of: HashMap<String, u32> = levels
        .iter()
        .enumerate()
        .flat_map(|(i, ids)| ids.iter().map(move |id| (id.clone(), i as u32)))
        .collect();
    let mut needs: HashMap<String, BTreeSet<String>> = HashMap::new();
    for edge in edges {
        let (Some(a), Some(b)) = (level_of.get(&edge.source), level_of.get(&edge.target)) else {
            continue;
        };
        let (first, then) = match a.cmp(b) {
            std::cmp::Ordering::Less => (&edge.source, &edge.target),
            std::cmp::Ordering::Greater => (&edge.target, &edge.source),
            std::cmp::Ordering::Equal => continue,
        };
        needs.entry(then.clone()).or_default().insert(first.clone());
    }
    Ok(Order {
        levels,
        level_of,
        needs,
    })
}

/// Node ids whose objects go to each namespace.
pub fn by_namespace(planned: &[Planned]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in planned {
        if let Some((object, _)) = p.object() {
            if let Some(ns) = &object.namespace {
                out.entry(ns.clone()).or_default().push(p.node_id.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(id: &str, kind: NodeKind) -> Planned {
        Planned {
            node_id: id.into(),
            kind,
            outcome: Outcome::Object {
                object: ObjectRef {
                    api_version: "v1".into(),
                    kind: "X".into(),
                    namespace: Some("ns".into()),
                    name: id.into(),
                },
                body: Value::Null,
            },
            keep_existing: false,
        }
    }

    #[test]
    fn later_ends_of_edges_need_earlier_ones() {
        let nodes = [
            planned("ing", NodeKind::Ingress),
            planned("svc", NodeKind::Service),
            planned("web", NodeKind::Deployment),
            planned("cfg", NodeKind::ConfigMap),
        ];
        let edge = |s: &str, t: &str| Edge {
            id: format!("{s}-{t}"),
            source: s.into(),
            target: t.into(),
        };
        let order = order(
            &nodes,
            &[edge("ing", "svc"), edge("svc", "web"), edge("cfg", "web")],
        )
        .unwrap();
        assert_eq!(order.levels.len(), 4);
        assert_eq!(order.needs["web"], BTreeSet::from(["cfg".to_string()]));
        assert_eq!(order.needs["svc"], BTreeSet::from(["web".to_string()]));
        assert_eq!(order.needs["ing"], BTreeSet::from(["svc".to_string()]));
    }
}
