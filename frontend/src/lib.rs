//! The browser entry point: loads the current page's code (its route's wasm chunks), then
//! hydrates the server-rendered page with the same `App` component in one synchronous pass.

use app::pages::{lazy::load_code, preload::Page};
use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the generated JS loader once the WASM module is instantiated.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(page) = Page::for_path(&path) {
            load_code(page).await;
        }
        leptos::mount::hydrate_body(app::App);
    });
}
