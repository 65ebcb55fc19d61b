//! Simulated Job and CronJob controllers.

use serde_json::{json, Map, Value};

use super::{condition, int, Progress};
use crate::faults::ObjectFault;

/// Job: runs for the rollout duration, then completes (or fails with the `fail` fault).
pub fn job(obj: &Value, current: &Value, p: &Progress) -> Value {
    let completions = int(obj, "/spec/completions", 1);
    let parallelism = int(obj, "/spec/parallelism", 1).min(completions).max(1);
    let start = current.get("startTime").cloned().unwrap_or(json!(p.now));
    let mut s = Map::new();
    s.insert("startTime".into(), start);
    let finished = |s: &mut Map<String, Value>, target: (&str, &str, &str)| {
        let t = current
            .get("completionTime")
            .cloned()
            .unwrap_or(json!(p.now));
        if target.0 == "Complete" {
            s.insert("completionTime".into(), t);
        }
        let c1 = condition(
            current,
            if target.0 == "Complete" {
                "SuccessCriteriaMet"
            } else {
                "FailureTarget"
            },
            true,
            target.1,
            target.2,
            &p.now,
        );
        let c2 = condition(current, target.0, true, target.1, target.2, &p.now);
        s.insert("conditions".into(), json!([c1, c2]));
    };
    match p.fault {
        Some(ObjectFault::Fail) if p.done() => {
            s.insert(
                "failed".into(),
                json!(int(obj, "/spec/backoffLimit", 6) + 1),
            );
            finished(
                &mut s,
                (
                    "Failed",
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                ),
            );
        }
        None | Some(ObjectFault::Slow) if p.done() => {
            s.insert("succeeded".into(), json!(completions));
            finished(
                &mut s,
                (
                    "Complete",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                ),
            );
        }
        _ => {
            s.insert("active".into(), json!(parallelism));
            s.insert(
                "ready".into(),
                json!(if p.fault.is_some() { 0 } else { parallelism }),
            );
        }
    }
    s.insert("uncountedTerminatedPods".into(), json!({}));
    Value::Object(s)
}

/// CronJob: "fires" once the rollout duration has passed (unless suspended).
pub fn cronjob(obj: &Value, current: &Value, p: &Progress) -> Value {
    let suspended = obj
        .pointer("/spec/suspend")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut s = Map::new();
    if suspended || !p.done() {
        if let Some(t) = current.get("lastScheduleTime") {
            s.insert("lastScheduleTime".into(), t.clone());
        }
        return Value::Object(s);
    }
    s.insert(
        "lastScheduleTime".into(),
        current
            .get("lastScheduleTime")
            .cloned()
            .unwrap_or(json!(p.now)),
    );
    if p.fault.is_none() || p.fault == Some(ObjectFault::Slow) {
        s.insert(
            "lastSuccessfulTime".into(),
            current
                .get("lastSuccessfulTime")
                .cloned()
                .unwrap_or(json!(p.now)),
        );
    }
    Value::Object(s)
}
