//! Injection tests: for EVERY string-like parameter declared in every metadata.yaml (top level,
//! inside objects and object lists, map keys and values, list items, selects), hostile values
//! either are rejected with an error on that field, or render as inert data: the rendered design
//! is exactly the one rendered with a harmless marker in the same place — no extra key,
//! document or kind.
#![cfg(feature = "render")]

mod common;

use app::domain::render::{NodeRender, Renderer};
use app::domain::settings::with_defaults;
use app::model::metadata::{self, Format, ParamType, Parameter};
use app::model::NodeKind;
use common::{dir, Fixture};
use serde_json::{json, Map, Value};

const TOKEN: &str = "<<INJECTED>>";
const MARKERS: [&str; 3] = ["injmarker", "/injmarker", "80"];

fn payloads() -> Vec<String> {
    vec![
        "a\nb".into(),
        "x\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: evil".into(),
        "key: value".into(),
        "'single' \"double\" `back`".into(),
        "{{ 7 * 7 }}".into(),
        "{% for x in range(3) %}x{% endfor %}".into(),
        "ünïcødé ✓ 日本 \u{202e}rtl \u{2028}ls \u{85}nel \u{7f}del \u{feff}".into(),
        "- item\n- other".into(),
        "&anchor *alias !!binary #comment".into(),
        "true".into(),
        "null".into(),
        "0x1F".into(),
        "x".repeat(70_000),
        "}\n{\"kind\": \"Namespace\"".into(),
    ]
}

/// One place a string can go, as a path of steps into the node's data.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    /// The first item of a list (created if missing) — for object lists, filled with defaults.
    First(Option<Vec<Parameter>>),
    MapKey,
    MapValue,
}

fn slots(params: &[Parameter], prefix: Vec<Step>, out: &mut Vec<(String, Parameter, Vec<Step>)>) {
    for p in params {
        let mut path = prefix.clone();
        path.push(Step::Key(p.name.clone()));
        let name = describe(&path);
        match p.ty {
            ParamType::String | ParamType::Text | ParamType::Select => {
                out.push((name, p.clone(), path))
            }
            ParamType::List => out.push((
                format!("{name}[0]"),
                p.clone(),
                [path, vec![Step::First(None)]].concat(),
            )),
            ParamType::Map => {
                out.push((
                    format!("{name}[key]"),
                    p.clone(),
                    [path.clone(), vec![Step::MapKey]].concat(),
                ));
                out.push((
                    format!("{name}[value]"),
                    p.clone(),
                    [path, vec![Step::MapValue]].concat(),
                ));
            }
            ParamType::Object => slots(&p.fields, path, out),
            ParamType::Objects => slots(
                &p.fields,
                [path, vec![Step::First(Some(p.fields.clone()))]].concat(),
                out,
            ),
            ParamType::Number | ParamType::Bool => {}
        }
    }
}

/// The field path a field error would carry for this slot (up to the list or map).
fn describe(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => out.push_str(&format!(".{k}")),
            Step::First(_) => out.push_str("[0]"),
            Step::MapKey | Step::MapValue => {}
        }
    }
    out
}

fn set(data: &mut Value, path: &[Step], payload: &str) {
    let Some((step, rest)) = path.split_first() else {
        *data = json!(payload);
        return;
    };
    match step {
        Step::Key(k) => {
            let map = data.as_object_mut().expect("object");
            set(map.entry(k.clone()).or_insert(Value::Null), rest, payload)
        }
        Step::First(fields) => {
            let template = match fields {
                Some(fields) => Value::Object(defaults(fields)),
                None => json!(""),
            };
            if data.as_array().is_none_or(|a| a.is_empty()) {
                *data = json!([template]);
            }
            set(&mut data.as_array_mut().unwrap()[0], rest, payload)
        }
        Step::MapKey => *data = json!({ payload: "v" }),
        Step::MapValue => *data = json!({ "k": payload }),
    }
}

fn defaults(fields: &[Parameter]) -> Map<String, Value> {
    with_defaults(fields, &Map::new())
}

/// Replaces `needle` in every string and key with TOKEN.
fn mask(value: &Value, needle: &str) -> Value {
    match value {
        Value::String(s) => json!(s.replace(needle, TOKEN)),
        Value::Array(items) => Value::Array(items.iter().map(|v| mask(v, needle)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.replace(needle, TOKEN), mask(v, needle)))
                .collect(),
        ),
        other => other.clone(),
    }
}

enum Outcome {
    Rejected(Vec<String>),
    Rendered(Vec<Value>),
}

fn render(fixture: &Fixture, renderer: &Renderer) -> Outcome {
    let (report, renders) = fixture.render(renderer);
    let mut errors: Vec<String> = report
        .nodes
        .values()
        .flatten()
        .filter(|i| i.is_error())
        .map(|i| i.field.clone().unwrap_or_default())
        .collect();
    errors.extend(
        renders
            .iter()
            .flat_map(|r| &r.issues)
            .filter(|i| i.is_error())
            .map(|i| i.field.clone().unwrap_or_default()),
    );
    errors.extend(
        report
            .workflow
            .iter()
            .chain(report.edges.values().flatten())
            .map(|i| format!("(other) {}", i.message)),
    );
    if !errors.is_empty() {
        return Outcome::Rejected(errors);
    }
    let objects = renders
        .iter()
        .filter_map(|r: &NodeRender| r.object.as_ref());
    Outcome::Rendered(objects.map(|o| o.object.clone()).collect())
}

/// Renders the kind's full fixture with `value` at `path` — alone (no other nodes, no edges)
/// when `isolated`.
fn render_with(
    kind: NodeKind,
    path: &[Step],
    value: &str,
    isolated: bool,
    renderer: &Renderer,
) -> Outcome {
    let mut fixture = Fixture::load(&dir("fixtures").join(format!("{kind}-full.yaml")));
    let index = fixture
        .nodes
        .iter()
        .position(|n| n.kind == kind)
        .expect("node of the kind");
    // A namespace is set on every node, so edges (same namespace only) stay valid.
    let namespace = matches!(path, [Step::Key(k)] if k == "namespace");
    for (i, node) in fixture.nodes.iter_mut().enumerate() {
        if i != index && !namespace {
            continue;
        }
        let mut data = Value::Object(with_defaults(
            &metadata::of(node.kind).parameters,
            &node.data,
        ));
        if !path.is_empty() {
            set(&mut data, path, value);
        }
        node.data = data.as_object().unwrap().clone();
    }
    if isolated {
        fixture.nodes = vec![fixture.nodes.swap_remove(index)];
        fixture.edges.clear();
    }
    render(&fixture, renderer)
}

/// An error on the slot itself, on the list/map/object holding it, or on a sibling field.
fn on_field(fields: &[String], slot: &str) -> bool {
    let parent = slot.rsplit_once('.').map_or(slot, |(p, _)| p);
    fields.iter().any(|f| {
        !f.is_empty()
            && (f.starts_with(slot) || slot.starts_with(f.as_str()) || f.starts_with(parent))
    })
}

fn identity(objects: &[Value]) -> Vec<Value> {
    objects
        .iter()
        .map(|o| json!([o["apiVersion"], o["kind"], o["metadata"]]))
        .collect()
}

type Marker = Option<(&'static str, Vec<Value>)>;

/// The first marker that renders at `path`, and what it renders to.
fn marker(kind: NodeKind, path: &[Step], isolated: bool, renderer: &Renderer) -> Marker {
    MARKERS
        .iter()
        .find_map(|m| match render_with(kind, path, m, isolated, renderer) {
            Outcome::Rendered(objects) => Some((*m, objects)),
            Outcome::Rejected(_) => None,
        })
}

/// `Ok` when `payload` at `path` is rejected on the field or renders like a harmless marker.
/// `cache` keeps the marker's rendering between payloads.
fn evaluate(
    kind: NodeKind,
    param: &Parameter,
    path: &[Step],
    payload: &str,
    isolated: bool,
    renderer: &Renderer,
    cache: &mut Option<Marker>,
) -> Result<(), String> {
    let slot = describe(path);
    match render_with(kind, path, payload, isolated, renderer) {
        Outcome::Rejected(fields) if on_field(&fields, &slot) => Ok(()),
        Outcome::Rejected(_) if !isolated => {
            evaluate(kind, param, path, payload, true, renderer, &mut None)
        }
        Outcome::Rejected(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| f.chars().take(60).collect())
                .collect();
            Err(format!("rejected, but not on the field: {fields:?}"))
        }
        Outcome::Rendered(objects) if param.format == Some(Format::Yaml) => {
            // The field *is* YAML content: it may add fields, never change what the object is.
            let Outcome::Rendered(base) = render_with(kind, &[], "", isolated, renderer) else {
                return Err("the base fixture does not render".into());
            };
            (identity(&objects) == identity(&base))
                .then_some(())
                .ok_or_else(|| "changed the object's identity".into())
        }
        Outcome::Rendered(objects) => {
            let found = cache.get_or_insert_with(|| marker(kind, path, isolated, renderer));
            let Some((m, expected)) = found else {
                return Err("accepted, but no marker renders".into());
            };
            let got: Vec<Value> = objects.iter().map(|o| mask(o, payload)).collect();
            let want: Vec<Value> = expected.iter().map(|o| mask(o, m)).collect();
            (got == want)
                .then_some(())
                .ok_or_else(|| "rendered differently from the marker".into())
        }
    }
}

#[test]
fn hostile_values_in_every_string_parameter_are_inert_or_rejected() {
    let renderer = Renderer::embedded().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for kind in NodeKind::ALL {
        let mut found = Vec::new();
        slots(&metadata::of(kind).parameters, Vec::new(), &mut found);
        for (field, param, path) in found {
            let mut cache = None;
            for payload in payloads() {
                checked += 1;
                if let Err(problem) =
                    evaluate(kind, &param, &path, &payload, false, &renderer, &mut cache)
                {
                    let short: String = payload.chars().take(24).collect();
                    failures.push(format!("{kind}.{field} <- {short:?}: {problem}"));
                }
            }
        }
    }
    let shown: Vec<&String> = failures.iter().take(60).collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{shown:#?}",
        failures.len()
    );
    assert!(checked > 1000, "only {checked} cases");
}
