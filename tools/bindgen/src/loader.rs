//! Rewrites the chunk loader that wasm_split_cli_support generates (`__wasm_split.*.js`) so that
//! chunks come from packs: adds the pack runtime (`pack_loader.js`) and its table, routes every
//! chunk fetch through `packFetch` and every split point's load through `packWrap`, and drops the
//! comments listing each chunk's split points. Fails when the generated code does not look as
//! expected (a new wasm_split_cli_support version), rather than writing a loader that ignores packs.

use anyhow::{bail, ensure, Context};
use serde_json::json;

use crate::pack::Plan;

const RUNTIME: &str = include_str!("pack_loader.js");
/// Where the runtime goes: before the generated runtime's first function.
const ANCHOR: &str = "function wrapAsyncCb(";
const FETCH_START: &str = "fetch(new URL(\"./";
const FETCH_END: &str = ".wasm\", import.meta.url))";
const EXPORT_START: &str = "export const __wasm_split_load_";
const EXPORT_WRAP: &str = " = wrapAsyncCb(makeLoad(";

/// Returns `js` (the generated loader) rewritten to load through the packs of `plan`.
pub fn rewrite(js: &str, plan: &Plan) -> anyhow::Result<String> {
    let mut out = String::with_capacity(js.len());
    let (mut fetches, mut loads) = (0, 0);
    for line in js.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("/*") && trimmed.ends_with("*/") {
            continue;
        }
        if line.starts_with(ANCHOR) && !out.contains(RUNTIME) {
            out.push_str(&format!("const packTable = {};\n", table(plan)));
            out.push_str(RUNTIME);
        }
        if let Some(rest) = line.strip_prefix(EXPORT_START) {
            let (split, tail) = rest
                .split_once(EXPORT_WRAP)
                .with_context(|| format!("unexpected split point load in the loader: {line}"))?;
            ensure!(
                plan.splits.iter().any(|s| s == split),
                "the loader loads split point {split}, which the split manifest does not list"
            );
            out.push_str(&format!(
                "{EXPORT_START}{split} = packWrap(\"{split}\", makeLoad({tail}\n"
            ));
            loads += 1;
            continue;
        }
        if let Some((before, rest)) = line.split_once(FETCH_START) {
            let (file, after) = rest
                .split_once(FETCH_END)
                .with_context(|| format!("unexpected chunk fetch in the loader: {line}"))?;
            ensure!(
                plan.files.iter().any(|f| f == file),
                "the loader fetches {file}.wasm, which the split manifest does not list"
            );
            out.push_str(&format!("{before}packFetch(\"{file}\"){after}\n"));
            fetches += 1;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if !out.contains(RUNTIME) {
        bail!("the loader has no `{ANCHOR}`: cannot add the pack runtime (wasm_split_cli_support changed?)");
    }
    if fetches != plan.files.len() || loads != plan.splits.len() {
        bail!(
            "the loader has {fetches} chunk fetches and {loads} split point loads in the expected form, \
             the split manifest {} files and {} split points (wasm_split_cli_support changed?)",
            plan.files.len(),
            plan.splits.len()
        );
    }
    Ok(out)
}

/// The table `pack_loader.js` reads (`packTable`), as JSON.
fn table(plan: &Plan) -> String {
    let bitset = |set: &std::collections::BTreeSet<usize>| -> String {
        let mut digits = vec![0u8; plan.files.len().div_ceil(4)];
        for &f in set {
            digits[f / 4] |= 1 << (f % 4);
        }
        digits
            .iter()
            .map(|d| char::from_digit(u32::from(*d), 16).expect("a hex digit"))
            .collect()
    };
    let packs: Vec<(usize, i64)> = plan
        .packs
        .iter()
        .map(|&(split, route)| (split, route.map_or(-1, |r| r as i64)))
        .collect();
    json!({
        "files": plan.files,
        "sizes": plan.sizes,
        "splits": plan.splits,
        "needs": plan.needs.iter().map(bitset).collect::<Vec<_>>(),
        "packs": packs,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const GENERATED: &str = r#"import { initSync } from "/pkg/kubeorch.js";
function wrapAsyncCb(callee) {
}
/* __a_route_view_1, part_2 */
const __chunk_0 = makeLoad(() => {
    const src = fetch(new URL("./chunk_0.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load___a_route_view_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split___a_route_view_1.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_0]));
export const __wasm_split_load_part_2 = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_0]));
"#;

    fn plan() -> Plan {
        let needs: BTreeMap<String, Vec<String>> = [
            (
                "__a_route_view_1",
                vec!["chunk_0", "split___a_route_view_1"],
            ),
            ("part_2", vec!["chunk_0"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        Plan::new(&needs, |_| Ok(5)).unwrap()
    }

    #[test]
    fn routes_fetches_and_loads_through_the_packs() {
        let js = rewrite(GENERATED, &plan()).unwrap();
        assert!(js.contains(r#"const src = packFetch("chunk_0");"#));
        assert!(js.contains(r#"const src = packFetch("split___a_route_view_1");"#));
        assert!(!js.contains("fetch(new URL(\"./chunk_0.wasm\""));
        assert!(js.contains(
            r#"export const __wasm_split_load___a_route_view_1 = packWrap("__a_route_view_1", makeLoad(() => {"#
        ));
        assert!(js.contains(
            r#"export const __wasm_split_load_part_2 = packWrap("part_2", makeLoad(() => async (_imp) => ({}), [__chunk_0]));"#
        ));
        assert!(!js.contains("/* __a_route_view_1"));
        let table = r#"const packTable = {"files":["chunk_0","split___a_route_view_1"],"needs":["3","1"],"packs":[[0,-1],[1,-1]],"sizes":[5,5],"splits":["__a_route_view_1","part_2"]};"#;
        assert!(js.contains(table), "{js}");
        assert!(js.find(table).unwrap() < js.find(ANCHOR).unwrap());
    }

    #[test]
    fn a_loader_of_another_shape_is_an_error() {
        let without_runtime = GENERATED.replace(ANCHOR, "function other(");
        assert!(rewrite(&without_runtime, &plan()).is_err());
        let other_fetch =
            GENERATED.replace("fetch(new URL(\"./chunk_0.wasm\"", "load(\"chunk_0.wasm\"");
        let err = rewrite(&other_fetch, &plan()).unwrap_err().to_string();
        assert!(err.contains("1 chunk fetches"), "{err}");
        let unknown = GENERATED.replace("chunk_0.wasm", "chunk_9.wasm");
        assert!(rewrite(&unknown, &plan()).is_err());
    }
}
