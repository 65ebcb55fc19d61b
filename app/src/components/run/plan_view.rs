//! The design-vs-live preview of a run: per object its action and the fields that change.

use leptos::prelude::*;

use crate::api::deploy::DeployPlan;
use crate::domain::deploy::{ObjectPlan, PlanAction};
use crate::domain::diff::FieldChange;

fn action_label(action: PlanAction) -> (&'static str, &'static str) {
    match action {
        PlanAction::Create => ("create", "live-healthy"),
        PlanAction::Update => ("update", "live-progressing"),
        PlanAction::Unchanged => ("unchanged", "live-unknown"),
        PlanAction::Prune => ("delete", "live-failed"),
        PlanAction::Error => ("error", "live-failed"),
        PlanAction::Skip => ("skip", "live-unknown"),
    }
}

fn value_text(value: &Option<serde_json::Value>) -> String {
    match value {
        None => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => {
            let text = other.to_string();
            if text.chars().count() > 120 {
                format!("{}…", text.chars().take(119).collect::<String>())
            } else {
                text
            }
        }
    }
}

/// Counts per action, e.g. "2 to create, 1 to update, 3 unchanged".
pub fn summary(plan: &DeployPlan) -> String {
    let count = |a: PlanAction| plan.objects.iter().filter(|o| o.action == a).count();
    let parts = [
        (count(PlanAction::Create), "to create"),
        (count(PlanAction::Update), "to update"),
        (count(PlanAction::Unchanged), "unchanged"),
        (count(PlanAction::Prune), "to delete"),
        (count(PlanAction::Error), "with errors"),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if text.is_empty() {
        "Nothing to deploy.".into()
    } else {
        text.join(", ")
    }
}

/// Shows a plan.
#[component]
pub fn PlanView(plan: DeployPlan) -> impl IntoView {
    let text = summary(&plan);
    view! {
        <div class="plan" id="deploy-plan">
            <p><strong>{plan.cluster_name.clone()}</strong> ": " <span id="plan-summary">{text}</span></p>
            {plan.error.clone().map(|e| view! { <p class="error small" role="alert">{e}</p> })}
            {(!plan.namespaces_to_create.is_empty()).then(|| view! {
                <p class="muted small">"Namespaces to create: " {plan.namespaces_to_create.join(", ")}</p>
            })}
            <ul class="plan-objects">
                {plan.objects.into_iter().map(|o| view! { <PlanRow plan=o/> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn PlanRow(plan: ObjectPlan) -> impl IntoView {
    let (label, class) = action_label(plan.action);
    let object = plan
        .object
        .as_ref()
        .map(|o| o.to_string())
        .unwrap_or_else(|| plan.node_id.clone().unwrap_or_default());
    let changes = plan.changes.clone();
    let open = plan.action == PlanAction::Update;
    view! {
        <li class="plan-object" data-action=label data-node=plan.node_id.clone().unwrap_or_default()>
            <details open=open>
                <summary>
                    <span class=format!("live-badge {class}")>{label}</span>
                    " " <span class="run-object">{object}</span>
                    {(!changes.is_empty()).then(|| view! { <span class="muted small">{format!(" ({} fields)", changes.len())}</span> })}
                </summary>
                {plan.message.clone().map(|m| view! { <p class="small muted">{m}</p> })}
                {(!changes.is_empty()).then(|| view! { <ChangeList changes/> })}
            </details>
        </li>
    }
}

#[component]
fn ChangeList(changes: Vec<FieldChange>) -> impl IntoView {
    view! {
        <table class="changes">
            <thead><tr><th>"Field"</th><th>"Live"</th><th>"After the run"</th></tr></thead>
            <tbody>
                {changes.into_iter().map(|c| view! {
                    <tr class="change" data-path=c.path.clone()>
                        <td><code>{c.path.clone()}</code></td>
                        <td class="old">{value_text(&c.old)}</td>
                        <td class="new">{value_text(&c.new)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
