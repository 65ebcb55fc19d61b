//! The overview page: what the product is, and whether the server is healthy and streaming.

use crate::components::dynamic::{dynamic, listener};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::status::get_server_status;
use crate::components::heartbeat::LiveHeartbeat;

/// `/`: server status (server-rendered, refreshable) and the live event stream.
#[component]
pub fn HomePage() -> impl IntoView {
    let refreshes = RwSignal::new(0u32);
    let checking = RwSignal::new(false);
    let status = Resource::new(move || refreshes.get(), |_| get_server_status());

    view! {
        <Title text="Overview"/>
        <section class="page-head">
            <h1>"Design, deploy and watch your Kubernetes system"</h1>
            <p class="lead">
                "Draw your resources on a canvas, connect them, and press Run. "
                "KubeOrch renders every node to a manifest, applies it to your cluster, "
                "and streams live status back onto the same canvas."
            </p>
        </section>
        <section class="cards">
            <article class="card" aria-labelledby="server-title">
                <header class="card-head">
                    <h2 id="server-title">"Server"</h2>
                    <button
                        class="btn btn-ghost"
                        id="refresh-status"
                        on:click=listener(move |_| refreshes.update(|n| *n += 1))
                        disabled=dynamic(move || checking.get())
                    >
                        {dynamic(move || if checking.get() { "Checking…" } else { "Refresh" })}
                    </button>
                </header>
                <Transition set_pending=checking fallback=|| view! { <p class="muted">"Checking the server…"</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(status) => view! {
                                <dl class="facts" id="server-status">
                                    <dt>"Version"</dt>
                                    <dd id="server-version">{status.version.clone()}</dd>
                                    <dt>"Uptime"</dt>
                                    <dd id="server-uptime" data-secs=status.uptime_secs>
                                        {status.uptime_text()}
                                    </dd>
                                </dl>
                            }.into_any(),
                            Err(error) => view! {
                                <p class="error" role="alert">
                                    "The server did not answer: " {error.to_string()}
                                </p>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </article>
            <article class="card" aria-labelledby="events-title">
                <header class="card-head">
                    <h2 id="events-title">"Live events"</h2>
                </header>
                <LiveHeartbeat/>
            </article>
        </section>
    }
}
