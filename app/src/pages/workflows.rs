//! `/workflows`: the signed-in user's workflows — create, rename, delete, open.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::workflows::{list_workflows, CreateWorkflow, UpdateWorkflow, MAX_NAME_CHARS};
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::dialog::Modal;
use crate::components::form::FormError;
use crate::components::format::count;
pub use crate::components::format::short_time;
use crate::components::import::{import_dialog_view, ImportDialogProps};
use crate::components::on_demand::on_demand;
use crate::components::run::DeleteWorkflowDialog;
use crate::error::AppError;
use crate::model::{WorkflowStatus, WorkflowSummary};

/// The page: only for signed-in users.
#[component]
pub fn WorkflowsPage() -> impl IntoView {
    view! {
        <Title text="Workflows"/>
        <RequireUser>
            <WorkflowList/>
        </RequireUser>
    }
}

/// The label and style class of a status.
pub fn status_label(status: WorkflowStatus) -> (&'static str, &'static str) {
    match status {
        WorkflowStatus::Draft => ("Draft", "status-draft"),
        WorkflowStatus::Deployed => ("Deployed", "status-ok"),
        WorkflowStatus::Failed => ("Failed", "status-bad"),
        WorkflowStatus::Archived => ("Archived", "status-draft"),
    }
}

fn error_text(value: Option<Result<impl Sized, AppError>>) -> Option<String> {
    value.and_then(Result::err).map(|e| e.to_string())
}

#[component]
fn WorkflowList() -> impl IntoView {
    let refresh = Var::new(0u32);
    let workflows = Resource::new(move || refresh.get(), |_| list_workflows());
    let creating = Var::new(false);
    let importing = Var::new(false);
    let reload = Handler::new(move |_| refresh.update(|n| *n += 1));
    let open_create = move |_| creating.set(true);
    let navigate = leptos_router::hooks::use_navigate();

    view! {
        <section class="page-head page-head-row">
            <div>
                <h1>"Workflows"</h1>
                <p class="lead">"Each workflow is a design of Kubernetes resources that you deploy together."</p>
            </div>
            <div class="row-actions">
                <button class="btn btn-ghost" id="import-button" on:click=listener(move |_| importing.set(true))>"Import…"</button>
                <button class="btn" id="new-workflow" on:click=open_create>"New workflow"</button>
            </div>
        </section>
        <Show when=move || importing.get()>
            {on_demand(import_dialog_view(
                ImportDialogProps::builder()
                    .on_close(Handler::new(move |_| importing.set(false)))
                    .on_applied(Handler::new({
                        let navigate = navigate.clone();
                        move |id: String| navigate(&format!("/workflows/{id}"), Default::default())
                    }))
                    .build(),
            ))}
        </Show>
        <Show when=move || creating.get()>
            <CreateDialog
                on_close=Handler::new(move |_| creating.set(false))
                on_created=Handler::new(move |_| {
                    creating.set(false);
                    reload.run(());
                })
            />
        </Show>
        <Transition fallback=|| view! { <p class="muted">"Loading your workflows…"</p> }>
            {move || Suspend::new(async move {
                match workflows.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty-state" id="empty-state">
                            <h2>"No workflows yet"</h2>
                            <p class="muted">"Create your first workflow, then draw its resources on the canvas."</p>
                            <button class="btn" on:click=open_create>"Create a workflow"</button>
                        </div>
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <ul class="workflow-list" id="workflow-list">
                            {list
                                .into_iter()
                                .map(|workflow| view! { <WorkflowRow workflow on_change=reload/> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CreateDialog(on_close: Handler<()>, on_created: Handler<String>) -> impl IntoView {
    let name = Var::new(String::new());
    let description = Var::new(String::new());
    let action = ServerAction::<CreateWorkflow>::new();
    let pending = action.pending();
    Effect::new(move |_| {
        if let Some(Ok(workflow)) = action.value().get() {
            on_created.run(workflow.id);
        }
    });
    let error = Derived::new(move || error_text(action.value().get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let description = description.get_untracked();
        action.dispatch(CreateWorkflow {
            name: name.get_untracked(),
            description: (!description.trim().is_empty()).then_some(description),
            cluster_id: None,
        });
    };

    view! {
        <Modal title="New workflow" on_close>
            <form class="stack" on:submit=submit>
                <label class="field">
                    <span>"Name"</span>
                    <input type="text" id="workflow-name" required autofocus
                        maxlength=MAX_NAME_CHARS.to_string() prop:value=dynamic(move || name.get()) on:input=listener(move |ev| name.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Description " <span class="muted">"(optional)"</span></span>
                    <textarea id="workflow-description" rows="3" prop:value=dynamic(move || description.get()) on:input=listener(move |ev| description.set(event_target_value(&ev)))></textarea>
                </label>
                <FormError error/>
                <div class="modal-actions">
                    <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_close.run(()))>"Cancel"</button>
                    <button type="submit" class="btn" id="create-workflow" disabled=dynamic(move || pending.get())>
                        {dynamic(move || if pending.get() { "Creating…" } else { "Create" })}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
fn WorkflowRow(workflow: WorkflowSummary, on_change: Handler<()>) -> impl IntoView {
    let WorkflowSummary {
        id,
        name,
        description,
        status,
        node_count,
        updated_at,
        ..
    } = workflow;
    let editing = Var::new(false);
    let confirming = Var::new(false);
    let draft = Var::new(name.clone());
    let rename = ServerAction::<UpdateWorkflow>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = rename.value().get() {
            editing.set(false);
            on_change.run(());
        }
    });
    let rename_error = Derived::new(move || error_text(rename.value().get()));
    let (status_text, status_class) = status_label(status);
    let href = format!("/workflows/{id}");
    let nodes = count(node_count, "node");
    let updated = short_time(updated_at);
    let (rename_id, delete_id) = (id.clone(), id.clone());
    let original = name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        rename.dispatch(UpdateWorkflow {
            id: rename_id.clone(),
            name: Some(draft.get_untracked()),
            description: None,
            cluster_id: None,
        });
    };
    let cancel = move |_| {
        draft.set(original.clone());
        editing.set(false);
    };

    view! {
        <li class="workflow-row" data-name=name.clone()>
            <div class="workflow-main">
                <Show
                    when=move || editing.get()
                    fallback={
                        let (href, name) = (href.clone(), name.clone());
                        move || view! { <a class="workflow-name" href=href.clone()>{name.clone()}</a> }
                    }
                >
                    <form class="rename-form" on:submit=submit.clone()>
                        <input type="text" class="rename-input" aria-label="New name" required autofocus
                            maxlength=MAX_NAME_CHARS.to_string() prop:value=dynamic(move || draft.get()) on:input=listener(move |ev| draft.set(event_target_value(&ev)))/>
                        <button type="submit" class="btn btn-small" disabled=dynamic(move || rename.pending().get())>"Save"</button>
                        <button type="button" class="btn btn-ghost btn-small" on:click=cancel.clone()>"Cancel"</button>
                    </form>
                    <FormError error=rename_error/>
                </Show>
                {(!description.is_empty()).then(|| view! { <p class="muted small">{description.clone()}</p> })}
            </div>
            <span class=format!("status {status_class}")>{status_text}</span>
            <span class="muted small">{nodes}</span>
            <span class="muted small">"Updated " {updated}</span>
            <div class="row-actions">
                <button class="btn btn-ghost btn-small" on:click=listener(move |_| editing.set(true))>"Rename"</button>
                <button class="btn btn-ghost btn-small btn-danger-text" on:click=listener(move |_| confirming.set(true))>"Delete"</button>
            </div>
            <Show when=move || confirming.get()>
                <DeleteWorkflowDialog
                    id=delete_id.clone()
                    name=draft.get_untracked()
                    deployed=matches!(status, WorkflowStatus::Deployed | WorkflowStatus::Failed)
                    on_deleted=Handler::new(move |_| {
                        confirming.set(false);
                        on_change.run(());
                    })
                    on_cancel=Handler::new(move |_| confirming.set(false))
                />
            </Show>
        </li>
    }
}
