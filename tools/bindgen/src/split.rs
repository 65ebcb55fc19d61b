//! `kubeorch-wasm-split`: splits the app's wasm at its `#[lazy]` / `#[lazy_route]` points into a
//! main module and lazily loaded chunks (the step cargo-leptos runs with `--split`).
//!
//! ```text
//! kubeorch-wasm-split INPUT.wasm MAIN_OUT.wasm OUT_DIR MAIN_MODULE
//! kubeorch-wasm-split strip-classes MAIN.wasm GLUE.js
//! kubeorch-wasm-split shorten-imports MAIN.wasm GLUE.js
//! kubeorch-wasm-split reorder FILE.wasm...
//! kubeorch-wasm-split pack OUT_DIR
//! kubeorch-wasm-split --version
//! ```
//!
//! The first form writes `MAIN_OUT.wasm` (to be given to wasm-bindgen), the chunks, the loader
//! `__wasm_split.______________________.js` (the name Leptos' `HydrationScripts` expects when
//! files are not hashed) and `__wasm_split_chunks.json` (which chunks each split point needs) into
//! `OUT_DIR`, and prints each chunk's path.
//!
//! `strip-classes`, run on wasm-bindgen's output, leaves out the JavaScript classes nothing can
//! create and the exports only they call (see [`classes`]).
//!
//! `shorten-imports`, run on wasm-bindgen's output, gives the main module's imports from its
//! JavaScript glue short names in both files (see [`imports`]).
//!
//! `reorder`, run after wasm-opt, rewrites each module in place with similar functions next to
//! each other, which gzip compresses better (see [`reorder`]).
//!
//! `pack`, run once the chunks are final (after wasm-opt), writes the packs (see [`pack`]) into
//! `OUT_DIR`, rewrites the loader to fetch through them (see [`loader`]) and writes
//! `__wasm_split_manifest.json`, which the server reads to preload a route's pack with the page.

mod classes;
mod imports;
mod loader;
mod pack;
mod reorder;
mod rewrite;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const LINK_NAME: &str = "./__wasm_split.______________________.js";
const MANIFEST: &str = "__wasm_split_manifest.json";
const CHUNKS: &str = "__wasm_split_chunks.json";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--version") {
        println!("kubeorch-wasm-split {VERSION}");
        return Ok(());
    }
    if let [command, wasm, js] = args.as_slice() {
        if command == "shorten-imports" {
            return shorten_imports(Path::new(wasm), Path::new(js));
        }
        if command == "strip-classes" {
            return strip_classes(Path::new(wasm), Path::new(js));
        }
    }
    if let [command, files @ ..] = args.as_slice() {
        if command == "reorder" {
            return reorder_all(files);
        }
    }
    if let [command, out_dir] = args.as_slice() {
        if command == "pack" {
            return write_packs(Path::new(out_dir));
        }
    }
    let [input, main_out, out_dir, main_module] = args.as_slice() else {
        bail!(
            "usage: kubeorch-wasm-split INPUT.wasm MAIN_OUT.wasm OUT_DIR MAIN_MODULE | strip-classes MAIN.wasm GLUE.js | shorten-imports MAIN.wasm GLUE.js | reorder FILE.wasm... | pack OUT_DIR"
        );
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
    let chunks = serde_json::to_string_pretty(&prefetch)?;
    std::fs::write(out_dir.join(CHUNKS), chunks).context("cannot write the chunk list")?;
    for chunk in &split.split_modules {
        println!("{}", chunk.display());
    }
    Ok(())
}

/// The `shorten-imports` step: both files rewritten in place. The glue `NAME.js` imports from the
/// module `./NAME_bg.js`.
fn shorten_imports(wasm_path: &Path, js_path: &Path) -> anyhow::Result<()> {
    let stem = js_path
        .file_stem()
        .and_then(|s| s.to_str())
        .context("the glue's file name is not UTF-8")?;
    let module = format!("./{stem}_bg.js");
    rewrite_glue(wasm_path, js_path, |wasm, js| {
        let (wasm, js, renamed) = imports::shorten(wasm, js, &module)?;
        Ok((wasm, js, format!("{renamed} imports renamed")))
    })
}

/// The `strip-classes` step: both files rewritten in place.
fn strip_classes(wasm_path: &Path, js_path: &Path) -> anyhow::Result<()> {
    rewrite_glue(wasm_path, js_path, |wasm, js| {
        let (wasm, js, stripped) = classes::strip(wasm, js)?;
        let said = if stripped.is_empty() {
            "none".to_string()
        } else {
            stripped.join(", ")
        };
        Ok((wasm, js, said))
    })
}

/// Rewrites the main module and its glue in place with `step`, which also returns what to print.
fn rewrite_glue(
    wasm_path: &Path,
    js_path: &Path,
    step: impl FnOnce(&[u8], &str) -> anyhow::Result<(Vec<u8>, String, String)>,
) -> anyhow::Result<()> {
    let wasm =
        std::fs::read(wasm_path).with_context(|| format!("cannot read {}", wasm_path.display()))?;
    let js = std::fs::read_to_string(js_path)
        .with_context(|| format!("cannot read {}", js_path.display()))?;
    let (wasm, js, said) = step(&wasm, &js)?;
    std::fs::write(wasm_path, wasm)
        .with_context(|| format!("cannot write {}", wasm_path.display()))?;
    std::fs::write(js_path, js).with_context(|| format!("cannot write {}", js_path.display()))?;
    println!("{said}");
    Ok(())
}

/// The `reorder` step: each file rewritten in place, on every core.
fn reorder_all(files: &[String]) -> anyhow::Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else {
                            return Ok(());
                        };
                        let wasm =
                            std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
                        let out = reorder::reorder(&wasm)
                            .with_context(|| format!("cannot reorder {file}"))?;
                        std::fs::write(file, out)
                            .with_context(|| format!("cannot write {file}"))?;
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("a reorder worker panicked"))
    })
}

/// The `pack` step: packs, the rewritten loader and the preload manifest, in `dir`.
fn write_packs(dir: &Path) -> anyhow::Result<()> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let needs: BTreeMap<String, Vec<String>> = serde_json::from_slice(&read(CHUNKS)?)
        .with_context(|| format!("{CHUNKS} is not a map of split points to files"))?;
    let plan = pack::Plan::new(&needs, |file| {
        let path = dir.join(format!("{file}.wasm"));
        Ok(std::fs::metadata(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .len())
    })?;
    for p in 0..plan.packs.len() {
        let files = plan
            .members(p)
            .into_iter()
            .map(|f| {
                Ok((
                    plan.files[f].as_str(),
                    read(&format!("{}.wasm", plan.files[f]))?,
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        // Similar chunks side by side compress better (the loader finds chunks by name).
        let order =
            reorder::similarity_order(&files.iter().map(|(_, b)| b.as_slice()).collect::<Vec<_>>());
        let bytes = pack::encode(order.iter().map(|&i| (files[i].0, files[i].1.as_slice())));
        let path = dir.join(format!("{}.wasm", plan.pack_name(p)));
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let link = dir.join(LINK_NAME);
    let js = String::from_utf8(read(LINK_NAME)?).context("the loader is not UTF-8")?;
    let js = loader::rewrite(&js, &plan)
        .with_context(|| format!("cannot add packs to {}", link.display()))?;
    std::fs::write(&link, js).with_context(|| format!("cannot write {}", link.display()))?;
    let preloads = serde_json::to_string_pretty(&plan.preloads())?;
    std::fs::write(dir.join(MANIFEST), preloads).context("cannot write the split manifest")?;
    println!("{} packs", plan.packs.len());
    Ok(())
}
