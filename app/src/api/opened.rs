//! `Deserialize` for [`OpenedWorkflow`], the reply that opens the editor, by the hand-written
//! readers of [`crate::model::read`] over one parsed [`Value`]: the editor's code then carries
//! no derived deserializer for the workflow, its graph or its problems.

use std::collections::BTreeMap;

use serde::{de::Error, Deserialize, Deserializer};
use serde_json::Value;

use super::workflows::OpenedWorkflow;
use crate::domain::issue::{Issue, Severity};
use crate::domain::validate::Report;
use crate::model::fields::Fields;
use crate::model::read::workflow;

impl<'de> Deserialize<'de> for OpenedWorkflow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opened(&Value::deserialize(d)?).map_err(D::Error::custom)
    }
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
    let map = value
        .as_object()
        .ok_or_else(|| format!("{what}: expected an object"))?;
    map.iter()
        .map(|(id, v)| Ok((id.clone(), issues(v, format!("{what}.{id}"))?)))
        .collect()
}

fn issues(value: &Value, what: String) -> Result<Vec<Issue>, String> {
    let list = value
        .as_array()
        .ok_or_else(|| format!("{what}: expected a list"))?;
    list.iter()
        .enumerate()
        .map(|(i, v)| issue(v, format!("{what}[{i}]")))
        .collect()
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
        report: Report,
    }

    fn derived(json: &str) -> Result<OpenedWorkflow, String> {
        serde_json::from_str::<Derived>(json)
            .map(|d| OpenedWorkflow {
                workflow: d.workflow,
                report: d.report,
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
}
