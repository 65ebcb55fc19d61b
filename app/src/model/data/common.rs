//! Settings shared by several kinds: object metadata, the main container and the pod.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::select::*;

/// String keys to string values, sorted (labels, annotations, data, selectors).
pub type StringMap = BTreeMap<String, String>;

/// Every node's identity and metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSettings {
    /// Object name (DNS-1123; unique per kind and namespace in a workflow).
    pub name: String,
    /// Namespace (default `default`).
    pub namespace: String,
    /// Extra labels.
    pub labels: StringMap,
    /// Extra annotations.
    pub annotations: StringMap,
}

/// A container port.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// Optional IANA name (`http`).
    pub name: String,
    /// 1–65535.
    pub container_port: i32,
    /// TCP, UDP or SCTP.
    pub protocol: Protocol,
}

/// A plain environment variable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnvVar {
    /// Variable name.
    pub name: String,
    /// Value (plain; secrets go through Secret nodes).
    pub value: String,
}

/// Requests and limits (empty = unset).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// e.g. `100m`.
    pub cpu_request: String,
    /// e.g. `128Mi`.
    pub memory_request: String,
    /// e.g. `500m`.
    pub cpu_limit: String,
    /// e.g. `512Mi`.
    pub memory_limit: String,
}

/// A liveness, readiness or startup probe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    /// What is checked (`none` = no probe).
    #[serde(rename = "type")]
    pub kind: ProbeType,
    /// HTTP path.
    pub path: String,
    /// HTTP scheme.
    pub scheme: Scheme,
    /// Port for http/tcp; `None` = the first container port.
    pub port: Option<i32>,
    /// Command for exec.
    pub command: Vec<String>,
    /// Seconds before the first check.
    pub initial_delay_seconds: i32,
    /// Seconds between checks.
    pub period_seconds: i32,
    /// Seconds before a check times out.
    pub timeout_seconds: i32,
    /// Failures in a row that count.
    pub failure_threshold: i32,
}

/// Security settings (container-level, plus `fsGroup` for the pod).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContext {
    /// Refuse to start as root.
    pub run_as_non_root: bool,
    /// UID.
    pub run_as_user: Option<i64>,
    /// GID.
    pub run_as_group: Option<i64>,
    /// Pod-level group owning mounted volumes.
    pub fs_group: Option<i64>,
    /// Read-only root file system.
    pub read_only_root_filesystem: bool,
    /// Allow gaining privileges (setuid); Kubernetes' default is true.
    pub allow_privilege_escalation: bool,
    /// Run privileged.
    pub privileged: bool,
    /// Capabilities to add.
    pub capabilities_add: Vec<String>,
    /// Capabilities to drop (`ALL`).
    pub capabilities_drop: Vec<String>,
}

/// The main container of a workload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerSettings {
    /// Image reference.
    pub image: String,
    /// Pull policy.
    pub image_pull_policy: PullPolicy,
    /// ENTRYPOINT override.
    pub command: Vec<String>,
    /// CMD override.
    pub args: Vec<String>,
    /// Ports.
    pub ports: Vec<ContainerPort>,
    /// Plain environment variables.
    pub env: Vec<EnvVar>,
    /// Requests and limits.
    pub resources: Resources,
    /// Restart on failure.
    pub liveness_probe: Probe,
    /// Ready for traffic.
    pub readiness_probe: Probe,
    /// Started.
    pub startup_probe: Probe,
    /// Security settings.
    pub security_context: SecurityContext,
}

/// A toleration of node taints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    /// Taint key (empty with `Exists` = all).
    pub key: String,
    /// Equal or Exists.
    pub operator: TolerationOperator,
    /// Taint value (Equal).
    pub value: String,
    /// Effect matched (empty = all).
    pub effect: TaintEffect,
    /// How long a NoExecute taint is tolerated.
    pub toleration_seconds: Option<i64>,
}

/// Pod-level settings of every workload.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSettings {
    /// Service account (empty = default).
    pub service_account_name: String,
    /// Registry credentials (Secret names).
    pub image_pull_secrets: Vec<String>,
    /// Required node labels.
    pub node_selector: StringMap,
    /// Tolerated taints.
    pub tolerations: Vec<Toleration>,
    /// Scratch volumes (`emptyDir`).
    pub empty_dirs: Vec<EmptyDir>,
}

/// A scratch volume that lives as long as the pod.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyDir {
    /// Volume name (becomes `scratch-<name>`).
    pub name: String,
    /// Where the container sees it.
    pub mount_path: String,
    /// Backed by memory (tmpfs) instead of the node's disk.
    pub memory: bool,
    /// Size limit (empty = none).
    pub size_limit: String,
}
