//! Checks a whole design: node ids, every node's settings, cross-field rules, unique names,
//! edges (allowed, same namespace) and wiring. The result feeds rendering and the editor's markers.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::edges::{self, EdgeMeaning, Link};
use super::issue::{has_errors, Issue};
use super::wiring::{self, Derived, Design};
use super::{formats, rules, settings};
use crate::model::{Graph, NodeSettings};

/// Every problem of a design, by where it is. (Read back by the hand reader in `api::opened`.)
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// By node id.
    pub nodes: BTreeMap<String, Vec<Issue>>,
    /// By edge id.
    pub edges: BTreeMap<String, Vec<Issue>>,
    /// About the workflow as a whole.
    pub workflow: Vec<Issue>,
}

impl Report {
    /// True when any node, edge or the workflow has an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.workflow)
            || self.nodes.values().any(|i| has_errors(i))
            || self.edges.values().any(|i| has_errors(i))
    }

    /// True when node `id` has an error.
    pub fn node_has_errors(&self, id: &str) -> bool {
        self.nodes.get(id).is_some_and(|i| has_errors(i))
    }

    /// How many errors and warnings there are, everywhere.
    pub fn counts(&self) -> (usize, usize) {
        let all = self
            .workflow
            .iter()
            .chain(self.nodes.values().flatten())
            .chain(self.edges.values().flatten());
        all.fold((0, 0), |(e, w), issue| {
            if issue.is_error() {
                (e + 1, w)
            } else {
                (e, w + 1)
            }
        })
    }

    fn add(&mut self, node_id: &str, issues: impl IntoIterator<Item = Issue>) {
        let mut issues = issues.into_iter().peekable();
        if issues.peek().is_some() {
            self.nodes
                .entry(node_id.to_string())
                .or_default()
                .extend(issues);
        }
    }
}

/// A checked design: typed settings, valid links and derived values, plus the report.
#[derive(Debug)]
pub struct Checked<'a> {
    /// The workflow id used in labels.
    pub workflow_id: &'a str,
    /// The graph.
    pub graph: &'a Graph,
    /// Settings by node index (`None` where unreadable).
    pub settings: Vec<Option<NodeSettings>>,
    /// Valid edges.
    pub links: Vec<Link<'a>>,
    /// Derived values by node index.
    pub derived: Vec<Derived>,
    /// Everything found.
    pub report: Report,
}

/// Checks `graph` as part of workflow `workflow_id`.
pub fn check<'a>(workflow_id: &'a str, graph: &'a Graph) -> Checked<'a> {
    let mut report = Report::default();
    if workflow_id.is_empty()
        || formats::check(crate::model::metadata::Format::LabelValue, workflow_id).is_err()
    {
        report.workflow.push(Issue::error(
            "the workflow id must be a label value (at most 63 letters, digits, '-', '_' or '.')",
        ));
    }
    let mut seen_ids = HashMap::new();
    for node in &graph.nodes {
        if seen_ids.insert(node.id.as_str(), ()).is_some() {
            report.workflow.push(Issue::error(format!(
                "two nodes have the id {}: node ids must be unique",
                node.id
            )));
        }
        if node.id.is_empty()
            || formats::check(crate::model::metadata::Format::LabelValue, &node.id).is_err()
        {
            report.add(&node.id, [Issue::error("the node id must be a label value (at most 63 letters, digits, '-', '_' or '.')")]);
        }
    }
    let settings: Vec<Option<NodeSettings>> = graph
        .nodes
        .iter()
        .map(|node| {
            let parsed = settings::parse(node.kind, &node.data);
            report.add(&node.id, parsed.issues);
            if let Some(s) = &parsed.settings {
                report.add(&node.id, rules::check(s));
            }
            parsed.settings
        })
        .collect();
    unique_names(graph, &settings, &mut report);
    let (mut links, edge_issues) = edges::check(&graph.nodes, &graph.edges);
    report.edges = edge_issues;
    links.retain(|link| same_namespace(link, &settings, &mut report));
    let design = Design {
        workflow_id,
        nodes: &graph.nodes,
        settings: &settings,
        links: &links,
    };
    let (derived, wiring_issues) = wiring::derive(&design);
    for (index, issues) in wiring_issues {
        report.add(&graph.nodes[index].id, issues);
    }
    Checked {
        workflow_id,
        graph,
        settings,
        links,
        derived,
        report,
    }
}

/// Names are unique per kind and namespace; workloads of different kinds sharing a name would
/// share pod labels.
fn unique_names(graph: &Graph, settings: &[Option<NodeSettings>], report: &mut Report) {
    let mut by_key: HashMap<(String, &str, &str), usize> = HashMap::new();
    let mut pods: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, s) in settings.iter().enumerate() {
        let Some(s) = s else { continue };
        let kind = graph.nodes[i].kind;
        let key = (kind.to_string(), s.namespace(), s.name());
        if let Some(&first) = by_key.get(&key) {
            let message = format!(
                "another {kind} in namespace {} is called {}: names must be unique",
                s.namespace(),
                s.name()
            );
            report.add(
                &graph.nodes[i].id,
                [Issue::field_error("name", message.clone())],
            );
            report.add(
                &graph.nodes[first].id,
                [Issue::field_error("name", message)],
            );
        } else {
            by_key.insert(key, i);
        }
        if kind.is_workload() {
            if let Some(&other) = pods.get(&(s.namespace(), s.name())) {
                if graph.nodes[other].kind != kind {
                    report.add(&graph.nodes[i].id, [Issue::field_warning(
                        "name",
                        format!("the {} {} has the same name, so Services would select both: rename one", graph.nodes[other].kind, s.name()),
                    )]);
                }
            } else {
                pods.insert((s.namespace(), s.name()), i);
            }
        }
    }
}

fn same_namespace(link: &Link, settings: &[Option<NodeSettings>], report: &mut Report) -> bool {
    let (Some(source), Some(target)) = (&settings[link.source], &settings[link.target]) else {
        return true;
    };
    if link.meaning == EdgeMeaning::DependsOn || source.namespace() == target.namespace() {
        return true;
    }
    report
        .edges
        .entry(link.edge.id.clone())
        .or_default()
        .push(Issue::error(format!(
        "the {} {} is in namespace {} and the {} {} in {}: connected nodes must share a namespace",
        source.kind(),
        source.name(),
        source.namespace(),
        target.kind(),
        target.name(),
        target.namespace()
    )));
    false
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{metadata, Node, NodeKind, Position};

    fn node(id: &str, kind: NodeKind, patch: serde_json::Value) -> Node {
        let mut data = metadata::of(kind).default_data();
        if let serde_json::Value::Object(fields) = patch {
            data.extend(fields);
        }
        Node {
            id: id.into(),
            kind,
            position: Position::default(),
            data,
        }
    }

    #[test]
    fn counts_errors_and_warnings_from_every_place() {
        let report = Report {
            workflow: vec![Issue::error("no cluster")],
            edges: BTreeMap::from([("e1".to_string(), vec![Issue::warning("odd edge")])]),
            nodes: BTreeMap::from([("a".to_string(), vec![Issue::error("no image")])]),
        };
        assert_eq!(report.counts(), (2, 1));
        assert!(report.node_has_errors("a"));
        assert!(!report.node_has_errors("b"));
    }

    #[test]
    fn a_clean_design_counts_nothing() {
        let graph = Graph {
            nodes: vec![node("a", NodeKind::ConfigMap, json!({"name": "settings"}))],
            edges: vec![],
        };
        let report = check("wf-1", &graph).report;
        assert_eq!(report.counts().0, 0, "{report:?}");
    }
}
