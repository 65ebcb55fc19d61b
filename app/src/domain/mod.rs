//! Pure domain logic (no IO, no Leptos), unit-tested on fixtures: node settings, edges, wiring,
//! validation, version diff, editor geometry/history/layout, deploy order/prune/live diff, live
//! status and — on the server (`render` feature) — rendering manifests.

pub mod deploy;
pub mod design;
pub mod diff;
pub mod edges;
pub mod editing;
pub mod facts;
pub mod formats;
pub mod geometry;
pub mod history;
pub mod id_set;
pub mod import;
pub mod issue;
pub mod layout;
pub mod number;
#[cfg(feature = "render")]
pub mod render;
pub mod rules;
pub mod settings;
pub mod status;
pub mod validate;
pub mod wiring;

pub use edges::{edge_rule, EdgeMeaning};
pub use issue::{Issue, Severity};
pub use validate::{check, Checked, Report};
