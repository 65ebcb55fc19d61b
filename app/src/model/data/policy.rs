//! Settings of HorizontalPodAutoscalers, NetworkPolicies and custom objects.

use serde::{Deserialize, Serialize};

use super::common::{ObjectSettings, StringMap};
use super::select::*;

/// `hpa`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HpaSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Lower bound.
    pub min_replicas: i32,
    /// Upper bound.
    pub max_replicas: i32,
    /// Target average CPU utilisation (% of requests).
    pub cpu_utilization: Option<i32>,
    /// Target average memory utilisation (% of requests).
    pub memory_utilization: Option<i32>,
    /// Scale-up stabilisation window.
    pub scale_up_stabilization_seconds: Option<i32>,
    /// Scale-down stabilisation window.
    pub scale_down_stabilization_seconds: Option<i32>,
    /// Scale-up limit, % per period.
    pub scale_up_percent: Option<i32>,
    /// Scale-down limit, % per period.
    pub scale_down_percent: Option<i32>,
    /// Period of the limits.
    pub period_seconds: i32,
}

/// A NetworkPolicy peer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Peer {
    /// What it selects.
    #[serde(rename = "type")]
    pub kind: PeerType,
    /// Pod labels (pods, podsInNamespaces).
    pub pod_labels: StringMap,
    /// Namespace labels (namespaces, podsInNamespaces).
    pub namespace_labels: StringMap,
    /// CIDR (ipBlock).
    pub cidr: String,
    /// Excluded CIDRs (ipBlock).
    pub except: Vec<String>,
}

/// A NetworkPolicy port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyPort {
    /// TCP, UDP or SCTP.
    pub protocol: Protocol,
    /// Number or name (empty = all ports).
    pub port: String,
    /// End of a numeric range.
    pub end_port: Option<i32>,
}

/// A NetworkPolicy rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyRule {
    /// Peers (empty = all).
    pub peers: Vec<Peer>,
    /// Ports (empty = all).
    pub ports: Vec<PolicyPort>,
}

/// `networkpolicy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkPolicySettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Ingress and/or Egress.
    pub policy_types: Vec<PolicyType>,
    /// Pods governed when no workload is connected.
    pub pod_selector: StringMap,
    /// Allowed incoming traffic.
    pub ingress_rules: Vec<PolicyRule>,
    /// Allowed outgoing traffic.
    pub egress_rules: Vec<PolicyRule>,
}

/// `custom`: any object given as YAML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// apiVersion.
    pub api_version: String,
    /// kind.
    pub object_kind: String,
    /// False for cluster-scoped kinds.
    pub namespaced: bool,
    /// Top-level fields other than apiVersion/kind/metadata, as YAML.
    pub content: String,
}
