//! The operations behind the render/validate server functions, as pure functions over a design
//! the caller sends (no session, no IO): preview one node, the whole workflow as one YAML
//! stream, and a full validation report (settings, edges, wiring and rendering).

use std::collections::BTreeMap;

use super::{to_multi_document, NodeRender, Renderer};
use crate::domain::design::{DesignInput, NodePreview, WorkflowManifest, MAX_EDGES, MAX_NODES};
use crate::domain::issue::Issue;
use crate::domain::validate::{check, Report};
use crate::model::Graph;

/// A request the service refuses as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesignError {
    /// More nodes or edges than a workflow may have.
    #[error("a workflow holds at most {MAX_NODES} nodes and {MAX_EDGES} edges")]
    TooLarge,
    /// The node asked for is not in the design.
    #[error("there is no node {0} in this workflow")]
    UnknownNode(String),
}

fn graph_of(design: DesignInput) -> Result<(String, String, Graph), DesignError> {
    if design.nodes.len() > MAX_NODES || design.edges.len() > MAX_EDGES {
        return Err(DesignError::TooLarge);
    }
    let graph = Graph {
        nodes: design.nodes,
        edges: design.edges,
    };
    Ok((design.workflow_id, design.workflow_name, graph))
}

/// Renders every node (previews: Secrets without values) and returns the renders and the
/// report completed with the rendering problems.
fn render_design(
    renderer: &Renderer,
    workflow_id: &str,
    graph: &Graph,
) -> (Vec<NodeRender>, Report) {
    let checked = check(workflow_id, graph);
    let renders = renderer.render_all(&checked, &BTreeMap::new());
    let mut report = checked.report;
    for render in &renders {
        let known = report.nodes.get(&render.node_id).map(Vec::len).unwrap_or(0);
        let new: Vec<Issue> = render.issues.iter().skip(known).cloned().collect();
        if !new.is_empty() {
            report
                .nodes
                .entry(render.node_id.clone())
                .or_default()
                .extend(new);
        }
    }
    (renders, report)
}

/// The YAML of one node (with every problem of that node).
pub fn preview_node(
    renderer: &Renderer,
    design: DesignInput,
    node_id: &str,
) -> Result<NodePreview, DesignError> {
    let (workflow_id, _, graph) = graph_of(design)?;
    let index = graph
        .nodes
        .iter()
        .position(|n| n.id == node_id)
        .ok_or_else(|| DesignError::UnknownNode(node_id.to_string()))?;
    let checked = check(&workflow_id, &graph);
    let render = renderer.render_node(&checked, index, None);
    Ok(NodePreview {
        node_id: render.node_id,
        yaml: render.object.map(|o| o.to_yaml()),
        skipped: render.skipped,
        issues: render.issues,
    })
}

/// Every renderable node as one multi-document YAML file, with the report of what was left out.
pub fn workflow_manifest(
    renderer: &Renderer,
    design: DesignInput,
) -> Result<WorkflowManifest, DesignError> {
    let (workflow_id, name, graph) = graph_of(design)?;
    let (renders, report) = render_design(renderer, &workflow_id, &graph);
    Ok(WorkflowManifest {
        filename: filename(&name, &workflow_id),
        yaml: to_multi_document(&renders),
        report,
    })
}

/// Every problem of the design, including those only rendering finds (schema, custom YAML).
pub fn validate_design(renderer: &Renderer, design: DesignInput) -> Result<Report, DesignError> {
    let (workflow_id, _, graph) = graph_of(design)?;
    Ok(render_design(renderer, &workflow_id, &graph).1)
}

/// A safe download name: the workflow name reduced to `[a-z0-9-]`, else the id.
fn filename(name: &str, workflow_id: &str) -> String {
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let base = if slug.is_empty() {
        format!("workflow-{workflow_id}")
    } else {
        slug
    };
    format!("{}.yaml", base.chars().take(80).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, NodeKind};

    fn design(nodes: Vec<Node>) -> DesignInput {
        DesignInput {
            workflow_id: "wf-1".into(),
            workflow_name: "My Shop: prod!".into(),
            nodes,
            edges: vec![],
        }
    }

    fn node(id: &str, kind: NodeKind, data: serde_json::Value) -> Node {
        Node {
            id: id.into(),
            kind,
            position: Default::default(),
            data: data.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn preview_manifest_and_validation() {
        let renderer = Renderer::embedded().unwrap();
        let good = node(
            "a",
            NodeKind::ConfigMap,
            serde_json::json!({ "name": "app", "data": { "k": "v" } }),
        );
        let bad = node(
            "b",
            NodeKind::Deployment,
            serde_json::json!({ "name": "Bad Name" }),
        );
        let preview =
            preview_node(&renderer, design(vec![good.clone(), bad.clone()]), "a").unwrap();
        assert!(preview.yaml.unwrap().contains("kind: ConfigMap"));
        let broken = preview_node(&renderer, design(vec![good.clone(), bad.clone()]), "b").unwrap();
        assert!(
            broken.yaml.is_none()
                && broken
                    .issues
                    .iter()
                    .any(|i| i.field.as_deref() == Some("name"))
        );
        assert_eq!(
            preview_node(&renderer, design(vec![]), "x"),
            Err(DesignError::UnknownNode("x".into()))
        );

        let manifest = workflow_manifest(&renderer, design(vec![good.clone(), bad])).unwrap();
        assert_eq!(manifest.filename, "my-shop-prod.yaml");
        assert_eq!(
            manifest.yaml.matches("\n---\n").count() + 1,
            1,
            "only the valid node is in the file"
        );
        assert!(manifest.report.node_has_errors("b") && !manifest.report.node_has_errors("a"));

        let custom = node(
            "c",
            NodeKind::Custom,
            serde_json::json!({
                "name": "x", "apiVersion": "example.com/v1", "objectKind": "Thing", "content": "- not a mapping"
            }),
        );
        let report = validate_design(&renderer, design(vec![good, custom])).unwrap();
        assert_eq!(
            report.nodes["c"][0].field.as_deref(),
            Some("content"),
            "{report:?}"
        );

        let many = (0..=MAX_NODES)
            .map(|i| node(&format!("n{i}"), NodeKind::ConfigMap, serde_json::json!({})))
            .collect();
        assert_eq!(
            validate_design(&renderer, design(many)),
            Err(DesignError::TooLarge)
        );
    }
}
