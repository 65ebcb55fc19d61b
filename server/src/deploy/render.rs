//! From a design to the objects a deploy applies, through the pure renderer (`app::domain`):
//! each node's object, or why it has none.

use app::api::deploy::SecretInputs;
use app::domain::render::Renderer;
use app::domain::{check, Severity};
use app::model::{Edge, Graph, Node, NodeKind, ObjectRef};

use super::plan::{Outcome, Planned};

/// Renders every node of `graph` for workflow `workflow_id` with the deploy-time secret values.
/// Returns the planned nodes (in node order) and the edges.
pub fn plan_nodes(
    renderer: &Renderer,
    workflow_id: &str,
    graph: &Graph,
    secrets: &SecretInputs,
) -> (Vec<Planned>, Vec<Edge>) {
    let checked = check(workflow_id, graph);
    let workflow_errors: Vec<String> = checked
        .report
        .workflow
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| i.message.clone())
        .collect();
    let renders = renderer.render_all(&checked, secrets);
    let planned = graph
        .nodes
        .iter()
        .zip(renders)
        .map(|(node, render)| {
            let outcome = match (render.object, render.skipped) {
                (Some(object), _) => Outcome::Object {
                    object: ObjectRef {
                        api_version: object.api_version,
                        kind: object.kind,
                        namespace: object.namespace,
                        name: object.name,
                    },
                    body: object.object,
                },
                (None, Some(why)) => Outcome::Skipped(why),
                (None, None) => {
                    let mut errors: Vec<String> = render
                        .issues
                        .iter()
                        .filter(|i| i.severity == Severity::Error)
                        .map(|i| match &i.field {
                            Some(field) => format!("{field}: {}", i.message),
                            None => i.message.clone(),
                        })
                        .collect();
                    if errors.is_empty() {
                        errors = workflow_errors.clone();
                    }
                    if errors.is_empty() {
                        errors.push("the node cannot be rendered".into());
                    }
                    Outcome::Failed(errors.join("; "))
                }
            };
            let (outcome, keep_existing) = secret_values(node, outcome, secrets);
            Planned {
                node_id: node.id.clone(),
                kind: node.kind,
                outcome,
                keep_existing,
            }
        })
        .collect();
    (planned, graph.edges.clone())
}

/// A Secret node's rendering with the values entered: none means "keep the Secret in the
/// cluster as it is"; some but not all is an error (the missing keys would be removed).
fn secret_values(node: &Node, outcome: Outcome, secrets: &SecretInputs) -> (Outcome, bool) {
    if node.kind != NodeKind::Secret || !matches!(outcome, Outcome::Object { .. }) {
        return (outcome, false);
    }
    let keys: Vec<&str> = node
        .data
        .get("keys")
        .and_then(|k| k.as_array())
        .map(|k| k.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let given = secrets.get(&node.id);
    match given.filter(|g| !g.is_empty()) {
        None => (outcome, !keys.is_empty()),
        Some(values) => {
            let missing: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|k| !values.contains_key(*k))
                .collect();
            if missing.is_empty() {
                (outcome, false)
            } else {
                let message = format!(
                    "enter a value for every key of this Secret, or none to keep it as it is \
                     (missing: {})",
                    missing.join(", ")
                );
                (Outcome::Failed(message), false)
            }
        }
    }
}
