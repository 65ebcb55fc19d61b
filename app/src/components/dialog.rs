//! Modal dialogs: a panel over a dimmed page; Escape, Cancel or a click outside closes it.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use leptos::prelude::*;

use crate::components::form::FormError;

/// A modal dialog with a title and any content.
#[component]
pub fn Modal(
    /// The heading (also the dialog's accessible name).
    #[prop(into)]
    title: String,
    /// Called when the user dismisses the dialog.
    on_close: Handler<()>,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<leptos::html::Div>::new();
    // A frame later: a dialog whose code was loaded on demand is put on the page after it is
    // built (see `on_demand`), and only an element on the page takes focus.
    Effect::new(move |_| {
        let Some(panel) = panel.get() else { return };
        request_animation_frame(move || {
            let inside = document()
                .active_element()
                .is_some_and(|active| panel.contains(Some(&active)));
            if !inside {
                let _ = panel.focus();
            }
        });
    });
    view! {
        <div class="modal-backdrop" on:click=listener(move |_| on_close.run(()))>
            <div
                node_ref=panel
                tabindex="-1"
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="modal-title"
                on:click=|ev| ev.stop_propagation()
                on:keydown=listener(move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        on_close.run(());
                    }
                })
            >
                <h2 id="modal-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}

/// Asks before something that cannot be undone from the app.
#[component]
pub fn ConfirmDialog(
    /// The question, e.g. "Delete “shop”?".
    #[prop(into)]
    title: String,
    /// What will happen.
    #[prop(into)]
    message: String,
    /// The confirm button's label, e.g. "Delete".
    #[prop(into)]
    confirm_label: String,
    /// True while the action runs.
    #[prop(into)]
    pending: Derived<bool>,
    /// The action's error, if it failed.
    #[prop(into)]
    error: Derived<Option<String>>,
    /// Runs the action.
    on_confirm: Handler<()>,
    /// Closes without acting.
    on_cancel: Handler<()>,
) -> impl IntoView {
    view! {
        <Modal title on_close=on_cancel>
            <p class="muted">{message}</p>
            <FormError error/>
            <div class="modal-actions">
                <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_cancel.run(()))>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="btn btn-danger"
                    id="confirm"
                    disabled=dynamic(move || pending.get())
                    on:click=listener(move |_| on_confirm.run(()))
                >
                    {confirm_label}
                </button>
            </div>
        </Modal>
    }
}
