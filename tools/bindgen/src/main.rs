//! `wasm-bindgen` for the site build. Accepts the subset of the official CLI's arguments that
//! `scripts/build-site.sh` and cargo-leptos use:
//!
//! ```text
//! wasm-bindgen --target web --out-name NAME --out-dir DIR [--no-typescript] [--keep-lld-exports] INPUT.wasm
//! wasm-bindgen --version
//! ```

use anyhow::{bail, Context};
use wasm_bindgen_cli_support::Bindgen;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut out_name, mut out_dir, mut input) = (None, None, None);
    let mut typescript = true;
    let mut keep_lld_exports = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--version" | "-V" => {
                println!("wasm-bindgen {VERSION}");
                return Ok(());
            }
            "--target" => {
                let target = args.next().context("--target needs a value")?;
                if target != "web" {
                    bail!("only `--target web` is supported, not `{target}`");
                }
            }
            "--out-name" => out_name = Some(args.next().context("--out-name needs a value")?),
            "--out-dir" => out_dir = Some(args.next().context("--out-dir needs a value")?),
            "--no-typescript" => typescript = false,
            "--keep-lld-exports" => keep_lld_exports = true,
            other if other.starts_with("--") => bail!("unsupported option `{other}`"),
            other => input = Some(other.to_string()),
        }
    }
    let input = input
        .context("usage: wasm-bindgen --target web --out-name NAME --out-dir DIR INPUT.wasm")?;
    let out_dir = out_dir.context("--out-dir is required")?;

    let mut bindgen = Bindgen::new();
    bindgen
        .input_path(&input)
        .web(true)?
        .typescript(typescript)
        .keep_lld_exports(keep_lld_exports);
    if let Some(name) = &out_name {
        bindgen.out_name(name);
    }
    bindgen
        .generate(&out_dir)
        .with_context(|| format!("wasm-bindgen failed on {input}"))
}
