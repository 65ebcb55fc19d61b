//! The versions panel: the workflow's versions newest first (older pages on demand), two picked
//! for comparing, and restore with a confirmation.

use crate::components::dynamic::{dynamic, listener};
use std::collections::BTreeMap;

use crate::components::derived::Derived;
use crate::components::handler::Handler;
use crate::components::var::{Stored, Var};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::restore::RestoreDialog;
use super::row::VersionRow;
use super::selection::{picked_href, toggle};
use crate::api::deploy::list_runs;
use crate::api::versions::{list_versions, ListVersions, Restored, VersionPage, VersionSummary};
use crate::components::form::use_hydrated;
use crate::components::format::count;
use crate::error::AppError;
use crate::model::RunState;

/// Versions per page in the panel.
pub const PAGE: u32 = 20;

/// [`VersionsPanel`] with its code fetched when it is first shown (the editor's History; see
/// [`on_demand`](crate::components::on_demand::on_demand)).
#[leptos::lazy]
pub fn versions_panel_view(props: VersionsPanelProps) -> AnyView {
    VersionsPanel(props).into_any()
}

/// The panel of one workflow.
#[component]
pub fn VersionsPanel(
    /// The workflow.
    #[prop(into)]
    workflow_id: String,
    /// The workflow's latest version number: when it changes (a save, a run, a restore) the list
    /// reloads.
    #[prop(into)]
    latest: Derived<u64>,
    /// After a restore, with the restored workflow (the editor loads it).
    on_restored: Handler<Restored>,
    /// With it, each version also offers "Redeploy": restore, then this (the editor opens Run).
    #[prop(optional)]
    on_redeploy: Option<Handler<Restored>>,
    /// The newest page when the caller already loaded it (the versions page loads it with the
    /// workflow, so the server renders the list and hydration finds the same one).
    #[prop(optional)]
    initial: Option<VersionPage>,
) -> impl IntoView {
    let id = Stored::new(workflow_id);
    let reload = Var::new(0u32);
    let had_initial = initial.is_some();
    let first = Var::new(initial.map(Ok::<_, AppError>));
    let older = Var::new(Vec::<VersionSummary>::new());
    let older_next = Var::new(None::<Option<u64>>);
    Effect::new(move |previous: Option<()>| {
        latest.track();
        reload.track();
        older.set(Vec::new());
        older_next.set(None);
        if previous.is_none() && had_initial {
            return;
        }
        let workflow = id.get_value();
        spawn_local(async move {
            let page = list_versions(workflow, None, Some(PAGE)).await;
            first.set(Some(page));
        });
    });
    let more = ServerAction::<ListVersions>::new();
    Effect::new(move |_| {
        if let Some(Ok(page)) = more.value().get() {
            older.update(|items| items.extend(page.items));
            older_next.set(Some(page.next_before));
        }
    });
    let picked = Var::new(Vec::<u64>::new());
    let ready = use_hydrated();
    // Run results are fetched in the browser only, after hydration, so the server-rendered
    // list and the hydrated one are the same.
    let run_states = Var::new(BTreeMap::<u64, RunState>::new());
    Effect::new(move |_| {
        latest.track();
        reload.track();
        let workflow = id.get_value();
        spawn_local(async move {
            if let Ok(runs) = list_runs(workflow).await {
                run_states.set(runs.into_iter().map(|r| (r.version, r.state)).collect());
            }
        });
    });
    let run_of =
        move |number: u64| Derived::new(move || run_states.with(|m| m.get(&number).copied()));
    let restoring = Var::new(None::<(u64, bool)>);
    let on_pick = Handler::new(move |number| picked.update(|p| toggle(p, number)));
    let on_restore = Handler::new(move |number| restoring.set(Some((number, false))));
    let redeploy_row =
        on_redeploy.map(|_| Handler::new(move |number| restoring.set(Some((number, true)))));
    let restored = Handler::new(move |outcome: Restored| {
        let redeploying = restoring.get_untracked().is_some_and(|(_, again)| again);
        restoring.set(None);
        picked.set(Vec::new());
        reload.update(|n| *n += 1);
        match on_redeploy {
            Some(redeploy) if redeploying => redeploy.run(outcome),
            _ => on_restored.run(outcome),
        }
    });
    let compare = move || picked.with(|p| picked_href(&id.get_value(), p));
    let load_more = move |before: u64| {
        more.dispatch(ListVersions {
            id: id.get_value(),
            before: Some(before),
            limit: Some(PAGE),
        });
    };

    view! {
        <section
            class="versions-panel"
            id="versions-panel"
            aria-labelledby="versions-title"
            data-ready=dynamic(move || ready.get().to_string())
        >
            <header class="versions-head">
                <h2 id="versions-title">"Versions"</h2>
                <a
                    class="btn btn-small"
                    id="compare-versions"
                    href=dynamic(move || compare().unwrap_or_default())
                    hidden=dynamic(move || compare().is_none())
                >
                    "Compare"
                </a>
                <span class="muted small" id="compare-hint" hidden=dynamic(move || compare().is_some())>
                    "Pick two to compare"
                </span>
            </header>
            {move || {
                    match first.get() {
                        None => view! { <p class="muted small">"Loading versions…"</p> }.into_any(),
                        Some(Ok(page)) if page.items.is_empty() => view! {
                            <p class="muted small" id="no-versions">
                                "No versions yet. Saving with a message, running or restoring creates one."
                            </p>
                        }.into_any(),
                        Some(Ok(page)) => {
                            let total = page.total;
                            let first_next = page.next_before;
                            let rows = move |items: Vec<VersionSummary>| {
                                items
                                    .into_iter()
                                    .map(|version| {
                                        let number = version.number;
                                        let is_picked = Derived::new(move || picked.with(|p| p.contains(&number)));
                                        let run = run_of(number);
                                        view! { <VersionRow version picked=is_picked on_pick on_restore on_redeploy=redeploy_row run/> }
                                    })
                                    .collect_view()
                            };
                            let next = move || older_next.get().unwrap_or(first_next);
                            view! {
                                <p class="muted small" id="version-total">{count(total as usize, "version")}</p>
                                <ol class="version-list" id="version-list">
                                    {rows(page.items)}
                                    {move || rows(older.get())}
                                </ol>
                                <button
                                    type="button"
                                    class="btn btn-ghost btn-small btn-block"
                                    id="older-versions"
                                    hidden=dynamic(move || next().is_none())
                                    disabled=dynamic(move || more.pending().get())
                                    on:click=listener(move |_| {
                                        if let Some(before) = next() {
                                            load_more(before);
                                        }
                                    })
                                >
                                    "Older versions"
                                </button>
                            }.into_any()
                        }
                        Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
            }}
            <div class="restore-slot">
                {move || restoring.get().map(|(number, redeploy)| view! {
                    <RestoreDialog
                        workflow_id=id.get_value()
                        number
                        redeploy
                        on_done=restored
                        on_cancel=Handler::new(move |_| restoring.set(None))
                    />
                })}
            </div>
        </section>
    }
}
