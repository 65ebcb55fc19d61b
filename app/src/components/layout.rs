//! The application frame: top bar with the product name and navigation, and the main area.

use crate::components::dynamic::dynamic;
use crate::components::var::Var;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::user_menu::UserMenu;
use crate::PRODUCT_NAME;

/// Whether the WASM has taken over the page: set by [`PageHydrated`] inside each page.
#[derive(Clone, Copy)]
struct Hydrated(Var<bool>);

/// Wraps every page. `data-hydrated` turns `true` once the WASM has taken over the page, which
/// end-to-end tests (and curious users) can rely on. Pages are lazily loaded and hydrate after
/// the frame, so the page itself says when it is ready (see [`PageHydrated`]).
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    let hydrated = Var::new(false);
    provide_context(Hydrated(hydrated));

    view! {
        <div class="app" data-hydrated=dynamic(move || hydrated.get().to_string())>
            <header class="topbar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span class="brand-name">{PRODUCT_NAME}</span>
                </a>
                <nav class="nav" aria-label="Main">
                    <A href="/" exact=true>"Overview"</A>
                    <A href="/workflows">"Workflows"</A>
                    <A href="/clusters">"Clusters"</A>
                    <A href="/builds">"Builds"</A>
                    <A href="/registries">"Registries"</A>
                </nav>
                <div class="topbar-end">
                    <UserMenu/>
                </div>
            </header>
            <main class="main">{children()}</main>
        </div>
    }
}

/// Placed in every page: once the page around it is hydrated, the frame's `data-hydrated` turns
/// `true`.
#[component]
pub fn PageHydrated() -> impl IntoView {
    if let Some(Hydrated(hydrated)) = use_context::<Hydrated>() {
        Effect::new(move |_| hydrated.set(true));
    }
}
