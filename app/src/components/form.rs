//! Small pieces shared by forms.

use crate::components::derived::Derived;
use leptos::prelude::*;

/// True once the page is hydrated (forms stay disabled until their handlers exist, so a press
/// of Enter never submits a native form with the password in it).
pub fn use_hydrated() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    ready
}

/// The error of a form, announced to screen readers; nothing when there is none.
#[component]
pub fn FormError(#[prop(into)] error: Derived<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! { <p class="error form-error" role="alert">{message}</p> }
        })
    }
}
