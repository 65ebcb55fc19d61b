//! The editor toolbar: save, undo/redo, layout, validation and view controls, then Run.

use crate::components::dynamic::{dynamic, listener};
use crate::components::var::{Stored, Var};
use leptos::prelude::*;

use super::manifest::{load_manifest, validate_now, ManifestView};
use super::Saver;
use crate::components::canvas::store::ZOOM_STEP;
use crate::components::canvas::EditorStore;
use crate::components::inspector::yaml::WorkflowName;

/// The toolbar above the canvas.
#[component]
pub fn Toolbar(
    title: String,
    store: EditorStore,
    saver: Saver,
    snap: Var<bool>,
    problems_open: Var<bool>,
    manifest: Var<Option<ManifestView>>,
    /// Whether the side column shows the version history.
    history_open: Var<bool>,
    /// Whether the import dialog is open.
    importing: Var<bool>,
    /// Deploy controls, at the end of the bar.
    children: Children,
) -> impl IntoView {
    let validating = Var::new(false);
    let workflow = Stored::new(use_context::<WorkflowName>().unwrap_or_default());
    let asking = Var::new(false);
    let message = Var::new(String::new());
    let save_version = move || {
        let text = message.get_untracked().trim().to_string();
        saver.save(true, (!text.is_empty()).then_some(text));
        message.set(String::new());
        asking.set(false);
    };
    view! {
        <div class="editor-toolbar" role="toolbar" aria-label="Editor">
            <a class="crumb" href="/workflows">"Workflows"</a>
            <span class="crumb-sep" aria-hidden="true">"/"</span>
            <h1 class="title" id="workflow-title" title=title.clone()>{title.clone()}</h1>
            <button class="icon-btn" id="save-version" title="Save a version (Ctrl+S)" on:click=listener(move |_| asking.update(|a| *a = !*a))>
                "Save version"
            </button>
            <Show when=move || asking.get()>
                <form class="version-form" on:submit=listener(move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save_version(); })>
                    <input
                        class="version-message"
                        placeholder="What changed? (optional)"
                        aria-label="Version message"
                        prop:value=dynamic(move || message.get())
                        on:input=listener(move |ev| message.set(event_target_value(&ev)))
                    />
                    <button class="icon-btn active" type="submit">"Save"</button>
                </form>
            </Show>
            <span class="sep"></span>
            <button class="icon-btn" id="undo" title="Undo (Ctrl+Z)" disabled=dynamic(move || !store.can_undo()) on:click=listener(move |_| store.undo())>"Undo"</button>
            <button class="icon-btn" id="redo" title="Redo (Ctrl+Shift+Z)" disabled=dynamic(move || !store.can_redo()) on:click=listener(move |_| store.redo())>"Redo"</button>
            <span class="sep"></span>
            <button class="icon-btn" id="auto-layout" title="Arrange automatically (Shift+L)" on:click=listener(move |_| store.auto_layout())>"Auto-layout"</button>
            <button class="icon-btn" class:active=dynamic(move || snap.get()) title="Snap to grid" aria-pressed=dynamic(move || snap.get().to_string()) on:click=listener(move |_| snap.update(|s| *s = !*s))>"Snap"</button>
            <span class="sep"></span>
            <button class="icon-btn" id="validate" title="Check every node, including rendering" disabled=dynamic(move || validating.get()) on:click=listener(move |_| workflow.with_value(|w| validate_now(w, store, validating, problems_open)))>
                {dynamic(move || if validating.get() { "Validating…" } else { "Validate" })}
            </button>
            <button class="icon-btn" id="view-yaml" title="The workflow's manifests" on:click=listener(move |_| workflow.with_value(|w| load_manifest(w, store, manifest)))>"YAML"</button>
            <button class="icon-btn" id="editor-import" title="Add services from a Compose file, Kubernetes YAML or a Git repository" on:click=listener(move |_| importing.set(true))>"Import"</button>
            <button class="icon-btn" id="toggle-history" title="Versions: compare and restore" class:active=dynamic(move || history_open.get()) aria-pressed=dynamic(move || history_open.get().to_string()) on:click=listener(move |_| history_open.update(|h| *h = !*h))>"History"</button>
            <span class="spacer"></span>
            <button class="icon-btn" title="Zoom out (-)" aria-label="Zoom out" on:click=listener(move |_| store.zoom_by(1.0 / ZOOM_STEP))>"−"</button>
            <button class="icon-btn" title="Zoom in (+)" aria-label="Zoom in" on:click=listener(move |_| store.zoom_by(ZOOM_STEP))>"+"</button>
            <button class="icon-btn" id="fit-view" title="Fit view (F)" on:click=listener(move |_| store.fit_view())>"Fit"</button>
            <span class="sep"></span>
            {children()}
        </div>
    }
}
