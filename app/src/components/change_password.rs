//! The change-password form (profile page). Changing the password logs out every other session;
//! this one gets a fresh cookie (set by the response). The profile itself does not change, so the
//! signed-in user is not reloaded: that would re-render the page and lose the confirmation.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Var;
use leptos::prelude::*;

use crate::api::auth::{ChangePassword, MIN_PASSWORD_CHARS};
use crate::components::form::{use_hydrated, FormError};

/// Current password, new password twice.
#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let ready = use_hydrated();
    let current = Var::new(String::new());
    let new = Var::new(String::new());
    let again = Var::new(String::new());
    let mismatch = Var::new(false);
    let action = ServerAction::<ChangePassword>::new();
    let pending = action.pending();

    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            current.set(String::new());
            new.set(String::new());
            again.set(String::new());
        }
    });
    let error = Derived::new(move || {
        if mismatch.get() {
            return Some("The new passwords do not match.".to_string());
        }
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let done = move || matches!(action.value().get(), Some(Ok(_))) && !mismatch.get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let matches = new.get_untracked() == again.get_untracked();
        mismatch.set(!matches);
        if matches {
            action.dispatch(ChangePassword {
                current_password: current.get_untracked(),
                new_password: new.get_untracked(),
            });
        }
    };

    view! {
        <form class="stack" method="post" on:submit=submit id="change-password">
            <label class="field">
                <span>"Current password"</span>
                <input type="password" id="current-password" autocomplete="current-password"
                    required prop:value=dynamic(move || current.get()) on:input=listener(move |ev| current.set(event_target_value(&ev)))/>
            </label>
            <label class="field">
                <span>"New password"</span>
                <input type="password" id="new-password" autocomplete="new-password" required
                    minlength=MIN_PASSWORD_CHARS.to_string() prop:value=dynamic(move || new.get()) on:input=listener(move |ev| new.set(event_target_value(&ev)))/>
                <small class="muted">{format!("At least {MIN_PASSWORD_CHARS} characters.")}</small>
            </label>
            <label class="field">
                <span>"New password again"</span>
                <input type="password" id="new-password-again" autocomplete="new-password"
                    required prop:value=dynamic(move || again.get()) on:input=listener(move |ev| again.set(event_target_value(&ev)))/>
            </label>
            <FormError error/>
            <Show when=done>
                <p class="notice" role="status" id="password-changed">
                    "Password changed. Your other sessions were logged out."
                </p>
            </Show>
            <button class="btn" type="submit" id="change-password-submit"
                disabled=dynamic(move || !ready.get() || pending.get())>
                {dynamic(move || if pending.get() { "Changing…" } else { "Change password" })}
            </button>
        </form>
    }
}
