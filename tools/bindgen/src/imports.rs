//! Short names for the main module's imports from its JavaScript glue.
//!
//! wasm-bindgen names each import after the function it binds plus a 16-digit hash
//! (`__wbg_setAttribute_8a1f…`), and the name is written twice: in the module's import section and
//! as a key of the glue's imports object. The hashes do not compress, so ~250 of them cost a few
//! kB of every page's first load. This step renames each such import to `$` and a base-36 number
//! in both files. An import is renamed only when its name occurs exactly once in the glue, as a
//! whole identifier (the imports object's key); anything else is left as it is.

use std::collections::{BTreeMap, BTreeSet};

use wasm_encoder::reencode::{self, Reencode};
use wasmparser::{Parser, Payload};

use crate::rewrite::rewrite;

/// `wasm` and `js` with the imports from `module` renamed, and how many were renamed.
pub fn shorten(wasm: &[u8], js: &str, module: &str) -> anyhow::Result<(Vec<u8>, String, usize)> {
    let mut names = BTreeSet::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ImportSection(section) = payload? {
            for import in section.into_imports() {
                let import = import?;
                if import.module == module {
                    names.insert(import.name.to_string());
                }
            }
        }
    }
    let tokens = identifiers(js);
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for &(start, end) in &tokens {
        *count.entry(&js[start..end]).or_default() += 1;
    }
    let mut renames = BTreeMap::new();
    let mut next = 0u32;
    for name in &names {
        if count.get(name.as_str()) != Some(&1) {
            continue;
        }
        let short = loop {
            let candidate = format!("${}", base36(next));
            next += 1;
            if !count.contains_key(candidate.as_str()) && !names.contains(&candidate) {
                break candidate;
            }
        };
        renames.insert(name.clone(), short);
    }
    let mut out_js = String::with_capacity(js.len());
    let mut at = 0;
    for &(start, end) in &tokens {
        if let Some(short) = renames.get(&js[start..end]) {
            out_js.push_str(&js[at..start]);
            out_js.push_str(short);
            at = end;
        }
    }
    out_js.push_str(&js[at..]);
    let mut rename = Rename {
        module: module.to_string(),
        renames: &renames,
    };
    let out = rewrite(&mut rename, wasm, "renamed")?;
    Ok((out, out_js, renames.len()))
}

/// The byte ranges of every maximal run of identifier characters in `js`.
pub fn identifiers(js: &str) -> Vec<(usize, usize)> {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let bytes = js.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if is_ident(bytes[i]) {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn base36(mut n: u32) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

struct Rename<'a> {
    module: String,
    renames: &'a BTreeMap<String, String>,
}

impl Reencode for Rename<'_> {
    type Error = std::convert::Infallible;

    fn parse_import_section(
        &mut self,
        imports: &mut wasm_encoder::ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        for import in section.into_imports() {
            let import = import?;
            let name = match self.renames.get(import.name) {
                Some(short) if import.module == self.module => short.as_str(),
                _ => import.name,
            };
            let ty = self.entity_type(import.ty)?;
            imports.import(import.module, name, ty);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{EntityType, ImportSection, Module, TypeSection};

    fn module(imports: &[(&str, &str)]) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut section = ImportSection::new();
        for (module, name) in imports {
            section.import(module, name, EntityType::Function(0));
        }
        let mut m = Module::new();
        m.section(&types).section(&section);
        m.finish()
    }

    fn import_names(wasm: &[u8]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ImportSection(section) = payload.unwrap() {
                for import in section.into_imports() {
                    let import = import.unwrap();
                    out.push((import.module.to_string(), import.name.to_string()));
                }
            }
        }
        out
    }

    #[test]
    fn imports_named_once_in_the_glue_get_short_names_in_both_files() {
        let wasm = module(&[
            ("./app_bg.js", "__wbg_new_0123456789abcdef"),
            ("./app_bg.js", "__wbg_used_twice_fedcba9876543210"),
            ("./other.js", "__wbg_elsewhere_0000000000000000"),
        ]);
        let js = "const i = { __wbg_new_0123456789abcdef: function() { return new Error(); },\n\
                  __wbg_used_twice_fedcba9876543210: () => log('__wbg_used_twice_fedcba9876543210'),\n\
                  __wbg_new_0123456789abcdefX: 1, $0: 2 };";
        let (wasm, js, renamed) = shorten(&wasm, js, "./app_bg.js").unwrap();
        assert_eq!(renamed, 1);
        assert_eq!(
            import_names(&wasm),
            vec![
                ("./app_bg.js".to_string(), "$1".to_string()),
                (
                    "./app_bg.js".to_string(),
                    "__wbg_used_twice_fedcba9876543210".to_string()
                ),
                (
                    "./other.js".to_string(),
                    "__wbg_elsewhere_0000000000000000".to_string()
                ),
            ]
        );
        assert!(js.starts_with("const i = { $1: function()"), "{js}");
        assert!(js.contains("__wbg_new_0123456789abcdefX: 1, $0: 2"), "{js}");
        assert_eq!(js.matches("__wbg_used_twice_fedcba9876543210").count(), 2);
    }

    #[test]
    fn base36_numbers() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }
}
