//! Asking before a restore, and running it.

use std::time::Duration;

use crate::components::derived::Derived;
use crate::components::handler::Handler;
use leptos::prelude::*;

use crate::api::versions::{RestoreVersion, Restored};
use crate::components::dialog::ConfirmDialog;

/// Confirms and restores version `number`: its design becomes the working copy and a new version
/// (kind `restore`); nothing is deployed. `on_done` gets the outcome.
#[component]
pub fn RestoreDialog(
    /// The workflow.
    #[prop(into)]
    workflow_id: String,
    /// The version to restore.
    number: u64,
    /// Restoring to run it again: says that the Run dialog follows.
    #[prop(optional)]
    redeploy: bool,
    /// After a successful restore.
    on_done: Handler<Restored>,
    /// Closes without restoring.
    on_cancel: Handler<()>,
) -> impl IntoView {
    let action = ServerAction::<RestoreVersion>::new();
    Effect::new(move |_| {
        if let Some(Ok(restored)) = action.value().get() {
            // After this effect: `on_done` closes this dialog (and may close its panel).
            set_timeout(move || on_done.run(restored), Duration::ZERO);
        }
    });
    let error = Derived::new(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let confirm = Handler::new(move |_| {
        action.dispatch(RestoreVersion {
            id: workflow_id.clone(),
            number,
        });
    });
    let (title, message, confirm_label) = if redeploy {
        (
            format!("Redeploy version {number}?"),
            format!(
                "Version {number}'s design becomes the working copy (saved as a new version). \
                 Then the Run dialog shows what would change in the cluster, and nothing is applied \
                 until you confirm there."
            ),
            "Restore and review",
        )
    } else {
        (
            format!("Restore version {number}?"),
            format!(
                "Version {number}'s design becomes the working copy and is saved as a new version. \
                 Earlier versions stay as they are, and nothing changes in the cluster until you run it."
            ),
            "Restore",
        )
    };
    view! {
        <ConfirmDialog
            title
            message
            confirm_label
            pending=move || action.pending().get()
            error
            on_confirm=confirm
            on_cancel
        />
    }
}
