//! `/workflows/:id`: opens one of the user's workflows in the editor; another user's or a missing
//! workflow is the not-found page (HTTP 404).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::workflows::{open_workflow, OpenedWorkflow};
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::editor::Editor;
use crate::error::AppError;
use crate::pages::not_found::NotFound;

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
        open_workflow,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Opening the workflow…"</p> }>
            {move || Suspend::new(async move {
                match workflow.await {
                    Ok(opened) => view! { <WorkflowEditor opened/> }.into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkflowEditor(opened: OpenedWorkflow) -> impl IntoView {
    let OpenedWorkflow { workflow, report } = opened;
    view! {
        <Title text=workflow.name.clone()/>
        <Editor workflow report/>
    }
}
