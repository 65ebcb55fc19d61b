//! The import dialog (spec §7, §13): paste, upload, a URL or a Git repository → analysis
//! (Git with a progress bar fed by the session's event stream) → a read-only preview with the
//! warnings → apply into the current workflow or a new one.

mod git;
mod preview;

use crate::components::dynamic::{dynamic, listener};
use std::time::Duration;

use crate::components::derived::Derived;
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::import::{
    analyze_import, apply_import, choose_import, AnalyzeRequest, ApplyRequest, ImportSource,
};
use crate::components::dialog::Modal;
use crate::components::form::FormError;
use crate::model::import::Analysis;

pub use preview::ImportPreview;

/// The dialog's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Paste,
    File,
    Url,
    Git,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Paste, Tab::File, Tab::Url, Tab::Git];

    fn label(self) -> &'static str {
        match self {
            Tab::Paste => "Paste",
            Tab::File => "File",
            Tab::Url => "URL",
            Tab::Git => "Git repository",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Paste => "import-tab-paste",
            Tab::File => "import-tab-file",
            Tab::Url => "import-tab-url",
            Tab::Git => "import-tab-git",
        }
    }
}

/// Everything the dialog's parts share.
#[derive(Clone, Copy)]
struct ImportState {
    tab: Var<Tab>,
    text: Var<String>,
    dotenv: Var<String>,
    url: Var<String>,
    branch: Var<String>,
    path: Var<String>,
    profiles: Var<Vec<String>>,
    analysis: Var<Option<Analysis>>,
    error: Var<Option<String>>,
    busy: Var<bool>,
    session: Var<Option<String>>,
    candidates: Var<Vec<String>>,
}

impl ImportState {
    fn new() -> Self {
        Self {
            tab: Var::new(Tab::Paste),
            text: Var::new(String::new()),
            dotenv: Var::new(String::new()),
            url: Var::new(String::new()),
            branch: Var::new(String::new()),
            path: Var::new(String::new()),
            profiles: Var::new(Vec::new()),
            analysis: Var::new(None),
            error: Var::new(None),
            busy: Var::new(false),
            session: Var::new(None),
            candidates: Var::new(Vec::new()),
        }
    }

    fn request(&self) -> AnalyzeRequest {
        let text = |s: Var<String>| Some(s.get_untracked()).filter(|s| !s.trim().is_empty());
        let source = match self.tab.get_untracked() {
            Tab::Paste | Tab::File => ImportSource::Text,
            Tab::Url => ImportSource::Url,
            Tab::Git => ImportSource::Git,
        };
        AnalyzeRequest {
            source,
            text: text(self.text),
            dotenv: text(self.dotenv),
            url: text(self.url),
            branch: text(self.branch),
            path: text(self.path),
            profiles: self.profiles.get_untracked(),
            ..Default::default()
        }
    }

    fn analyze(self) {
        self.busy.set(true);
        self.error.set(None);
        self.analysis.set(None);
        self.session.set(None);
        let request = self.request();
        spawn_local(async move {
            match analyze_import(request).await {
                Ok(outcome) => {
                    self.analysis.set(outcome.analysis);
                    self.session.set(outcome.session_id);
                }
                Err(error) => self.error.set(Some(error.to_string())),
            }
            self.busy.set(false);
        });
    }

    /// Profiles or the compose file changed: analyse again (a Git session converts again
    /// without cloning).
    fn refresh(self) {
        let Some(id) = self.session.get_untracked() else {
            return self.analyze();
        };
        let (path, profiles) = (self.path.get_untracked(), self.profiles.get_untracked());
        self.busy.set(true);
        spawn_local(async move {
            match choose_import(id, path, profiles).await {
                Ok(session) => self.analysis.set(session.analysis),
                Err(error) => self.error.set(Some(error.to_string())),
            }
            self.busy.set(false);
        });
    }
}

/// [`ImportDialog`] with its code fetched when it is first opened (see
/// [`on_demand`](crate::components::on_demand::on_demand)).
#[leptos::lazy]
pub fn import_dialog_view(props: ImportDialogProps) -> AnyView {
    ImportDialog(props).into_any()
}

/// The import dialog. With `into_design` the analysis goes to the open editor (which adds it
/// as one undo step and saves it like any edit); with `workflow_id` the nodes go into that
/// workflow on the server (placed beside its nodes); with neither, into a new workflow.
/// `on_applied` gets the workflow id.
#[component]
pub fn ImportDialog(
    /// The workflow to import into (none: a new one).
    #[prop(optional, into)]
    workflow_id: Option<String>,
    /// Closes the dialog.
    on_close: Handler<()>,
    /// Called with the workflow id once applied.
    #[prop(optional)]
    on_applied: Option<Handler<String>>,
    /// Hands the analysis to the open editor instead of applying it on the server.
    #[prop(optional)]
    into_design: Option<Handler<Analysis>>,
) -> impl IntoView {
    let state = ImportState::new();
    let name = Var::new(String::from("Imported workflow"));
    let into_new = workflow_id.is_none() && into_design.is_none();
    let applying = Var::new(false);
    let apply = move |_| {
        let Some(analysis) = state.analysis.get_untracked() else {
            return;
        };
        if let Some(into_design) = into_design {
            // After this handler: closing disposes the dialog that runs it.
            set_timeout(
                move || {
                    on_close.run(());
                    into_design.run(analysis);
                },
                Duration::ZERO,
            );
            return;
        }
        applying.set(true);
        let request = ApplyRequest {
            workflow_id: workflow_id.clone(),
            name: into_new.then(|| name.get_untracked()),
            cluster_id: None,
            nodes: analysis.nodes,
            edges: analysis.edges,
        };
        spawn_local(async move {
            match apply_import(request).await {
                Ok(applied) => {
                    if let Some(on_applied) = on_applied {
                        on_applied.run(applied.workflow_id);
                    }
                }
                Err(error) => state.error.set(Some(error.to_string())),
            }
            applying.set(false);
        });
    };
    let error = Derived::new(move || state.error.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.analyze();
    };

    view! {
        <Modal title="Import" on_close>
            <div class="import-dialog" id="import-dialog">
                <div class="tabs" role="tablist">
                    {Tab::ALL.into_iter().map(|tab| view! {
                        <button type="button" role="tab" id=tab.id()
                            class=dynamic(move || if state.tab.get() == tab { "tab tab-active" } else { "tab" })
                            aria-selected=dynamic(move || (state.tab.get() == tab).to_string())
                            on:click=listener(move |_| state.tab.set(tab))>{tab.label()}</button>
                    }).collect_view()}
                </div>
                <form class="stack" on:submit=submit>
                    <Source state/>
                    <div class="modal-actions">
                        <button type="submit" class="btn btn-ghost" id="import-analyze" disabled=dynamic(move || state.busy.get())>
                            {dynamic(move || if state.busy.get() { "Analysing…" } else { "Analyse" })}
                        </button>
                    </div>
                </form>
                {move || state.session.get().map(|id| view! { <git::GitProgress id analysis=state.analysis error=state.error candidates=state.candidates/> })}
                <Choices state/>
                <FormError error/>
                {move || state.analysis.get().map(|analysis| view! { <ImportPreview analysis=Derived::new(move || analysis.clone())/> })}
                <Show when=move || state.analysis.get().is_some()>
                    <div class="modal-actions">
                        {into_new.then(|| view! {
                            <label class="field inline">
                                <span>"New workflow"</span>
                                <input type="text" id="import-name" required prop:value=dynamic(move || name.get()) on:input=listener(move |ev| name.set(event_target_value(&ev)))/>
                            </label>
                        })}
                        <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_close.run(()))>"Cancel"</button>
                        <button type="button" class="btn" id="import-apply" disabled=dynamic(move || applying.get()) on:click=apply.clone()>
                            {dynamic(move || if applying.get() { "Importing…" } else if into_new { "Create workflow" } else if into_design.is_some() { "Add to canvas" } else { "Add to workflow" })}
                        </button>
                    </div>
                </Show>
            </div>
        </Modal>
    }
}

/// The inputs of the selected tab.
#[component]
fn Source(state: ImportState) -> impl IntoView {
    move || {
        match state.tab.get() {
        Tab::Paste => view! {
            <label class="field">
                <span>"Docker Compose file or Kubernetes YAML"</span>
                <textarea id="import-text" rows="12" spellcheck="false" class="mono" prop:value=dynamic(move || state.text.get()) on:input=listener(move |ev| state.text.set(event_target_value(&ev)))
                    placeholder="services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]"></textarea>
            </label>
            <DotEnv state/>
        }
        .into_any(),
        Tab::File => view! {
            <label class="field">
                <span>"A compose.yaml, docker-compose.yml or Kubernetes YAML file"</span>
                <input type="file" id="import-file" accept=".yml,.yaml,text/yaml"
                    on:change=listener(move |ev| file::read(ev, state.text, state.error))/>
            </label>
            <p class="muted small">{dynamic(move || match state.text.get().len() { 0 => String::new(), n => format!("{n} bytes read") })}</p>
            <DotEnv state/>
        }
        .into_any(),
        Tab::Url => view! {
            <label class="field">
                <span>"https:// URL of the raw file"</span>
                <input type="url" id="import-url" prop:value=dynamic(move || state.url.get()) on:input=listener(move |ev| state.url.set(event_target_value(&ev))) placeholder="https://raw.githubusercontent.com/owner/repo/main/compose.yaml"/>
            </label>
        }
        .into_any(),
        Tab::Git => view! {
            <label class="field">
                <span>"Repository (https://, ssh:// or file://)"</span>
                <input type="text" id="import-git-url" prop:value=dynamic(move || state.url.get()) on:input=listener(move |ev| state.url.set(event_target_value(&ev))) placeholder="https://github.com/owner/repo.git"/>
            </label>
            <div class="field-row">
                <label class="field">
                    <span>"Branch " <span class="muted">"(optional)"</span></span>
                    <input type="text" id="import-git-branch" prop:value=dynamic(move || state.branch.get()) on:input=listener(move |ev| state.branch.set(event_target_value(&ev))) placeholder="main"/>
                </label>
                <label class="field">
                    <span>"Compose file " <span class="muted">"(optional)"</span></span>
                    <input type="text" id="import-git-path" prop:value=dynamic(move || state.path.get()) on:input=listener(move |ev| state.path.set(event_target_value(&ev))) placeholder="found automatically"/>
                </label>
            </div>
        }
        .into_any(),
    }
    }
}

#[component]
fn DotEnv(state: ImportState) -> impl IntoView {
    view! {
        <details class="field">
            <summary class="muted small">".env for ${VARIABLES} (optional)"</summary>
            <textarea id="import-dotenv" rows="3" class="mono" spellcheck="false" prop:value=dynamic(move || state.dotenv.get()) on:input=listener(move |ev| state.dotenv.set(event_target_value(&ev)))></textarea>
        </details>
    }
}

/// Profiles to include and, for Git, which compose file.
#[component]
fn Choices(state: ImportState) -> impl IntoView {
    let profiles = move || state.analysis.get().map(|a| a.profiles).unwrap_or_default();
    view! {
        <Show when=move || !profiles().is_empty()>
            <fieldset class="import-profiles" id="import-profiles">
                <legend class="small">"Profiles (their services are only imported when picked)"</legend>
                {move || profiles().into_iter().map(|profile| {
                    let checked = state.profiles.get_untracked().contains(&profile);
                    let name = profile.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" checked=checked on:change=listener(move |_| {
                                state.profiles.update(|p| match p.iter().position(|x| *x == name) {
                                    Some(i) => { p.remove(i); }
                                    None => p.push(name.clone()),
                                });
                                state.refresh();
                            })/>
                            {profile}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        </Show>
        <Show when=move || { state.candidates.get().len() > 1 }>
            <label class="field">
                <span>"Compose file"</span>
                <select id="import-candidates" on:change=listener(move |ev| {
                    state.path.set(event_target_value(&ev));
                    state.refresh();
                })>
                    {move || state.candidates.get().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                </select>
            </label>
        </Show>
    }
}

/// Reading an uploaded file in the browser.
mod file {
    use crate::components::var::Var;

    /// Reads the chosen file's text into `text` (errors into `error`).
    #[cfg(feature = "hydrate")]
    pub fn read(ev: leptos::ev::Event, text: Var<String>, error: Var<Option<String>>) {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        if file.size() > 1024.0 * 1024.0 {
            error.set(Some(
                "The file is larger than 1 MB: split it or remove what is not needed.".into(),
            ));
            return;
        }
        let Ok(reader) = web_sys::FileReader::new() else {
            return;
        };
        let done = reader.clone();
        let onload =
            Closure::once_into_js(
                move || match done.result().ok().and_then(|r| r.as_string()) {
                    Some(content) => {
                        error.set(None);
                        text.set(content);
                    }
                    None => error.set(Some("The file could not be read as text.".into())),
                },
            );
        reader.set_onload(Some(onload.unchecked_ref()));
        if reader.read_as_text(&file).is_err() {
            error.set(Some("The file could not be read.".into()));
        }
    }

    /// Files are read in the browser only.
    #[cfg(not(feature = "hydrate"))]
    pub fn read(_ev: leptos::ev::Event, _text: Var<String>, _error: Var<Option<String>>) {}
}
