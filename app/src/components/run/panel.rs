//! The run panel: the latest run's state, phase and each node's result, live.

use crate::components::derived::Derived;
use leptos::prelude::*;

use super::badge::{run_label, step_label};
use super::live::use_live_status;
use crate::components::on_demand::on_demand;
use crate::model::{NodeResult, Run};

fn object_text(result: &NodeResult) -> String {
    result
        .object
        .as_ref()
        .map(|o| o.to_string())
        .unwrap_or_default()
}

/// Shows the latest run of the workflow in context (see [`super::live::provide_live_status`]).
#[component]
pub fn RunPanel() -> impl IntoView {
    let live = use_live_status();
    let run = Derived::new(move || live.and_then(|l| l.run.get()));
    view! {
        <section class="run-panel" id="run-panel" aria-live="polite">
            {move || match run.get() {
                None => view! { <p class="muted small">"Not deployed yet. Press Run to deploy."</p> }.into_any(),
                Some(run) => on_demand(run_details(run)).into_any(),
            }}
        </section>
    }
}

/// The run's details: a part fetched with the live events' readers (the page is rendered before
/// any run is known, see [`super::live`]).
#[leptos::lazy]
fn run_details(run: Run) -> AnyView {
    view! { <RunDetails run/> }.into_any()
}

#[component]
fn RunDetails(run: Run) -> impl IntoView {
    let (label, class) = run_label(run.state);
    let mut rows: Vec<(String, NodeResult)> = run.nodes.clone().into_iter().collect();
    rows.sort_by(|a, b| a.1.level.cmp(&b.1.level).then(a.0.cmp(&b.0)));
    let done = run
        .nodes
        .values()
        .filter(|r| r.state.as_str() != "waiting" && r.state.as_str() != "applying")
        .count();
    view! {
        <header class="run-head">
            <span class=format!("live-badge {class}") id="run-state" data-state=run.state.as_str()>
                <span class="live-dot" aria-hidden="true"></span>{label}
            </span>
            <span class="muted small">"Version " {run.version}</span>
            <span class="muted small" id="run-phase">{run.phase.clone()}</span>
            <span class="muted small">{format!("{done}/{} nodes done", run.nodes.len())}</span>
        </header>
        {run.error.clone().map(|e| view! { <p class="error small" role="alert" id="run-error">{e}</p> })}
        <ul class="run-nodes">
            {rows.into_iter().map(|(node, result)| {
                let (step, step_class) = step_label(result.state);
                view! {
                    <li class="run-node" data-node=node.clone() data-step=result.state.as_str()>
                        <span class=format!("live-badge {step_class}")><span class="live-dot" aria-hidden="true"></span>{step}</span>
                        <span class="run-object" title=node.clone()>{object_text(&result)}</span>
                        <span class="muted small">{result.duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_default()}</span>
                        {(!result.message.is_empty() && result.state.as_str() != "applied")
                            .then(|| view! { <span class="run-message small">{result.message.clone()}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!run.namespaces_created.is_empty()).then(|| view! {
            <p class="muted small">"Namespaces created: " {run.namespaces_created.join(", ")}</p>
        })}
        {(!run.pruned.is_empty()).then(|| view! {
            <div class="run-pruned">
                <p class="muted small">"Removed from the cluster (no longer in the design):"</p>
                <ul>
                    {run.pruned.iter().map(|p| view! {
                        <li class="small" data-pruned=p.object.name.clone()>
                            {p.object.to_string()}
                            {(!p.error.is_empty()).then(|| view! { <span class="error">" — " {p.error.clone()}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        })}
    }
}
