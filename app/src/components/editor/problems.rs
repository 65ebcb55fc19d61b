//! Validation in the editor: the design is checked a moment after each edit (in the browser, with
//! the same pure checks the server runs), problems show on node cards, in the status bar and in a
//! list where a click selects the node at fault.

use std::time::Duration;

use crate::components::dynamic::{dynamic, listener};
use crate::components::var::{Stored, Var};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::canvas::EditorStore;
use crate::components::debounce::Debounce;
use crate::components::format::count;
use crate::components::inspector::field::dom_id;
use crate::components::on_demand::on_demand;
use crate::domain::editing::{display_name, name_in};
use crate::domain::issue::Issue;
use crate::domain::validate::{check, Report};
use crate::model::Graph;

/// Pause after the last edit before checking again.
const CHECK_DELAY_MS: u64 = 300;

/// The design's problems. Its code (the settings model, every rule, wiring) is a chunk of its
/// own, fetched at the first check: after the first edit.
#[leptos::lazy]
fn check_design(workflow_id: String, graph: Graph) -> Report {
    check(&workflow_id, &graph).report
}

/// Keeps `store.report` (at first the server's report of the opened design) up to date with the
/// design, checked after a pause in each edit. A report of a design edited since is dropped.
pub fn check_while_editing(store: EditorStore, workflow_id: String) {
    let debounce = Debounce::new();
    let workflow_id = Stored::new(workflow_id);
    let run = move || {
        let graph = store.snapshot();
        let revision = store.revision.get_untracked();
        let id = workflow_id.get_value();
        spawn_local(async move {
            let report = check_design(id, graph).await;
            if store.revision.get_untracked() == revision {
                store.report.set(report);
            }
        });
    };
    Effect::new(move |previous: Option<u64>| {
        let revision = store.revision.get();
        if previous.is_some() {
            debounce.restart(CHECK_DELAY_MS, run);
        }
        revision
    });
}

/// "No problems" / "2 errors · 1 warning".
pub fn summary(report: &Report) -> String {
    match report.counts() {
        (0, 0) => "No problems".to_string(),
        (errors, warnings) => [(errors, "error"), (warnings, "warning")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, noun)| count(n, noun))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// The status bar's problem count; a click opens or closes the list.
#[component]
pub fn ProblemCount(store: EditorStore, open: Var<bool>) -> impl IntoView {
    let text = dynamic(move || store.report.with(summary));
    let class = dynamic(move || match store.report.with(Report::counts) {
        (0, 0) => "problem-count clean",
        (0, _) => "problem-count warning",
        _ => "problem-count error",
    });
    view! {
        <button
            id="problem-count"
            class=class
            aria-expanded=dynamic(move || open.get().to_string())
            aria-controls="problems"
            on:click=listener(move |_| open.update(|o| *o = !*o))
        >
            {text}
        </button>
    }
}

/// One line of the list: where, what, and which node to select.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    node: Option<String>,
    place: String,
    issue: Issue,
}

fn lines(store: EditorStore, report: &Report) -> Vec<Line> {
    let name = |id: &str| {
        let name = store
            .node(id)
            .map(|n| n.data.with_untracked(|d| name_in(d).to_string()));
        display_name(name.as_deref().unwrap_or_default()).to_string()
    };
    let mut out: Vec<Line> = report
        .workflow
        .iter()
        .map(|issue| Line {
            node: None,
            place: "Workflow".into(),
            issue: issue.clone(),
        })
        .collect();
    for (id, issues) in &report.nodes {
        let place = name(id);
        out.extend(issues.iter().map(|issue| Line {
            node: Some(id.clone()),
            place: match &issue.field {
                Some(field) => format!("{place} · {field}"),
                None => place.clone(),
            },
            issue: issue.clone(),
        }));
    }
    for issues in report.edges.values() {
        out.extend(issues.iter().map(|issue| Line {
            node: None,
            place: "Connection".into(),
            issue: issue.clone(),
        }));
    }
    out.sort_by_key(|line| !line.issue.is_error());
    out
}

/// How often, 50 ms apart, to look for a field the settings panel is still loading.
const REVEAL_TRIES: u32 = 40;

/// Opens the settings group holding field `dom_id` and focuses it, once the panel shows the node
/// (the panel's code may still be loading: it looks again for a while).
fn reveal_field(dom_id: String, tries: u32) {
    set_timeout(
        move || {
            let Some(field) = document().get_element_by_id(&dom_id) else {
                if tries > 0 {
                    reveal_field(dom_id, tries - 1);
                }
                return;
            };
            if let Ok(Some(group)) = field.closest("details") {
                let _ = group.set_attribute("open", "");
            }
            if let Some(input) =
                leptos::wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&field)
            {
                let _ = input.focus();
            }
        },
        Duration::from_millis(if tries == REVEAL_TRIES { 0 } else { 50 }),
    );
}

/// The list of problems (shown when `open`); Escape or the close button hides it. Its code is
/// fetched when it is first opened.
#[component]
pub fn ProblemsPanel(store: EditorStore, open: Var<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            {on_demand(problems_list(store, open))}
        </Show>
    }
}

#[leptos::lazy]
fn problems_list(store: EditorStore, open: Var<bool>) -> AnyView {
    let items = move || {
        let all = store.report.with(|r| lines(store, r));
        if all.is_empty() {
            return view! { <li class="empty">"No problems. Every node renders."</li> }.into_any();
        }
        all.into_iter()
            .map(|line| {
                let class = if line.issue.is_error() {
                    "problem error"
                } else {
                    "problem warning"
                };
                let target = line.node.clone();
                let field = line.issue.field.clone();
                view! {
                    <li class=class>
                        <button
                            class="problem-link"
                            disabled=target.is_none()
                            on:click=listener(move |_| {
                                if let Some(id) = &target {
                                    store.select_only(id);
                                    store.focus();
                                    if let Some(path) = &field {
                                        reveal_field(dom_id(path), REVEAL_TRIES);
                                    }
                                }
                            })
                        >
                            <span class="problem-place">{line.place}</span>
                            <span class="problem-message">{line.issue.message}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section
            id="problems"
            class="problems"
            aria-label="Problems"
            on:keydown=listener(move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            })
        >
            <header>
                <h2>"Problems"</h2>
                <button class="icon-btn" aria-label="Close problems" on:click=listener(move |_| open.set(false))>"×"</button>
            </header>
            <ul>{items}</ul>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_errors_and_warnings() {
        let mut report = Report::default();
        assert_eq!(summary(&report), "No problems");
        report.workflow.push(Issue::error("x"));
        report
            .nodes
            .insert("a".into(), vec![Issue::warning("y"), Issue::error("z")]);
        assert_eq!(summary(&report), "2 errors · 1 warning");
        report.workflow.clear();
        report.nodes.insert("a".into(), vec![Issue::warning("y")]);
        assert_eq!(summary(&report), "1 warning");
    }
}
