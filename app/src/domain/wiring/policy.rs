//! Autoscalers (scale target) and NetworkPolicies (pod selector).

use serde_json::json;

use super::{Derived, Design};
use crate::domain::edges::EdgeMeaning;
use crate::domain::issue::Issue;
use crate::model::data::{HpaSettings, NetworkPolicySettings};
use crate::model::{NodeKind, NodeSettings};

pub(super) fn hpa(
    design: &Design,
    index: usize,
    hpa: &HpaSettings,
    derived: &mut Derived,
    issues: &mut Vec<Issue>,
) {
    match design.targets(index, EdgeMeaning::Scales).as_slice() {
        [] => issues.push(Issue::error(
            "connect the autoscaler to the Deployment or StatefulSet it scales",
        )),
        [(target, workload)] => {
            let kind = if workload.kind() == NodeKind::StatefulSet {
                "StatefulSet"
            } else {
                "Deployment"
            };
            derived.scale_target =
                Some(json!({ "apiVersion": "apps/v1", "kind": kind, "name": workload.name() }));
            if design.sources(*target, EdgeMeaning::Scales).len() > 1 {
                issues.push(Issue::error(format!(
                    "{kind} {} is scaled by more than one autoscaler: keep one",
                    workload.name()
                )));
            }
            metric_warnings(hpa, workload, issues);
        }
        many => {
            let names: Vec<&str> = many.iter().map(|(_, s)| s.name()).collect();
            issues.push(Issue::error(format!(
                "an autoscaler scales one workload, but this one is connected to {}: remove all but one edge",
                names.join(", ")
            )));
        }
    }
}

fn metric_warnings(hpa: &HpaSettings, workload: &NodeSettings, issues: &mut Vec<Issue>) {
    let Some(container) = workload.container() else {
        return;
    };
    if hpa.cpu_utilization.is_some() && container.resources.cpu_request.is_empty() {
        issues.push(Issue::field_warning(
            "cpuUtilization",
            format!(
                "{} has no CPU request, so CPU utilisation cannot be measured: set one",
                workload.name()
            ),
        ));
    }
    if hpa.memory_utilization.is_some() && container.resources.memory_request.is_empty() {
        issues.push(Issue::field_warning(
            "memoryUtilization",
            format!(
                "{} has no memory request, so memory utilisation cannot be measured: set one",
                workload.name()
            ),
        ));
    }
}

pub(super) fn network_policy(
    design: &Design,
    index: usize,
    np: &NetworkPolicySettings,
    derived: &mut Derived,
    issues: &mut Vec<Issue>,
) {
    let targets = design.targets(index, EdgeMeaning::Isolates);
    if !targets.is_empty() && !np.pod_selector.is_empty() {
        issues.push(Issue::field_warning(
            "podSelector",
            "the pod selector is ignored while workloads are connected",
        ));
    }
    derived.pod_selector = Some(match targets.as_slice() {
        [] => {
            if np.pod_selector.is_empty() {
                issues.push(Issue::warning("the policy applies to every pod in the namespace: connect workloads or set a pod selector"));
                json!({})
            } else {
                json!({ "matchLabels": np.pod_selector })
            }
        }
        [(_, workload)] => {
            json!({ "matchLabels": super::selector_labels(design.workflow_id, workload.name()) })
        }
        many => {
            let mut names: Vec<&str> = many.iter().map(|(_, s)| s.name()).collect();
            names.sort_unstable();
            names.dedup();
            json!({
                "matchLabels": { (super::labels::WORKFLOW_LABEL): design.workflow_id },
                "matchExpressions": [{ "key": super::labels::NAME_LABEL, "operator": "In", "values": names }],
            })
        }
    });
}
