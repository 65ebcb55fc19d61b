//! Leaves out the wasm-bindgen classes that nothing can create.
//!
//! A `#[wasm_bindgen]` struct becomes a JavaScript class in the glue, and its methods become
//! exports of the module. The exports keep the methods' code alive even when the program never
//! hands such an object to JavaScript, which is the only way one comes to exist: the class has no
//! constructor, and instances are made only by its static `__wrap` from a pointer the module
//! passes out. wasm-streams' `IntoUnderlyingSource`, `IntoUnderlyingByteSource` and
//! `IntoUnderlyingSink` (linked through Leptos's server functions, never used by this app) are
//! such classes: 13 exports and their stream code, 1.5 kB of the main module after gzip.
//!
//! A class is left out when the glue never names it outside its own declaration and its
//! `Symbol.dispose` line (so neither `__wrap` nor anything else can make one), and the exports
//! its code calls are called nowhere else. Then the class, its `FinalizationRegistry` and those
//! exports go; wasm-opt then drops the code only they reached.

use std::collections::BTreeSet;

use wasm_encoder::reencode::{self, Reencode};

use crate::imports::identifiers;
use crate::rewrite::rewrite;

/// `wasm` and `js` without the classes nothing can create, and the names of those classes.
pub fn strip(wasm: &[u8], js: &str) -> anyhow::Result<(Vec<u8>, String, Vec<String>)> {
    let mut js = js.to_string();
    let mut exports = BTreeSet::new();
    let mut stripped = Vec::new();
    while let Some(unused) = next_unused(&js, &stripped) {
        for (start, end) in unused.cut.iter().rev() {
            js.replace_range(start..end, "");
        }
        exports.extend(unused.calls);
        stripped.push(unused.name);
    }
    if exports.is_empty() {
        return Ok((wasm.to_vec(), js, stripped));
    }
    let out = rewrite(&mut Without { exports: &exports }, wasm, "stripped")?;
    Ok((out, js, stripped))
}

/// A class that can be left out.
struct Unused {
    name: String,
    /// The byte ranges of the glue to cut (sorted, disjoint).
    cut: Vec<(usize, usize)>,
    /// The exports only those ranges call.
    calls: Vec<String>,
}

/// The first class (not in `done`) that can be left out.
fn next_unused(js: &str, done: &[String]) -> Option<Unused> {
    let tokens = identifiers(js);
    let mut from = 0;
    while let Some(found) = js[from..].find("\nexport class ") {
        let start = from + found + 1;
        from = start;
        let line_end = start + js[start..].find('\n')?;
        let Some(name) = js[start..line_end]
            .strip_prefix("export class ")
            .and_then(|rest| rest.strip_suffix(" {"))
        else {
            continue;
        };
        if done.iter().any(|d| d == name) || !is_identifier(name) {
            continue;
        }
        let body_end = line_end + js[line_end..].find("\n}\n")? + 3;
        let mut cut = vec![(start, body_end)];
        let dispose = format!(
            "if (Symbol.dispose) {name}.prototype[Symbol.dispose] = {name}.prototype.free;\n"
        );
        if js[body_end..].starts_with(&dispose) {
            cut.push((body_end, body_end + dispose.len()));
        }
        let registry = format!("const {name}Finalization = (typeof FinalizationRegistry");
        if let Some(at) = js.find(&registry) {
            let end = at + js[at..].find(");\n")? + 3;
            cut.push((at, end));
        }
        cut.sort_unstable();
        if cut.windows(2).any(|w| w[0].1 > w[1].0) {
            continue;
        }
        let inside = |at: usize| cut.iter().any(|&(s, e)| s <= at && at < e);
        let named_outside = tokens.iter().any(|&(s, e)| &js[s..e] == name && !inside(s));
        if named_outside {
            continue;
        }
        let calls: BTreeSet<String> = tokens
            .windows(2)
            .filter(|w| {
                &js[w[0].0..w[0].1] == "wasm" && js[w[0].1..w[1].0] == *"." && inside(w[0].0)
            })
            .map(|w| js[w[1].0..w[1].1].to_string())
            .collect();
        let called_outside = tokens
            .iter()
            .any(|&(s, e)| calls.contains(&js[s..e]) && !inside(s));
        if called_outside || calls.is_empty() {
            continue;
        }
        return Some(Unused {
            name: name.to_string(),
            cut,
            calls: calls.into_iter().collect(),
        });
    }
    None
}

fn is_identifier(name: &str) -> bool {
    identifiers(name) == [(0, name.len())]
}

/// The reencoder: the module without some exports.
struct Without<'a> {
    exports: &'a BTreeSet<String>,
}

impl Reencode for Without<'_> {
    type Error = std::convert::Infallible;

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        for export in section {
            let export = export?;
            if !self.exports.contains(export.name) {
                reencode::utils::parse_export(self, exports, export)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, Module,
        TypeSection,
    };

    fn module(exports: &[&str]) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        f.instruction(&Instruction::End);
        code.function(&f);
        let mut section = ExportSection::new();
        for name in exports {
            section.export(name, ExportKind::Func, 0);
        }
        let mut m = Module::new();
        m.section(&types)
            .section(&funcs)
            .section(&section)
            .section(&code);
        m.finish()
    }

    fn export_names(wasm: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let wasmparser::Payload::ExportSection(s) = payload.unwrap() {
                for e in s {
                    out.push(e.unwrap().name.to_string());
                }
            }
        }
        out
    }

    const GLUE: &str = "import x from './y.js';

export class Unused {
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_unused_free(ptr, 0);
        UnusedFinalization.unregister(this);
    }
    pull(c) {
        return wasm.unused_pull(this.__wbg_ptr, c);
    }
}
if (Symbol.dispose) Unused.prototype[Symbol.dispose] = Unused.prototype.free;
export class Used {
    static __wrap(ptr) {
        const obj = Object.create(Used.prototype);
        return obj;
    }
    go() {
        return wasm.used_go(this.__wbg_ptr);
    }
}
export class Shares {
    go() {
        return wasm.shared_fn(this.__wbg_ptr);
    }
}
export function hydrate() {
    wasm.hydrate();
    wasm.shared_fn(0);
    return Used.__wrap(1);
}
const UnusedFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_unused_free(ptr, 1));
const UsedFinalization = 1;
";

    #[test]
    fn a_class_nothing_creates_goes_with_the_exports_only_it_calls() {
        let wasm = module(&[
            "__wbg_unused_free",
            "unused_pull",
            "used_go",
            "shared_fn",
            "hydrate",
        ]);
        let (wasm, js, stripped) = strip(&wasm, GLUE).unwrap();
        assert_eq!(stripped, vec!["Unused".to_string()]);
        assert_eq!(export_names(&wasm), vec!["used_go", "shared_fn", "hydrate"]);
        assert!(!js.contains("Unused"), "{js}");
        assert!(!js.contains("unused_pull"), "{js}");
        assert!(js.contains("export class Used {"), "{js}");
        assert!(js.contains("export class Shares {"), "{js}");
        assert!(js.contains("const UsedFinalization = 1;\n"), "{js}");
        assert!(
            js.starts_with("import x from './y.js';\n\nexport class Used {"),
            "{js}"
        );
    }

    #[test]
    fn nothing_changes_without_such_a_class() {
        let glue = GLUE.replace(
            "export function hydrate() {",
            "export function hydrate() {\n    new Unused();",
        );
        let wasm = module(&["__wbg_unused_free", "unused_pull"]);
        let (out, js, stripped) = strip(&wasm, &glue).unwrap();
        assert!(stripped.is_empty());
        assert_eq!(out, wasm);
        assert_eq!(js, glue);
    }
}
