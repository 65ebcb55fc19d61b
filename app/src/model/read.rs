//! Hand-written readers of a [`Workflow`] and its graph from a parsed [`Value`], for the reply
//! that opens the editor: the browser bundle then carries these few functions instead of serde's
//! derived deserializers for each type. They read what the derived `Deserialize` reads (for the
//! object form the server writes) and refuse everything it refuses; the tests hold them to that.

use serde_json::Value;

use super::fields::Fields;
use super::{Edge, Node, NodeKind, Position, Viewport, Workflow, WorkflowStatus};

/// A workflow, as `Workflow`'s `Deserialize` reads it.
pub fn workflow(value: &Value, what: String) -> Result<Workflow, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Workflow {
        id: f.string("id")?,
        name: f.string("name")?,
        description: f.string_or_default("description")?,
        owner_id: f.string("owner_id")?,
        cluster_id: f.opt_string("cluster_id")?,
        status: f.required("status", &WorkflowStatus::ALL, WorkflowStatus::as_str)?,
        nodes: f.list("nodes", node)?,
        edges: f.list("edges", edge)?,
        viewport: match f.map.get("viewport") {
            None => Viewport::default(),
            Some(v) => viewport(v, f.path("viewport"))?,
        },
        current_version: f.count("current_version")?,
        created_at: time(&f, "created_at")?,
        updated_at: time(&f, "updated_at")?,
    })
}

/// A node.
pub fn node(value: &Value, what: String) -> Result<Node, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Node {
        id: f.string("id")?,
        kind: f.required("kind", &NodeKind::ALL, NodeKind::as_str)?,
        position: f.with("position", position)?,
        data: match f.map.get("data") {
            None => Default::default(),
            Some(v) => v
                .as_object()
                .cloned()
                .ok_or_else(|| f.error("data", "an object"))?,
        },
    })
}

/// An edge.
pub fn edge(value: &Value, what: String) -> Result<Edge, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Edge {
        id: f.string("id")?,
        source: f.string("source")?,
        target: f.string("target")?,
    })
}

fn position(value: &Value, what: String) -> Result<Position, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Position {
        x: f.number("x")?,
        y: f.number("y")?,
    })
}

fn viewport(value: &Value, what: String) -> Result<Viewport, String> {
    let f = Fields::lenient(value, what)?;
    Ok(Viewport {
        x: f.number("x")?,
        y: f.number("y")?,
        zoom: f.number("zoom")?,
    })
}

/// The RFC 3339 time at `key`.
pub(crate) fn time(f: &Fields, key: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let text = f.string(key)?;
    super::time::parse(&text).ok_or_else(|| f.error(key, "a time (RFC 3339)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ours(value: &Value) -> Result<Workflow, String> {
        workflow(value, "workflow".into())
    }

    fn serde_reads(value: &Value) -> Result<Workflow, String> {
        serde_json::from_value(value.clone()).map_err(|e| e.to_string())
    }

    fn full() -> Value {
        json!({
            "id": "w1", "name": "Shop", "description": "the shop", "owner_id": "u1",
            "cluster_id": "c1", "status": "deployed", "current_version": 7,
            "created_at": "2026-11-29T20:15:00Z", "updated_at": "2026-11-30T08:00:00.123456+01:00",
            "viewport": {"x": -12.5, "y": 40, "zoom": 0.75},
            "nodes": [
                {"id": "web", "kind": "deployment", "position": {"x": 10, "y": 20.5},
                 "data": {"name": "web", "replicas": 2, "ports": [{"containerPort": 80}]}},
                {"id": "db", "kind": "persistentvolumeclaim", "position": {"x": 0, "y": 0}}
            ],
            "edges": [{"id": "e1", "source": "db", "target": "web", "label": "ignored"}],
            "extra": "ignored"
        })
    }

    #[test]
    fn reads_what_serde_reads() {
        let mut samples = vec![
            full(),
            serde_json::to_value(serde_reads(&full()).unwrap()).unwrap(),
        ];
        let mut minimal = full();
        for key in ["description", "cluster_id", "nodes", "edges", "viewport"] {
            minimal.as_object_mut().unwrap().remove(key);
        }
        samples.push(minimal);
        let mut nulls = full();
        nulls["cluster_id"] = Value::Null;
        samples.push(nulls);
        for status in WorkflowStatus::ALL {
            let mut w = full();
            w["status"] = json!(status);
            samples.push(w);
        }
        for kind in NodeKind::ALL {
            let mut w = full();
            w["nodes"][0]["kind"] = json!(kind);
            samples.push(w);
        }
        for sample in samples {
            let read = ours(&sample);
            assert!(read.is_ok(), "{read:?} for {sample}");
            assert_eq!(read, serde_reads(&sample), "{sample}");
        }
    }

    #[test]
    fn refuses_what_serde_refuses() {
        let changes: Vec<(&str, Value)> = vec![
            ("/id", json!(1)),
            ("/name", Value::Null),
            ("/description", Value::Null),
            ("/status", json!("running")),
            ("/status", Value::Null),
            ("/current_version", json!(-1)),
            ("/current_version", json!(1.5)),
            ("/current_version", json!("7")),
            ("/created_at", json!("yesterday")),
            ("/updated_at", Value::Null),
            ("/viewport", Value::Null),
            ("/viewport/zoom", json!("1")),
            ("/nodes", Value::Null),
            ("/nodes", json!({})),
            ("/nodes/0", json!("web")),
            ("/nodes/0/kind", json!("Deployment")),
            ("/nodes/0/position", Value::Null),
            ("/nodes/0/position/x", json!("10")),
            ("/nodes/0/data", Value::Null),
            ("/nodes/0/data", json!([1])),
            ("/edges", Value::Null),
            ("/edges/0/target", json!(2)),
            ("/cluster_id", json!(false)),
        ];
        for (pointer, value) in changes {
            let mut sample = full();
            *sample.pointer_mut(pointer).unwrap() = value;
            assert!(
                serde_reads(&sample).is_err(),
                "serde took {pointer}: {sample}"
            );
            assert!(ours(&sample).is_err(), "ours took {pointer}: {sample}");
        }
        for key in [
            "id",
            "name",
            "owner_id",
            "status",
            "current_version",
            "created_at",
            "updated_at",
        ] {
            let mut sample = full();
            sample.as_object_mut().unwrap().remove(key);
            assert!(
                serde_reads(&sample).is_err(),
                "serde took a workflow without {key}"
            );
            let error = ours(&sample).unwrap_err();
            assert!(error.contains(key), "{error}");
        }
        for pointer in ["/nodes/0", "/edges/0"] {
            for key in ["id", "kind", "position", "source"] {
                let mut sample = full();
                let object = sample
                    .pointer_mut(pointer)
                    .unwrap()
                    .as_object_mut()
                    .unwrap();
                if object.remove(key).is_some() {
                    assert!(
                        serde_reads(&sample).is_err(),
                        "serde took {pointer} without {key}"
                    );
                    assert!(ours(&sample).is_err(), "ours took {pointer} without {key}");
                }
            }
        }
        assert!(ours(&json!([])).is_err());
    }

    #[test]
    fn errors_say_where() {
        let mut sample = full();
        sample["nodes"][1]["position"]["y"] = json!("high");
        assert_eq!(
            ours(&sample).unwrap_err(),
            "workflow.nodes[1].position: `y` must be a number"
        );
    }
}
