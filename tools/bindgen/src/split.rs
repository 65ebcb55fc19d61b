//! `kubeorch-wasm-split`: splits the app's wasm at its `#[lazy]` / `#[lazy_route]` points into a
//! main module and lazily loaded chunks (the step cargo-leptos runs with `--split`).
//!
//! ```text
//! kubeorch-wasm-split INPUT.wasm MAIN_OUT.wasm OUT_DIR MAIN_MODULE
//! kubeorch-wasm-split --version
//! ```
//!
//! Writes `MAIN_OUT.wasm` (to be given to wasm-bindgen), the chunks, the loader
//! `__wasm_split.______________________.js` (the name Leptos' `HydrationScripts` expects when
//! files are not hashed) and `__wasm_split_manifest.json` (which chunks each split point needs, read
//! by the server to preload a lazy route's chunks) into `OUT_DIR`. Prints each chunk's path.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const LINK_NAME: &str = "./__wasm_split.______________________.js";
const MANIFEST: &str = "__wasm_split_manifest.json";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--version") {
        println!("kubeorch-wasm-split {VERSION}");
        return Ok(());
    }
    let [input, main_out, out_dir, main_module] = args.as_slice() else {
        bail!("usage: kubeorch-wasm-split INPUT.wasm MAIN_OUT.wasm OUT_DIR MAIN_MODULE");
    };
    let wasm = std::fs::read(input).with_context(|| format!("cannot read {input}"))?;
    let out_dir = Path::new(out_dir);
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&wasm);
        options.output_dir = out_dir;
        options.main_out_path = Path::new(main_out);
        options.main_module = main_module;
        options.link_name = LINK_NAME;
        options
    })
    .map_err(|e| anyhow::anyhow!("cannot split {input}: {e}"))?;
    let prefetch: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let manifest = serde_json::to_string_pretty(&prefetch)?;
    std::fs::write(out_dir.join(MANIFEST), manifest).context("cannot write the split manifest")?;
    for chunk in &split.split_modules {
        println!("{}", chunk.display());
    }
    Ok(())
}
