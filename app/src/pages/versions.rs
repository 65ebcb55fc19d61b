//! `/workflows/:id/versions`: a workflow's version history on a page of its own (the editor
//! shows the same panel beside the canvas).

use crate::components::handler::Handler;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

use crate::api::versions::{list_versions, VersionPage};
use crate::api::workflows::get_workflow;
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::versions::{VersionsPanel, PAGE};
use crate::error::AppError;
use crate::model::Workflow;
use crate::pages::not_found::NotFound;

/// The page: only for signed-in users.
#[component]
pub fn VersionsPage() -> impl IntoView {
    view! {
        <Title text="Versions"/>
        <RequireUser>
            <History/>
        </RequireUser>
    }
}

/// The workflow and its newest versions, loaded together (one resource, so the server renders
/// the whole list and hydration meets the same markup).
#[derive(Clone, Serialize, Deserialize)]
struct Loaded {
    workflow: Workflow,
    first: VersionPage,
}

/// Both calls start in the first poll, while the page's reactive owner (and with it the
/// request context) is certainly alive during server rendering.
async fn load(id: String) -> Result<Loaded, AppError> {
    let (workflow, first) = futures::join!(
        get_workflow(id.clone()),
        list_versions(id, None, Some(PAGE))
    );
    Ok(Loaded {
        workflow: workflow?,
        first: first?,
    })
}

#[component]
fn History() -> impl IntoView {
    let params = use_params_map();
    let loaded = Resource::new_blocking(move || params.read().get("id").unwrap_or_default(), load);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Opening the workflow…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(Loaded { workflow, first }) => view! { <HistoryOf workflow first/> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryOf(workflow: Workflow, first: VersionPage) -> impl IntoView {
    let editor = format!("/workflows/{}", workflow.id);
    let navigate = use_navigate();
    let on_restored = {
        let editor = editor.clone();
        Handler::new(move |_| navigate(&editor, Default::default()))
    };
    let current_version = workflow.current_version;
    view! {
        <section class="page-head">
            <p class="crumbs">
                <a href="/workflows">"Workflows"</a> " / " <a href=editor>{workflow.name.clone()}</a> " /"
            </p>
            <h1>"Versions"</h1>
            <p class="lead">
                "Every save with a message, every run and every restore is kept. Pick two to see what changed; \
                 restoring makes an old design the working copy again without touching the cluster."
            </p>
        </section>
        <VersionsPanel
            workflow_id=workflow.id.clone()
            latest=move || current_version
            on_restored
            initial=first
        />
    }
}
