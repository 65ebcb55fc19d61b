//! The words of a comparison: summary counts, the list of changed nodes, and the field changes
//! of the selected node.

use crate::components::dynamic::{dynamic, listener};
use std::sync::Arc;

use crate::components::var::Var;
use leptos::prelude::*;
use serde_json::Value;

use super::canvas::display_name;
use super::marks::{describe, mark_words, NodeDescription};
use crate::domain::diff::{DiffCounts, FieldChange, GraphDiff};
use crate::model::{Graph, Node};

/// A value as the change list shows it: JSON, or a dash when absent.
fn shown(value: &Option<Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "—".to_string(), Value::to_string)
}

/// The counts on top: `1 added · 0 removed · …`.
#[component]
pub fn Summary(counts: DiffCounts) -> impl IntoView {
    let items = [
        ("added", counts.added, "diff-added"),
        ("removed", counts.removed, "diff-removed"),
        ("modified", counts.modified, "diff-modified"),
        ("moved", counts.moved, "diff-moved"),
        ("connections added", counts.edges_added, "diff-added"),
        ("connections removed", counts.edges_removed, "diff-removed"),
    ];
    let none = counts == DiffCounts::default();
    view! {
        <ul class="diff-summary" id="diff-summary">
            {items
                .into_iter()
                .map(|(label, n, class)| view! {
                    <li class=class class:zero=n == 0 data-count=label>
                        <strong>{n}</strong> " " {label}
                    </li>
                })
                .collect_view()}
        </ul>
        <p class="muted" id="no-changes" hidden=!none>"No changes: the two versions have the same design."</p>
    }
}

/// Every node that changed, each a button that selects it.
#[component]
pub fn ChangedNodes(
    to: Arc<Graph>,
    diff: Arc<GraphDiff>,
    selected: Var<Option<String>>,
) -> impl IntoView {
    let mut nodes: Vec<&Node> = to.nodes.iter().collect();
    nodes.extend(diff.nodes.removed.iter());
    let rows = nodes
        .into_iter()
        .filter_map(|node| {
            let words = mark_words(diff.mark_of(&node.id));
            (!words.is_empty()).then_some((node, words))
        })
        .map(|(node, words)| {
            let id = node.id.clone();
            let is_selected = {
                let id = id.clone();
                move || selected.with(|s| s.as_deref() == Some(id.as_str()))
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="changed-node"
                        class:selected=is_selected
                        data-node-id=id.clone()
                        on:click=listener(move |_| selected.set(Some(id.clone())))
                    >
                        <span>{display_name(node)}</span>
                        <span class="muted small">{node.kind.as_str()} " · " {words}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="changed-nodes" id="changed-nodes">{rows}</ul> }
}

/// The field changes of the selected node.
#[component]
pub fn NodeDetails(
    from: Arc<Graph>,
    to: Arc<Graph>,
    diff: Arc<GraphDiff>,
    from_label: String,
    to_label: String,
    selected: Var<Option<String>>,
) -> impl IntoView {
    let details = move || {
        let id = selected.get()?;
        let node = (to.nodes.iter())
            .chain(from.nodes.iter())
            .find(|n| n.id == id)?;
        let NodeDescription {
            headline,
            origin,
            moved,
        } = describe(&diff, &id, &from_label, &to_label);
        Some(view! {
            <h3>{display_name(node)} " " <span class="muted small">{node.kind.as_str()} " · " {headline}</span></h3>
            {origin.map(|text| view! { <p class="muted small">{text}</p> })}
            {moved.map(|text| view! { <p class="muted small">{text}</p> })}
            <FieldChanges changes=diff.changes_of(&id).to_vec() from_label=from_label.clone() to_label=to_label.clone()/>
        }
        .into_any())
    };
    view! {
        <section class="node-details" id="node-details" aria-live="polite">
            {details}
            <p class="muted small" hidden=dynamic(move || selected.with(Option::is_some))>
                "Select a node to see what changed in it."
            </p>
        </section>
    }
}

/// A table of field changes: path, old value, new value.
#[component]
fn FieldChanges(changes: Vec<FieldChange>, from_label: String, to_label: String) -> impl IntoView {
    (!changes.is_empty()).then(|| {
        view! {
            <table class="field-changes" id="field-changes">
                <thead><tr><th>"Field"</th><th>{from_label}</th><th>{to_label}</th></tr></thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|change| view! {
                            <tr data-path=change.path.clone()>
                                <td><code>{change.path.clone()}</code></td>
                                <td class="old"><code>{shown(&change.old)}</code></td>
                                <td class="new"><code>{shown(&change.new)}</code></td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_show_as_json_and_absence_as_a_dash() {
        assert_eq!(shown(&None), "—");
        assert_eq!(shown(&Some(Value::from(5))), "5");
        assert_eq!(shown(&Some(Value::from("nginx"))), "\"nginx\"");
    }
}
