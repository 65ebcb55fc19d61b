//! KubeOrch-rs application: the Leptos UI (server-rendered and hydrated), its server functions,
//! and the shared model and pure domain logic used by both the server and the browser.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "hydrate")]
pub mod client;
pub mod clock;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use components::layout::AppLayout;
use pages::{
    auth_complete::AuthCompletePage, build::BuildPage, builds::BuildsPage, clusters::ClustersPage,
    compare::ComparePage, editor::EditorPage, home::HomePage, login::LoginPage,
    not_found::NotFound, profile::ProfilePage, registries::RegistriesPage, signup::SignupPage,
    versions::VersionsPage, workflows::WorkflowsPage,
};

/// The product name shown in the top bar and page titles.
pub const PRODUCT_NAME: &str = "KubeOrch";

/// The HTML document the server streams: head, hydration scripts and the [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component: meta context, stylesheet, router and the page routes inside the layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::auth::provide_auth();

    view! {
        <Stylesheet id="leptos" href="/pkg/kubeorch.css"/>
        <Title formatter=|page: String| {
            if page.is_empty() { PRODUCT_NAME.to_string() } else { format!("{page} · {PRODUCT_NAME}") }
        }/>
        <Router>
            <AppLayout>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage/>
                    <Route path=StaticSegment("login") view=LoginPage/>
                    <Route path=StaticSegment("signup") view=SignupPage/>
                    <Route path=(StaticSegment("auth"), StaticSegment("complete")) view=AuthCompletePage/>
                    <Route path=StaticSegment("profile") view=ProfilePage ssr=SsrMode::Async/>
                    // Async: a page that redirects or is a 404 says so in its HTTP status.
                    <Route path=StaticSegment("workflows") view=WorkflowsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("clusters") view=ClustersPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("registries") view=RegistriesPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("builds") view=BuildsPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("builds"), ParamSegment("id"))
                        view=BuildPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("workflows"), ParamSegment("id"))
                        view=EditorPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("workflows"), ParamSegment("id"), StaticSegment("versions"))
                        view=VersionsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("workflows"), ParamSegment("id"), StaticSegment("compare"))
                        view=ComparePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </AppLayout>
        </Router>
    }
}
