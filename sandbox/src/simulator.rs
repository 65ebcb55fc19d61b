//! The simulator: the sandbox's stand-in for kubelets and controllers. Every tick it computes the
//! status each object would have by now (see [`crate::controllers`]) and writes it through the
//! status subresource, so watchers see the same events a real cluster produces.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::controllers::{self, Progress};
use crate::core::{Core, Target};
use crate::discovery::{self, ResId, RESOURCES};
use crate::faults::ObjectFault;
use crate::object::{meta_str, now};

/// Simulator settings.
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// Whether the simulator runs at all (off: statuses never change by themselves).
    pub enabled: bool,
    /// How often statuses are recomputed.
    pub tick: Duration,
    /// How long a rollout (or a Job run, or a CronJob's first schedule) takes.
    pub rollout: Duration,
    /// How long a rollout takes for objects with the `slow-rollout` fault.
    pub slow_rollout: Duration,
    /// Simulated nodes (DaemonSet pods).
    pub nodes: i64,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            tick: Duration::from_millis(200),
            rollout: Duration::from_secs(3),
            slow_rollout: Duration::from_secs(30),
            nodes: 1,
        }
    }
}

/// The field manager the simulated controllers write with.
pub const MANAGER: &str = "kube-controller-manager";

type Rule = fn(&Value, &Value, &Progress) -> Value;

fn rule(plural: &str) -> Option<Rule> {
    Some(match plural {
        "deployments" => controllers::deployment,
        "statefulsets" => controllers::statefulset,
        "daemonsets" => controllers::daemonset,
        "jobs" => controllers::job,
        "cronjobs" => controllers::cronjob,
        "persistentvolumeclaims" => controllers::pvc,
        _ => return None,
    })
}

struct Simulator {
    core: Arc<Core>,
    cfg: SimulatorConfig,
    /// When each (uid, generation) was first seen (the start of its rollout), and how many
    /// replicas were ready then.
    started: HashMap<(String, i64), (Instant, i64)>,
}

impl Simulator {
    fn progress(&mut self, obj: &Value, seen: &mut HashSet<(String, i64)>) -> Progress {
        let key = (
            meta_str(obj, "uid").unwrap_or_default().to_string(),
            obj.pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(1),
        );
        let (started, baseline) = *self.started.entry(key.clone()).or_insert_with(|| {
            let ready = ["/status/readyReplicas", "/status/numberReady"]
                .iter()
                .find_map(|p| obj.pointer(p).and_then(Value::as_i64));
            (Instant::now(), ready.unwrap_or(0))
        });
        seen.insert(key);
        let fault = ObjectFault::of(obj);
        let duration = if fault == Some(ObjectFault::Slow) {
            self.cfg.slow_rollout
        } else {
            self.cfg.rollout
        };
        let fraction = if duration.is_zero() {
            1.0
        } else {
            started.elapsed().as_secs_f64() / duration.as_secs_f64()
        };
        Progress {
            fraction,
            fault,
            now: now(),
            nodes: self.cfg.nodes,
            baseline,
        }
    }

    fn desired_status(
        &mut self,
        res: ResId,
        obj: &Value,
        seen: &mut HashSet<(String, i64)>,
    ) -> Option<Value> {
        let current = obj.get("status").cloned().unwrap_or(Value::Null);
        let def = &RESOURCES[res];
        match def.plural {
            "services" => Some(controllers::service(obj, &Core::external_ip(obj))),
            "ingresses" => Some(controllers::ingress(&Core::external_ip(obj))),
            "horizontalpodautoscalers" => Some(controllers::hpa(
                obj,
                &current,
                self.hpa_target(obj),
                &now(),
            )),
            plural => {
                let rule = rule(plural)?;
                let p = self.progress(obj, seen);
                Some(rule(obj, &current, &p))
            }
        }
    }

    fn hpa_target(&self, hpa: &Value) -> Option<i64> {
        let r = hpa.pointer("/spec/scaleTargetRef")?;
        let kind = r.get("kind")?.as_str()?;
        let res = RESOURCES
            .iter()
            .position(|d| d.kind == kind && d.has_scale)?;
        let key = (
            meta_str(hpa, "namespace")?.to_string(),
            r.get("name")?.as_str()?.to_string(),
        );
        let target = self.core.store().get(res, &key)?;
        Some(
            target
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1),
        )
    }

    fn tick(&mut self) {
        let mut seen = HashSet::new();
        for (res, def) in RESOURCES.iter().enumerate() {
            if res == discovery::namespaces() || !def.has_status {
                continue;
            }
            let objects: Vec<Arc<Value>> = self
                .core
                .store()
                .bucket(res)
                .objects
                .values()
                .cloned()
                .collect();
            for obj in objects {
                if meta_str(&obj, "deletionTimestamp").is_some() {
                    continue;
                }
                let Some(status) = self.desired_status(res, &obj, &mut seen) else {
                    continue;
                };
                if obj.get("status") != Some(&status) {
                    let key = crate::store::key_of(&obj);
                    let t = Target {
                        res,
                        ns: Some(key.0).filter(|n| !n.is_empty()),
                        name: Some(key.1),
                        sub: None,
                    };
                    self.core.controller_status(&t, status, MANAGER);
                }
            }
        }
        self.started.retain(|k, _| seen.contains(k));
    }
}

/// Runs the simulator until the sandbox shuts down.
pub async fn run(core: Arc<Core>, cfg: SimulatorConfig) {
    if !cfg.enabled {
        return;
    }
    let mut shutdown = core.shutdown.subscribe();
    let mut interval = tokio::time::interval(cfg.tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut sim = Simulator {
        core,
        cfg,
        started: HashMap::new(),
    };
    loop {
        tokio::select! {
            _ = interval.tick() => sim.tick(),
            _ = shutdown.wait_for(|down| *down) => return,
        }
    }
}
