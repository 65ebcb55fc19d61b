//! Reads the embedded metadata JSON (written by `app/build.rs`) into [`KindMetadata`] with one
//! small reader over [`Value`] instead of serde's derived deserializers, which the browser bundle
//! would carry once per type (about 14 kB gzip). Tests check that it reads exactly what the
//! derived `Deserialize` reads and refuses what it refuses.

use serde_json::Value;

use super::{
    Category, Condition, Format, KindMetadata, KindSummary, ParamType, Parameter, SelectOption,
};
use crate::model::fields::Fields;
use crate::model::kind::NodeKind;

/// Every kind's metadata in `json` (a list of objects).
pub fn kinds(json: &str) -> Result<Vec<KindMetadata>, String> {
    each(json, kind)
}

/// Every kind's summary in `json` (a list of objects, see `app/build.rs`).
pub fn summaries(json: &str) -> Result<Vec<KindSummary>, String> {
    each(json, summary)
}

/// `read` applied to every object of the JSON list `json`.
fn each<T>(json: &str, read: fn(&Value) -> Result<T, String>) -> Result<Vec<T>, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    value
        .as_array()
        .ok_or("expected a list of kinds")?
        .iter()
        .map(read)
        .collect()
}

/// One kind's object (with only `known` fields), its errors named after its kind.
fn kind_fields<'a>(value: &'a Value, known: &[&str]) -> Result<(NodeKind, Fields<'a>), String> {
    let f = Fields::new(value, "kind".into(), known)?;
    let kind = f.required("kind", &NodeKind::ALL, NodeKind::as_str)?;
    let what = kind.as_str().into();
    Ok((kind, Fields { what, ..f }))
}

fn summary(value: &Value) -> Result<KindSummary, String> {
    let known = [
        "kind",
        "displayName",
        "icon",
        "category",
        "description",
        "defaults",
    ];
    let (kind, f) = kind_fields(value, &known)?;
    Ok(KindSummary {
        kind,
        display_name: f.string("displayName")?,
        icon: f.string("icon")?,
        category: f.required("category", &Category::ALL, Category::name)?,
        description: f.string("description")?,
        defaults: f
            .get("defaults")
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| f.error("defaults", "an object"))?,
    })
}

fn kind(value: &Value) -> Result<KindMetadata, String> {
    let known = [
        "kind",
        "displayName",
        "icon",
        "category",
        "description",
        "apiVersion",
        "objectKind",
        "parameters",
    ];
    let (kind, f) = kind_fields(value, &known)?;
    Ok(KindMetadata {
        kind,
        display_name: f.string("displayName")?,
        icon: f.string("icon")?,
        category: f.required("category", &Category::ALL, Category::name)?,
        description: f.string("description")?,
        api_version: f.string("apiVersion")?,
        object_kind: f.string("objectKind")?,
        parameters: f.list("parameters", parameter)?,
    })
}

fn parameter(value: &Value, what: String) -> Result<Parameter, String> {
    let known = [
        "name",
        "label",
        "help",
        "type",
        "default",
        "required",
        "min",
        "max",
        "maxLength",
        "options",
        "suggestions",
        "format",
        "keyFormat",
        "valueFormat",
        "fields",
        "group",
        "placeholder",
        "showIf",
    ];
    let f = Fields::new(value, what, &known)?;
    let max_length = f
        .integer("maxLength")?
        .map(|n| usize::try_from(n).map_err(|_| f.error("maxLength", "a length")))
        .transpose()?;
    Ok(Parameter {
        name: f.string("name")?,
        label: f.string("label")?,
        help: f.string_or_empty("help")?,
        ty: f.required("type", &ParamType::ALL, ParamType::name)?,
        default: f.get("default").cloned(),
        required: f.flag("required")?,
        min: f.integer("min")?,
        max: f.integer("max")?,
        max_length,
        options: f.list("options", option)?,
        suggestions: f.list("suggestions", |v, what| {
            v.as_str()
                .map(String::from)
                .ok_or_else(|| format!("{what}: expected a string"))
        })?,
        format: f.named("format", &Format::ALL, Format::name)?,
        key_format: f.named("keyFormat", &Format::ALL, Format::name)?,
        value_format: f.named("valueFormat", &Format::ALL, Format::name)?,
        fields: f.list("fields", parameter)?,
        group: f.string_or_empty("group")?,
        placeholder: f.string_or_empty("placeholder")?,
        show_if: f
            .get("showIf")
            .map(|v| condition(v, format!("{}.showIf", f.what)))
            .transpose()?,
    })
}

fn option(value: &Value, what: String) -> Result<SelectOption, String> {
    let f = Fields::new(value, what, &["value", "label"])?;
    Ok(SelectOption {
        value: f
            .map
            .get("value")
            .cloned()
            .ok_or_else(|| f.missing("value"))?,
        label: f.string("label")?,
    })
}

fn condition(value: &Value, what: String) -> Result<Condition, String> {
    let f = Fields::new(value, what, &["field", "equals"])?;
    if f.get("equals").is_none() {
        return Err(f.missing("equals"));
    }
    Ok(Condition {
        field: f.string("field")?,
        equals: f.list("equals", |v, _| Ok(v.clone()))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_reads(json: &str) -> Result<Vec<KindMetadata>, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_the_embedded_metadata_as_serde_does() {
        let ours = kinds(super::super::EMBEDDED).unwrap();
        assert_eq!(ours.len(), NodeKind::ALL.len());
        assert_eq!(Ok(ours), serde_reads(super::super::EMBEDDED));
    }

    fn serialized(value: impl serde::Serialize) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn names_are_the_serialized_names() {
        for c in Category::ALL {
            assert_eq!(serialized(c), c.name());
        }
        for t in ParamType::ALL {
            assert_eq!(serialized(t), t.name());
        }
        for f in Format::ALL {
            assert_eq!(serialized(f), f.name());
        }
    }

    #[test]
    fn refuses_what_serde_refuses() {
        let kind = |param: &str| {
            format!(
                r#"[{{"kind":"job","displayName":"Job","icon":"job","category":"workloads",
                "description":"d","apiVersion":"batch/v1","objectKind":"Job",
                "parameters":[{param}]}}]"#
            )
        };
        let good = kind(
            r#"{"name":"a","label":"A","type":"number","min":0,"max":9,
            "showIf":{"field":"b","equals":[true]},"options":[{"value":null,"label":"none"}]}"#,
        );
        assert!(kinds(&good).is_ok(), "{:?}", kinds(&good));
        assert_eq!(kinds(&good), serde_reads(&good));
        for bad in [
            r#"{"name":"a","label":"A","type":"number","colour":1}"#,
            r#"{"name":"a","type":"string"}"#,
            r#"{"name":"a","label":"A","type":"text-ish"}"#,
            r#"{"name":"a","label":"A","type":"number","min":1.5}"#,
            r#"{"name":"a","label":"A","type":"string","format":"email"}"#,
            r#"{"name":"a","label":"A","type":"string","showIf":{"field":"b"}}"#,
            r#"{"name":"a","label":"A","type":"select","options":[{"label":"x"}]}"#,
            r#"{"name":"a","label":"A","type":"list","suggestions":[1]}"#,
            r#"{"name":"a","label":"A","type":"string","required":"yes"}"#,
        ] {
            let json = kind(bad);
            assert!(kinds(&json).is_err(), "ours took {bad}");
            assert!(serde_reads(&json).is_err(), "serde took {bad}");
        }
        assert!(kinds(r#"{"kind":"job"}"#).is_err());
        assert!(kinds("[1]").is_err());
    }

    #[test]
    fn summaries_need_every_fact_and_an_object_of_defaults() {
        let summary = |extra: &str| {
            format!(
                r#"[{{"kind":"job","displayName":"Job","icon":"job","category":"workloads",
                "description":"d"{extra}}}]"#
            )
        };
        let read = summaries(&summary(r#","defaults":{"name":""}"#)).unwrap();
        assert_eq!(read[0].kind, NodeKind::Job);
        assert_eq!(
            read[0].defaults.get("name"),
            Some(&Value::String(String::new()))
        );
        for bad in [
            summary(""),
            summary(r#","defaults":[]"#),
            summary(r#","defaults":{},"parameters":[]"#),
            summary(r#","defaults":{}"#).replace("workloads", "toys"),
            summary(r#","defaults":{}"#).replace(r#""icon":"job","#, ""),
        ] {
            assert!(summaries(&bad).is_err(), "took {bad}");
        }
    }
}
