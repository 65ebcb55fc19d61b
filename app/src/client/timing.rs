//! User Timing marks (`performance.mark` / `performance.measure`): how long a step took, shown in
//! the browser's performance tools and read by the canvas benchmark.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn mark(name: &str);
    #[wasm_bindgen(js_namespace = performance, js_name = measure)]
    fn measure(name: &str, start: &str);
    #[wasm_bindgen(js_namespace = performance, js_name = clearMarks)]
    fn clear_marks(name: &str);
}

/// Runs `step` and records its duration as the User Timing measure `name`.
pub fn measured<T>(name: &str, step: impl FnOnce() -> T) -> T {
    let start = format!("{name}:start");
    mark(&start);
    let out = step();
    measure(name, &start);
    clear_marks(&start);
    out
}
