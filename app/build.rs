//! Embeds `templates/` (the repository's template source) into the app at build time:
//! - `metadata.json`: every `templates/core/<kind>/metadata.yaml` as one JSON array, with
//!   `{include: <name>}` entries of a parameter list replaced by `templates/shared/params/<name>.yaml`.
//!   JSON, so the browser reads it with serde_json (already in the bundle) and needs no YAML parser.
//! - `kinds.json`: what the palette, the node cards and a new node need of each kind (display
//!   facts and `defaults`, every parameter's default value), without the parameter definitions,
//!   so the editor's first load does not carry them (see `model::metadata::summaries`).
//! - `templates.rs`: a table of `(name, source)` for every template and shared macro file.

use std::{
    env, fs,
    path::{Path, PathBuf},
};

use serde_json::Value;

type BuildResult<T> = Result<T, String>;

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> BuildResult<()> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let root = manifest.join("../templates");
    let out = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);
    println!("cargo:rerun-if-changed={}", root.display());

    let kinds = sorted_dirs(&root.join("core"))?;
    let mut metadata = Vec::new();
    let mut templates = Vec::new();
    for dir in &kinds {
        let kind = file_name(dir)?;
        let mut meta = read_yaml(&dir.join("metadata.yaml"))?;
        if meta.get("kind").and_then(Value::as_str) != Some(kind.as_str()) {
            return Err(format!("{}: `kind` must be `{kind}`", dir.display()));
        }
        expand_includes(&root.join("shared/params"), &mut meta)?;
        metadata.push(meta);
        templates.push((
            format!("core/{kind}/template.yaml"),
            dir.join("template.yaml"),
        ));
    }
    for file in sorted_files(&root.join("shared/macros"))? {
        templates.push((format!("shared/macros/{}", file_name(&file)?), file));
    }

    let json = serde_json::to_string(&metadata).map_err(|e| e.to_string())?;
    fs::write(out.join("metadata.json"), json).map_err(|e| e.to_string())?;
    let summaries = metadata
        .iter()
        .map(summary)
        .collect::<BuildResult<Vec<_>>>()?;
    let json = serde_json::to_string(&summaries).map_err(|e| e.to_string())?;
    fs::write(out.join("kinds.json"), json).map_err(|e| e.to_string())?;
    fs::write(out.join("templates.rs"), template_table(&templates)?).map_err(|e| e.to_string())
}

fn template_table(templates: &[(String, PathBuf)]) -> BuildResult<String> {
    let mut code = String::from("/// Every embedded template: `(name, source)`.\n");
    code.push_str("pub const EMBEDDED: &[(&str, &str)] = &[\n");
    for (name, path) in templates {
        let path = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    Ok(code)
}

/// A kind's summary: its display facts and the default of every parameter.
fn summary(meta: &Value) -> BuildResult<Value> {
    let mut out = serde_json::Map::new();
    for key in ["kind", "displayName", "icon", "category", "description"] {
        if let Some(value) = meta.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    out.insert("defaults".into(), defaults(meta.get("parameters"))?);
    Ok(Value::Object(out))
}

/// `{name: default}` for a parameter list: the declared default, else the type's empty value
/// (an object's: its fields' defaults). `Parameter::default_value` at run time; a unit test
/// checks that both agree for every kind.
fn defaults(params: Option<&Value>) -> BuildResult<Value> {
    let mut out = serde_json::Map::new();
    for param in params.and_then(Value::as_array).into_iter().flatten() {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a parameter without a name")?;
        let value = match (
            param.get("default"),
            param.get("type").and_then(Value::as_str),
        ) {
            (Some(value), _) => value.clone(),
            (None, Some("string" | "text" | "select")) => Value::String(String::new()),
            (None, Some("number")) => Value::Null,
            (None, Some("bool")) => Value::Bool(false),
            (None, Some("list" | "objects")) => Value::Array(Vec::new()),
            (None, Some("map")) => Value::Object(Default::default()),
            (None, Some("object")) => defaults(param.get("fields"))?,
            (None, other) => return Err(format!("parameter `{name}`: unknown type {other:?}")),
        };
        out.insert(name.into(), value);
    }
    Ok(Value::Object(out))
}

/// Replaces `{include: name}` items of every `parameters`/`fields` list, recursively.
fn expand_includes(shared: &Path, value: &mut Value) -> BuildResult<()> {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "parameters" || key == "fields" {
                    expand_list(shared, child)?;
                }
                expand_includes(shared, child)?;
            }
        }
        Value::Array(items) => {
            for item in items {
                expand_includes(shared, item)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn expand_list(shared: &Path, list: &mut Value) -> BuildResult<()> {
    let Value::Array(items) = list else {
        return Err("`parameters` and `fields` must be lists".into());
    };
    let mut expanded = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match item.get("include").and_then(Value::as_str) {
            Some(name) => expanded.extend(include(shared, name, item.get("defaults"))?),
            None => expanded.push(item),
        }
    }
    *items = expanded;
    Ok(())
}

/// Reads `shared/params/<name>.yaml`, replacing the `default` of the parameters named in `defaults`.
fn include(shared: &Path, name: &str, defaults: Option<&Value>) -> BuildResult<Vec<Value>> {
    let Value::Array(mut params) = read_yaml(&shared.join(format!("{name}.yaml")))? else {
        return Err(format!("shared parameters `{name}` must be a list"));
    };
    for (param, value) in defaults.and_then(Value::as_object).into_iter().flatten() {
        let target = params
            .iter_mut()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(param))
            .ok_or_else(|| format!("include `{name}` has no parameter `{param}`"))?;
        target["default"] = value.clone();
    }
    Ok(params)
}

fn read_yaml(path: &Path) -> BuildResult<Value> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    yaml_serde::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn sorted_dirs(path: &Path) -> BuildResult<Vec<PathBuf>> {
    Ok(sorted_entries(path)?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect())
}

fn sorted_files(path: &Path) -> BuildResult<Vec<PathBuf>> {
    Ok(sorted_entries(path)?
        .into_iter()
        .filter(|p| p.is_file())
        .collect())
}

fn sorted_entries(path: &Path) -> BuildResult<Vec<PathBuf>> {
    let entries = fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut paths = entries
        .map(|entry| entry.map(|e| e.path()).map_err(|e| e.to_string()))
        .collect::<BuildResult<Vec<_>>>()?;
    paths.sort();
    Ok(paths)
}

fn file_name(path: &Path) -> BuildResult<String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{}: not a UTF-8 file name", path.display()))
}
