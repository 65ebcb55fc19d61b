//! Rewriting a module through a wasm-encoder reencoder, for the steps that change a module after
//! wasm-bindgen or wasm-opt (`strip-classes`, `shorten-imports`, `reorder`).

use anyhow::Context;
use wasm_encoder::reencode::Reencode;
use wasmparser::{Parser, Validator};

/// `wasm` rewritten by `reencoder`, validated; `what` names the result in errors.
pub fn rewrite<R>(reencoder: &mut R, wasm: &[u8], what: &str) -> anyhow::Result<Vec<u8>>
where
    R: Reencode<Error = std::convert::Infallible>,
{
    let mut module = wasm_encoder::Module::new();
    reencoder
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| anyhow::anyhow!("cannot rewrite the module: {e:?}"))?;
    let out = module.finish();
    Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&out)
        .with_context(|| format!("the {what} module does not validate"))?;
    Ok(out)
}
