//! The selected node's rendered YAML, re-rendered on the server a moment after each edit.

use crate::components::var::Var;
use leptos::prelude::*;

use super::super::canvas::EditorStore;
use super::super::debounce::Debounce;
use crate::api::render::{render_node_yaml, DesignInput, NodePreview};

/// The workflow being edited (provided by the editor; used to label rendered objects).
#[derive(Clone, Debug, Default)]
pub struct WorkflowName {
    /// Workflow id.
    pub id: String,
    /// Workflow name.
    pub name: String,
}

impl WorkflowName {
    /// The current design of `store` as renderer input.
    pub fn design(&self, store: EditorStore) -> DesignInput {
        let graph = store.snapshot();
        DesignInput {
            workflow_id: self.id.clone(),
            workflow_name: self.name.clone(),
            nodes: graph.nodes,
            edges: graph.edges,
        }
    }
}

/// Pause after the last keystroke before asking for a new preview.
const DEBOUNCE_MS: u64 = 350;

/// Read-only YAML of node `node_id`, with its rendering problems.
#[component]
pub fn YamlPreview(store: EditorStore, node_id: String) -> impl IntoView {
    let settled = Var::new(store.revision.get_untracked());
    let debounce = Debounce::new();
    Effect::new(move |_| {
        let revision = store.revision.get();
        debounce.restart(DEBOUNCE_MS, move || settled.set(revision));
    });
    let id = node_id.clone();
    let workflow = use_context::<WorkflowName>().unwrap_or_default();
    let preview = Resource::new(
        move || settled.get(),
        move |_| {
            let design = workflow.design(store);
            let id = id.clone();
            async move { render_node_yaml(design, id).await }
        },
    );
    view! {
        <section class="yaml" aria-label="Rendered YAML">
            <h3>"YAML"</h3>
            <Transition fallback=|| view! { <p class="muted">"Rendering…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(NodePreview { yaml, skipped, issues, .. }) => view! {
                            <pre class="yaml-text" id="node-yaml">{yaml.unwrap_or_default()}</pre>
                            {skipped.map(|why| view! { <p class="muted">{why}</p> })}
                            <ul class="yaml-issues">
                                {issues.into_iter().map(|i| view! { <li class="field-error">{i.message}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <p class="field-error">{format!("Preview unavailable: {error}")}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
