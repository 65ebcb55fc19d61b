//! The simulated controllers' status rules: pure functions from an object (and how far its
//! rollout has come) to the status a real controller would write.

use serde_json::{json, Map, Value};

use crate::faults::ObjectFault;

mod batch;
mod services;

pub use batch::{cronjob, job};
pub use services::{hpa, ingress, pvc, service};

/// What a status rule knows about the object's simulated rollout.
#[derive(Clone, Debug)]
pub struct Progress {
    /// Fraction of the rollout duration elapsed since the current generation was first seen
    /// (0.0 …, may exceed 1.0).
    pub fraction: f64,
    /// The object's fault, if any.
    pub fault: Option<ObjectFault>,
    /// Current time, RFC 3339.
    pub now: String,
    /// Simulated node count (DaemonSets).
    pub nodes: i64,
    /// Replicas that were ready when this generation's rollout began (a rolling update keeps
    /// them serving until new ones replace them).
    pub baseline: i64,
}

impl Progress {
    fn done(&self) -> bool {
        self.fraction >= 1.0
    }

    /// Ready replicas in total: the new ones plus the old ones not yet replaced.
    fn total_ready(&self, desired: i64) -> i64 {
        let new = self.ready(desired);
        new + (self.baseline.min(desired) - new).max(0)
    }

    /// How many of `desired` new replicas are ready now.
    fn ready(&self, desired: i64) -> i64 {
        match self.fault {
            Some(ObjectFault::ImagePull | ObjectFault::NeverReady | ObjectFault::Fail) => 0,
            _ if self.done() => desired,
            _ => ((desired as f64) * self.fraction).floor() as i64,
        }
    }

    /// Whether the rollout is failing for good (fault and the deadline has passed).
    fn failed(&self) -> bool {
        self.done()
            && matches!(
                self.fault,
                Some(ObjectFault::ImagePull | ObjectFault::NeverReady | ObjectFault::Fail)
            )
    }

    fn failure_reason(&self, obj: &Value) -> String {
        let image = crate::faults::images(obj)
            .into_iter()
            .next()
            .unwrap_or_default();
        match self.fault {
            Some(ObjectFault::ImagePull) => {
                format!("image {image:?} could not be pulled (ErrImagePull, simulated)")
            }
            Some(ObjectFault::NeverReady) => {
                "pods run but never become ready (readiness probe failing, simulated)".into()
            }
            _ => "pods keep crashing (CrashLoopBackOff, simulated)".into(),
        }
    }
}

fn int(obj: &Value, pointer: &str, default: i64) -> i64 {
    obj.pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(default)
}

fn generation(obj: &Value) -> i64 {
    int(obj, "/metadata/generation", 1)
}

fn name(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// A condition, keeping the transition time of the current one when its status is unchanged.
fn condition(
    current: &Value,
    ty: &str,
    status: bool,
    reason: &str,
    message: &str,
    now: &str,
) -> Value {
    let status = if status { "True" } else { "False" };
    let old = current
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
        });
    let same = |k: &str, v: &str| old.and_then(|c| c.get(k)).and_then(Value::as_str) == Some(v);
    let transition = if same("status", status) {
        old.and_then(|c| c.get("lastTransitionTime"))
            .cloned()
            .unwrap_or(json!(now))
    } else {
        json!(now)
    };
    let update = if same("status", status) && same("reason", reason) && same("message", message) {
        old.and_then(|c| c.get("lastUpdateTime"))
            .cloned()
            .unwrap_or(json!(now))
    } else {
        json!(now)
    };
    json!({"type": ty, "status": status, "reason": reason, "message": message,
           "lastTransitionTime": transition, "lastUpdateTime": update})
}

fn put_nonzero(m: &mut Map<String, Value>, k: &str, n: i64) {
    if n != 0 {
        m.insert(k.into(), json!(n));
    }
}

/// Deployment: replicas become ready over the rollout; conditions Available and Progressing.
pub fn deployment(obj: &Value, current: &Value, p: &Progress) -> Value {
    let desired = int(obj, "/spec/replicas", 1);
    let new_ready = p.ready(desired);
    let ready = p.total_ready(desired);
    let updated = if p.fault.is_some() && !matches!(p.fault, Some(ObjectFault::Slow)) {
        desired.min(1)
    } else {
        new_ready
    };
    let old = ready - new_ready;
    let rs = format!("{}-sandbox", name(obj));
    let mut s = Map::new();
    s.insert("observedGeneration".into(), json!(generation(obj)));
    put_nonzero(&mut s, "replicas", (old + updated).max(desired));
    put_nonzero(&mut s, "updatedReplicas", updated);
    put_nonzero(&mut s, "readyReplicas", ready);
    put_nonzero(&mut s, "availableReplicas", ready);
    put_nonzero(&mut s, "unavailableReplicas", desired - ready);
    // Available means at least desired - maxUnavailable (25%, rounded down) replicas are ready.
    let enough = ready >= desired - desired / 4;
    let available = condition(
        current,
        "Available",
        enough,
        if enough {
            "MinimumReplicasAvailable"
        } else {
            "MinimumReplicasUnavailable"
        },
        if enough {
            "Deployment has minimum availability."
        } else {
            "Deployment does not have minimum availability."
        },
        &p.now,
    );
    let progressing = if p.failed() {
        condition(
            current,
            "Progressing",
            false,
            "ProgressDeadlineExceeded",
            &format!(
                "ReplicaSet \"{rs}\" has timed out progressing: {}",
                p.failure_reason(obj)
            ),
            &p.now,
        )
    } else if new_ready >= desired {
        condition(
            current,
            "Progressing",
            true,
            "NewReplicaSetAvailable",
            &format!("ReplicaSet \"{rs}\" has successfully progressed."),
            &p.now,
        )
    } else {
        condition(
            current,
            "Progressing",
            true,
            "ReplicaSetUpdated",
            &format!("ReplicaSet \"{rs}\" is progressing."),
            &p.now,
        )
    };
    s.insert("conditions".into(), json!([available, progressing]));
    Value::Object(s)
}

/// StatefulSet: replicas become ready over the rollout.
pub fn statefulset(obj: &Value, _current: &Value, p: &Progress) -> Value {
    let desired = int(obj, "/spec/replicas", 1);
    let ready = p.total_ready(desired);
    let revision = format!("{}-sandbox-{}", name(obj), generation(obj));
    let mut s = Map::new();
    s.insert("observedGeneration".into(), json!(generation(obj)));
    s.insert("replicas".into(), json!(desired));
    put_nonzero(&mut s, "readyReplicas", ready);
    put_nonzero(&mut s, "currentReplicas", desired);
    put_nonzero(&mut s, "updatedReplicas", desired);
    put_nonzero(&mut s, "availableReplicas", ready);
    s.insert("currentRevision".into(), json!(revision));
    s.insert("updateRevision".into(), json!(revision));
    s.insert("collisionCount".into(), json!(0));
    Value::Object(s)
}

/// DaemonSet: one pod per simulated node.
pub fn daemonset(obj: &Value, _current: &Value, p: &Progress) -> Value {
    let desired = p.nodes;
    let ready = p.total_ready(desired);
    json!({
        "observedGeneration": generation(obj), "desiredNumberScheduled": desired,
        "currentNumberScheduled": desired, "updatedNumberScheduled": desired, "numberMisscheduled": 0,
        "numberReady": ready, "numberAvailable": ready, "numberUnavailable": desired - ready,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(fraction: f64, fault: Option<ObjectFault>) -> Progress {
        Progress {
            fraction,
            fault,
            now: "2026-01-01T00:00:00Z".into(),
            nodes: 1,
            baseline: 0,
        }
    }

    #[test]
    fn rolling_update_keeps_old_replicas_ready() {
        let d = json!({"metadata": {"name": "web", "generation": 2}, "spec": {"replicas": 4}});
        let update = Progress {
            baseline: 4,
            ..p(0.5, None)
        };
        let mid = deployment(&d, &json!({}), &update);
        assert_eq!(
            (mid["readyReplicas"].clone(), mid["updatedReplicas"].clone()),
            (json!(4), json!(2))
        );
        assert_eq!(mid["conditions"][0]["status"], "True");
        assert_eq!(mid["conditions"][1]["reason"], "ReplicaSetUpdated");
        let broken = Progress {
            baseline: 4,
            ..p(2.0, Some(ObjectFault::ImagePull))
        };
        let failed = deployment(&d, &json!({}), &broken);
        assert_eq!(failed["readyReplicas"], 4, "old pods keep serving");
        assert_eq!(
            failed["conditions"][1]["reason"],
            "ProgressDeadlineExceeded"
        );
    }

    #[test]
    fn deployment_rolls_out_then_is_available() {
        let d = json!({"metadata": {"name": "web", "generation": 3}, "spec": {"replicas": 4}});
        let mid = deployment(&d, &json!({}), &p(0.5, None));
        assert_eq!(mid["readyReplicas"], 2);
        assert_eq!(mid["conditions"][1]["reason"], "ReplicaSetUpdated");
        let done = deployment(&d, &mid, &p(1.0, None));
        assert_eq!(done["readyReplicas"], 4);
        assert_eq!(done["observedGeneration"], 3);
        assert_eq!(done["conditions"][0]["status"], "True");
        assert_eq!(deployment(&d, &done, &p(2.0, None)), done);
    }

    #[test]
    fn pull_error_times_out() {
        let d = json!({"metadata": {"name": "web"}, "spec": {"replicas": 1, "template": {"spec": {"containers": [{"image": "x:pull-error"}]}}}});
        let s = deployment(&d, &json!({}), &p(1.5, Some(ObjectFault::ImagePull)));
        assert!(s.get("readyReplicas").is_none());
        assert_eq!(s["conditions"][1]["reason"], "ProgressDeadlineExceeded");
        assert!(s["conditions"][1]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("x:pull-error"));
    }

    #[test]
    fn jobs_complete_or_fail() {
        let j = json!({"metadata": {"name": "j"}, "spec": {"completions": 2}});
        assert_eq!(job(&j, &json!({}), &p(0.2, None))["active"], 1);
        assert_eq!(job(&j, &json!({}), &p(1.0, None))["succeeded"], 2);
        assert_eq!(
            job(&j, &json!({}), &p(1.0, Some(ObjectFault::Fail)))["conditions"][1]["type"],
            "Failed"
        );
        assert_eq!(
            hpa(
                &json!({"spec": {"minReplicas": 2, "maxReplicas": 5}}),
                &json!({}),
                Some(1),
                "t"
            )["desiredReplicas"],
            2
        );
    }
}
