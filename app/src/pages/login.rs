//! `/login`: email and password, or a button per identity provider; comes back to the page
//! that sent the user here. Shows why a provider sign-in failed (`?sso_error=…`).

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::auth::Login;
use crate::api::sso::sso_providers;
use crate::components::auth::{safe_next, use_auth};
use crate::components::form::{use_hydrated, FormError};
use crate::components::sso::{ProviderButtons, SsoProblemNotice};

/// The log-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let navigate = use_navigate();
    let ready = use_hydrated();
    let email = Var::new(String::new());
    let password = Var::new(String::new());
    let action = ServerAction::<Login>::new();
    let pending = action.pending();

    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            auth.reload();
            navigate(
                &safe_next(query.read_untracked().get("next")),
                Default::default(),
            );
        }
    });
    let providers = Resource::new(|| (), |_| sso_providers());
    let error = Derived::new(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(Login {
            email: email.get_untracked(),
            password: password.get_untracked(),
        });
    };

    view! {
        <Title text="Log in"/>
        <section class="auth-page">
            <form class="auth-card" method="post" on:submit=submit>
                <h1>"Log in"</h1>
                <SsoProblemNotice providers/>
                <label class="field">
                    <span>"Email"</span>
                    <input type="email" name="email" id="email" autocomplete="username" required
                        prop:value=dynamic(move || email.get()) on:input=listener(move |ev| email.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Password"</span>
                    <input type="password" name="password" id="password"
                        autocomplete="current-password" required prop:value=dynamic(move || password.get()) on:input=listener(move |ev| password.set(event_target_value(&ev)))/>
                </label>
                <FormError error/>
                <button class="btn btn-block" type="submit" id="submit"
                    disabled=dynamic(move || !ready.get() || pending.get())>
                    {dynamic(move || if pending.get() { "Logging in…" } else { "Log in" })}
                </button>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let providers = providers.await.unwrap_or_default();
                        let next = safe_next(query.read_untracked().get("next"));
                        view! { <ProviderButtons providers next/> }
                    })}
                </Transition>
                <p class="muted small">"No account yet? " <A href="/signup">"Sign up"</A></p>
            </form>
        </section>
    }
}
