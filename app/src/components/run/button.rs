//! The Run button: asks the server what the run would change (design vs live, field by field),
//! lets the user enter Secret values for this run, and starts the run on confirmation.

use crate::components::dynamic::{dynamic, listener};
use std::collections::BTreeMap;
use std::time::Duration;

use crate::components::derived::Derived;
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;

use super::plan_view::PlanView;
use crate::api::deploy::{PlanDeploy, RunStarted, RunWorkflow, SecretInputs};
use crate::components::clusters::picker::ClusterPicker;
use crate::components::dialog::Modal;
use crate::components::form::FormError;
use crate::components::on_demand::on_demand;
use crate::model::{Graph, NodeKind};

/// Secret nodes that create a Secret, with their key names.
fn secret_keys(design: &Graph) -> Vec<(String, String, Vec<String>)> {
    design
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Secret)
        .filter(|n| n.data.get("existing").and_then(|v| v.as_bool()) != Some(true))
        .map(|n| {
            let name = n
                .data
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or(&n.id)
                .to_string();
            let keys = n
                .data
                .get("keys")
                .and_then(|v| v.as_array())
                .map(|keys| {
                    keys.iter()
                        .filter_map(|k| k.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (n.id.clone(), name, keys)
        })
        .filter(|(_, _, keys): &(String, String, Vec<String>)| !keys.is_empty())
        .collect()
}

/// Runs the workflow's current design. `design` is the graph as drawn (it is saved as a
/// `deploy` version when the run starts); `cluster_id` is the workflow's cluster (chosen in the
/// dialog when missing).
#[component]
pub fn RunButton(
    /// The workflow.
    #[prop(into)]
    workflow_id: String,
    /// The design as drawn now.
    #[prop(into)]
    design: Derived<Graph>,
    /// The workflow's cluster.
    cluster_id: Var<Option<String>>,
    /// Called once the run started (the design was saved as this version).
    #[prop(optional)]
    on_started: Option<Handler<RunStarted>>,
    /// Whether the Run dialog is open, when the caller wants to open it too (e.g. "Redeploy").
    #[prop(optional)]
    open: Option<Var<bool>>,
) -> impl IntoView {
    let open = open.unwrap_or_else(|| Var::new(false));
    let running = Derived::new(move || {
        super::live::use_live_status()
            .and_then(|l| l.run.get())
            .is_some_and(|r| !r.state.is_finished())
    });
    let on_started = Handler::new(move |started: RunStarted| {
        open.set(false);
        if let Some(callback) = on_started {
            callback.run(started);
        }
    });
    view! {
        <button class="btn" id="run-workflow" disabled=dynamic(move || running.get())
            on:click=listener(move |_| open.set(true))>
            {dynamic(move || if running.get() { "Running…" } else { "Run" })}
        </button>
        <Show when=move || open.get()>
            {on_demand(run_dialog(
                RunDialogProps::builder()
                    .workflow_id(workflow_id.clone())
                    .design(design)
                    .cluster_id(cluster_id)
                    .on_started(on_started)
                    .on_close(Handler::new(move |_| open.set(false)))
                    .build(),
            ))}
        </Show>
    }
}

/// [`RunDialog`] (with the action that starts the run), its code fetched when Run is first pressed.
#[leptos::lazy]
fn run_dialog(props: RunDialogProps) -> AnyView {
    RunDialog(props).into_any()
}

#[component]
fn RunDialog(
    workflow_id: String,
    design: Derived<Graph>,
    cluster_id: Var<Option<String>>,
    on_started: Handler<RunStarted>,
    on_close: Handler<()>,
) -> impl IntoView {
    let plan = ServerAction::<PlanDeploy>::new();
    let start = ServerAction::<RunWorkflow>::new();
    Effect::new(move |_| {
        if let Some(Ok(started)) = start.value().get() {
            // After this effect: `on_started` closes this dialog.
            set_timeout(move || on_started.run(started), Duration::ZERO);
        }
    });
    let secrets: Var<BTreeMap<(String, String), String>> = Var::new(BTreeMap::new());
    let keys = secret_keys(&design.get_untracked());
    let id = workflow_id.clone();
    let ask = move || {
        let graph = design.get_untracked();
        plan.dispatch(PlanDeploy {
            id: id.clone(),
            nodes: graph.nodes,
            edges: graph.edges,
            secrets: None,
        });
    };
    let ask_now = ask.clone();
    Effect::new(move |previous: Option<Option<String>>| {
        let cluster = cluster_id.get();
        if cluster.is_some() && previous.as_ref() != Some(&cluster) {
            ask_now();
        }
        cluster
    });
    let inputs = move || -> SecretInputs {
        let mut out: SecretInputs = BTreeMap::new();
        for ((node, key), value) in secrets.get_untracked() {
            if !value.is_empty() {
                out.entry(node).or_default().insert(key, value);
            }
        }
        out
    };
    let confirm = {
        let id = workflow_id.clone();
        move |_| {
            let graph = design.get_untracked();
            start.dispatch(RunWorkflow {
                id: id.clone(),
                nodes: graph.nodes,
                edges: graph.edges,
                viewport: None,
                message: None,
                secrets: Some(inputs()),
            });
        }
    };
    let plan_error = Derived::new(move || {
        plan.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let start_error = Derived::new(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let blocked = Derived::new(move || match plan.value().get() {
        Some(Ok(p)) => p.error.is_some(),
        _ => true,
    });
    view! {
        <Modal title="Run this workflow" on_close>
            <div class="stack run-dialog">
                <ClusterPicker workflow_id=workflow_id.clone() selected=cluster_id/>
                <Show when=move || cluster_id.get().is_none()>
                    <p class="muted">"Choose the cluster to deploy to."</p>
                </Show>
                <Show when=move || plan.pending().get()>
                    <p class="muted" id="plan-loading">"Comparing the design with the cluster…"</p>
                </Show>
                {move || plan.value().get().and_then(Result::ok).map(|p| view! { <PlanView plan=p/> })}
                <FormError error=plan_error/>
                {(!keys.is_empty()).then(|| view! { <SecretFields keys=keys.clone() secrets/> })}
                <FormError error=start_error/>
                <div class="modal-actions">
                    <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_close.run(()))>"Cancel"</button>
                    <button type="button" class="btn btn-ghost" disabled=dynamic(move || plan.pending().get() || cluster_id.get().is_none())
                        on:click={ let ask = ask.clone(); move |_| ask() }>"Compare again"</button>
                    <button type="button" class="btn" id="confirm-run"
                        disabled=dynamic(move || blocked.get() || start.pending().get())
                        on:click=confirm>
                        {dynamic(move || if start.pending().get() { "Starting…" } else { "Run" })}
                    </button>
                </div>
            </div>
        </Modal>
    }
}

/// Inputs for the values of Secret keys (used for this run only, never stored).
#[component]
fn SecretFields(
    keys: Vec<(String, String, Vec<String>)>,
    secrets: Var<BTreeMap<(String, String), String>>,
) -> impl IntoView {
    view! {
        <fieldset class="secret-fields">
            <legend>"Secret values"</legend>
            <p class="muted small">
                "Used for this run only and never stored. Leave a Secret's fields empty to keep the values it has in the cluster."
            </p>
            {keys.into_iter().map(|(node, name, keys)| view! {
                <div class="secret-node">
                    <p class="small"><code>{name}</code></p>
                    {keys.into_iter().map(|key| {
                        let slot = (node.clone(), key.clone());
                        let on_input = move |ev| {
                            let value = event_target_value(&ev);
                            secrets.update(|s| { s.insert(slot.clone(), value); });
                        };
                        view! {
                            <label class="field">
                                <span>{key.clone()}</span>
                                <input type="password" autocomplete="off" data-secret-key=key.clone() on:input=on_input/>
                            </label>
                        }
                    }).collect_view()}
                </div>
            }).collect_view()}
        </fieldset>
    }
}
