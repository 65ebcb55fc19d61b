//! Whole-workflow actions of the toolbar that ask the server's renderer: "Validate" (every problem,
//! including those only rendering finds) and "YAML" (the manifests, to read or download).

use crate::components::dynamic::listener;
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::{prelude::*, task::spawn_local};

use crate::api::render::{render_workflow_yaml, validate_workflow, DesignInput, WorkflowManifest};
use crate::components::canvas::EditorStore;
use crate::components::dialog::Modal;
use crate::components::format::count;
use crate::components::inspector::yaml::WorkflowName;
use crate::components::on_demand::on_demand;

/// Runs the server's full validation and opens the problems list with the result.
pub fn validate_now(
    workflow: &WorkflowName,
    store: EditorStore,
    busy: Var<bool>,
    problems_open: Var<bool>,
) {
    let design = workflow.design(store);
    busy.set(true);
    spawn_local(async move {
        match validate_workflow(design).await {
            Ok(report) => store.report.set(report),
            Err(error) => store.hint.set(Some(format!("Validation failed: {error}"))),
        }
        busy.set(false);
        problems_open.set(true);
    });
}

/// What the YAML dialog shows.
#[derive(Clone, Debug)]
pub enum ManifestView {
    /// Waiting for the server.
    Loading,
    /// The rendered file.
    Ready(WorkflowManifest),
    /// Rendering failed.
    Failed(String),
}

/// Asks the server for the workflow's manifests and shows them in `view`.
pub fn load_manifest(
    workflow: &WorkflowName,
    store: EditorStore,
    state: Var<Option<ManifestView>>,
) {
    let design = workflow.design(store);
    state.set(Some(ManifestView::Loading));
    spawn_local(async move {
        let next = fetch_manifest(design).await;
        if state.get_untracked().is_some() {
            state.set(Some(next));
        }
    });
}

/// The workflow's manifests from the server's renderer, in a part fetched when the YAML dialog is
/// first opened (with the code that reads the reply).
#[leptos::lazy]
async fn fetch_manifest(design: DesignInput) -> ManifestView {
    match render_workflow_yaml(design).await {
        Ok(manifest) => ManifestView::Ready(manifest),
        Err(error) => ManifestView::Failed(error.to_string()),
    }
}

/// A `data:` URL holding `yaml`, for the download link.
fn data_url(yaml: &str) -> String {
    let mut out = String::from("data:application/yaml;charset=utf-8,");
    for byte in yaml.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The workflow's manifests in a dialog (shown while `state` holds something), with a download
/// link and what was left out. Its code is fetched when it is first opened.
#[component]
pub fn ManifestDialog(state: Var<Option<ManifestView>>) -> impl IntoView {
    view! {
        <Show when=move || state.with(Option::is_some)>
            {on_demand(manifest_modal(state))}
        </Show>
    }
}

#[leptos::lazy]
fn manifest_modal(state: Var<Option<ManifestView>>) -> AnyView {
    let close = Handler::new(move |()| state.set(None));
    let body = move || match state.get() {
        None | Some(ManifestView::Loading) => {
            view! { <p class="muted">"Rendering…"</p> }.into_any()
        }
        Some(ManifestView::Failed(error)) => {
            view! { <p class="field-error" role="alert">{format!("Could not render: {error}")}</p> }
                .into_any()
        }
        Some(ManifestView::Ready(manifest)) => {
            let (errors, _) = manifest.report.counts();
            let left_out = (errors > 0).then(|| {
                view! {
                    <p class="field-error">
                        {format!("Nodes with errors are left out ({}). Use Validate to see them.", count(errors, "error"))}
                    </p>
                }
            });
            let empty = manifest.yaml.trim().is_empty();
            view! {
                {left_out}
                <pre class="yaml-text manifest-text" id="workflow-yaml">
                    {if empty { "# Nothing to render yet: add nodes to the canvas.".to_string() } else { manifest.yaml.clone() }}
                </pre>
                <div class="modal-actions">
                    <a class="btn" id="download-yaml" href=data_url(&manifest.yaml) download=manifest.filename.clone()>
                        {format!("Download {}", manifest.filename)}
                    </a>
                    <button class="btn btn-ghost" on:click=listener(move |_| close.run(()))>"Close"</button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <Modal title="Workflow YAML" on_close=close>
            {body}
        </Modal>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::data_url;

    #[test]
    fn data_url_escapes_everything_but_unreserved() {
        assert_eq!(
            data_url("a: b\n#x%"),
            "data:application/yaml;charset=utf-8,a%3A%20b%0A%23x%25"
        );
    }
}
