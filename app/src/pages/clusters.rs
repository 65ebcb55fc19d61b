//! `/clusters`: the signed-in user's clusters — register (kubeconfig or URL + token), test,
//! edit, remove. Credentials are entered here and never shown again.

use crate::components::derived::Derived;
use crate::components::dynamic::{dynamic, listener};
use crate::components::handler::Handler;
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::clusters::{list_clusters, DeleteCluster, TestCluster};
use crate::components::auth::{RequireUser, ToLogin};
use crate::components::clusters::form::ClusterDialog;
use crate::components::dialog::ConfirmDialog;
use crate::components::form::FormError;
use crate::error::AppError;
use crate::model::{Cluster, ConnectionState};

/// The page: only for signed-in users.
#[component]
pub fn ClustersPage() -> impl IntoView {
    view! {
        <Title text="Clusters"/>
        <RequireUser>
            <ClusterList/>
        </RequireUser>
    }
}

/// The dot class and label of a connection state.
pub fn connection_label(state: ConnectionState) -> (&'static str, &'static str) {
    match state {
        ConnectionState::Connected => ("dot dot-ok", "Connected"),
        ConnectionState::Error => ("dot dot-bad", "Cannot connect"),
        ConnectionState::Unknown => ("dot dot-warn", "Not tested"),
    }
}

#[component]
fn ClusterList() -> impl IntoView {
    let refresh = Var::new(0u32);
    let clusters = Resource::new(move || refresh.get(), |_| list_clusters());
    let adding = Var::new(false);
    let reload = Handler::new(move |_| refresh.update(|n| *n += 1));

    view! {
        <section class="page-head page-head-row">
            <div>
                <h1>"Clusters"</h1>
                <p class="lead">
                    "Where your workflows deploy. Credentials are encrypted on the server and never shown again."
                </p>
            </div>
            <button class="btn" id="add-cluster" on:click=listener(move |_| adding.set(true))>"Add cluster"</button>
        </section>
        <Show when=move || adding.get()>
            <ClusterDialog
                existing=None
                on_close=Handler::new(move |_| adding.set(false))
                on_saved=Handler::new(move |_| {
                    adding.set(false);
                    reload.run(());
                })
            />
        </Show>
        <Transition fallback=|| view! { <p class="muted">"Loading your clusters…"</p> }>
            {move || Suspend::new(async move {
                match clusters.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty-state">
                            <h2>"No clusters yet"</h2>
                            <p class="muted">"Add a cluster with a kubeconfig or a server URL and token."</p>
                        </div>
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <ul class="workflow-list" id="cluster-list">
                            {list
                                .into_iter()
                                .map(|cluster| view! { <ClusterRow cluster on_change=reload/> })
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
fn ClusterRow(cluster: Cluster, on_change: Handler<()>) -> impl IntoView {
    let current = Var::new(cluster.clone());
    let editing = Var::new(false);
    let confirming = Var::new(false);
    let test = ServerAction::<TestCluster>::new();
    let delete = ServerAction::<DeleteCluster>::new();
    Effect::new(move |_| {
        if let Some(Ok(tested)) = test.value().get() {
            current.set(tested);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            confirming.set(false);
            on_change.run(());
        }
    });
    let test_error = Derived::new(move || {
        test.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let delete_error = Derived::new(move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    });
    let id = cluster.id.clone();
    let sandbox = cluster.is_sandbox();

    view! {
        <li class="workflow-row cluster-row" data-name=cluster.name.clone()>
            <div class="workflow-main">
                <span class="workflow-name">{dynamic(move || current.get().name)}</span>
                <p class="muted small">
                    {dynamic(move || {
                        let c = current.get();
                        match c.context {
                            Some(context) => format!("{} · {} · context {}", c.server, c.auth.label(), context),
                            None => format!("{} · {}", c.server, c.auth.label()),
                        }
                    })}
                </p>
                <Show when=move || current.get().insecure_skip_tls_verify>
                    <p class="small cluster-insecure" title="The API server's certificate is not checked: anyone between this server and the cluster could read the credentials. Edit the cluster to verify TLS.">
                        "TLS not verified"
                    </p>
                </Show>
                <p class="muted small cluster-message">
                    {dynamic(move || current.get().connection.message.unwrap_or_default())}
                </p>
                <FormError error=test_error/>
            </div>
            <span class="cluster-state">
                <span class=dynamic(move || connection_label(current.get().connection.state).0) aria-hidden="true"></span>
                " "
                <span class="cluster-state-text">{dynamic(move || connection_label(current.get().connection.state).1)}</span>
            </span>
            <span class="muted small">
                {dynamic(move || current.get().connection.server_version.unwrap_or_default())}
            </span>
            <span class="muted small">
                {dynamic(move || match current.get().connection.namespaces.len() {
                    0 => String::new(),
                    1 => "1 namespace".to_string(),
                    n => format!("{n} namespaces"),
                })}
            </span>
            <div class="row-actions">
                <button class="btn btn-ghost btn-small test-cluster" disabled=dynamic(move || test.pending().get())
                    on:click={
                        let id = id.clone();
                        move |_| { test.dispatch(TestCluster { id: id.clone() }); }
                    }>
                    {dynamic(move || if test.pending().get() { "Testing…" } else { "Test" })}
                </button>
                {(!sandbox).then(|| view! {
                    <button class="btn btn-ghost btn-small" on:click=listener(move |_| editing.set(true))>"Edit"</button>
                    <button class="btn btn-ghost btn-small btn-danger-text" on:click=listener(move |_| confirming.set(true))>"Remove"</button>
                })}
            </div>
            <Show when=move || editing.get()>
                <ClusterDialog
                    existing=Some(current.get_untracked())
                    on_close=Handler::new(move |_| editing.set(false))
                    on_saved=Handler::new(move |saved: Cluster| {
                        editing.set(false);
                        current.set(saved);
                    })
                />
            </Show>
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=format!("Remove “{}”?", current.get_untracked().name)
                    message="Its credentials are deleted. Objects already deployed keep running in the cluster."
                    confirm_label="Remove"
                    pending=move || delete.pending().get()
                    error=delete_error
                    on_confirm=Handler::new({
                        let id = id.clone();
                        move |_| { delete.dispatch(DeleteCluster { id: id.clone() }); }
                    })
                    on_cancel=Handler::new(move |_| confirming.set(false))
                />
            </Show>
        </li>
    }
}
