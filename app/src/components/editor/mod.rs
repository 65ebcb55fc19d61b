//! The workflow editor: toolbar, palette, canvas, settings panel and status bar around one
//! [`EditorStore`]; saves the working copy automatically after a pause and as a version on
//! request (button or Ctrl/Cmd+S), and warns before leaving with unsaved edits. Undo and redo
//! keys work wherever the focus is outside text fields and dialogs ([`shortcuts`]).

pub mod manifest;
pub mod problems;
pub mod saving;
pub mod shortcuts;
pub mod toolbar;

use std::time::Duration;

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::{Stored, Var};
use leptos::{ev, prelude::*, task::spawn_local};

use super::canvas::{Canvas, EditorStore};
use super::debounce::Debounce;
use super::format::count;
use super::import::{import_dialog_view, ImportDialogProps};
use super::inspector::{yaml::WorkflowName, Inspector};
use super::on_demand::on_demand;
use super::palette::Palette;
use super::run::{provide_live_status, RunButton, RunPanel};
use super::versions::{versions_panel_view, VersionsPanelProps};
use crate::api::versions::Restored;
use crate::api::workflows::save_workflow;
use crate::domain::number::decimal;
use crate::domain::validate::Report;
use crate::model::import::Analysis;
use crate::model::{metadata, Graph, NodeKind, Position, Workflow};
use manifest::{ManifestDialog, ManifestView};
use problems::{check_while_editing, ProblemCount, ProblemsPanel};
use saving::{has_unsaved, SaveStatus, AUTOSAVE_DELAY_MS, RETRY_DELAY_MS};
use toolbar::Toolbar;

/// How long a hint (e.g. why a connection was refused) stays on screen.
const HINT_MS: u64 = 5_000;

/// Shared handles the toolbar and keyboard use to save.
#[derive(Clone, Copy)]
pub struct Saver {
    workflow_id: Stored<String>,
    store: EditorStore,
    status: Var<SaveStatus>,
    saved_revision: Var<u64>,
    in_flight: Stored<bool>,
    timer: Debounce,
    /// The workflow's newest version number, as far as this editor knows.
    latest_version: Var<u64>,
}

impl Saver {
    fn new(workflow_id: String, store: EditorStore, latest_version: u64) -> Self {
        Self {
            workflow_id: Stored::new(workflow_id),
            store,
            status: Var::new(SaveStatus::Saved),
            saved_revision: Var::new(0),
            in_flight: Stored::new(false),
            timer: Debounce::new(),
            latest_version: Var::new(latest_version),
        }
    }

    /// Takes a restored working copy as the design: one undo step, already saved on the server.
    fn restored(&self, outcome: Restored) {
        let before = self.store.snapshot();
        self.store.replace(&Graph {
            nodes: outcome.workflow.nodes,
            edges: outcome.workflow.edges,
        });
        self.store.commit(before);
        self.timer.cancel();
        self.saved_revision.set(self.store.revision.get_untracked());
        self.latest_version.set(outcome.version.number);
        self.status
            .set(SaveStatus::Restored(outcome.version.number));
    }

    /// The current save status (tracked).
    pub fn status(&self) -> SaveStatus {
        self.status.get()
    }

    /// Whether there are edits the server has not confirmed (tracked).
    pub fn dirty(&self) -> bool {
        has_unsaved(self.store.revision.get(), self.saved_revision.get())
    }

    /// Sends the working copy now; with `version`, also creates a version with `message`.
    pub fn save(&self, version: bool, message: Option<String>) {
        if self.in_flight.get_value() {
            self.schedule(AUTOSAVE_DELAY_MS);
            return;
        }
        self.timer.cancel();
        let revision = self.store.revision.get_untracked();
        if !version && !has_unsaved(revision, self.saved_revision.get_untracked()) {
            return;
        }
        let Graph { nodes, edges } = self.store.snapshot();
        let viewport = self.store.viewport.get_untracked();
        let id = self.workflow_id.get_value();
        let this = *self;
        self.in_flight.set_value(true);
        self.status.set(SaveStatus::Saving);
        spawn_local(async move {
            let outcome =
                save_workflow(id, nodes, edges, Some(viewport), message, Some(version)).await;
            this.in_flight.set_value(false);
            match outcome {
                Ok(saved) => {
                    this.saved_revision.set(revision);
                    if let Some(n) = saved.version {
                        this.latest_version.set(n);
                    }
                    let dirty = has_unsaved(this.store.revision.get_untracked(), revision);
                    this.status.set(match (dirty, saved.version) {
                        (true, _) => SaveStatus::Unsaved,
                        (false, Some(n)) => SaveStatus::Versioned(n),
                        (false, None) => SaveStatus::Saved,
                    });
                    if dirty {
                        this.schedule(AUTOSAVE_DELAY_MS);
                    }
                }
                Err(error) => {
                    this.status.set(SaveStatus::Failed(error.to_string()));
                    this.schedule(RETRY_DELAY_MS);
                }
            }
        });
    }

    fn schedule(&self, delay_ms: u64) {
        let this = *self;
        self.timer.restart(delay_ms, move || this.save(false, None));
    }
}

/// The editor for `workflow`, whose working copy has the problems `report` (checked on the
/// server as the page was opened).
#[component]
pub fn Editor(workflow: Workflow, report: Report) -> impl IntoView {
    let workflow_id = Stored::new(workflow.id.clone());
    let graph = Graph {
        nodes: workflow.nodes.clone(),
        edges: workflow.edges.clone(),
    };
    let store = EditorStore::new(&graph, workflow.viewport);
    let saver = Saver::new(workflow.id.clone(), store, workflow.current_version);
    let snap = Var::new(false);
    let problems_open = Var::new(false);
    let history_open = Var::new(false);
    let importing = Var::new(false);
    let manifest = Var::new(None::<ManifestView>);
    store.report.set(report);
    check_while_editing(store, workflow.id.clone());
    let live = provide_live_status(workflow.id.clone());
    Effect::new(move |_| {
        if let Some(n) = live.saved_version.get() {
            saver
                .latest_version
                .update(|latest| *latest = (*latest).max(n));
        }
    });
    let latest = Derived::new(move || saver.latest_version.get());
    let on_restored = Handler::new(move |outcome: Restored| saver.restored(outcome));
    let run_open = Var::new(false);
    let on_redeploy = Handler::new(move |outcome: Restored| {
        saver.restored(outcome);
        run_open.set(true);
    });
    let cluster_id = Var::new(workflow.cluster_id.clone());
    let run_workflow_id = workflow.id.clone();
    let design = Derived::new(move || {
        store.revision.track();
        store.snapshot()
    });
    provide_context(WorkflowName {
        id: workflow.id.clone(),
        name: workflow.name.clone(),
    });

    Effect::new(move |previous: Option<u64>| {
        let revision = store.revision.get();
        if previous.is_some() && has_unsaved(revision, saver.saved_revision.get_untracked()) {
            if !matches!(saver.status.get_untracked(), SaveStatus::Failed(_)) {
                saver.status.set(SaveStatus::Unsaved);
            }
            saver.schedule(AUTOSAVE_DELAY_MS);
        }
        revision
    });

    let on_import = Handler::new(move |analysis: Analysis| {
        leptos::task::spawn_local(async move {
            let added = store.add_graph(analysis.nodes, analysis.edges).await;
            store.hint.set(Some(format!(
                "Added {} (Undo takes them out again)",
                count(added, "imported node")
            )));
            store.focus();
        });
    });

    let add = move |kind: NodeKind, center: Position| {
        store.add_node(kind, center, metadata::summary(kind).defaults.clone());
    };
    let on_add = Handler::new(move |(kind, at): (NodeKind, Position)| add(kind, at));
    let on_pick = Handler::new(move |kind: NodeKind| {
        add(kind, store.view_center());
        store.focus();
    });

    let keys = window_event_listener(ev::keydown, move |ev| {
        shortcuts::on_window_key(&ev, store, saver)
    });
    let leave = window_event_listener(ev::beforeunload, move |ev| {
        if has_unsaved(
            store.revision.get_untracked(),
            saver.saved_revision.get_untracked(),
        ) {
            ev.prevent_default();
            ev.set_return_value("You have unsaved changes.");
        }
    });
    on_cleanup(move || {
        keys.remove();
        leave.remove();
    });

    Effect::new(move |_| {
        if let Some(shown) = store.hint.get() {
            set_timeout(
                move || {
                    if store
                        .hint
                        .with_untracked(|now| now.as_ref() == Some(&shown))
                    {
                        store.hint.set(None);
                    }
                },
                Duration::from_millis(HINT_MS),
            );
        }
    });
    let hint = move || {
        store
            .hint
            .get()
            .map(|text| view! { <div class="canvas-hint" role="alert">{text}</div> })
    };
    let nodes = dynamic(move || store.nodes.with(Vec::len));
    let edges = dynamic(move || store.edges.with(Vec::len));

    view! {
        <div class="editor" data-workflow-id=workflow.id.clone()>
            <Toolbar title=workflow.name.clone() store saver snap problems_open manifest history_open importing>
                <RunButton workflow_id=run_workflow_id design cluster_id open=run_open/>
            </Toolbar>
            <Palette on_pick/>
            <div class="canvas-wrap">
                <Canvas store on_add snap/>
                {hint}
                <ProblemsPanel store open=problems_open/>
            </div>
            <div class="side">
                <Show when=move || history_open.get() fallback=move || view! { <Inspector store/> }>
                    <div class="side-history">
                        <header class="side-head">
                            <h2>"History"</h2>
                            <button class="icon-btn" id="close-history" title="Back to the settings" on:click=listener(move |_| history_open.set(false))>"Close"</button>
                        </header>
                        {on_demand(versions_panel_view(
                            VersionsPanelProps::builder()
                                .workflow_id(workflow_id.get_value())
                                .latest(latest)
                                .on_restored(on_restored)
                                .on_redeploy(on_redeploy)
                                .build(),
                        ))}
                    </div>
                </Show>
                <RunPanel/>
            </div>
            <ManifestDialog state=manifest/>
            <Show when=move || importing.get()>
                {on_demand(import_dialog_view(
                    ImportDialogProps::builder()
                        .on_close(Handler::new(move |_| importing.set(false)))
                        .into_design(on_import)
                        .build(),
                ))}
            </Show>
            <footer class="editor-status">
                <ProblemCount store open=problems_open/>
                <span id="save-status" class=dynamic(move || saver.status().class())>{dynamic(move || saver.status().text())}</span>
                <span id="graph-counts">
                    <span id="node-count">{nodes.clone()}</span>
                    {dynamic({
                        let nodes = nodes.clone();
                        move || format!(" node{} · ", plural(nodes()))
                    })}
                    <span id="edge-count">{edges.clone()}</span>
                    {dynamic(move || format!(" connection{}", plural(edges())))}
                </span>
                <span>{dynamic(move || format!("{}%", decimal(store.viewport.get().zoom * 100.0, 0)))}</span>
            </footer>
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
