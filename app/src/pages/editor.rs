//! `/workflows/:id`: opens one of the user's workflows (the canvas is drawn here by the editor
//! work); another user's or a missing workflow is the not-found page (HTTP 404).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::workflows::get_workflow;
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::run::WorkflowLive;
use crate::error::AppError;
use crate::model::Workflow;
use crate::pages::not_found::NotFound;
use crate::pages::workflows::status_label;

/// The page: only for signed-in users.
#[component]
pub fn EditorPage() -> impl IntoView {
    view! {
        <RequireUser>
            <EditorView/>
        </RequireUser>
    }
}

#[component]
fn EditorView() -> impl IntoView {
    let params = use_params_map();
    let workflow = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_workflow,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Opening the workflow…"</p> }>
            {move || Suspend::new(async move {
                match workflow.await {
                    Ok(workflow) => view! { <WorkflowHeader workflow/> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkflowHeader(workflow: Workflow) -> impl IntoView {
    let (status_text, status_class) = status_label(workflow.status);
    let node_count = workflow.nodes.len();
    view! {
        <Title text=workflow.name.clone()/>
        <section class="page-head">
            <p class="crumbs"><a href="/workflows">"Workflows"</a> " / "</p>
            <h1 id="workflow-title">{workflow.name.clone()}</h1>
            {(!workflow.description.is_empty())
                .then(|| view! { <p class="lead">{workflow.description.clone()}</p> })}
        </section>
        <dl class="facts editor-facts">
            <dt>"Status"</dt>
            <dd><span class=format!("status {status_class}")>{status_text}</span></dd>
            <dt>"Nodes"</dt>
            <dd id="node-count">{node_count}</dd>
            <dt>"Connections"</dt>
            <dd>{workflow.edges.len()}</dd>
            <dt>"Version"</dt>
            <dd>{workflow.current_version}</dd>
        </dl>
        {if node_count == 0 {
            view! { <p class="muted" id="no-nodes">"This workflow has no resources yet."</p> }.into_any()
        } else {
            view! { <WorkflowLive workflow=workflow.clone()/> }.into_any()
        }}
    }
}
