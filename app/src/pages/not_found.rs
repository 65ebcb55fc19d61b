//! The page for any unknown route (HTTP 404 when server-rendered).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::PageHydrated;

/// Shown for routes that do not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Not found"/>
        <section class="page-head">
            <h1>"Page not found"</h1>
            <p class="lead">"There is nothing at this address. "<a href="/">"Go to the overview"</a></p>
        </section>
        <PageHydrated/>
    }
}
