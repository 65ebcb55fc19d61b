//! What each node kind offers: display facts and its parameter list, read from
//! `templates/core/<kind>/metadata.yaml` (embedded at build time as JSON, see `app/build.rs`).
//! The settings panel, the defaults of new nodes and the field validation are generated from it.
//! The palette, the node cards and new nodes read [`summaries`] (display facts and defaults)
//! instead, so that the editor's first load does not carry the parameter definitions.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::kind::NodeKind;

mod read;

/// Display facts and parameters of one node kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KindMetadata {
    /// The kind this describes.
    pub kind: NodeKind,
    /// Name shown in the palette, e.g. `Persistent volume claim`.
    pub display_name: String,
    /// Icon id the UI maps to a picture.
    pub icon: String,
    /// Palette section.
    pub category: Category,
    /// One or two sentences for the palette and the settings panel.
    pub description: String,
    /// The rendered object's apiVersion (empty for `custom`, where the node sets it).
    pub api_version: String,
    /// The rendered object's kind (empty for `custom`).
    pub object_kind: String,
    /// The settings, in panel order.
    pub parameters: Vec<Parameter>,
}

/// What the palette, the node cards and a new node need of a kind: [`KindMetadata`] without
/// the parameter definitions, with every parameter's default value instead.
#[derive(Clone, Debug, PartialEq)]
pub struct KindSummary {
    /// The kind this describes.
    pub kind: NodeKind,
    /// Name shown in the palette.
    pub display_name: String,
    /// Icon id the UI maps to a picture.
    pub icon: String,
    /// Palette section.
    pub category: Category,
    /// One or two sentences for the palette.
    pub description: String,
    /// A new node's complete `data`: every parameter at its default
    /// ([`KindMetadata::default_data`]).
    pub defaults: serde_json::Map<String, Value>,
}

/// Palette sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// Things that run pods.
    Workloads,
    /// Services and ingress.
    Traffic,
    /// ConfigMaps and Secrets.
    Config,
    /// Volumes.
    Storage,
    /// Autoscaling and network policy.
    Policy,
    /// Free-form objects.
    Custom,
}

/// One setting of a node kind (or a field of an `object`/`objects` setting).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Parameter {
    /// Key in the node's `data` (camelCase).
    pub name: String,
    /// Label in the settings panel.
    pub label: String,
    /// Longer explanation shown on demand.
    #[serde(default)]
    pub help: String,
    /// Value type and editor.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// Value of a new node; missing means the type's empty value (see [`Parameter::default_value`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Must be set (non-empty).
    #[serde(default)]
    pub required: bool,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Longest allowed string (each item of a list, each value of a map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Allowed values of a `select`, or of each item of a `list`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    /// Proposed values for a free `string`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// Syntax of a string, of each list item, or of each map value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Syntax of map keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_format: Option<Format>,
    /// Syntax of map values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_format: Option<Format>,
    /// Fields of an `object`, or of each item of `objects`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Parameter>,
    /// Panel section.
    #[serde(default)]
    pub group: String,
    /// Example shown in an empty input.
    #[serde(default)]
    pub placeholder: String,
    /// Show only when a sibling field has one of some values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

/// Value types (and editors) of parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamType {
    /// One line of text.
    String,
    /// Multi-line text.
    Text,
    /// An integer (`null` when optional and unset).
    Number,
    /// A switch.
    Bool,
    /// One of `options`.
    Select,
    /// A list of strings (of `options` when given: a multi-select).
    List,
    /// String keys to string values (labels, data, selectors).
    Map,
    /// A group of `fields` (probes, resources, security context).
    Object,
    /// A list of records with `fields` (ports, env, paths, rules).
    Objects,
}

/// String syntaxes checked by validation (see `domain::formats`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// RFC 1123 label: `a-z0-9-`, ≤ 63, alphanumeric at both ends.
    Dns1123Label,
    /// RFC 1123 subdomain: labels joined by dots, ≤ 253.
    Dns1123Subdomain,
    /// RFC 1035 label: like a 1123 label but starting with a letter (Service names).
    Dns1035Label,
    /// Label or annotation key: optional DNS prefix and `/`, then a 63-character name.
    LabelKey,
    /// Label value: empty, or ≤ 63 of `A-Za-z0-9-_.` with alphanumeric ends.
    LabelValue,
    /// ConfigMap/Secret key: `A-Za-z0-9-_.`, ≤ 253.
    ConfigKey,
    /// Environment variable name.
    EnvName,
    /// Container image reference.
    Image,
    /// CPU quantity (`500m`, `1`, `0.5`).
    Cpu,
    /// Byte quantity (`128Mi`, `1G`).
    Memory,
    /// Absolute file system path.
    AbsolutePath,
    /// URL path starting with `/`.
    HttpPath,
    /// DNS host name, optionally `*.` wildcard.
    Hostname,
    /// IPv4 or IPv6 CIDR.
    Cidr,
    /// Five-field cron schedule (or a `@hourly`-style macro).
    Cron,
    /// IANA time zone name.
    TimeZone,
    /// Port name (IANA service name, ≤ 15).
    PortName,
    /// Port number or port name.
    PortRef,
    /// Integer or percentage (`1`, `25%`).
    IntOrPercent,
    /// Linux capability name (`NET_ADMIN`, `ALL`).
    Capability,
    /// `group/version` or `version`.
    ApiVersion,
    /// Kubernetes kind (`Certificate`).
    KindName,
    /// A YAML document (checked when rendering).
    Yaml,
}

/// One choice of a `select` or multi-select `list`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectOption {
    /// Stored value.
    pub value: Value,
    /// Shown text.
    pub label: String,
}

/// `showIf`: the sibling `field` has one of `equals` (for lists: contains one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Sibling parameter name.
    pub field: String,
    /// Values that show this parameter.
    pub equals: Vec<Value>,
}

impl Category {
    /// Every value, in declaration order.
    pub const ALL: [Category; 6] = [
        Category::Workloads,
        Category::Traffic,
        Category::Config,
        Category::Storage,
        Category::Policy,
        Category::Custom,
    ];

    /// The name used in metadata files (as serialized); also the CSS class suffix `cat-{name}`.
    pub fn name(self) -> &'static str {
        match self {
            Category::Workloads => "workloads",
            Category::Traffic => "traffic",
            Category::Config => "config",
            Category::Storage => "storage",
            Category::Policy => "policy",
            Category::Custom => "custom",
        }
    }
}

impl ParamType {
    /// Every value, in declaration order.
    pub const ALL: [ParamType; 9] = [
        ParamType::String,
        ParamType::Text,
        ParamType::Number,
        ParamType::Bool,
        ParamType::Select,
        ParamType::List,
        ParamType::Map,
        ParamType::Object,
        ParamType::Objects,
    ];

    /// The name used in metadata files (as serialized).
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Text => "text",
            ParamType::Number => "number",
            ParamType::Bool => "bool",
            ParamType::Select => "select",
            ParamType::List => "list",
            ParamType::Map => "map",
            ParamType::Object => "object",
            ParamType::Objects => "objects",
        }
    }
}

impl Format {
    /// Every value, in declaration order.
    pub const ALL: [Format; 23] = [
        Format::Dns1123Label,
        Format::Dns1123Subdomain,
        Format::Dns1035Label,
        Format::LabelKey,
        Format::LabelValue,
        Format::ConfigKey,
        Format::EnvName,
        Format::Image,
        Format::Cpu,
        Format::Memory,
        Format::AbsolutePath,
        Format::HttpPath,
        Format::Hostname,
        Format::Cidr,
        Format::Cron,
        Format::TimeZone,
        Format::PortName,
        Format::PortRef,
        Format::IntOrPercent,
        Format::Capability,
        Format::ApiVersion,
        Format::KindName,
        Format::Yaml,
    ];

    /// The name used in metadata files (as serialized).
    pub fn name(self) -> &'static str {
        match self {
            Format::Dns1123Label => "dns1123Label",
            Format::Dns1123Subdomain => "dns1123Subdomain",
            Format::Dns1035Label => "dns1035Label",
            Format::LabelKey => "labelKey",
            Format::LabelValue => "labelValue",
            Format::ConfigKey => "configKey",
            Format::EnvName => "envName",
            Format::Image => "image",
            Format::Cpu => "cpu",
            Format::Memory => "memory",
            Format::AbsolutePath => "absolutePath",
            Format::HttpPath => "httpPath",
            Format::Hostname => "hostname",
            Format::Cidr => "cidr",
            Format::Cron => "cron",
            Format::TimeZone => "timeZone",
            Format::PortName => "portName",
            Format::PortRef => "portRef",
            Format::IntOrPercent => "intOrPercent",
            Format::Capability => "capability",
            Format::ApiVersion => "apiVersion",
            Format::KindName => "kindName",
            Format::Yaml => "yaml",
        }
    }
}

impl Parameter {
    /// The value of a new node: the declared default, else the type's empty value
    /// (`""`, `null`, `false`, `[]`, `{}`; an object's fields' defaults).
    pub fn default_value(&self) -> Value {
        if let Some(value) = &self.default {
            return value.clone();
        }
        match self.ty {
            ParamType::String | ParamType::Text | ParamType::Select => Value::String(String::new()),
            ParamType::Number => Value::Null,
            ParamType::Bool => Value::Bool(false),
            ParamType::List | ParamType::Objects => Value::Array(Vec::new()),
            ParamType::Map => Value::Object(Default::default()),
            ParamType::Object => Value::Object(
                self.fields
                    .iter()
                    .map(|f| (f.name.clone(), f.default_value()))
                    .collect(),
            ),
        }
    }
}

impl KindMetadata {
    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// A new node's complete `data`: every parameter at its default.
    pub fn default_data(&self) -> serde_json::Map<String, Value> {
        self.parameters
            .iter()
            .map(|p| (p.name.clone(), p.default_value()))
            .collect()
    }
}

/// Every `templates/core/<kind>/metadata.yaml`, as one JSON list (see `app/build.rs`).
const EMBEDDED: &str = include_str!(concat!(env!("OUT_DIR"), "/metadata.json"));

static METADATA: LazyLock<Vec<KindMetadata>> = LazyLock::new(|| {
    // Generated by build.rs from the repository's templates/; unit tests parse it. Built-in
    // assets, not user input: a broken build fails loudly at first use.
    let all = read::kinds(EMBEDDED)
        .unwrap_or_else(|err| panic!("embedded templates/core/*/metadata.yaml: {err}"));
    in_kind_order(
        all,
        |meta| meta.kind,
        "templates/core must hold one folder per node kind",
    )
});

/// `all` sorted in [`NodeKind::ALL`] order; panics unless it holds each kind once (`what` says
/// what is wrong). For the tables build.rs generates, which are not user input.
fn in_kind_order<T>(mut all: Vec<T>, kind: fn(&T) -> NodeKind, what: &str) -> Vec<T> {
    all.sort_by_key(|item| kind(item).index());
    let kinds: Vec<NodeKind> = all.iter().map(kind).collect();
    assert_eq!(kinds, NodeKind::ALL, "{what}");
    all
}

/// Every kind's summary (`app/build.rs` writes it from the same metadata files).
const SUMMARIES: &str = include_str!(concat!(env!("OUT_DIR"), "/kinds.json"));

static SUMMARY: LazyLock<Vec<KindSummary>> = LazyLock::new(|| {
    // Generated by build.rs, like EMBEDDED: a broken build fails loudly at first use.
    let all = read::summaries(SUMMARIES)
        .unwrap_or_else(|err| panic!("embedded kind summaries (app/build.rs): {err}"));
    in_kind_order(all, |summary| summary.kind, "one summary per node kind")
});

/// Every kind's summary, in [`NodeKind::ALL`] order.
pub fn summaries() -> &'static [KindSummary] {
    &SUMMARY
}

/// One kind's summary.
pub fn summary(kind: NodeKind) -> &'static KindSummary {
    &SUMMARY[kind.index()]
}

/// Metadata of every kind, in [`NodeKind::ALL`] order.
pub fn all() -> &'static [KindMetadata] {
    &METADATA
}

/// Metadata of one kind.
pub fn of(kind: NodeKind) -> &'static KindMetadata {
    &METADATA[kind.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_metadata_and_numbers_are_bounded() {
        fn check(kind: NodeKind, params: &[Parameter]) {
            for p in params {
                if p.ty == ParamType::Number {
                    assert!(
                        p.min.is_some() && p.max.is_some(),
                        "{kind}.{}: min/max",
                        p.name
                    );
                }
                if p.ty == ParamType::Select {
                    assert!(!p.options.is_empty(), "{kind}.{}: options", p.name);
                    let default = p.default_value();
                    assert!(
                        p.options.iter().any(|o| o.value == default),
                        "{kind}.{}",
                        p.name
                    );
                }
                check(kind, &p.fields);
            }
        }
        for kind in NodeKind::ALL {
            let meta = of(kind);
            assert_eq!(meta.kind, kind);
            assert_eq!(meta.parameters[0].name, "name", "{kind}: name comes first");
            assert!(meta.parameter("namespace").is_some(), "{kind}: namespace");
            check(kind, &meta.parameters);
        }
    }

    #[test]
    fn summaries_agree_with_the_metadata() {
        for kind in NodeKind::ALL {
            let (meta, summary) = (of(kind), summary(kind));
            assert_eq!(summary.kind, kind);
            assert_eq!(summary.display_name, meta.display_name);
            assert_eq!(summary.icon, meta.icon);
            assert_eq!(summary.category, meta.category);
            assert_eq!(summary.description, meta.description);
            assert_eq!(summary.defaults, meta.default_data(), "{kind}");
        }
    }
}
