//! `/registries`: the signed-in user's container registries — add (URL, user, password or
//! token), test (`/v2/` with the credentials), make default, remove. Passwords are entered here
//! and never shown again.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::registries::{
    list_registries, CreateRegistry, DeleteRegistry, SetDefaultRegistry, TestRegistry,
};
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::dialog::{ConfirmDialog, Modal};
use crate::components::form::FormError;
use crate::error::AppError;
use crate::model::build::{Registry, RegistryInput};

/// The page: only for signed-in users.
#[component]
pub fn RegistriesPage() -> impl IntoView {
    view! {
        <Title text="Registries"/>
        <RequireUser>
            <RegistryList/>
        </RequireUser>
    }
}

fn check_label(state: &str) -> (&'static str, &'static str) {
    match state {
        "ok" => ("dot dot-ok", "Reachable"),
        "error" => ("dot dot-bad", "Failed"),
        _ => ("dot dot-warn", "Not tested"),
    }
}

fn error_text<T>(value: Option<Result<T, AppError>>) -> Option<String> {
    value.and_then(Result::err).map(|e| e.to_string())
}

#[component]
fn RegistryList() -> impl IntoView {
    let refresh = Var::new(0u32);
    let registries = Resource::new(move || refresh.get(), |_| list_registries());
    let adding = Var::new(false);
    let reload = Handler::new(move |_| refresh.update(|n| *n += 1));

    view! {
        <section class="page-head page-head-row">
            <div>
                <h1>"Registries"</h1>
                <p class="lead">
                    "Where builds push images. Passwords and tokens are encrypted on the server and never shown again."
                </p>
            </div>
            <button class="btn" id="add-registry" on:click=listener(move |_| adding.set(true))>"Add registry"</button>
        </section>
        <Show when=move || adding.get()>
            <RegistryDialog
                on_close=Handler::new(move |_| adding.set(false))
                on_saved=Handler::new(move |_| {
                    adding.set(false);
                    reload.run(());
                })
            />
        </Show>
        <Transition fallback=|| view! { <p class="muted">"Loading your registries…"</p> }>
            {move || Suspend::new(async move {
                match registries.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty-state">
                            <h2>"No registries yet"</h2>
                            <p class="muted">"Add the registry your builds should push to, e.g. https://ghcr.io or http://127.0.0.1:5000."</p>
                        </div>
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <ul class="workflow-list" id="registry-list">
                            {list
                                .into_iter()
                                .map(|registry| view! { <RegistryRow registry on_change=reload/> })
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
fn RegistryRow(registry: Registry, on_change: Handler<()>) -> impl IntoView {
    let current = Var::new(registry.clone());
    let confirming = Var::new(false);
    let test = ServerAction::<TestRegistry>::new();
    let make_default = ServerAction::<SetDefaultRegistry>::new();
    let delete = ServerAction::<DeleteRegistry>::new();
    Effect::new(move |_| {
        if let Some(Ok(tested)) = test.value().get() {
            current.set(tested);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = make_default.value().get() {
            on_change.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            confirming.set(false);
            on_change.run(());
        }
    });
    let error = Derived::new(move || {
        error_text(test.value().get()).or_else(|| error_text(make_default.value().get()))
    });
    let delete_error = Derived::new(move || error_text(delete.value().get()));
    let id = registry.id.clone();
    let default_id = registry.id.clone();

    view! {
        <li class="workflow-row registry-row" data-name=registry.name.clone()>
            <div class="workflow-main">
                <span class="workflow-name">
                    {dynamic(move || current.get().name)}
                    {move || current.get().is_default.then(|| view! { " " <span class="status status-ok registry-default">"default"</span> })}
                </span>
                <p class="muted small">
                    {dynamic(move || {
                        let r = current.get();
                        match r.username {
                            Some(user) => format!("{} · user {user}", r.url),
                            None => format!("{} · anonymous", r.url),
                        }
                    })}
                </p>
                <p class="muted small registry-message">{dynamic(move || current.get().check.message.unwrap_or_default())}</p>
                <FormError error/>
            </div>
            <span class="cluster-state">
                <span class=dynamic(move || check_label(&current.get().check.state).0) aria-hidden="true"></span>
                " "
                <span class="registry-state-text">{dynamic(move || check_label(&current.get().check.state).1)}</span>
            </span>
            <div class="row-actions">
                <button class="btn btn-ghost btn-small test-registry" disabled=dynamic(move || test.pending().get())
                    on:click={
                        let id = id.clone();
                        move |_| { test.dispatch(TestRegistry { id: id.clone() }); }
                    }>
                    {dynamic(move || if test.pending().get() { "Testing…" } else { "Test" })}
                </button>
                <Show when=move || !current.get().is_default>
                    <button class="btn btn-ghost btn-small make-default"
                        on:click={
                            let id = default_id.clone();
                            move |_| { make_default.dispatch(SetDefaultRegistry { id: id.clone() }); }
                        }>
                        "Make default"
                    </button>
                </Show>
                <button class="btn btn-ghost btn-small btn-danger-text" on:click=listener(move |_| confirming.set(true))>"Remove"</button>
            </div>
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=format!("Remove “{}”?", current.get_untracked().name)
                    message="Its credentials are deleted. Images already pushed stay in the registry."
                    confirm_label="Remove"
                    pending=move || delete.pending().get()
                    error=delete_error
                    on_confirm=Handler::new({
                        let id = id.clone();
                        move |_| { delete.dispatch(DeleteRegistry { id: id.clone() }); }
                    })
                    on_cancel=Handler::new(move |_| confirming.set(false))
                />
            </Show>
        </li>
    }
}

/// Adds a registry.
#[component]
fn RegistryDialog(on_close: Handler<()>, on_saved: Handler<Registry>) -> impl IntoView {
    let name = Var::new(String::new());
    let url = Var::new(String::new());
    let username = Var::new(String::new());
    let password = Var::new(String::new());
    let is_default = Var::new(false);
    let create = ServerAction::<CreateRegistry>::new();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = create.value().get() {
            on_saved.run(saved);
        }
    });
    let error = Derived::new(move || error_text(create.value().get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entered = |v: String| (!v.trim().is_empty()).then_some(v);
        create.dispatch(CreateRegistry {
            input: RegistryInput {
                name: name.get_untracked(),
                url: url.get_untracked(),
                username: entered(username.get_untracked()),
                password: entered(password.get_untracked()),
                is_default: is_default.get_untracked(),
            },
        });
    };
    view! {
        <Modal title="Add registry" on_close>
            <form class="stack registry-form" on:submit=submit>
                <label class="field">
                    <span>"Name"</span>
                    <input type="text" id="registry-name" required maxlength="100" prop:value=dynamic(move || name.get()) on:input=listener(move |ev| name.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"URL"</span>
                    <input type="text" id="registry-url" required placeholder="https://ghcr.io or http://127.0.0.1:5000" prop:value=dynamic(move || url.get()) on:input=listener(move |ev| url.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"User name" <span class="muted">" (optional)"</span></span>
                    <input type="text" id="registry-username" autocomplete="off" prop:value=dynamic(move || username.get()) on:input=listener(move |ev| username.set(event_target_value(&ev)))/>
                </label>
                <label class="field">
                    <span>"Password or access token"</span>
                    <input type="password" id="registry-password" autocomplete="off" prop:value=dynamic(move || password.get()) on:input=listener(move |ev| password.set(event_target_value(&ev)))/>
                </label>
                <label class="check">
                    <input type="checkbox" id="registry-default" prop:checked=dynamic(move || is_default.get()) on:change=listener(move |ev| is_default.set(event_target_checked(&ev)))/>
                    " Use it by default for builds"
                </label>
                <FormError error/>
                <div class="modal-actions">
                    <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_close.run(()))>"Cancel"</button>
                    <button type="submit" class="btn" id="save-registry" disabled=dynamic(move || create.pending().get())>
                        {dynamic(move || if create.pending().get() { "Testing…" } else { "Add" })}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
