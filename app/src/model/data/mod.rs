//! Typed settings per node kind. A node stores them in `data` as a JSON object (camelCase keys,
//! one per parameter of the kind's `metadata.yaml`); [`NodeSettings::from_value`] reads a
//! complete object (see `domain::settings` for defaults and field-level validation first).

mod common;
mod config;
mod policy;
mod select;
mod traffic;
mod workloads;

pub use common::*;
pub use config::*;
pub use policy::*;
pub use select::*;
pub use traffic::*;
pub use workloads::*;

use serde::Serialize;
use serde_json::Value;

use super::kind::NodeKind;

/// One node's settings, typed by its kind. Serialises to its `data` object.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum NodeSettings {
    /// `deployment`.
    Deployment(DeploymentSettings),
    /// `statefulset`.
    StatefulSet(StatefulSetSettings),
    /// `daemonset`.
    DaemonSet(DaemonSetSettings),
    /// `job`.
    Job(JobSettings),
    /// `cronjob`.
    CronJob(CronJobSettings),
    /// `service`.
    Service(ServiceSettings),
    /// `ingress`.
    Ingress(IngressSettings),
    /// `configmap`.
    ConfigMap(ConfigMapSettings),
    /// `secret`.
    Secret(SecretSettings),
    /// `persistentvolumeclaim`.
    PersistentVolumeClaim(PvcSettings),
    /// `hpa`.
    Hpa(HpaSettings),
    /// `networkpolicy`.
    NetworkPolicy(NetworkPolicySettings),
    /// `custom`.
    Custom(CustomSettings),
}

impl NodeSettings {
    /// Reads a kind's complete `data` object (every parameter present).
    pub fn from_value(kind: NodeKind, value: Value) -> Result<Self, serde_json::Error> {
        use serde_json::from_value as read;
        Ok(match kind {
            NodeKind::Deployment => Self::Deployment(read(value)?),
            NodeKind::StatefulSet => Self::StatefulSet(read(value)?),
            NodeKind::DaemonSet => Self::DaemonSet(read(value)?),
            NodeKind::Job => Self::Job(read(value)?),
            NodeKind::CronJob => Self::CronJob(read(value)?),
            NodeKind::Service => Self::Service(read(value)?),
            NodeKind::Ingress => Self::Ingress(read(value)?),
            NodeKind::ConfigMap => Self::ConfigMap(read(value)?),
            NodeKind::Secret => Self::Secret(read(value)?),
            NodeKind::PersistentVolumeClaim => Self::PersistentVolumeClaim(read(value)?),
            NodeKind::Hpa => Self::Hpa(read(value)?),
            NodeKind::NetworkPolicy => Self::NetworkPolicy(read(value)?),
            NodeKind::Custom => Self::Custom(read(value)?),
        })
    }

    /// The kind these settings belong to.
    pub fn kind(&self) -> NodeKind {
        match self {
            Self::Deployment(_) => NodeKind::Deployment,
            Self::StatefulSet(_) => NodeKind::StatefulSet,
            Self::DaemonSet(_) => NodeKind::DaemonSet,
            Self::Job(_) => NodeKind::Job,
            Self::CronJob(_) => NodeKind::CronJob,
            Self::Service(_) => NodeKind::Service,
            Self::Ingress(_) => NodeKind::Ingress,
            Self::ConfigMap(_) => NodeKind::ConfigMap,
            Self::Secret(_) => NodeKind::Secret,
            Self::PersistentVolumeClaim(_) => NodeKind::PersistentVolumeClaim,
            Self::Hpa(_) => NodeKind::Hpa,
            Self::NetworkPolicy(_) => NodeKind::NetworkPolicy,
            Self::Custom(_) => NodeKind::Custom,
        }
    }

    /// Name, namespace, labels and annotations.
    pub fn object(&self) -> &ObjectSettings {
        match self {
            Self::Deployment(s) => &s.object,
            Self::StatefulSet(s) => &s.object,
            Self::DaemonSet(s) => &s.object,
            Self::Job(s) => &s.object,
            Self::CronJob(s) => &s.object,
            Self::Service(s) => &s.object,
            Self::Ingress(s) => &s.object,
            Self::ConfigMap(s) => &s.object,
            Self::Secret(s) => &s.object,
            Self::PersistentVolumeClaim(s) => &s.object,
            Self::Hpa(s) => &s.object,
            Self::NetworkPolicy(s) => &s.object,
            Self::Custom(s) => &s.object,
        }
    }

    /// The object name.
    pub fn name(&self) -> &str {
        &self.object().name
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.object().namespace
    }

    /// The main container, for workloads.
    pub fn container(&self) -> Option<&ContainerSettings> {
        match self {
            Self::Deployment(s) => Some(&s.container),
            Self::StatefulSet(s) => Some(&s.container),
            Self::DaemonSet(s) => Some(&s.container),
            Self::Job(s) => Some(&s.container),
            Self::CronJob(s) => Some(&s.container),
            _ => None,
        }
    }

    /// The pod settings, for workloads.
    pub fn pod(&self) -> Option<&PodSettings> {
        match self {
            Self::Deployment(s) => Some(&s.pod),
            Self::StatefulSet(s) => Some(&s.pod),
            Self::DaemonSet(s) => Some(&s.pod),
            Self::Job(s) => Some(&s.pod),
            Self::CronJob(s) => Some(&s.pod),
            _ => None,
        }
    }

    /// The settings as a node's `data` object.
    pub fn to_data(&self) -> super::NodeData {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => super::NodeData::new(),
        }
    }
}
