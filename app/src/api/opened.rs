//! `Deserialize` for the replies the editor reads — [`OpenedWorkflow`] (the reply that opens it),
//! [`Report`] and [`Issue`] (a check) and [`SaveOutcome`] (a save) — by the hand-written readers of
//! [`crate::model::read`] over one parsed [`Value`]: the editor's code then carries no derived
//! deserializer for the workflow, its graph, its problems or a save.

use std::collections::BTreeMap;

use serde::{de::Error, Deserialize, Deserializer};
use serde_json::Value;

use super::workflows::{OpenedWorkflow, SaveOutcome};
use crate::domain::issue::{Issue, Severity};
use crate::domain::validate::Report;
use crate::model::fields::{items, Fields};
use crate::model::read::{time, workflow};

impl<'de> Deserialize<'de> for OpenedWorkflow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opened(&Value::deserialize(d)?).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        report(&Value::deserialize(d)?, "report".into()).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Issue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        issue(&Value::deserialize(d)?, "issue".into()).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for SaveOutcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        save_outcome(&Value::deserialize(d)?).map_err(D::Error::custom)
    }
}

fn save_outcome(value: &Value) -> Result<SaveOutcome, String> {
    let f = Fields::lenient(value, "reply".into())?;
    Ok(SaveOutcome {
        updated_at: time(&f, "updated_at")?,
        current_version: f.count("current_version")?,
        version: f.opt_count("version")?,
    })
}

fn opened(value: &Value) -> Result<OpenedWorkflow, String> {
    let f = Fields::lenient(value, "reply".into())?;
    Ok(OpenedWorkflow {
        workflow: f.with("workflow", workflow)?,
        report: f.with("report", report)?,
    })
}

fn report(value: &Value, what: String) -> Result<Report, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Report {
        nodes: f.with("nodes", issues_by_id)?,
        edges: f.with("edges", issues_by_id)?,
        workflow: f.with("workflow", issues)?,
    })
}

fn issues_by_id(value: &Value, what: String) -> Result<BTreeMap<String, Vec<Issue>>, String> {
    let f = Fields::lenient(value, what)?;
    f.map
        .iter()
        .map(|(id, v)| Ok((id.clone(), issues(v, f.path(id))?)))
        .collect()
}

fn issues(value: &Value, what: String) -> Result<Vec<Issue>, String> {
    items(value, what, issue)
}

fn issue(value: &Value, what: String) -> Result<Issue, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Issue {
        severity: f.required("severity", &Severity::ALL, Severity::as_str)?,
        field: f.opt_string("field")?,
        message: f.string("message")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Graph, Node, NodeKind, Position};
    use serde_json::json;

    fn sample() -> OpenedWorkflow {
        let graph = Graph {
            nodes: vec![
                Node {
                    id: "web".into(),
                    kind: NodeKind::Deployment,
                    position: Position { x: 4.0, y: -2.5 },
                    data: json!({"name": "Web!", "replicas": "many"})
                        .as_object()
                        .cloned()
                        .unwrap(),
                },
                Node {
                    id: "cfg".into(),
                    kind: NodeKind::PersistentVolumeClaim,
                    position: Position::default(),
                    data: Default::default(),
                },
            ],
            edges: vec![Edge {
                id: "e1".into(),
                source: "cfg".into(),
                target: "nowhere".into(),
            }],
        };
        let report = crate::domain::validate::check("w1", &graph).report;
        assert!(!report.nodes.is_empty() && !report.edges.is_empty());
        let workflow = serde_json::from_value(json!({
            "id": "w1", "name": "Shop", "owner_id": "u1", "status": "draft",
            "current_version": 0, "created_at": "2026-11-29T20:15:00Z",
            "updated_at": "2026-11-29T20:15:00Z",
        }))
        .unwrap();
        OpenedWorkflow {
            workflow: crate::model::Workflow {
                nodes: graph.nodes,
                edges: graph.edges,
                ..workflow
            },
            report,
        }
    }

    #[derive(serde::Deserialize)]
    struct Derived {
        workflow: crate::model::Workflow,
        report: SerdeReport,
    }

    /// [`Report`] as serde's derive would read it.
    #[derive(serde::Deserialize)]
    struct SerdeReport {
        nodes: BTreeMap<String, Vec<SerdeIssue>>,
        edges: BTreeMap<String, Vec<SerdeIssue>>,
        workflow: Vec<SerdeIssue>,
    }

    /// [`Issue`] as serde's derive would read it.
    #[derive(serde::Deserialize)]
    struct SerdeIssue {
        severity: Severity,
        field: Option<String>,
        message: String,
    }

    fn issues_of(list: Vec<SerdeIssue>) -> Vec<Issue> {
        list.into_iter()
            .map(|i| Issue {
                severity: i.severity,
                field: i.field,
                message: i.message,
            })
            .collect()
    }

    fn by_id(map: BTreeMap<String, Vec<SerdeIssue>>) -> BTreeMap<String, Vec<Issue>> {
        map.into_iter()
            .map(|(id, list)| (id, issues_of(list)))
            .collect()
    }

    fn derived(json: &str) -> Result<OpenedWorkflow, String> {
        serde_json::from_str::<Derived>(json)
            .map(|d| OpenedWorkflow {
                workflow: d.workflow,
                report: Report {
                    nodes: by_id(d.report.nodes),
                    edges: by_id(d.report.edges),
                    workflow: issues_of(d.report.workflow),
                },
            })
            .map_err(|e| e.to_string())
    }

    fn ours(json: &str) -> Result<OpenedWorkflow, String> {
        serde_json::from_str::<OpenedWorkflow>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_what_the_server_writes_as_serde_does() {
        let opened = sample();
        let json = serde_json::to_string(&opened).unwrap();
        assert_eq!(ours(&json), Ok(opened));
        assert_eq!(ours(&json), derived(&json));
    }

    #[test]
    fn refuses_what_serde_refuses() {
        let good = serde_json::to_value(sample()).unwrap();
        let changes: Vec<(&str, Value)> = vec![
            ("/report", Value::Null),
            ("/report/nodes", json!([])),
            ("/report/workflow", Value::Null),
            ("/report/nodes/web", json!({})),
            ("/report/nodes/web/0/severity", json!("fatal")),
            ("/report/nodes/web/0/message", json!(1)),
            ("/report/nodes/web/0/field", json!(3)),
            ("/report/edges/e1/0", json!("bad")),
            ("/workflow/nodes/0/kind", json!("pod")),
            ("/workflow", json!([])),
        ];
        for (pointer, value) in changes {
            let mut sample = good.clone();
            *sample.pointer_mut(pointer).unwrap() = value;
            let json = sample.to_string();
            assert!(derived(&json).is_err(), "serde took {pointer}");
            assert!(ours(&json).is_err(), "ours took {pointer}");
        }
        for key in ["nodes", "edges", "workflow"] {
            let mut sample = good.clone();
            sample["report"].as_object_mut().unwrap().remove(key);
            let json = sample.to_string();
            assert!(derived(&json).is_err() && ours(&json).is_err(), "{key}");
        }
        assert!(ours("{\"workflow\":").is_err());
    }

    #[test]
    fn a_report_alone_reads_back_what_the_server_writes() {
        let report = sample().report;
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
        assert!(serde_json::from_str::<Report>("{\"nodes\":{}}").is_err());
    }

    #[test]
    fn save_outcomes_read_back_and_bad_ones_are_refused() {
        let at = crate::model::time::parse("2026-12-02T04:30:00.125Z").unwrap();
        for version in [None, Some(7)] {
            let outcome = SaveOutcome {
                updated_at: at,
                current_version: 7,
                version,
            };
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<SaveOutcome>(&json).unwrap(), outcome);
        }
        for bad in [
            json!({"updated_at": "yesterday", "current_version": 1}),
            json!({"updated_at": "2026-12-02T04:30:00Z", "current_version": -1}),
            json!({"updated_at": "2026-12-02T04:30:00Z"}),
            json!({"updated_at": "2026-12-02T04:30:00Z", "current_version": 1, "version": "2"}),
            json!([]),
        ] {
            let error = serde_json::from_value::<SaveOutcome>(bad.clone());
            assert!(error.is_err(), "took {bad}");
        }
    }
}
