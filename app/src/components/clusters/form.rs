//! The add/edit cluster dialog: a kubeconfig (with its contexts read by the server so the user
//! can pick one) or a server URL + token + CA. When editing, blank credential fields keep what is
//! stored — the stored values are never sent to the browser.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;

use crate::api::clusters::{CreateCluster, KubeconfigContexts, UpdateCluster};
use crate::components::dialog::Modal;
use crate::components::form::FormError;
use crate::error::AppError;
use crate::model::cluster::{ClusterChanges, KubeconfigContext};
use crate::model::{Cluster, ClusterAuth, CredentialsInput};

fn error_text<T>(value: Option<Result<T, AppError>>) -> Option<String> {
    value.and_then(Result::err).map(|e| e.to_string())
}

fn entered(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

/// Adds a cluster (`existing` is `None`) or edits one.
#[component]
pub fn ClusterDialog(
    existing: Option<Cluster>,
    on_close: Handler<()>,
    on_saved: Handler<Cluster>,
) -> impl IntoView {
    let editing = existing.clone();
    let is_edit = existing.is_some();
    let name = Var::new(
        existing
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    );
    let use_token = Var::new(
        existing
            .as_ref()
            .is_some_and(|c| c.auth == ClusterAuth::Token),
    );
    let kubeconfig = Var::new(String::new());
    let context = Var::new(
        existing
            .as_ref()
            .and_then(|c| c.context.clone())
            .unwrap_or_default(),
    );
    let server = Var::new(
        existing
            .as_ref()
            .filter(|c| c.auth == ClusterAuth::Token)
            .map(|c| c.server.clone())
            .unwrap_or_default(),
    );
    let token = Var::new(String::new());
    let ca_pem = Var::new(String::new());
    let was_insecure = existing
        .as_ref()
        .is_some_and(|c| c.auth == ClusterAuth::Token && c.insecure_skip_tls_verify);
    let insecure = Var::new(was_insecure);

    let create = ServerAction::<CreateCluster>::new();
    let update = ServerAction::<UpdateCluster>::new();
    let read = ServerAction::<KubeconfigContexts>::new();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = create.value().get().or_else(|| update.value().get()) {
            on_saved.run(saved);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(found)) = read.value().get() {
            let usable = found
                .iter()
                .find(|c| c.current && c.problem.is_none())
                .or_else(|| found.iter().find(|c| c.problem.is_none()));
            if let Some(first) = usable {
                context.set(first.name.clone());
            }
        }
    });
    let contexts =
        Derived::new(move || read.value().get().and_then(Result::ok).unwrap_or_default());
    let error = Derived::new(move || {
        error_text(create.value().get())
            .or_else(|| error_text(update.value().get()))
            .or_else(|| error_text(read.value().get()))
    });
    let pending = Derived::new(move || create.pending().get() || update.pending().get());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let context_value = entered(context.get_untracked());
        match &editing {
            None => {
                let credentials = if use_token.get_untracked() {
                    CredentialsInput::Token {
                        server: server.get_untracked(),
                        token: token.get_untracked(),
                        ca_pem: entered(ca_pem.get_untracked()),
                        insecure_skip_tls_verify: insecure.get_untracked(),
                    }
                } else {
                    CredentialsInput::Kubeconfig {
                        kubeconfig: kubeconfig.get_untracked(),
                        context: context_value,
                    }
                };
                create.dispatch(CreateCluster {
                    name: name.get_untracked(),
                    credentials,
                });
            }
            Some(cluster) => {
                let mut changes = ClusterChanges {
                    name: Some(name.get_untracked()),
                    ..Default::default()
                };
                if use_token.get_untracked() {
                    changes.server = entered(server.get_untracked());
                    changes.token = entered(token.get_untracked());
                    changes.ca_pem = entered(ca_pem.get_untracked());
                    let skip = insecure.get_untracked();
                    changes.insecure_skip_tls_verify = (skip != was_insecure).then_some(skip);
                } else {
                    changes.kubeconfig = entered(kubeconfig.get_untracked());
                    changes.context = context_value;
                }
                update.dispatch(UpdateCluster {
                    id: cluster.id.clone(),
                    changes,
                });
            }
        }
    };
    let keep_hint = if is_edit {
        " (leave blank to keep the stored one)"
    } else {
        ""
    };
    let title = if is_edit {
        "Edit cluster"
    } else {
        "Add cluster"
    };

    view! {
        <Modal title on_close>
            <form class="stack cluster-form" on:submit=submit>
                <label class="field">
                    <span>"Name"</span>
                    <input type="text" id="cluster-name" required maxlength="100" prop:value=dynamic(move || name.get()) on:input=listener(move |ev| name.set(event_target_value(&ev)))/>
                </label>
                <div class="segmented" role="radiogroup" aria-label="How to connect">
                    <label><input type="radio" name="cluster-mode" id="mode-kubeconfig"
                        prop:checked=dynamic(move || !use_token.get()) on:change=listener(move |_| use_token.set(false))/>" Kubeconfig"</label>
                    <label><input type="radio" name="cluster-mode" id="mode-token"
                        prop:checked=dynamic(move || use_token.get()) on:change=listener(move |_| use_token.set(true))/>" URL + token"</label>
                </div>
                <Show when=move || !use_token.get()>
                    <label class="field">
                        <span>"Kubeconfig" <span class="muted">{keep_hint}</span></span>
                        <textarea id="cluster-kubeconfig" rows="7" class="mono" spellcheck="false"
                            placeholder="apiVersion: v1\nkind: Config\n…" prop:value=dynamic(move || kubeconfig.get()) on:input=listener(move |ev| kubeconfig.set(event_target_value(&ev)))></textarea>
                    </label>
                    <p class="muted small">
                        "Only inline credentials are accepted: kubeconfigs that run exec plugins, use auth-provider or point to files are refused."
                    </p>
                    <div class="row">
                        <button type="button" class="btn btn-ghost btn-small" id="read-contexts"
                            disabled=dynamic(move || kubeconfig.get().trim().is_empty())
                            on:click=listener(move |_| { read.dispatch(KubeconfigContexts { kubeconfig: kubeconfig.get_untracked() }); })>
                            "Read contexts"
                        </button>
                        <ContextSelect contexts context/>
                    </div>
                </Show>
                <Show when=move || use_token.get()>
                    <label class="field">
                        <span>"API server URL"</span>
                        <input type="url" id="cluster-server" placeholder="https://203.0.113.10:6443" prop:value=dynamic(move || server.get()) on:input=listener(move |ev| server.set(event_target_value(&ev)))/>
                    </label>
                    <label class="field">
                        <span>"Bearer token" <span class="muted">{keep_hint}</span></span>
                        <input type="password" id="cluster-token" autocomplete="off" prop:value=dynamic(move || token.get()) on:input=listener(move |ev| token.set(event_target_value(&ev)))/>
                    </label>
                    <label class="field">
                        <span>"CA certificate (PEM)" <span class="muted">" (optional"{if is_edit { "; blank keeps the stored one)" } else { ")" }}</span></span>
                        <textarea id="cluster-ca" rows="4" class="mono" spellcheck="false" prop:value=dynamic(move || ca_pem.get()) on:input=listener(move |ev| ca_pem.set(event_target_value(&ev)))></textarea>
                    </label>
                    <label class="check">
                        <input type="checkbox" id="cluster-insecure" prop:checked=dynamic(move || insecure.get()) on:change=listener(move |ev| insecure.set(event_target_checked(&ev)))/>
                        " Skip TLS verification (not recommended)"
                    </label>
                </Show>
                <FormError error/>
                <div class="modal-actions">
                    <button type="button" class="btn btn-ghost" on:click=listener(move |_| on_close.run(()))>"Cancel"</button>
                    <button type="submit" class="btn" id="save-cluster" disabled=dynamic(move || pending.get())>
                        {dynamic(move || if pending.get() { "Connecting…" } else if is_edit { "Save" } else { "Add" })}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// The context picker once the kubeconfig was read (unusable contexts shown, not selectable).
#[component]
fn ContextSelect(contexts: Derived<Vec<KubeconfigContext>>, context: Var<String>) -> impl IntoView {
    move || {
        let list = contexts.get();
        (!list.is_empty()).then(|| {
            let problems: Vec<String> = list
                .iter()
                .filter_map(|c| c.problem.as_ref().map(|p| format!("{}: {p}", c.name)))
                .collect();
            view! {
                <label class="field inline-field">
                    <span>"Context"</span>
                    <select id="cluster-context" on:change=listener(move |ev| context.set(event_target_value(&ev)))
                        prop:value=dynamic(move || context.get())>
                        {list.into_iter().map(|c| {
                            let label = format!("{} — {}", c.name, c.server);
                            view! { <option value=c.name.clone() disabled=c.problem.is_some()>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {(!problems.is_empty()).then(|| view! {
                    <ul class="muted small context-problems">
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })}
            }
        })
    }
}
