//! Parts of a page whose code is fetched when they are first shown. A `#[lazy]` function
//! (`leptos::lazy`) returns the part's view once its wasm chunk is loaded (at once when it
//! already is); the browser build cuts the chunk out of the page's first load. Only parts that
//! are closed when the page is rendered on the server go through here, so hydration never
//! meets them.

use std::future::Future;

use leptos::prelude::*;

/// The future of a `#[lazy]` view function. In the browser it waits for a chunk (not `Send`,
/// wrapped for the single-threaded runtime); on the server it is ready at once.
#[cfg(feature = "hydrate")]
pub trait LazyView: Future<Output = AnyView> + 'static {}
#[cfg(feature = "hydrate")]
impl<F: Future<Output = AnyView> + 'static> LazyView for F {}

/// The future of a `#[lazy]` view function. In the browser it waits for a chunk (not `Send`,
/// wrapped for the single-threaded runtime); on the server it is ready at once.
#[cfg(not(feature = "hydrate"))]
pub trait LazyView: Future<Output = AnyView> + Send + 'static {}
#[cfg(not(feature = "hydrate"))]
impl<F: Future<Output = AnyView> + Send + 'static> LazyView for F {}

/// Shows the view `load` resolves to, with a short "Loading…" while its code is fetched. The
/// part has a `<Suspense>` of its own, so waiting for it never puts the page's (e.g. the
/// editor's) loading state back on screen. Its view is built before it is put on the page:
/// code that needs it on the page waits a frame (see [`Modal`](crate::components::dialog::Modal)).
pub fn on_demand(load: impl LazyView) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let load = send_wrapper::SendWrapper::new(load);
    view! {
        <Suspense fallback=|| view! { <span class="muted small on-demand-loading">"Loading…"</span> }>
            {Suspend::new(load)}
        </Suspense>
    }
}
