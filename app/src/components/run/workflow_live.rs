//! A stand-in deploy area for the workflow page while the canvas editor is not mounted there:
//! the Run button, each node with its live status badge, and the run panel. The editor mounts
//! the same pieces itself (see the module docs of [`super`]).

use leptos::prelude::*;

use super::{provide_live_status, NodeStatusBadge, RunButton, RunPanel};
use crate::model::{Graph, Workflow};

/// Deploy controls and live status for `workflow`, with its saved design.
#[component]
pub fn WorkflowLive(workflow: Workflow) -> impl IntoView {
    provide_live_status(workflow.id.clone());
    let cluster_id = RwSignal::new(workflow.cluster_id.clone());
    let graph = Graph {
        nodes: workflow.nodes.clone(),
        edges: workflow.edges.clone(),
    };
    let design = Signal::derive(move || graph.clone());
    let nodes = workflow.nodes.clone();
    view! {
        <div class="workflow-actions">
            <RunButton workflow_id=workflow.id.clone() design cluster_id/>
        </div>
        <ul class="node-live-list" id="node-live-list">
            {nodes.into_iter().map(|node| {
                let name = node.data.get("name").and_then(|v| v.as_str()).unwrap_or(&node.id).to_string();
                view! {
                    <li class="node-live" data-node=node.id.clone()>
                        <code>{node.kind.as_str()}</code>
                        <span>{name}</span>
                        <NodeStatusBadge node_id=node.id.clone()/>
                    </li>
                }
            }).collect_view()}
        </ul>
        <RunPanel/>
    }
}
