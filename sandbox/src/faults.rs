//! Fault injection: API latency, API outage, rejected writes, and per-object failures that the
//! simulator acts out (image pull error, never ready, slow rollout, job failure).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use crate::status::ApiError;

/// Annotation that selects a per-object fault: `image-pull-error`, `never-ready`, `slow-rollout`
/// or `fail`.
pub const FAULT_ANNOTATION: &str = "sandbox.kubeorch.io/fault";

/// Per-object failure the simulator plays out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectFault {
    /// Pods never start: the image cannot be pulled (image contains `pull-error`).
    ImagePull,
    /// Pods run but never become ready (image contains `never-ready`).
    NeverReady,
    /// The rollout takes the configured slow duration (image contains `slow-rollout`).
    Slow,
    /// Jobs fail; workloads crash and never become ready (image contains `crash`).
    Fail,
}

impl ObjectFault {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "image-pull-error" | "pull-error" => Some(Self::ImagePull),
            "never-ready" => Some(Self::NeverReady),
            "slow-rollout" | "slow" => Some(Self::Slow),
            "fail" | "crash" => Some(Self::Fail),
            _ => None,
        }
    }

    /// The fault an object asks for, by annotation first, then by container image name.
    pub fn of(obj: &Value) -> Option<Self> {
        if let Some(f) = obj
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(FAULT_ANNOTATION))
            .and_then(Value::as_str)
            .and_then(Self::parse)
        {
            return Some(f);
        }
        let images = images(obj);
        [
            ("pull-error", Self::ImagePull),
            ("never-ready", Self::NeverReady),
            ("slow-rollout", Self::Slow),
            ("crash", Self::Fail),
        ]
        .into_iter()
        .find(|(pat, _)| images.iter().any(|i| i.contains(pat)))
        .map(|(_, f)| f)
    }
}

/// Every container image of a workload's pod template (also inside a CronJob's job template).
pub fn images(obj: &Value) -> Vec<String> {
    let pod = obj
        .pointer("/spec/template/spec")
        .or_else(|| obj.pointer("/spec/jobTemplate/spec/template/spec"));
    let Some(pod) = pod else { return Vec::new() };
    ["containers", "initContainers"]
        .iter()
        .filter_map(|k| pod.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|c| c.get("image").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// A rule that rejects writes to objects whose name contains a pattern.
#[derive(Clone, Debug)]
struct Rejection {
    name_contains: String,
    code: u16,
}

/// Switches that change how the API server answers, adjustable at run time. Note that kube-rs
/// retries 429, 503 and 504 answers (with backoff, for minutes): inject 4xx or 500 to fail fast.
#[derive(Debug)]
pub struct Faults {
    latency_ms: AtomicU64,
    outage: watch::Sender<bool>,
    rejections: RwLock<Vec<Rejection>>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency_ms: AtomicU64::new(0),
            outage: watch::Sender::new(false),
            rejections: RwLock::default(),
        }
    }
}

impl Faults {
    /// Delays every API request by `latency`.
    pub fn set_latency(&self, latency: Duration) {
        self.latency_ms
            .store(latency.as_millis() as u64, Ordering::Relaxed);
    }

    /// The current injected latency.
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    /// Turns the outage on or off. While on, the API server is unreachable: new connections are
    /// dropped as soon as they are accepted, requests on open connections get a 503 with
    /// `Connection: close`, and open watches end. (A 503 alone would not do: kube-rs retries
    /// 429/503/504 with backoff for minutes.)
    pub fn set_outage(&self, down: bool) {
        self.outage.send_replace(down);
    }

    /// Whether the outage is on.
    pub fn outage(&self) -> bool {
        *self.outage.borrow()
    }

    /// Notified when the outage switch changes.
    pub fn outage_changes(&self) -> watch::Receiver<bool> {
        self.outage.subscribe()
    }

    /// Rejects every write (create, update, patch, apply) of an object whose name contains
    /// `name_contains` with HTTP `code` (e.g. 422 or 500), like a failing admission webhook.
    pub fn reject_writes(&self, name_contains: &str, code: u16) {
        if let Ok(mut r) = self.rejections.write() {
            r.push(Rejection {
                name_contains: name_contains.to_string(),
                code,
            });
        }
    }

    /// Removes every write rejection.
    pub fn clear_rejections(&self) {
        if let Ok(mut r) = self.rejections.write() {
            r.clear();
        }
    }

    /// The injected error for a write of object `name`, if any.
    pub fn check_write(&self, name: &str) -> Result<(), ApiError> {
        let rules = self
            .rejections
            .read()
            .map(|r| r.clone())
            .unwrap_or_default();
        match rules.iter().find(|r| name.contains(&r.name_contains)) {
            Some(r) => Err(ApiError::injected(
                r.code,
                format!("admission webhook \"sandbox.kubeorch.io\" denied the request: writes to names containing {:?} are rejected (injected fault)", r.name_contains),
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn faults_from_annotation_or_image() {
        let by_image = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx:pull-error"}]}}}});
        assert_eq!(ObjectFault::of(&by_image), Some(ObjectFault::ImagePull));
        let by_annotation = json!({"metadata": {"annotations": {FAULT_ANNOTATION: "never-ready"}}});
        assert_eq!(
            ObjectFault::of(&by_annotation),
            Some(ObjectFault::NeverReady)
        );
        let cron = json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"image": "x-crash"}]}}}}}});
        assert_eq!(ObjectFault::of(&cron), Some(ObjectFault::Fail));
        assert_eq!(ObjectFault::of(&json!({})), None);
    }

    #[test]
    fn rejections_match_names() {
        let f = Faults::default();
        f.reject_writes("bad", 422);
        assert_eq!(f.check_write("a-bad-one").err().map(|e| e.code), Some(422));
        assert!(f.check_write("good").is_ok());
        f.clear_rejections();
        assert!(f.check_write("a-bad-one").is_ok());
    }
}
