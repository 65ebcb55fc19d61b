//! Live status of a workflow for the editor: one SSE subscription to
//! `/api/workflows/{id}/events`, opened after hydration, whose events fill signals keyed by node
//! id. The canvas reads [`LiveStatus::nodes`] to colour node cards; the run panel reads
//! [`LiveStatus::run`].

use std::collections::HashMap;

use leptos::prelude::*;

use crate::components::heartbeat::LinkState;
use crate::model::events::{names, NodeUpdate, RunUpdate, Snapshot, WorkflowSaved};
use crate::model::{NodeStatus, Run};

/// The live state of one workflow, provided as context by [`provide_live_status`].
#[derive(Clone, Copy)]
pub struct LiveStatus {
    /// Status by node id (a node without a live object has no entry).
    pub nodes: RwSignal<HashMap<String, NodeStatus>>,
    /// The latest run (with per-node results), if any.
    pub run: RwSignal<Option<Run>>,
    /// The stream's connection state.
    pub link: RwSignal<LinkState>,
    /// The last version the server reported as saved.
    pub saved_version: RwSignal<Option<u64>>,
}

impl LiveStatus {
    /// The status of one node (tracked: re-runs when it changes).
    pub fn node(&self, node_id: &str) -> Option<NodeStatus> {
        self.nodes.with(|nodes| nodes.get(node_id).cloned())
    }

    /// Applies one event from the stream.
    pub fn apply(&self, event: &str, data: &str) {
        match event {
            names::SNAPSHOT => {
                if let Ok(snapshot) = serde_json::from_str::<Snapshot>(data) {
                    self.nodes.set(snapshot.nodes.into_iter().collect());
                    self.run.set(snapshot.run.map(|r| r.run));
                }
            }
            names::NODE_UPDATE => {
                if let Ok(update) = serde_json::from_str::<NodeUpdate>(data) {
                    self.nodes.update(|nodes| match update.status {
                        Some(status) => {
                            nodes.insert(update.node_id, status);
                        }
                        None => {
                            nodes.remove(&update.node_id);
                        }
                    });
                }
            }
            names::RUN_UPDATE => {
                if let Ok(update) = serde_json::from_str::<RunUpdate>(data) {
                    self.run.set(Some(update.run));
                }
            }
            names::WORKFLOW_SAVED => {
                if let Ok(saved) = serde_json::from_str::<WorkflowSaved>(data) {
                    self.saved_version.set(Some(saved.version));
                }
            }
            _ => {}
        }
    }
}

/// The stream's URL for a workflow.
pub fn events_url(workflow_id: &str) -> String {
    let id: String = workflow_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("/api/workflows/{id}/events")
}

/// Creates the live status of `workflow_id`, provides it as context, and subscribes after
/// hydration (the subscription closes when the calling component is disposed).
pub fn provide_live_status(workflow_id: String) -> LiveStatus {
    let live = LiveStatus {
        nodes: RwSignal::new(HashMap::new()),
        run: RwSignal::new(None),
        link: RwSignal::new(LinkState::Connecting),
        saved_version: RwSignal::new(None),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use crate::client::sse::{subscribe, SseState};
        let subscription = subscribe(
            &events_url(&workflow_id),
            &[
                names::SNAPSHOT,
                names::NODE_UPDATE,
                names::RUN_UPDATE,
                names::WORKFLOW_SAVED,
            ],
            move |message| live.apply(&message.event, &message.data),
            move |state| {
                live.link.set(match state {
                    SseState::Connecting => LinkState::Connecting,
                    SseState::Open => LinkState::Live,
                    SseState::Reconnecting => LinkState::Reconnecting,
                    SseState::Closed => LinkState::Offline,
                })
            },
        );
        match subscription {
            Ok(subscription) => {
                let subscription = send_wrapper::SendWrapper::new(subscription);
                on_cleanup(move || drop(subscription));
            }
            Err(error) => {
                leptos::logging::error!("{error}");
                live.link.set(LinkState::Offline);
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = workflow_id;
    live
}

/// The live status from context (inside a component under [`provide_live_status`]).
pub fn use_live_status() -> Option<LiveStatus> {
    use_context::<LiveStatus>()
}
