//! Settings of Services and Ingresses.

use serde::{Deserialize, Serialize};

use super::common::{ObjectSettings, StringMap};
use super::select::*;

/// A Service port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// Port name (required with several ports).
    pub name: String,
    /// Port the Service listens on.
    pub port: i32,
    /// Container port number or name (empty = from the connected workload).
    pub target_port: String,
    /// TCP, UDP or SCTP.
    pub protocol: Protocol,
    /// Fixed node port (NodePort/LoadBalancer).
    pub node_port: Option<i32>,
}

/// `service`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// ClusterIP, NodePort or LoadBalancer.
    #[serde(rename = "type")]
    pub service_type: ServiceType,
    /// `clusterIP: None`.
    pub headless: bool,
    /// Ports.
    pub ports: Vec<ServicePort>,
    /// Pod selector when no workload is connected.
    pub selector: StringMap,
    /// Session affinity.
    pub session_affinity: SessionAffinity,
    /// External traffic policy.
    pub external_traffic_policy: TrafficPolicy,
    /// Allowed client CIDRs (LoadBalancer).
    pub load_balancer_source_ranges: Vec<String>,
}

/// An Ingress path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressPath {
    /// URL path.
    pub path: String,
    /// Prefix, Exact or ImplementationSpecific.
    pub path_type: PathType,
    /// Host (empty = the Ingress host).
    pub host: String,
    /// Connected Service's name (empty = the only connected one).
    pub service: String,
    /// Service port number or name (empty = its first port).
    pub port: String,
}

/// `ingress`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Ingress class (empty = cluster default).
    pub ingress_class_name: String,
    /// Default host.
    pub host: String,
    /// Routes.
    pub paths: Vec<IngressPath>,
    /// Serve HTTPS.
    pub tls: bool,
    /// Certificate Secret.
    pub tls_secret_name: String,
    /// Certificate hosts (empty = the paths' hosts).
    pub tls_hosts: Vec<String>,
}
