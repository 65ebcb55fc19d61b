//! Packs: the chunks a split point needs, in one file, so that a page downloads its code in one
//! request instead of hundreds (one per chunk, each gzipped on its own).
//!
//! A pack is a valid WebAssembly module without code: the 8-byte header, then one custom section
//! per chunk, named after the chunk's file (without `.wasm`) and holding the chunk's bytes. It is
//! served and preloaded as `application/wasm` like the chunks themselves; the loader reads the
//! sections back (see `pack_loader.js`).
//!
//! Which packs exist:
//! - `pack_{split}`: everything a split point needs (for a route, its whole first load);
//! - `pack_{part}_after_{route}`: what a lazily opened part (`#[lazy]`) needs once a route it
//!   shares most of its code with is loaded, for each route holding at least [`DELTA_MIN_SHARE`]
//!   or [`DELTA_MIN_BYTES`] of the part's bytes;
//! - `pack_{part}_after_{route}_and_{other}`: what the part still needs once that route and
//!   another part are loaded, for each other part holding at least [`DELTA_MIN_SHARE`] (or
//!   [`DELTA_MIN_BYTES`]) of what the part needs beyond the route (e.g. the editor's check, opened at the first edit, after
//!   the node settings that share most of its code): otherwise the browser would fetch those
//!   files one by one.

use std::collections::{BTreeMap, BTreeSet};

/// A part gets a delta pack after a route (or after a route and another part) when they hold at
/// least this share of its bytes (of what it needs beyond the route). The editor's big parts (node
/// settings, the check, the Run and Import dialogs, the history) share 28-40 % of their bytes
/// with it; the loader takes a pack that brings all a part still misses before any other.
pub const DELTA_MIN_SHARE: f64 = 0.2;

/// ... or at least this many bytes of it: a big part shares much code with the route even when
/// that is a small share of it (the node settings, which carry the parameter definitions, share
/// 20 %; the check 10 %, 37 kB).
pub const DELTA_MIN_BYTES: u64 = 32 * 1024;

/// The files of every split point and the packs made from them.
#[derive(Debug, PartialEq)]
pub struct Plan {
    /// Every file (chunk or split module) by name, without `.wasm`, sorted.
    pub files: Vec<String>,
    /// Each file's size in bytes.
    pub sizes: Vec<u64>,
    /// The split points, sorted.
    pub splits: Vec<String>,
    /// For each split point, the indices (into `files`) of the files it needs.
    pub needs: Vec<BTreeSet<usize>>,
    /// The packs: the split point they are for and, for a delta pack, the split points already
    /// loaded (a route, or a route and another part).
    pub packs: Vec<(usize, Vec<usize>)>,
}

/// True for a `#[lazy_route]` view: leptos_router names its lazily loaded view `__{Type}_View`.
pub fn is_route(split: &str) -> bool {
    split.starts_with("__")
}

impl Plan {
    /// Plans the packs for `needs` (split point → file names, as the splitter writes them), with
    /// `size` giving each file's size.
    pub fn new(
        needs: &BTreeMap<String, Vec<String>>,
        mut size: impl FnMut(&str) -> anyhow::Result<u64>,
    ) -> anyhow::Result<Self> {
        let files: Vec<String> = needs
            .values()
            .flatten()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let sizes = files
            .iter()
            .map(|f| size(f))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let index = |f: &String| files.binary_search(f).expect("every file is listed");
        let splits: Vec<String> = needs.keys().cloned().collect();
        let needs: Vec<BTreeSet<usize>> = needs
            .values()
            .map(|v| v.iter().map(index).collect())
            .collect();
        let bytes = |set: &BTreeSet<usize>| set.iter().map(|&i| sizes[i]).sum::<u64>();
        // Whether `after` holds enough of `wanted` (and not all of it) for a delta pack.
        let worth = |wanted: &BTreeSet<usize>, after: &BTreeSet<usize>| {
            let shared: BTreeSet<usize> = wanted.intersection(after).copied().collect();
            shared.len() < wanted.len()
                && (bytes(&shared) as f64 >= DELTA_MIN_SHARE * bytes(wanted) as f64
                    || bytes(&shared) >= DELTA_MIN_BYTES)
        };
        let mut packs = Vec::new();
        for (part, part_needs) in needs.iter().enumerate() {
            if part_needs.is_empty() {
                continue;
            }
            packs.push((part, Vec::new()));
            if is_route(&splits[part]) {
                continue;
            }
            for (route, route_needs) in needs.iter().enumerate() {
                if !is_route(&splits[route]) || !worth(part_needs, route_needs) {
                    continue;
                }
                packs.push((part, vec![route]));
                let rest: BTreeSet<usize> = part_needs.difference(route_needs).copied().collect();
                for (other, other_needs) in needs.iter().enumerate() {
                    if other != part && !is_route(&splits[other]) && worth(&rest, other_needs) {
                        packs.push((part, vec![route, other]));
                    }
                }
            }
        }
        Ok(Self {
            files,
            sizes,
            splits,
            needs,
            packs,
        })
    }

    /// The file name (without `.wasm`) of pack `p`.
    pub fn pack_name(&self, p: usize) -> String {
        let (split, after) = &self.packs[p];
        let mut name = format!("pack_{}", self.splits[*split]);
        for (k, &loaded) in after.iter().enumerate() {
            name.push_str(if k == 0 { "_after_" } else { "_and_" });
            name.push_str(&self.splits[loaded]);
        }
        name
    }

    /// The files (indices into `files`) in pack `p`.
    pub fn members(&self, p: usize) -> BTreeSet<usize> {
        let (split, after) = &self.packs[p];
        self.needs[*split]
            .iter()
            .filter(|f| !after.iter().any(|&loaded| self.needs[loaded].contains(f)))
            .copied()
            .collect()
    }

    /// What the server preloads for each split point (Leptos reads this as the split manifest):
    /// a route's own pack, nothing for a lazily opened part (the browser picks its pack when the
    /// part is opened, from what is loaded by then).
    pub fn preloads(&self) -> BTreeMap<&str, Vec<String>> {
        let mut out: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (k, split) in self.splits.iter().enumerate() {
            out.insert(split, Vec::new());
            if is_route(split) {
                if let Some(p) = self
                    .packs
                    .iter()
                    .position(|(split, after)| *split == k && after.is_empty())
                {
                    out.insert(split, vec![self.pack_name(p)]);
                }
            }
        }
        out
    }
}

/// Builds a pack: a WebAssembly module with one custom section (named `name`) per `(name, bytes)`.
pub fn encode<'a>(parts: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut out = b"\0asm\x01\0\0\0".to_vec();
    for (name, bytes) in parts {
        let mut name_field = Vec::new();
        leb128(&mut name_field, name.len() as u64);
        name_field.extend_from_slice(name.as_bytes());
        out.push(0); // custom section
        leb128(&mut out, (name_field.len() + bytes.len()) as u64);
        out.extend_from_slice(&name_field);
        out.extend_from_slice(bytes);
    }
    out
}

fn leb128(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(entries: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn routes_get_one_pack_and_parts_a_delta_after_the_routes_sharing_their_code() {
        let needs = needs(&[
            ("__editor_route_view_1", &["a", "b", "c", "split_e"]),
            ("__login_route_view_1", &["a", "split_l"]),
            ("settings_2", &["b", "c", "d", "split_s"]),
            ("empty_3", &[]),
        ]);
        let plan = Plan::new(&needs, |_| Ok(10)).unwrap();
        let names: Vec<_> = (0..plan.packs.len()).map(|p| plan.pack_name(p)).collect();
        assert_eq!(
            names,
            [
                "pack___editor_route_view_1",
                "pack___login_route_view_1",
                "pack_settings_2",
                "pack_settings_2_after___editor_route_view_1",
            ]
        );
        let files = |p: usize| -> Vec<&str> {
            plan.members(p)
                .iter()
                .map(|&i| plan.files[i].as_str())
                .collect()
        };
        assert_eq!(files(0), ["a", "b", "c", "split_e"]);
        assert_eq!(files(3), ["d", "split_s"]);
        let preloads = plan.preloads();
        assert_eq!(
            preloads["__editor_route_view_1"],
            ["pack___editor_route_view_1"]
        );
        assert!(preloads["settings_2"].is_empty());
        assert!(preloads["empty_3"].is_empty());
    }

    #[test]
    fn a_part_gets_a_delta_after_a_route_and_another_part_sharing_what_the_route_lacks() {
        let needs = needs(&[
            ("__editor_route_view_1", &["a", "b", "c", "split_e"]),
            ("check_2", &["a", "b", "c", "s1", "s2", "split_c"]),
            ("settings_3", &["s1", "s2", "x", "split_s"]),
            ("history_4", &["c", "v", "w", "y", "z", "split_h"]),
        ]);
        let plan = Plan::new(&needs, |_| Ok(10)).unwrap();
        let names: Vec<_> = (0..plan.packs.len()).map(|p| plan.pack_name(p)).collect();
        assert_eq!(
            names,
            [
                "pack___editor_route_view_1",
                "pack_check_2",
                "pack_check_2_after___editor_route_view_1",
                "pack_check_2_after___editor_route_view_1_and_settings_3",
                "pack_history_4",
                "pack_settings_3",
            ]
        );
        let files: Vec<&str> = plan
            .members(3)
            .iter()
            .map(|&i| plan.files[i].as_str())
            .collect();
        assert_eq!(files, ["split_c"]);
    }

    #[test]
    fn no_delta_after_a_route_that_holds_little_of_the_part_or_all_of_it() {
        let needs = needs(&[
            ("__small_route_view_1", &["a"]),
            ("__whole_route_view_1", &["a", "b", "c", "d", "split_p"]),
            ("part_2", &["a", "b", "split_p"]),
        ]);
        let plan = Plan::new(&needs, |f| Ok(if f == "a" { 1 } else { 100 })).unwrap();
        assert_eq!(plan.packs, [(0, vec![]), (1, vec![]), (2, vec![])]);
    }

    #[test]
    fn a_delta_after_a_route_holding_a_small_share_that_is_many_bytes() {
        let needs = needs(&[
            ("__route_view_1", &["a", "b"]),
            ("part_2", &["a", "split_p"]),
        ]);
        let big = DELTA_MIN_BYTES;
        let plan = Plan::new(&needs, |f| Ok(if f == "a" { big } else { 20 * big })).unwrap();
        assert_eq!(plan.packs, [(0, vec![]), (1, vec![]), (1, vec![0])]);
        let plan = Plan::new(&needs, |f| Ok(if f == "a" { big - 1 } else { 20 * big })).unwrap();
        assert_eq!(plan.packs, [(0, vec![]), (1, vec![])]);
    }

    #[test]
    fn a_pack_is_a_wasm_module_of_custom_sections() {
        let big = vec![7u8; 200];
        let pack = encode([("chunk_1", &[1u8, 2][..]), ("c", &big[..])]);
        let mut expected = b"\0asm\x01\0\0\0".to_vec();
        expected.extend_from_slice(&[0, 10, 7]);
        expected.extend_from_slice(b"chunk_1");
        expected.extend_from_slice(&[1, 2]);
        expected.extend_from_slice(&[0, 0xca, 0x01, 1, b'c']); // 202 = 0xca: LEB128 ca 01
        expected.extend_from_slice(&big);
        assert_eq!(pack, expected);
    }
}
