//! The node kinds a user can draw.

use serde::{Deserialize, Serialize};

/// Every kind of node on the canvas. The serialised name (`deployment`, `persistentvolumeclaim`, …)
/// is also the folder of its template under `templates/core/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// `apps/v1` Deployment.
    Deployment,
    /// `apps/v1` StatefulSet.
    StatefulSet,
    /// `apps/v1` DaemonSet.
    DaemonSet,
    /// `batch/v1` Job.
    Job,
    /// `batch/v1` CronJob.
    CronJob,
    /// `v1` Service.
    Service,
    /// `networking.k8s.io/v1` Ingress.
    Ingress,
    /// `v1` ConfigMap.
    ConfigMap,
    /// `v1` Secret (key names only; values are never stored).
    Secret,
    /// `v1` PersistentVolumeClaim.
    PersistentVolumeClaim,
    /// `autoscaling/v2` HorizontalPodAutoscaler.
    Hpa,
    /// `networking.k8s.io/v1` NetworkPolicy.
    NetworkPolicy,
    /// Any other object (a CRD instance, …) given as YAML and applied as-is.
    Custom,
}

impl NodeKind {
    /// All kinds, in palette order.
    pub const ALL: [NodeKind; 13] = [
        NodeKind::Deployment,
        NodeKind::StatefulSet,
        NodeKind::DaemonSet,
        NodeKind::Job,
        NodeKind::CronJob,
        NodeKind::Service,
        NodeKind::Ingress,
        NodeKind::ConfigMap,
        NodeKind::Secret,
        NodeKind::PersistentVolumeClaim,
        NodeKind::Hpa,
        NodeKind::NetworkPolicy,
        NodeKind::Custom,
    ];

    /// The serialised name, e.g. `persistentvolumeclaim`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Deployment => "deployment",
            NodeKind::StatefulSet => "statefulset",
            NodeKind::DaemonSet => "daemonset",
            NodeKind::Job => "job",
            NodeKind::CronJob => "cronjob",
            NodeKind::Service => "service",
            NodeKind::Ingress => "ingress",
            NodeKind::ConfigMap => "configmap",
            NodeKind::Secret => "secret",
            NodeKind::PersistentVolumeClaim => "persistentvolumeclaim",
            NodeKind::Hpa => "hpa",
            NodeKind::NetworkPolicy => "networkpolicy",
            NodeKind::Custom => "custom",
        }
    }

    /// Position in [`NodeKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the kinds that run pods.
    pub fn is_workload(self) -> bool {
        matches!(
            self,
            NodeKind::Deployment
                | NodeKind::StatefulSet
                | NodeKind::DaemonSet
                | NodeKind::Job
                | NodeKind::CronJob
        )
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for NodeKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodeKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// A kind name that is not one of [`NodeKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown node kind `{0}`")]
pub struct UnknownKind(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for kind in NodeKind::ALL {
            let json = serde_json::to_string(&kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.as_str().parse::<NodeKind>(), Ok(kind));
        }
        assert!("pod".parse::<NodeKind>().is_err());
    }
}
