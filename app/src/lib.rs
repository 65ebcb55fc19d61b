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
    Lazy, ParamSegment, SsrMode, StaticSegment,
};

use components::layout::AppLayout;
use pages::lazy::{
    AuthCompleteRoute, BuildRoute, BuildsRoute, ClustersRoute, CompareRoute, EditorRoute,
    HomeRoute, LoginRoute, ProfileRoute, RegistriesRoute, SignupRoute, VersionsRoute,
    WorkflowsRoute,
};
use pages::not_found::NotFound;

/// The product name shown in the top bar and page titles.
pub const PRODUCT_NAME: &str = "KubeOrch";

/// The page's start-up guard (inlined in the `<head>`): if the page's code fails to load or to
/// start before the page is hydrated, it shows a message with a Reload button instead of leaving
/// a page that looks ready and does nothing.
const BOOT_GUARD: &str = include_str!("boot_guard.js");

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
                <script id="boot-guard" inner_html=BOOT_GUARD></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <pages::preload::RoutePreload/>
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
                    <Route path=StaticSegment("") view={Lazy::<HomeRoute>::new()}/>
                    <Route path=StaticSegment("login") view={Lazy::<LoginRoute>::new()}/>
                    <Route path=StaticSegment("signup") view={Lazy::<SignupRoute>::new()}/>
                    <Route path=(StaticSegment("auth"), StaticSegment("complete")) view={Lazy::<AuthCompleteRoute>::new()}/>
                    <Route path=StaticSegment("profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async/>
                    // Async: a page that redirects or is a 404 says so in its HTTP status.
                    <Route path=StaticSegment("workflows") view={Lazy::<WorkflowsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("clusters") view={Lazy::<ClustersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("registries") view={Lazy::<RegistriesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("builds") view={Lazy::<BuildsRoute>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("builds"), ParamSegment("id"))
                        view={Lazy::<BuildRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("workflows"), ParamSegment("id"))
                        view={Lazy::<EditorRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("workflows"), ParamSegment("id"), StaticSegment("versions"))
                        view={Lazy::<VersionsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("workflows"), ParamSegment("id"), StaticSegment("compare"))
                        view={Lazy::<CompareRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </AppLayout>
        </Router>
    }
}
