//! Wiring (spec §3): ONE pure function from the graph to what each node's rendering derives from
//! its edges — selectors, target ports, backends, envFrom/volumes, scale targets, pod selectors
//! and the standard labels. Nothing here is written into node data.

mod labels;
mod policy;
mod traffic;
mod workload;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub use labels::{
    selector_labels, standard_labels, MANAGED_BY, MANAGED_BY_LABEL, NAME_LABEL, NODE_LABEL,
    RESERVED_PREFIXES, WORKFLOW_LABEL,
};

use super::edges::{EdgeMeaning, Link};
use super::issue::Issue;
use crate::model::data::StringMap;
use crate::model::{Node, NodeSettings};

/// A graph whose nodes' settings have been read (`None` where they could not be).
#[derive(Clone, Copy, Debug)]
pub struct Design<'a> {
    /// Workflow id (goes into labels).
    pub workflow_id: &'a str,
    /// Nodes.
    pub nodes: &'a [Node],
    /// Settings by node index.
    pub settings: &'a [Option<NodeSettings>],
    /// Valid edges (see `edges::check`).
    pub links: &'a [Link<'a>],
}

impl<'a> Design<'a> {
    /// The readable settings of node `index`.
    pub fn settings(&self, index: usize) -> Option<&'a NodeSettings> {
        self.settings.get(index).and_then(Option::as_ref)
    }

    /// Nodes at the other end of `index`'s outgoing edges with `meaning` (readable ones only).
    pub fn targets(&self, index: usize, meaning: EdgeMeaning) -> Vec<(usize, &'a NodeSettings)> {
        self.ends(meaning, |l| (l.source == index).then_some(l.target))
    }

    /// Nodes at the other end of `index`'s incoming edges with `meaning` (readable ones only).
    pub fn sources(&self, index: usize, meaning: EdgeMeaning) -> Vec<(usize, &'a NodeSettings)> {
        self.ends(meaning, |l| (l.target == index).then_some(l.source))
    }

    fn ends(
        &self,
        meaning: EdgeMeaning,
        other: impl Fn(&Link) -> Option<usize>,
    ) -> Vec<(usize, &'a NodeSettings)> {
        self.links
            .iter()
            .filter(|l| l.meaning == meaning)
            .filter_map(other)
            .filter_map(|i| self.settings(i).map(|s| (i, s)))
            .collect()
    }
}

/// What one node's rendering derives from the graph. Serialised (camelCase) as `wiring` in the
/// template context; list/object values are already in Kubernetes' shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Derived {
    /// Labels of the object: the user's plus the standard ones.
    pub labels: StringMap,
    /// Workloads: labels of the pods.
    pub pod_labels: StringMap,
    /// Workloads: the container's name (the node name, dots made dashes).
    pub container_name: String,
    /// Workloads: the selector (`app.kubernetes.io/name`, `kubeorch.io/workflow`).
    pub selector: StringMap,
    /// Workloads: `envFrom` entries from connected ConfigMaps/Secrets.
    pub env_from: Vec<Value>,
    /// Workloads: pod `volumes` from connected ConfigMaps/Secrets/PVCs.
    pub volumes: Vec<Value>,
    /// Workloads: container `volumeMounts` (connected volumes, then claim templates).
    pub volume_mounts: Vec<Value>,
    /// Deployment/StatefulSet: an HPA manages the replica count.
    pub autoscaled: bool,
    /// StatefulSet: the governing Service's name.
    pub service_name: String,
    /// Service: its selector.
    pub service_selector: StringMap,
    /// Service: its ports with resolved target ports.
    pub service_ports: Vec<Value>,
    /// Ingress: `rules`.
    pub ingress_rules: Vec<Value>,
    /// Ingress: `tls`.
    pub ingress_tls: Vec<Value>,
    /// HPA: `scaleTargetRef`.
    pub scale_target: Option<Value>,
    /// NetworkPolicy: `podSelector`.
    pub pod_selector: Option<Value>,
    /// Ids of the nodes this one must come after.
    pub depends_on: Vec<String>,
}

/// The derived values of every node (by index) and the wiring problems by node index.
pub fn derive(design: &Design) -> (Vec<Derived>, BTreeMap<usize, Vec<Issue>>) {
    let mut all = Vec::with_capacity(design.nodes.len());
    let mut issues: BTreeMap<usize, Vec<Issue>> = BTreeMap::new();
    for index in 0..design.nodes.len() {
        let mut found = Vec::new();
        let derived = match design.settings(index) {
            Some(settings) => derive_node(design, index, settings, &mut found),
            None => Derived::default(),
        };
        if !found.is_empty() {
            issues.insert(index, found);
        }
        all.push(derived);
    }
    (all, issues)
}

fn derive_node(
    design: &Design,
    index: usize,
    settings: &NodeSettings,
    issues: &mut Vec<Issue>,
) -> Derived {
    let node = &design.nodes[index];
    let mut derived = Derived {
        labels: labels::object_labels(design.workflow_id, &node.id, settings.object()),
        depends_on: design
            .sources(index, EdgeMeaning::DependsOn)
            .into_iter()
            .map(|(i, _)| design.nodes[i].id.clone())
            .collect(),
        ..Derived::default()
    };
    match settings {
        NodeSettings::Service(service) => {
            traffic::service(design, index, service, &mut derived, issues)
        }
        NodeSettings::Ingress(ingress) => {
            traffic::ingress(design, index, ingress, &mut derived, issues)
        }
        NodeSettings::Hpa(hpa) => policy::hpa(design, index, hpa, &mut derived, issues),
        NodeSettings::NetworkPolicy(np) => {
            policy::network_policy(design, index, np, &mut derived, issues)
        }
        _ if settings.container().is_some() => {
            workload::workload(design, index, settings, &mut derived, issues)
        }
        _ => {}
    }
    derived
}
