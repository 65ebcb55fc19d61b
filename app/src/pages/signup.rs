//! `/signup`: create an account (the first one on a server becomes its administrator).

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::auth::{Register, MIN_PASSWORD_CHARS};
use crate::components::auth::use_auth;
use crate::components::form::{use_hydrated, FormError};

/// The sign-up form.
#[component]
pub fn SignupPage() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let ready = use_hydrated();
    let name = Var::new(String::new());
    let email = Var::new(String::new());
    let password = Var::new(String::new());
    let invite = Var::new(String::new());
    let action = ServerAction::<Register>::new();
    let pending = action.pending();

    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            auth.reload();
            navigate("/workflows", Default::default());
        }
    });
    let error = Derived::new(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = invite.get_untracked();
        action.dispatch(Register {
            email: email.get_untracked(),
            name: name.get_untracked(),
            password: password.get_untracked(),
            invite_code: (!code.trim().is_empty()).then_some(code),
        });
    };

    view! {
        <Title text="Sign up"/>
        <section class="auth-page">
            <form class="auth-card" method="post" on:submit=submit>
                <h1>"Create your account"</h1>
                <label class="field">
                    <span>"Name"</span>
                    <input type="text" name="name" id="name" autocomplete="name" required
                        maxlength="100" prop:value=dynamic(move || name.get()) on:input=listener(move |ev| name.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Email"</span>
                    <input type="email" name="email" id="email" autocomplete="username" required
                        prop:value=dynamic(move || email.get()) on:input=listener(move |ev| email.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Password"</span>
                    <input type="password" name="password" id="password"
                        autocomplete="new-password" required
                        minlength=MIN_PASSWORD_CHARS.to_string() prop:value=dynamic(move || password.get()) on:input=listener(move |ev| password.set(event_target_value(&ev)))/>
                    <small class="muted">{format!("At least {MIN_PASSWORD_CHARS} characters.")}</small>
                </label>
                <details class="field">
                    <summary class="muted small">"I have an invitation code"</summary>
                    <input type="text" name="invite_code" id="invite-code" autocomplete="off"
                        prop:value=dynamic(move || invite.get()) on:input=listener(move |ev| invite.set(event_target_value(&ev)))/>
                </details>
                <FormError error/>
                <button class="btn btn-block" type="submit" id="submit"
                    disabled=dynamic(move || !ready.get() || pending.get())>
                    {dynamic(move || if pending.get() { "Creating your account…" } else { "Sign up" })}
                </button>
                <p class="muted small">"Already have an account? " <A href="/login">"Log in"</A></p>
            </form>
        </section>
    }
}
