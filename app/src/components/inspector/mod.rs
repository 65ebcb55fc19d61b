//! The settings panel for the selected node, generated from its kind's `metadata.yaml`: grouped
//! fields with inline validation, and the node's rendered YAML, updated as you type.

pub mod collections;
pub mod field;
pub mod value;
pub mod yaml;

use crate::components::computed::Computed;
use crate::components::derived::Derived;
use crate::components::handler::Handler;
use leptos::prelude::*;
use serde_json::Value;

use super::canvas::{EditorStore, NodeState};
use super::on_demand::on_demand;
use crate::domain::settings;
use crate::model::metadata::{self, Parameter};
use field::field;
use value::{current, visible};
use yaml::YamlPreview;

/// The settings panel: one node's settings, or a hint when none (or several) are selected.
#[component]
pub fn Inspector(store: EditorStore) -> impl IntoView {
    let selected = Computed::new(move |_| {
        store
            .selection
            .with(|s| (s.len() == 1).then(|| s.iter().next().cloned()).flatten())
    });
    view! {
        <aside class="panel" aria-label="Settings">
            {move || match selected.get().and_then(|id| store.node(&id)) {
                Some(node) => on_demand(node_settings(node, store)).into_any(),
                None => {
                    let count = store.selection.with_untracked(|s| s.len());
                    let text = if count > 1 {
                        format!("{count} nodes selected. Select one node to edit its settings.")
                    } else {
                        "Select a node to edit its settings.".to_string()
                    };
                    view! { <p class="panel-empty">{text}</p> }.into_any()
                }
            }}
        </aside>
    }
}

/// One node's settings, their code fetched when a node is first selected.
#[leptos::lazy]
fn node_settings(node: NodeState, store: EditorStore) -> AnyView {
    view! { <NodeSettings node store/> }.into_any()
}

#[component]
fn NodeSettings(node: NodeState, store: EditorStore) -> impl IntoView {
    let meta = metadata::of(node.kind);
    let data = node.data;
    let parsed = Computed::new(move |_| data.with(|d| settings::parse(node.kind, d).issues));
    let issues = Derived::new(move || parsed.get());
    let id = node.id.clone();
    let general: Vec<(&str, Vec<&'static Parameter>)> = groups(&meta.parameters);
    let sections = general
        .into_iter()
        .map(|(title, params)| {
            let id = id.clone();
            let open = OPEN_GROUPS.contains(&title) || params.iter().any(|p| p.required);
            let rows = params
                .into_iter()
                .map(|param| {
                    let value = Derived::new(move || data.with(|d| current(param, d)));
                    let node_id = id.clone();
                    let on_change = Handler::new(move |v: Value| store.set_field(&node_id, &param.name, v));
                    let shown = move || data.with(|d| visible(param.show_if.as_ref(), d));
                    view! { <Show when=shown>{field(param, value, on_change, param.name.clone(), issues)}</Show> }
                })
                .collect_view();
            view! {
                <details class="panel-group" open=open>
                    <summary>{if title.is_empty() { "Settings".to_string() } else { title.to_string() }}</summary>
                    {rows}
                </details>
            }
        })
        .collect_view();
    let whole_node = move || {
        issues.with(|all| {
            all.iter()
                .filter(|i| i.field.is_none())
                .map(|i| i.message.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="panel-node" data-node-id=node.id.clone()>
            <header class="panel-head">
                <span class=format!("node-badge cat-{}", meta.category.name())>
                    {super::canvas::node::badge(node.kind)}
                </span>
                <div>
                    <h2>{meta.display_name.clone()}</h2>
                    <p class="muted">{meta.description.clone()}</p>
                </div>
            </header>
            <For each=whole_node key=|m| m.clone() let:message>
                <p class="field-error" role="alert">{message}</p>
            </For>
            <form class="settings" on:submit=|ev| ev.prevent_default()>{sections}</form>
            <YamlPreview store node_id=node.id.clone()/>
        </div>
    }
}

/// Setting groups shown open at first (others open when they hold a required setting).
const OPEN_GROUPS: [&str; 4] = ["", "General", "Container", "Ports"];

/// The parameters split by their `group`, in first-appearance order.
fn groups(params: &'static [Parameter]) -> Vec<(&'static str, Vec<&'static Parameter>)> {
    let mut out: Vec<(&str, Vec<&Parameter>)> = Vec::new();
    for param in params {
        match out.iter_mut().find(|(g, _)| *g == param.group.as_str()) {
            Some((_, list)) => list.push(param),
            None => out.push((param.group.as_str(), vec![param])),
        }
    }
    out
}
