//! Settings of the five workload kinds.

use serde::{Deserialize, Serialize};

use super::common::{ContainerSettings, ObjectSettings, PodSettings};
use super::select::*;

/// `deployment`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Desired pods (ignored while an HPA is connected).
    pub replicas: i32,
    /// Rolling update or recreate.
    pub strategy: DeploymentStrategy,
    /// Rolling update surge (`25%`, `1`; empty = default).
    pub max_surge: String,
    /// Rolling update unavailability (empty = default).
    pub max_unavailable: String,
    /// The container.
    #[serde(flatten)]
    pub container: ContainerSettings,
    /// Pod-level settings.
    #[serde(flatten)]
    pub pod: PodSettings,
}

/// A StatefulSet's per-pod claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeClaimTemplate {
    /// Claim (and volume) name.
    pub name: String,
    /// Mount path (empty = `/data/<name>`).
    pub mount_path: String,
    /// Size.
    pub storage: String,
    /// Storage class (empty = default).
    pub storage_class_name: String,
    /// Access modes.
    pub access_modes: Vec<AccessMode>,
}

/// `statefulset`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Desired pods (ignored while an HPA is connected).
    pub replicas: i32,
    /// Governing headless Service (a connected headless Service wins; empty = the set's name).
    pub service_name: String,
    /// Ordered or parallel pod management.
    pub pod_management_policy: PodManagement,
    /// Rolling update or on delete.
    pub update_strategy: UpdateStrategy,
    /// Per-pod claims.
    pub volume_claim_templates: Vec<VolumeClaimTemplate>,
    /// The container.
    #[serde(flatten)]
    pub container: ContainerSettings,
    /// Pod-level settings.
    #[serde(flatten)]
    pub pod: PodSettings,
}

/// `daemonset`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Rolling update or on delete.
    pub update_strategy: UpdateStrategy,
    /// Rolling update unavailability (empty = default).
    pub max_unavailable: String,
    /// Use the node's network.
    pub host_network: bool,
    /// Use the node's PID namespace.
    #[serde(rename = "hostPID")]
    pub host_pid: bool,
    /// The container.
    #[serde(flatten)]
    pub container: ContainerSettings,
    /// Pod-level settings.
    #[serde(flatten)]
    pub pod: PodSettings,
}

/// What a Job runs with (Job, and a CronJob's job template).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSpecSettings {
    /// Successful pods needed.
    pub completions: i32,
    /// Pods at once.
    pub parallelism: i32,
    /// Retries.
    pub backoff_limit: i32,
    /// Run time limit.
    pub active_deadline_seconds: Option<i64>,
    /// Delete after finishing.
    pub ttl_seconds_after_finished: Option<i32>,
    /// Never or OnFailure.
    pub restart_policy: JobRestartPolicy,
}

/// `job`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Completions, retries, deadlines.
    #[serde(flatten)]
    pub job: JobSpecSettings,
    /// The container.
    #[serde(flatten)]
    pub container: ContainerSettings,
    /// Pod-level settings.
    #[serde(flatten)]
    pub pod: PodSettings,
}

/// `cronjob`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Cron schedule.
    pub schedule: String,
    /// IANA time zone (empty = controller's).
    pub time_zone: String,
    /// Overlapping runs.
    pub concurrency_policy: ConcurrencyPolicy,
    /// Paused.
    pub suspend: bool,
    /// Late-start limit.
    pub starting_deadline_seconds: Option<i64>,
    /// Finished jobs kept.
    pub successful_jobs_history_limit: i32,
    /// Failed jobs kept.
    pub failed_jobs_history_limit: i32,
    /// Completions, retries, deadlines.
    #[serde(flatten)]
    pub job: JobSpecSettings,
    /// The container.
    #[serde(flatten)]
    pub container: ContainerSettings,
    /// Pod-level settings.
    #[serde(flatten)]
    pub pod: PodSettings,
}
