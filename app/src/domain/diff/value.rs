//! Field-level differences between two JSON values: objects key by key, lists aligned on their
//! longest common run of equal elements, everything else as a whole. Paths are written the way a
//! reader would point at the field: `data.env[1].value`, `data.labels["example.com/team"]`.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

use super::FieldChange;

/// Largest `old.len() × new.len()` aligned element by element; longer lists are compared by
/// position (still exact, only less clever about insertions).
const MAX_ALIGN_CELLS: usize = 250_000;

/// One step of a path: an object key or a list index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// A path from a node into its fields, built up while walking.
#[derive(Clone, Debug)]
pub(super) struct Path(Vec<Step>);

impl Path {
    /// The path of a top-level node field (`kind`, `data`).
    pub(super) fn field(name: &str) -> Self {
        Path(vec![Step::Key(name.to_string())])
    }

    fn key(&self, key: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_string()));
        Path(steps)
    }

    fn index(&self, index: usize) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        Path(steps)
    }

    /// The path as text: identifiers after dots, other keys quoted in brackets, indexes in
    /// brackets.
    pub(super) fn render(&self) -> String {
        let mut out = String::new();
        for step in &self.0 {
            match step {
                Step::Key(key) if is_identifier(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Step::Key(key) => {
                    let quoted = serde_json::to_string(key).unwrap_or_default();
                    out.push('[');
                    out.push_str(&quoted);
                    out.push(']');
                }
                Step::Index(index) => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Appends the changes from `old` to `new` under `path` to `out`.
pub(super) fn diff_values(path: &Path, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => diff_objects(path, a, b, out),
        (Value::Array(a), Value::Array(b)) => diff_lists(path, a, b, out),
        _ if same(old, new) => {}
        _ => out.push(change(path, Some(old), Some(new))),
    }
}

fn change(path: &Path, old: Option<&Value>, new: Option<&Value>) -> FieldChange {
    FieldChange {
        path: path.render(),
        old: old.cloned(),
        new: new.cloned(),
    }
}

/// Keys in sorted order (whatever order the maps keep).
pub(super) fn diff_objects(
    path: &Path,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    out: &mut Vec<FieldChange>,
) {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let here = path.key(key);
        match (a.get(key), b.get(key)) {
            (Some(old), Some(new)) => diff_values(&here, old, new, out),
            (old, new) => out.push(change(&here, old, new)),
        }
    }
}

/// Elements in runs of equal ones stay unreported; in between, elements at the same index are
/// compared field by field, the others are removed (old index) or added (new index).
fn diff_lists(path: &Path, a: &[Value], b: &[Value], out: &mut Vec<FieldChange>) {
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)) {
        return;
    }
    let mut anchors = align(a, b);
    anchors.push((a.len(), b.len()));
    let (mut next_a, mut next_b) = (0, 0);
    for (end_a, end_b) in anchors {
        let (from, to) = (next_a.min(next_b), end_a.max(end_b));
        for k in from..to {
            let in_a = (next_a..end_a).contains(&k);
            let in_b = (next_b..end_b).contains(&k);
            match (in_a, in_b) {
                (true, true) => diff_values(&path.index(k), &a[k], &b[k], out),
                (true, false) => out.push(change(&path.index(k), Some(&a[k]), None)),
                (false, true) => out.push(change(&path.index(k), None, Some(&b[k]))),
                (false, false) => {}
            }
        }
        (next_a, next_b) = (end_a + 1, end_b + 1);
    }
}

/// Index pairs of equal elements (a longest common subsequence). The same two lists give the
/// same pairs whichever is old and which is new, so that a diff and its reverse mirror each
/// other.
fn align(a: &[Value], b: &[Value]) -> Vec<(usize, usize)> {
    if a.len().saturating_mul(b.len()) > MAX_ALIGN_CELLS {
        return Vec::new();
    }
    if canonical_order(a, b) == Ordering::Greater {
        return lcs(b, a).into_iter().map(|(j, i)| (i, j)).collect();
    }
    lcs(a, b)
}

fn canonical_order(a: &[Value], b: &[Value]) -> Ordering {
    let text = |list: &[Value]| serde_json::to_string(list).unwrap_or_default();
    text(a).cmp(&text(b))
}

fn lcs(a: &[Value], b: &[Value]) -> Vec<(usize, usize)> {
    let width = b.len() + 1;
    let mut table = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i * width + j] = if same(&a[i], &b[j]) {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if same(&a[i], &b[j]) {
            pairs.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// Deep equality where numbers compare by value (`3` equals `3.0`, as a store may turn one into
/// the other).
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, p)| y.get(key).is_some_and(|q| same(p, q)))
        }
        _ => a == b,
    }
}

fn same_number(x: &Number, y: &Number) -> bool {
    if let (Some(p), Some(q)) = (x.as_i64(), y.as_i64()) {
        return p == q;
    }
    if let (Some(p), Some(q)) = (x.as_u64(), y.as_u64()) {
        return p == q;
    }
    x.as_f64() == y.as_f64()
}
