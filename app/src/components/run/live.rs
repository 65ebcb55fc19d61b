//! Live status of a workflow for the editor: one SSE subscription to
//! `/api/workflows/{id}/events`, opened after hydration, whose events fill signals keyed by node
//! id. The canvas reads [`LiveStatus::nodes`] to colour node cards; the run panel reads
//! [`LiveStatus::run`].

use std::collections::HashMap;

use crate::components::var::Var;
use leptos::prelude::*;

use crate::components::heartbeat::LinkState;
use crate::model::events::{names, NodeUpdate, RunUpdate, Snapshot, WorkflowSaved};
use crate::model::{NodeStatus, Run};

/// The live state of one workflow, provided as context by [`provide_live_status`].
#[derive(Clone, Copy)]
pub struct LiveStatus {
    /// Status by node id (a node without a live object has no entry).
    pub nodes: Var<HashMap<String, NodeStatus>>,
    /// The latest run (with per-node results), if any.
    pub run: Var<Option<Run>>,
    /// The stream's connection state.
    pub link: Var<LinkState>,
    /// The last version the server reported as saved.
    pub saved_version: Var<Option<u64>>,
}

impl LiveStatus {
    /// The status of one node (tracked: re-runs when it changes).
    pub fn node(&self, node_id: &str) -> Option<NodeStatus> {
        self.nodes.with(|nodes| nodes.get(node_id).cloned())
    }

    /// True while no node has a status and there is no run (untracked).
    pub fn is_empty(&self) -> bool {
        self.nodes.with_untracked(HashMap::is_empty) && self.run.with_untracked(Option::is_none)
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
        nodes: Var::new(HashMap::new()),
        run: Var::new(None),
        link: Var::new(LinkState::Connecting),
        saved_version: Var::new(None),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    {
        let queue = std::rc::Rc::new(std::cell::RefCell::new(Queue::default()));
        crate::client::sse::follow(
            events_url(&workflow_id),
            &[
                names::SNAPSHOT,
                names::NODE_UPDATE,
                names::RUN_UPDATE,
                names::WORKFLOW_SAVED,
            ],
            move |message| deliver(live, &queue, message.event, message.data),
            move |state| live.link.set(state.into()),
            || false,
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = workflow_id;
    live
}

/// Events waiting for [`apply_event`], and whether a task is applying them.
#[cfg(feature = "hydrate")]
#[derive(Default)]
struct Queue {
    events: std::collections::VecDeque<(String, String)>,
    busy: bool,
}

/// Applies the stream's events in order, through [`apply_event`]: the readers of the live
/// events and the run panel's details are a part of their own, fetched when the first event with
/// something to show arrives. The page is rendered without live status (it only ever comes from
/// the stream), so a workflow that was never deployed never fetches it.
#[cfg(feature = "hydrate")]
fn deliver(
    live: LiveStatus,
    queue: &std::rc::Rc<std::cell::RefCell<Queue>>,
    event: String,
    data: String,
) {
    if event == names::SNAPSHOT && live.is_empty() && snapshot_is_empty(&data) {
        return;
    }
    let mut waiting = queue.borrow_mut();
    waiting.events.push_back((event, data));
    if waiting.busy {
        return;
    }
    waiting.busy = true;
    drop(waiting);
    let queue = queue.clone();
    leptos::task::spawn_local(async move {
        loop {
            let next = queue.borrow_mut().events.pop_front();
            let Some((event, data)) = next else { break };
            apply_event(live, event, data).await;
        }
        queue.borrow_mut().busy = false;
    });
}

/// [`LiveStatus::apply`], in a part fetched on first use (see [`deliver`]).
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn apply_event(live: LiveStatus, event: String, data: String) {
    live.apply(&event, &data);
}

/// True for a `snapshot` with no node statuses and no run (applying it to an empty status
/// changes nothing).
pub fn snapshot_is_empty(data: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(data).is_ok_and(|snapshot| {
        snapshot["run"].is_null()
            && snapshot["nodes"]
                .as_object()
                .is_some_and(serde_json::Map::is_empty)
    })
}

/// The live status from context (inside a component under [`provide_live_status`]).
pub fn use_live_status() -> Option<LiveStatus> {
    use_context::<LiveStatus>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::events::Snapshot;

    #[test]
    fn only_a_snapshot_with_nothing_live_counts_as_empty() {
        let empty = serde_json::to_string(&Snapshot::default()).unwrap();
        assert!(snapshot_is_empty(&empty), "{empty}");
        let with_node = r#"{"nodes":{"web":{"state":"healthy"}},"run":null}"#;
        assert!(!snapshot_is_empty(with_node));
        let with_run = r#"{"nodes":{},"run":{"run":{}}}"#;
        assert!(!snapshot_is_empty(with_run));
        assert!(!snapshot_is_empty("not json"));
    }
}
