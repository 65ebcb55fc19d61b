//! The browser entry point: hydrates the server-rendered page with the same `App` component
//! (`hydrate_lazy`: the current page's lazily loaded code is fetched before hydrating).

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the generated JS loader once the WASM module is instantiated.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
