//! Rewrites the chunk loader that wasm_split_cli_support generates (`__wasm_split.*.js`) so that
//! chunks come from packs, and makes it compact. The generated loader spells out every chunk
//! (a `makeLoad` block each) and, for every split point, the list of chunks it needs: for this app
//! that is most of its 165 kB. The rewrite checks each block against the split manifest, then
//! replaces the blocks with the pack runtime (`pack_loader.js`), which builds the same loaders from
//! its table (`packChunk`, `packExport`), and one `export` line per split point that loads through
//! `packWrap`. Fails when the generated code does not look as expected (a new
//! wasm_split_cli_support version), rather than writing a loader that ignores packs.

use std::collections::BTreeSet;

use anyhow::{bail, ensure, Context};
use serde_json::json;

use crate::pack::Plan;

const RUNTIME: &str = include_str!("pack_loader.js");
/// Where the runtime goes: before the generated runtime's first function.
const ANCHOR: &str = "function wrapAsyncCb(";
const CHUNK_START: &str = "const __chunk_";
const EXPORT_START: &str = "export const __wasm_split_load_";
const EXPORT_WRAP: &str = " = wrapAsyncCb(makeLoad(";
/// A split point without a module of its own (a `#[lazy]` part made only of shared chunks).
const NO_MODULE: &str = "() => async (_imp) => ({})";

/// The fetch-and-instantiate function the generator writes for `file`, line by line.
fn fetcher(file: &str) -> [String; 5] {
    [
        "() => {".to_string(),
        format!("    const src = fetch(new URL(\"./{file}.wasm\", import.meta.url));"),
        "    src.catch(() => {});".to_string(),
        "    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));"
            .to_string(),
        "}".to_string(),
    ]
}

/// The module file a split point loads besides its chunks, as the generator names it.
fn own_module(split: &str) -> String {
    format!("split_{split}")
}

/// Returns `js` (the generated loader) rewritten to load through the packs of `plan`.
pub fn rewrite(js: &str, plan: &Plan) -> anyhow::Result<String> {
    let mut out = String::with_capacity(RUNTIME.len() + 4096);
    let mut chunks = BTreeSet::new();
    let mut loads = BTreeSet::new();
    let mut lines = js.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("/*") && trimmed.ends_with("*/") {
            continue;
        }
        if line.starts_with(ANCHOR) && !out.contains(RUNTIME) {
            out.push_str(&format!("const packTable = {};\n", table(plan)?));
            out.push_str(RUNTIME);
        }
        if let Some(rest) = line.strip_prefix(CHUNK_START) {
            let (name, tail) = rest
                .split_once(" = makeLoad(")
                .with_context(|| format!("unexpected chunk in the loader: {line}"))?;
            let file = format!("chunk_{name}");
            let mut block = vec![tail.to_string()];
            block.extend(lines.by_ref().take(5).map(str::to_string));
            let mut expected = fetcher(&file).to_vec();
            expected.push(", []);".to_string());
            ensure!(
                block == expected,
                "unexpected loader for {file} (wasm_split_cli_support changed?):\n{}",
                block.join("\n")
            );
            ensure!(
                plan.files.contains(&file),
                "the loader fetches {file}.wasm, which the split manifest does not list"
            );
            chunks.insert(file);
            continue;
        }
        if let Some(rest) = line.strip_prefix(EXPORT_START) {
            let (split, tail) = rest
                .split_once(EXPORT_WRAP)
                .with_context(|| format!("unexpected split point load in the loader: {line}"))?;
            let index = plan.splits.iter().position(|s| s == split).with_context(|| {
                format!("the loader loads split point {split}, which the split manifest does not list")
            })?;
            let (own, deps) = if let Some(deps) = tail.strip_prefix(&format!("{NO_MODULE}, [")) {
                (None, deps.to_string())
            } else {
                let own = own_module(split);
                let mut block = vec![tail.to_string()];
                block.extend(lines.by_ref().take(4).map(str::to_string));
                ensure!(
                    block == fetcher(&own),
                    "unexpected loader for split point {split} (wasm_split_cli_support changed?):\n{}",
                    block.join("\n")
                );
                let deps = lines
                    .next()
                    .and_then(|l| l.strip_prefix(", ["))
                    .with_context(|| {
                        format!("the loader's split point {split} has no chunk list")
                    })?;
                (Some(own), deps.to_string())
            };
            let deps = deps
                .strip_suffix("]));")
                .with_context(|| format!("the loader's split point {split}: bad chunk list"))?;
            let deps: BTreeSet<String> = deps
                .split(", ")
                .filter(|d| !d.is_empty())
                .map(|d| d.trim_start_matches("__").to_string())
                .collect();
            let mut needs: BTreeSet<String> = plan.needs[index]
                .iter()
                .map(|&f| plan.files[f].clone())
                .collect();
            if let Some(own) = &own {
                ensure!(
                    needs.remove(own),
                    "the loader loads {own}.wasm for {split}, which the split manifest does not list"
                );
            }
            ensure!(
                deps == needs && needs.iter().all(|f| !f.starts_with("split_")),
                "the loader's chunks for {split} differ from the split manifest's"
            );
            out.push_str(&format!(
                "{EXPORT_START}{split} = packExport(\"{split}\");\n"
            ));
            loads.insert(split.to_string());
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if !out.contains(RUNTIME) {
        bail!("the loader has no `{ANCHOR}`: cannot add the pack runtime (wasm_split_cli_support changed?)");
    }
    let modules = plan
        .files
        .iter()
        .filter(|f| f.starts_with("split_"))
        .count();
    if chunks.len() + modules != plan.files.len() || loads.len() != plan.splits.len() {
        bail!(
            "the loader has {} chunks and {} split point loads in the expected form, \
             the split manifest {} files and {} split points (wasm_split_cli_support changed?)",
            chunks.len(),
            loads.len(),
            plan.files.len() - modules,
            plan.splits.len()
        );
    }
    Ok(out)
}

/// The table `pack_loader.js` reads (`packTable`), as JSON.
fn table(plan: &Plan) -> anyhow::Result<String> {
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
    let (chunks, modules) = file_names(plan)?;
    let packs: Vec<Vec<usize>> = plan
        .packs
        .iter()
        .map(|(split, after)| {
            std::iter::once(*split)
                .chain(after.iter().copied())
                .collect()
        })
        .collect();
    Ok(json!({
        "chunks": chunks,
        "modules": modules,
        // In 256-byte units, rounded up: all the loader does with them is compare sums.
        "sizes": plan.sizes.iter().map(|s| s.div_ceil(256)).collect::<Vec<_>>(),
        "splits": plan.splits,
        "needs": plan.needs.iter().map(bitset).collect::<Vec<_>>(),
        "packs": packs,
    })
    .to_string())
}

/// The plan's files in the table's short form, which `pack_loader.js` expands: the chunks
/// (`chunk_N`) as runs of consecutive numbers `[first, last]`, and the split points (by index)
/// that have a module of their own (`split_{name}`). Fails on any other file name.
fn file_names(plan: &Plan) -> anyhow::Result<(Vec<[u64; 2]>, Vec<usize>)> {
    let mut numbers = Vec::new();
    let mut modules = Vec::new();
    for file in &plan.files {
        if let Some(n) = file
            .strip_prefix("chunk_")
            .and_then(|n| n.parse::<u64>().ok())
        {
            ensure!(
                format!("chunk_{n}") == *file,
                "unexpected chunk name {file}"
            );
            numbers.push(n);
        } else if let Some(split) = plan.splits.iter().position(|s| own_module(s) == *file) {
            modules.push(split);
        } else {
            bail!("{file} is neither a chunk nor a split point's module");
        }
    }
    numbers.sort_unstable();
    let mut runs: Vec<[u64; 2]> = Vec::new();
    for n in numbers {
        match runs.last_mut() {
            Some(run) if run[1] + 1 == n => run[1] = n,
            _ => runs.push([n, n]),
        }
    }
    modules.sort_unstable();
    Ok((runs, modules))
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
    fn chunk_and_split_point_blocks_become_table_driven_loads() {
        let js = rewrite(GENERATED, &plan()).unwrap();
        assert!(!js.contains("fetch(new URL(\"./chunk_0.wasm\""), "{js}");
        assert!(!js.contains("const __chunk_0"), "{js}");
        assert!(js.contains(
            "export const __wasm_split_load___a_route_view_1 = packExport(\"__a_route_view_1\");\n"
        ));
        assert!(js.contains("export const __wasm_split_load_part_2 = packExport(\"part_2\");\n"));
        assert!(!js.contains("/* __a_route_view_1"));
        let table = r#"const packTable = {"chunks":[[0,0]],"modules":[0],"needs":["3","1"],"packs":[[0],[1]],"sizes":[1,1],"splits":["__a_route_view_1","part_2"]};"#;
        assert!(js.contains(table), "{js}");
        assert!(js.find(table).unwrap() < js.find(ANCHOR).unwrap());
        assert!(js.starts_with("import { initSync } from \"/pkg/kubeorch.js\";\n"));
    }

    #[test]
    fn file_names_are_runs_of_chunk_numbers_and_split_points_with_a_module() {
        let needs: BTreeMap<String, Vec<String>> = [
            (
                "b",
                vec!["chunk_7", "chunk_3", "split_b", "chunk_4", "chunk_10"],
            ),
            ("a", vec!["chunk_5", "chunk_9"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        let plan = Plan::new(&needs, |_| Ok(1)).unwrap();
        let (runs, modules) = file_names(&plan).unwrap();
        assert_eq!(runs, vec![[3, 5], [7, 7], [9, 10]]);
        assert_eq!(modules, vec![1]);
        for odd in ["chunk_07", "chunk_x", "other"] {
            let needs: BTreeMap<String, Vec<String>> = [("a".to_string(), vec![odd.to_string()])]
                .into_iter()
                .collect();
            let plan = Plan::new(&needs, |_| Ok(1)).unwrap();
            assert!(file_names(&plan).is_err(), "{odd}");
        }
    }

    #[test]
    fn chunk_lists_must_match_the_split_manifest() {
        let missing = GENERATED.replace(", [__chunk_0]));\n", ", []));\n");
        let err = rewrite(&missing, &plan()).unwrap_err().to_string();
        assert!(err.contains("differ from the split manifest"), "{err}");
        let extra = GENERATED.replace("({}), [__chunk_0]));", "({}), [__chunk_0, __chunk_1]));");
        let err = rewrite(&extra, &plan()).unwrap_err().to_string();
        assert!(err.contains("part_2"), "{err}");
    }

    #[test]
    fn a_loader_of_another_shape_is_an_error() {
        let without_runtime = GENERATED.replace(ANCHOR, "function other(");
        assert!(rewrite(&without_runtime, &plan()).is_err());
        let other_fetch =
            GENERATED.replace("fetch(new URL(\"./chunk_0.wasm\"", "load(\"chunk_0.wasm\"");
        let err = rewrite(&other_fetch, &plan()).unwrap_err().to_string();
        assert!(err.contains("unexpected loader for chunk_0"), "{err}");
        let with_deps = GENERATED.replace("}\n, []);", "}\n, [__chunk_9]);");
        assert!(rewrite(&with_deps, &plan()).is_err());
        let other_module = GENERATED.replace("./split___a_route_view_1.wasm", "./other.wasm");
        assert!(rewrite(&other_module, &plan()).is_err());
        let unknown = GENERATED.replace("chunk_0.wasm", "chunk_9.wasm");
        assert!(rewrite(&unknown, &plan()).is_err());
    }
}
