//! The "new build" form: repository, branch, folder, image, tag and registry. Query parameters
//! `repo`, `workflow` and `node` prefill it (the editor's "Build image from Git" links here);
//! on success the browser goes to the build's page.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::builds::StartBuild;
use crate::api::registries::list_registries;
use crate::components::form::FormError;
use crate::model::build::{BuildRequest, Registry};

fn entered(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

/// The form.
#[component]
pub fn NewBuildForm() -> impl IntoView {
    let query = use_query_map();
    let from_query = |key: &str| query.with_untracked(|q| q.get(key).unwrap_or_default());
    let repo_url = Var::new(from_query("repo"));
    let branch = Var::new(String::new());
    let context = Var::new(String::new());
    let image = Var::new(from_query("image"));
    let tag = Var::new(String::new());
    let registry_id = Var::new(String::new());
    let workflow = from_query("workflow");
    let node = from_query("node");
    let registries = Resource::new(|| (), |_| list_registries());
    let start = ServerAction::<StartBuild>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(build)) = start.value().get() {
            let mut path = format!("/builds/{}", build.id);
            if !node.is_empty() {
                path.push_str(&format!(
                    "?node={}",
                    node.replace(
                        |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
                        ""
                    )
                ));
            }
            navigate(&path, Default::default());
        }
    });
    let error = Derived::new(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start.dispatch(StartBuild {
            request: BuildRequest {
                repo_url: repo_url.get_untracked(),
                branch: entered(branch.get_untracked()),
                context: entered(context.get_untracked()),
                image: image.get_untracked(),
                tag: entered(tag.get_untracked()),
                registry_id: entered(registry_id.get_untracked()),
                workflow_id: entered(workflow.clone()),
            },
        });
    };
    view! {
        <form class="stack build-form card" id="build-form" on:submit=submit>
            <h2>"Build an image from Git"</h2>
            <label class="field">
                <span>"Repository URL"</span>
                <input type="text" id="build-repo" required placeholder="https://github.com/team/web.git" prop:value=dynamic(move || repo_url.get()) on:input=listener(move |ev| repo_url.set(event_target_value(&ev)))/>
            </label>
            <div class="row">
                <label class="field">
                    <span>"Branch or tag"</span>
                    <input type="text" id="build-branch" placeholder="main" prop:value=dynamic(move || branch.get()) on:input=listener(move |ev| branch.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Folder"</span>
                    <input type="text" id="build-context" placeholder="(repository root)" prop:value=dynamic(move || context.get()) on:input=listener(move |ev| context.set(event_target_value(&ev)))/>
                </label>
            </div>
            <div class="row">
                <label class="field">
                    <span>"Image name"</span>
                    <input type="text" id="build-image" required placeholder="team/web" prop:value=dynamic(move || image.get()) on:input=listener(move |ev| image.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Tag"</span>
                    <input type="text" id="build-tag" placeholder="latest" prop:value=dynamic(move || tag.get()) on:input=listener(move |ev| tag.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Registry"</span>
                    <Transition fallback=|| view! { <select disabled><option>"…"</option></select> }>
                        {move || Suspend::new(async move {
                            let list: Vec<Registry> = registries.await.unwrap_or_default();
                            view! { <RegistrySelect list registry_id/> }
                        })}
                    </Transition>
                </label>
            </div>
            <p class="muted small">
                "The repository's Containerfile or Dockerfile is used; without one, the stack is detected (Nixpacks when installed). "
                <a href="/registries">"Manage registries"</a>
            </p>
            <FormError error/>
            <div class="modal-actions">
                <button type="submit" class="btn" id="start-build" disabled=dynamic(move || start.pending().get())>
                    {dynamic(move || if start.pending().get() { "Starting…" } else { "Start build" })}
                </button>
            </div>
        </form>
    }
}

#[component]
fn RegistrySelect(list: Vec<Registry>, registry_id: Var<String>) -> impl IntoView {
    if list.is_empty() {
        return view! { <a class="btn btn-ghost btn-small" href="/registries">"Add a registry first"</a> }.into_any();
    }
    view! {
        <select id="build-registry" on:change=listener(move |ev| registry_id.set(event_target_value(&ev)))>
            {list
                .into_iter()
                .map(|r| {
                    let label = format!("{} ({})", r.name, r.host());
                    view! { <option value=r.id.clone() selected=r.is_default>{label}</option> }
                })
                .collect_view()}
        </select>
    }
    .into_any()
}
