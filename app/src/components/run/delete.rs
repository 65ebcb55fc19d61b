//! Deleting a workflow, with the offer to delete what it deployed from its cluster first.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;

use crate::api::deploy::delete_workflow_objects;
use crate::api::workflows::delete_workflow;
use crate::components::dialog::Modal;
use crate::components::form::FormError;
use crate::error::AppError;

/// Deletes the objects (when asked), then the workflow. When some objects cannot be deleted the
/// workflow is kept, so the user can try again.
async fn delete(id: String, with_objects: bool) -> Result<(), String> {
    if with_objects {
        let removed = delete_workflow_objects(id.clone())
            .await
            .map_err(|e: AppError| e.to_string())?;
        let failed = removed.failed();
        if !failed.is_empty() {
            let names: Vec<String> = failed.iter().map(|o| o.to_string()).collect();
            return Err(format!(
                "These objects could not be deleted, so the workflow was kept: {}. Try again, \
                 or delete the workflow without its objects.",
                names.join(", ")
            ));
        }
    }
    delete_workflow(id).await.map_err(|e| e.to_string())
}

/// The dialog. `deployed` offers (and pre-selects) deleting the objects from the cluster.
#[component]
pub fn DeleteWorkflowDialog(
    /// The workflow.
    #[prop(into)]
    id: String,
    /// Its name, for the question.
    #[prop(into)]
    name: String,
    /// Whether it has been deployed.
    deployed: bool,
    /// Called once it is deleted.
    on_deleted: Handler<()>,
    /// Closes without acting.
    on_cancel: Handler<()>,
) -> impl IntoView {
    let with_objects = Var::new(deployed);
    let action = Action::new(move |(id, with): &(String, bool)| delete(id.clone(), *with));
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_deleted.run(());
        }
    });
    let error = Derived::new(move || action.value().get().and_then(Result::err));
    let message = move || {
        if with_objects.get() {
            "The workflow disappears from your list, and everything it deployed is deleted from its cluster."
        } else {
            "The workflow disappears from your list. Resources it deployed keep running."
        }
    };
    view! {
        <Modal title=format!("Delete “{name}”?") on_close=on_cancel>
            <p class="muted">{message}</p>
            {deployed.then(|| view! {
                <label class="check">
                    <input type="checkbox" id="delete-objects" prop:checked=dynamic(move || with_objects.get()) on:change=listener(move |ev| with_objects.set(event_target_checked(&ev)))/>
                    "Also delete its objects from the cluster (all kinds)"
                </label>
            })}
            <FormError error/>
            <div class="modal-actions">
                <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_cancel.run(()))>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="btn btn-danger"
                    id="confirm"
                    disabled=dynamic(move || action.pending().get())
                    on:click=listener(move |_| {
                        action.dispatch((id.clone(), with_objects.get_untracked()));
                    })
                >
                    "Delete"
                </button>
            </div>
        </Modal>
    }
}
