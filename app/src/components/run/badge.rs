//! How node statuses and run steps look: labels, CSS classes, and a badge for node cards.

use leptos::prelude::*;

use super::live::use_live_status;
use crate::model::{NodeState, NodeStatus, RunState, StepState};

/// The CSS class of a node state (`live-healthy`, …), for a card's border or dot.
pub fn state_class(state: NodeState) -> &'static str {
    match state {
        NodeState::Pending => "live-pending",
        NodeState::Progressing => "live-progressing",
        NodeState::Healthy => "live-healthy",
        NodeState::Degraded => "live-degraded",
        NodeState::Failed => "live-failed",
        NodeState::Unknown => "live-unknown",
    }
}

/// A short label of a node state.
pub fn state_label(state: NodeState) -> &'static str {
    match state {
        NodeState::Pending => "Pending",
        NodeState::Progressing => "Progressing",
        NodeState::Healthy => "Healthy",
        NodeState::Degraded => "Degraded",
        NodeState::Failed => "Failed",
        NodeState::Unknown => "Unknown",
    }
}

/// "2/3" when the status has ready/desired counts.
pub fn ready_counts(status: &NodeStatus) -> Option<String> {
    let ready = status.details.get("ready")?;
    let desired = status.details.get("desired")?;
    Some(format!("{ready}/{desired}"))
}

/// The label and class of a run state.
pub fn run_label(state: RunState) -> (&'static str, &'static str) {
    match state {
        RunState::Queued => ("Queued", "live-pending"),
        RunState::Running => ("Running", "live-progressing"),
        RunState::Succeeded => ("Succeeded", "live-healthy"),
        RunState::Partial => ("Partly failed", "live-degraded"),
        RunState::Failed => ("Failed", "live-failed"),
    }
}

/// The label and class of a node's step in a run.
pub fn step_label(state: StepState) -> (&'static str, &'static str) {
    match state {
        StepState::Waiting => ("Waiting", "live-pending"),
        StepState::Applying => ("Applying", "live-progressing"),
        StepState::Applied => ("Applied", "live-healthy"),
        StepState::Unchanged => ("Unchanged", "live-healthy"),
        StepState::Failed => ("Failed", "live-failed"),
        StepState::Skipped => ("Skipped", "live-unknown"),
    }
}

/// A node card's live status: a coloured dot, the state, ready counts, and the message as
/// tooltip. Renders nothing while the node has no live object (or outside a live context).
#[component]
pub fn NodeStatusBadge(
    /// The node.
    #[prop(into)]
    node_id: String,
) -> impl IntoView {
    let live = use_live_status();
    move || {
        let status = live.and_then(|l| l.node(&node_id))?;
        let counts = ready_counts(&status);
        Some(view! {
            <span
                class=format!("live-badge {}", state_class(status.state))
                title=status.message.clone()
                data-state=status.state.as_str()
                data-node=node_id.clone()
            >
                <span class="live-dot" aria-hidden="true"></span>
                <span class="live-state">{state_label(status.state)}</span>
                {counts.map(|c| view! { <span class="live-counts">{c}</span> })}
            </span>
        })
    }
}
