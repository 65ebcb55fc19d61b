//! The minijinja environment: templates by name, strict undefined, and a formatter that writes
//! every value as YAML-safe JSON, so no value can add keys, documents or kinds.

use minijinja::syntax::SyntaxConfig;
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, Value,
};

/// The generated table of embedded templates (`EMBEDDED: &[(&str, &str)]`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

pub use embedded::EMBEDDED;

/// Builds an environment from `(name, source)` templates.
pub fn environment(
    templates: impl IntoIterator<Item = (String, String)>,
) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()?;
    env.set_syntax(syntax);
    // Any non-None mode makes macro and block output "safe" (already formatted) strings.
    env.set_auto_escape_callback(|_| AutoEscape::Custom("yaml".into()));
    env.set_formatter(yaml_formatter);
    // Filters that could mark a user value as safe (raw) are removed; `tojson` is ours.
    for name in ["safe", "escape", "e", "tojson", "urlencode", "pprint"] {
        env.remove_filter(name);
    }
    env.add_filter("tojson", |value: Value| -> Result<Value, Error> {
        Ok(Value::from_safe_string(to_yaml_json(&value)?))
    });
    env.add_filter("int_or_string", int_or_string);
    env.set_recursion_limit(64);
    for (name, source) in templates {
        env.add_template_owned(name, source)?;
    }
    Ok(env)
}

/// Writes template output (safe strings) as is and every other value as YAML-safe JSON.
fn yaml_formatter(out: &mut Output, _state: &mut State, value: &Value) -> Result<(), Error> {
    if value.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            "an undefined value cannot be written",
        ));
    }
    if value.is_safe() {
        if let Some(text) = value.as_str() {
            return out.write_str(text).map_err(Error::from);
        }
    }
    out.write_str(&to_yaml_json(value)?).map_err(Error::from)
}

/// JSON text of `value` with every character YAML treats as a line break or cannot hold
/// literally (DEL, C1 controls, NEL, LS, PS, BOM, non-characters) escaped as `\uXXXX`.
/// JSON is valid YAML flow syntax, so the result is exactly one scalar or collection.
pub fn to_yaml_json(value: &Value) -> Result<String, Error> {
    let json = serde_json::to_string(value).map_err(|err| {
        Error::new(
            ErrorKind::BadSerialization,
            "value cannot be written as JSON",
        )
        .with_source(err)
    })?;
    if json.is_ascii() {
        return Ok(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        ) {
            escaped.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            escaped.push(c);
        }
    }
    Ok(escaped)
}

/// `"25%"` stays a string, `"3"` becomes the number 3 (for int-or-string fields).
fn int_or_string(value: Value) -> Value {
    match value.as_str().map(str::parse::<i64>) {
        Some(Ok(number)) => Value::from(number),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_escape_their_scalar() {
        let env = environment([(
            "t".to_string(),
            "a: {{ v }}\nb: {{ v|tojson }}\n".to_string(),
        )])
        .unwrap();
        let v = "x\n---\nkind: Namespace\u{2028}\u{85}\u{7f}'\"{{ 1 }}";
        let out = env
            .get_template("t")
            .unwrap()
            .render(minijinja::context! { v })
            .unwrap();
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(out.contains("\\u2028") && out.contains("\\u0085") && out.contains("\\u007f"));
    }

    #[test]
    fn raw_output_filters_are_gone_and_undefined_fails() {
        for source in [
            "{{ v|safe }}",
            "{{ v|e }}",
            "{{ missing }}",
            "{{ v.missing }}",
        ] {
            let env = environment([("t".to_string(), source.to_string())]);
            let rendered = env.and_then(|env| {
                env.get_template("t")?
                    .render(minijinja::context! { v => "x" })
            });
            assert!(rendered.is_err(), "{source} must fail");
        }
    }
}
