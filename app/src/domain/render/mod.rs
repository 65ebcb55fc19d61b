//! Rendering (spec §4): each node through its kind's minijinja template (embedded at build time,
//! optionally overridden), then checked (one document, identity, k8s-openapi schema). Pure:
//! the same design always renders the same bytes.

mod check;
mod context;
pub mod engine;
pub mod service;

use std::collections::BTreeMap;

use minijinja::Environment;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::issue::{has_errors, Issue};
use super::validate::Checked;
use crate::model::{metadata, NodeKind, NodeSettings};

pub use context::SecretValues;

/// A template set could not be built.
#[derive(Debug, thiserror::Error)]
#[error("template {name} is invalid: {message}")]
pub struct TemplateError {
    /// Template name, e.g. `core/deployment/template.yaml`.
    pub name: String,
    /// What minijinja reported.
    pub message: String,
}

/// One rendered Kubernetes object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderedObject {
    /// apiVersion.
    pub api_version: String,
    /// kind.
    pub kind: String,
    /// metadata.name.
    pub name: String,
    /// metadata.namespace (`None` when cluster-scoped).
    pub namespace: Option<String>,
    /// The object as applied.
    pub object: Value,
}

impl RenderedObject {
    /// The object as YAML (keys sorted), for previews and downloads.
    pub fn to_yaml(&self) -> String {
        check::to_yaml(&self.object)
            .unwrap_or_else(|err| format!("# cannot be shown as YAML: {err}\n"))
    }
}

/// The outcome for one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRender {
    /// The node.
    pub node_id: String,
    /// The object, unless the node failed or renders nothing (an existing Secret).
    pub object: Option<RenderedObject>,
    /// Why nothing is rendered although nothing failed.
    pub skipped: Option<String>,
    /// Errors (then `object` is `None`) and warnings.
    pub issues: Vec<Issue>,
}

/// Designs with fewer nodes than this render on the calling thread.
const PARALLEL_MIN: usize = 100;

/// Renders nodes with one template set.
#[derive(Debug)]
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// The templates embedded from the repository's `templates/`.
    pub fn embedded() -> Result<Self, TemplateError> {
        Self::with_overrides(BTreeMap::new())
    }

    /// The embedded templates with some replaced or added, by name
    /// (`core/<kind>/template.yaml`, `shared/macros/<file>`). Templates are trusted input
    /// (operator-supplied); user values still only ever reach them as data.
    pub fn with_overrides(overrides: BTreeMap<String, String>) -> Result<Self, TemplateError> {
        let mut sources: BTreeMap<String, String> = engine::EMBEDDED
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        sources.extend(overrides);
        engine::environment(sources)
            .map(|env| Self { env })
            .map_err(|err| TemplateError {
                name: err.name().unwrap_or("?").to_string(),
                message: err.to_string(),
            })
    }

    /// Renders every node of a checked design, in node order. `secrets` holds deploy-time
    /// Secret values by node id (empty for previews: Secrets then render without data). Large
    /// designs are split over the available cores; the result does not depend on it.
    pub fn render_all(
        &self,
        checked: &Checked,
        secrets: &BTreeMap<String, SecretValues>,
    ) -> Vec<NodeRender> {
        let nodes = &checked.graph.nodes;
        let render = |i: usize| self.render_node(checked, i, secrets.get(&nodes[i].id));
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(nodes.len() / PARALLEL_MIN + 1);
        if threads <= 1 {
            return (0..nodes.len()).map(render).collect();
        }
        let chunk = nodes.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..nodes.len())
                .step_by(chunk)
                .map(|start| {
                    scope.spawn(move || {
                        (start..nodes.len().min(start + chunk))
                            .map(render)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    }

    /// Renders node `index` of a checked design.
    pub fn render_node(
        &self,
        checked: &Checked,
        index: usize,
        secret: Option<&SecretValues>,
    ) -> NodeRender {
        let node = &checked.graph.nodes[index];
        let mut out = NodeRender {
            node_id: node.id.clone(),
            object: None,
            skipped: None,
            issues: checked
                .report
                .nodes
                .get(&node.id)
                .cloned()
                .unwrap_or_default(),
        };
        let settings = match &checked.settings[index] {
            Some(settings) if !has_errors(&out.issues) && !has_errors(&checked.report.workflow) => {
                settings
            }
            _ => return out,
        };
        if let NodeSettings::Secret(s) = settings {
            if s.existing {
                out.skipped = Some(format!(
                    "the existing Secret {} is used, not created",
                    s.object.name
                ));
                return out;
            }
        }
        match self.render_checked(node.kind, settings, &checked.derived[index], secret) {
            Ok(object) => out.object = Some(object),
            Err(issue) => out.issues.push(issue),
        }
        out
    }

    fn render_checked(
        &self,
        kind: NodeKind,
        settings: &NodeSettings,
        derived: &super::wiring::Derived,
        secret: Option<&SecretValues>,
    ) -> Result<RenderedObject, Issue> {
        let ctx = context::build(settings, derived, secret)?;
        let name = format!("core/{kind}/template.yaml");
        let text = self
            .env
            .get_template(&name)
            .and_then(|t| t.render(ctx))
            .map_err(|err| Issue::error(format!("the {kind} template failed: {err:#}")))?;
        let doc = check::parse_single(&text)?;
        let (api_version, object_kind, namespace) = identity_of(settings);
        let expect = check::Expect {
            api_version: &api_version,
            kind: &object_kind,
            name: settings.name(),
            namespace: namespace.as_deref(),
        };
        check::identity(&doc, &expect)?;
        check::schema(kind, &doc)?;
        Ok(RenderedObject {
            api_version,
            kind: object_kind,
            name: settings.name().to_string(),
            namespace,
            object: doc,
        })
    }
}

/// apiVersion, kind and namespace the node must render to.
fn identity_of(settings: &NodeSettings) -> (String, String, Option<String>) {
    let namespace = Some(settings.namespace().to_string());
    match settings {
        NodeSettings::Custom(c) => (
            c.api_version.clone(),
            c.object_kind.clone(),
            namespace.filter(|_| c.namespaced),
        ),
        other => {
            let meta = metadata::of(other.kind());
            (
                meta.api_version.clone(),
                meta.object_kind.clone(),
                namespace,
            )
        }
    }
}

/// All rendered objects as one multi-document YAML stream (for download), in node order.
pub fn to_multi_document(renders: &[NodeRender]) -> String {
    let mut out = String::new();
    for doc in renders
        .iter()
        .filter_map(|r| r.object.as_ref())
        .map(RenderedObject::to_yaml)
    {
        out.push_str("---\n");
        out.push_str(&doc);
        if !doc.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Graph, Node};

    #[test]
    fn parallel_rendering_keeps_node_order_and_results() {
        let nodes = (0..3 * PARALLEL_MIN)
            .map(|i| Node {
                id: format!("n{i}"),
                kind: NodeKind::ConfigMap,
                position: Default::default(),
                data:
                    serde_json::json!({ "name": format!("cm-{i}"), "data": { "i": i.to_string() } })
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
            })
            .collect();
        let graph = Graph {
            nodes,
            edges: vec![],
        };
        let checked = crate::domain::check("wf", &graph);
        let renderer = Renderer::embedded().unwrap();
        let all = renderer.render_all(&checked, &BTreeMap::new());
        let one_by_one: Vec<NodeRender> = (0..graph.nodes.len())
            .map(|i| renderer.render_node(&checked, i, None))
            .collect();
        assert_eq!(all, one_by_one);
        assert_eq!(
            all[7].object.as_ref().map(|o| o.name.as_str()),
            Some("cm-7")
        );
    }
}
