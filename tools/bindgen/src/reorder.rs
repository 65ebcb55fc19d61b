//! Reorders a module's functions so that similar function bodies sit next to each other.
//!
//! gzip (DEFLATE) finds repeats only within the last 32 KiB, so where a function lies decides how
//! much of it is coded as a back-reference to a similar one. Rust's code is full of near copies
//! (one instance of a generic function per type), but the compiler and wasm-opt lay functions out
//! by other criteria. The order is chosen greedily: from the smallest function, the next one is
//! always the most similar of those left (Jaccard similarity of their sets of 6-byte substrings).
//! Every function index in the module (calls, `ref.func`, exports, element segments, the start
//! function) is renumbered; imported functions keep their indices, and so do table slots, which
//! is what the split chunks and the JavaScript glue refer to.
//!
//! The same pass drops active element segments that only write nulls into a table the module
//! defines, where nothing non-null was written before: a new table is all nulls already.
//! wasm-split writes one such segment for each run of table slots its chunks fill later (600 in
//! the main module, 2.5 kB after gzip). The output is validated.

use anyhow::bail;
use wasm_encoder::reencode::{self, Reencode};
use wasmparser::{FunctionBody, Parser, Payload};

use crate::rewrite::rewrite;

/// Substring length for the similarity measure (of 3 to 8, 6 compressed the main module best).
const GRAM: usize = 6;

/// The module `wasm` with its defined functions reordered for compression.
pub fn reorder(wasm: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut imported = 0u32;
    let mut imported_tables = 0u32;
    let mut bodies: Vec<&[u8]> = Vec::new();
    let mut segments = Vec::new();
    let mut uses_segments = false;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    match import?.ty {
                        wasmparser::TypeRef::Func(_) => imported += 1,
                        wasmparser::TypeRef::Table(_) => imported_tables += 1,
                        _ => {}
                    }
                }
            }
            Payload::ElementSection(section) => {
                for element in section {
                    segments.push(Segment::of(&element?)?);
                }
            }
            Payload::CodeSectionEntry(body) => {
                bodies.push(&wasm[body.range()]);
                for op in body.get_operators_reader()? {
                    if matches!(
                        op?,
                        wasmparser::Operator::TableInit { .. }
                            | wasmparser::Operator::ElemDrop { .. }
                    ) {
                        uses_segments = true;
                    }
                }
            }
            Payload::CustomSection(c) if c.name() == "name" => {
                bail!("the module has a name section; reorder after wasm-opt strips it")
            }
            _ => {}
        }
    }
    let order = similarity_order(&bodies);
    let mut position = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new as u32;
    }
    let drop = if uses_segments {
        vec![false; segments.len()]
    } else {
        Segment::needless(&segments, imported_tables)
    };
    let mut renumber = Renumber {
        imported,
        position,
        order,
        drop,
        segment: 0,
    };
    rewrite(&mut renumber, wasm, "reordered")
}

/// A greedy nearest-neighbour order of `bodies` (indices into it).
pub fn similarity_order(bodies: &[&[u8]]) -> Vec<usize> {
    let grams: Vec<Vec<u32>> = bodies.iter().map(|b| gram_set(b)).collect();
    let mut left: Vec<usize> = (0..bodies.len()).collect();
    left.sort_by_key(|&i| (bodies[i].len(), i));
    let mut order = Vec::with_capacity(bodies.len());
    if left.is_empty() {
        return order;
    }
    order.push(left.remove(0));
    while !left.is_empty() {
        let current = &grams[*order.last().expect("not empty")];
        let mut best = (0usize, -1.0f64);
        for (k, &i) in left.iter().enumerate() {
            let score = jaccard(current, &grams[i]);
            if score > best.1 {
                best = (k, score);
            }
        }
        order.push(left.remove(best.0));
    }
    order
}

/// The sorted, deduplicated hashes of every `GRAM`-byte substring of `bytes`.
fn gram_set(bytes: &[u8]) -> Vec<u32> {
    let mut set: Vec<u32> = bytes
        .windows(GRAM)
        .map(|w| {
            // FNV-1a
            w.iter().fold(0x811c_9dc5u32, |h, &b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            })
        })
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// |a ∩ b| / |a ∪ b| for two sorted sets (0 for two empty ones).
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// What decides whether an element segment is needed.
struct Segment {
    /// For an active segment with a constant offset: table, first slot, slot count.
    slots: Option<(u32, u64, u64)>,
    /// Every item is a null reference.
    only_nulls: bool,
}

impl Segment {
    fn of(element: &wasmparser::Element<'_>) -> anyhow::Result<Self> {
        let (count, only_nulls) = match &element.items {
            wasmparser::ElementItems::Functions(f) => (f.count(), false),
            wasmparser::ElementItems::Expressions(_, e) => {
                let mut only_nulls = true;
                for expr in e.clone() {
                    let ops = expr?
                        .get_operators_reader()
                        .into_iter()
                        .collect::<Result<Vec<_>, _>>()?;
                    only_nulls &= matches!(
                        ops.as_slice(),
                        [
                            wasmparser::Operator::RefNull { .. },
                            wasmparser::Operator::End
                        ]
                    );
                }
                (e.count(), only_nulls)
            }
        };
        let slots = match &element.kind {
            wasmparser::ElementKind::Active {
                table_index,
                offset_expr,
            } => {
                let ops = offset_expr
                    .get_operators_reader()
                    .into_iter()
                    .collect::<Result<Vec<_>, _>>()?;
                match ops.as_slice() {
                    [wasmparser::Operator::I32Const { value }, wasmparser::Operator::End] => {
                        Some((table_index.unwrap_or(0), *value as u32 as u64, count as u64))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        Ok(Segment { slots, only_nulls })
    }

    /// Which `segments` can be left out: active, all nulls, into a defined table (index at
    /// least `imported_tables`) and no earlier segment wrote to any of their slots.
    fn needless(segments: &[Segment], imported_tables: u32) -> Vec<bool> {
        let mut written: Vec<(u32, u64, u64)> = Vec::new();
        // After a segment at an unknown offset, which could write anywhere, every one is kept.
        let mut anywhere = false;
        segments
            .iter()
            .map(|segment| {
                let Some((table, start, count)) = segment.slots else {
                    anywhere = true;
                    return false;
                };
                let overlaps = written
                    .iter()
                    .any(|&(t, s, c)| t == table && s < start + count && start < s + c);
                let needless =
                    segment.only_nulls && table >= imported_tables && !overlaps && !anywhere;
                if !needless {
                    written.push((table, start, count));
                }
                needless
            })
            .collect()
    }
}

/// The reencoder: maps old function indices to new ones and writes the function and code
/// sections in the new order.
struct Renumber {
    imported: u32,
    /// New position of each defined function (by old position).
    position: Vec<u32>,
    /// Old position of each defined function (by new position).
    order: Vec<usize>,
    /// Element segments to leave out (by index).
    drop: Vec<bool>,
    /// The index of the next element segment read.
    segment: usize,
}

impl Reencode for Renumber {
    type Error = std::convert::Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Self::Error>> {
        Ok(match func.checked_sub(self.imported) {
            Some(local) => self.imported + self.position[local as usize],
            None => func,
        })
    }

    fn parse_element(
        &mut self,
        elements: &mut wasm_encoder::ElementSection,
        element: wasmparser::Element<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let index = self.segment;
        self.segment += 1;
        if self.drop.get(index).copied().unwrap_or(false) {
            return Ok(());
        }
        reencode::utils::parse_element(self, elements, element)
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let types = section.into_iter().collect::<Result<Vec<u32>, _>>()?;
        for old in self.order.clone() {
            let ty = self.type_index(types[old])?;
            functions.function(ty);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let bodies = section
            .into_iter()
            .collect::<Result<Vec<FunctionBody<'_>>, _>>()?;
        for old in self.order.clone() {
            let body = &bodies[old];
            let mut f = self.new_function_with_parsed_locals(body)?;
            let mut reader = body.get_operators_reader()?;
            while !reader.eof() {
                f.instruction(&self.parse_instruction(&mut reader)?);
            }
            code.function(&f);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, ConstExpr, ElementSection, Elements, ExportKind, ExportSection, Function,
        FunctionSection, ImportSection, Instruction, Module, RefType, TableSection, TableType,
        TypeSection, ValType,
    };

    /// A module with one imported function, a table and four functions: `big` calls `small`
    /// and the import, `tiny` is in the table, `small` is exported.
    fn sample() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32], [ValType::I32]);
        let mut imports = ImportSection::new();
        imports.import("env", "f", wasm_encoder::EntityType::Function(0));
        let mut funcs = FunctionSection::new();
        let mut code = CodeSection::new();
        let bodies: [&[Instruction]; 4] = [
            // 1: big
            &[
                Instruction::LocalGet(0),
                Instruction::Call(3),
                Instruction::Call(0),
                Instruction::I32Const(1000),
                Instruction::I32Add,
                Instruction::I32Const(7),
                Instruction::I32Mul,
                Instruction::End,
            ],
            // 2: tiny
            &[Instruction::LocalGet(0), Instruction::End],
            // 3: small
            &[
                Instruction::LocalGet(0),
                Instruction::I32Const(1),
                Instruction::I32Add,
                Instruction::End,
            ],
            // 4: calls big
            &[
                Instruction::LocalGet(0),
                Instruction::Call(1),
                Instruction::End,
            ],
        ];
        for body in bodies {
            funcs.function(0);
            let mut f = Function::new([]);
            for i in body {
                f.instruction(i);
            }
            code.function(&f);
        }
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            minimum: 2,
            maximum: None,
            table64: false,
            shared: false,
        });
        let mut exports = ExportSection::new();
        exports.export("small", ExportKind::Func, 3);
        exports.export("caller", ExportKind::Func, 4);
        let mut elems = ElementSection::new();
        elems.active(
            None,
            &ConstExpr::i32_const(1),
            Elements::Functions(std::borrow::Cow::Borrowed(&[2])),
        );
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&funcs)
            .section(&tables)
            .section(&exports)
            .section(&elems)
            .section(&code);
        module.finish()
    }

    /// Each defined function as (export names, table slots, body bytes with calls resolved to
    /// the callee's body), so two modules can be compared whatever their order.
    fn shape(wasm: &[u8]) -> Vec<(Vec<String>, Vec<u32>, Vec<String>)> {
        let mut exports = Vec::new();
        let mut slots = Vec::new();
        let mut bodies = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::ExportSection(s) => {
                    for e in s {
                        let e = e.unwrap();
                        exports.push((e.name.to_string(), e.index));
                    }
                }
                Payload::ElementSection(s) => {
                    for e in s {
                        if let wasmparser::ElementItems::Functions(f) = e.unwrap().items {
                            for (slot, func) in f.into_iter().enumerate() {
                                slots.push((slot as u32 + 1, func.unwrap()));
                            }
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let ops = body
                        .get_operators_reader()
                        .unwrap()
                        .into_iter()
                        .map(|op| format!("{:?}", op.unwrap()))
                        .collect::<Vec<_>>();
                    bodies.push(ops);
                }
                _ => {}
            }
        }
        fn resolve(bodies: &[Vec<String>], index: u32) -> Vec<String> {
            bodies[index as usize - 1]
                .iter()
                .map(|op| match op.strip_prefix("Call { function_index: ") {
                    Some(rest) => match rest.trim_end_matches(" }").parse().unwrap() {
                        0 => "call<import>".to_string(),
                        callee => format!("call<{}>", resolve(bodies, callee).join(",")),
                    },
                    None => op.clone(),
                })
                .collect()
        }
        let mut out: Vec<_> = (1..=bodies.len() as u32)
            .map(|index| {
                let ex = exports
                    .iter()
                    .filter(|(_, i)| *i == index)
                    .map(|(n, _)| n.clone())
                    .collect();
                let sl = slots
                    .iter()
                    .filter(|(_, f)| *f == index)
                    .map(|(s, _)| *s)
                    .collect();
                let ops = resolve(&bodies, index);
                (ex, sl, ops)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn reordering_keeps_every_function_its_calls_exports_and_table_slots() {
        let before = sample();
        let after = reorder(&before).unwrap();
        assert_ne!(before, after, "the smallest function now comes first");
        assert_eq!(shape(&before), shape(&after));
    }

    #[test]
    fn similar_bodies_end_up_next_to_each_other() {
        let a: &[u8] = b"\x00\x20\x00\x41\x01\x6a\x41\x02\x6a\x41\x03\x6a\x0b";
        let b: &[u8] = b"\x00\x20\x00\x41\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x0b";
        let c: &[u8] = b"\x00\x20\x00\x41\x01\x6a\x41\x02\x6a\x41\x03\x6a\x41\x04\x6a\x0b";
        assert_eq!(similarity_order(&[a, b, c]), vec![0, 2, 1]);
    }

    #[test]
    fn segments_writing_only_nulls_into_fresh_slots_are_dropped() {
        let null = || {
            ConstExpr::ref_null(wasm_encoder::HeapType::Abstract {
                shared: false,
                ty: wasm_encoder::AbstractHeapType::Func,
            })
        };
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            minimum: 8,
            maximum: None,
            table64: false,
            shared: false,
        });
        let mut elems = ElementSection::new();
        let nulls =
            |n: usize| Elements::Expressions(RefType::FUNCREF, (0..n).map(|_| null()).collect());
        // Slot 1: the function. Slots 4-5: nulls (dropped). Slot 1 again: a null that undoes
        // the first segment (kept).
        elems.active(
            None,
            &ConstExpr::i32_const(1),
            Elements::Functions(std::borrow::Cow::Borrowed(&[0])),
        );
        elems.active(None, &ConstExpr::i32_const(4), nulls(2));
        elems.active(None, &ConstExpr::i32_const(1), nulls(1));
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        f.instruction(&Instruction::End);
        code.function(&f);
        let mut module = Module::new();
        module
            .section(&types)
            .section(&funcs)
            .section(&tables)
            .section(&elems)
            .section(&code);
        let out = reorder(&module.finish()).unwrap();
        let mut offsets = Vec::new();
        for payload in Parser::new(0).parse_all(&out) {
            if let Payload::ElementSection(section) = payload.unwrap() {
                for element in section {
                    let segment = Segment::of(&element.unwrap()).unwrap();
                    offsets.push(segment.slots.map(|(_, start, _)| start));
                }
            }
        }
        assert_eq!(offsets, vec![Some(1), Some(1)]);
    }

    #[test]
    fn a_module_with_a_name_section_is_refused() {
        let mut module = wasm_encoder::Module::new();
        module.section(&wasm_encoder::CustomSection {
            name: "name".into(),
            data: std::borrow::Cow::Borrowed(&[]),
        });
        let err = reorder(&module.finish()).unwrap_err();
        assert!(err.to_string().contains("name section"), "{err}");
    }
}
