//! The YAML view of a comparison: the manifests both versions render to, as a unified line diff.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::version_manifests::{Hunk, LineChange, ManifestComparison};
use crate::error::AppError;

/// The CSS class and sign of a line.
fn line_style(change: LineChange) -> (&'static str, char) {
    let class = match change {
        LineChange::Same => "line-same",
        LineChange::Added => "line-added",
        LineChange::Removed => "line-removed",
    };
    (class, change.sign())
}

/// The rendered manifests of two versions, compared. `names` maps node ids to display names.
#[component]
pub fn ManifestDiff(
    manifests: Result<ManifestComparison, AppError>,
    names: HashMap<String, String>,
) -> impl IntoView {
    let body = match manifests {
        Ok(comparison) => {
            let notes = left_out(&comparison, &names)
                .into_iter()
                .map(|note| view! { <p class="muted small left-out">{note}</p> })
                .collect_view();
            view! { <Hunks comparison/> {notes} }.into_any()
        }
        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
    };
    view! {
        <section class="manifest-diff" id="manifest-diff" aria-labelledby="manifest-diff-title">
            <h2 class="section-title" id="manifest-diff-title">"Rendered manifests (YAML)"</h2>
            {body}
        </section>
    }
}

/// Sentences about the nodes a manifest leaves out.
fn left_out(comparison: &ManifestComparison, names: &HashMap<String, String>) -> Vec<String> {
    comparison
        .left_out
        .iter()
        .map(|left| {
            let name = names.get(&left.node_id).unwrap_or(&left.node_id);
            format!(
                "{name} has errors in version {} and is not in its manifest.",
                left.version
            )
        })
        .collect()
}

#[component]
fn Hunks(comparison: ManifestComparison) -> impl IntoView {
    if comparison.hunks.is_empty() {
        return view! {
            <p class="muted small" id="manifests-same">"Both versions render the same manifests."</p>
        }
        .into_any();
    }
    view! {
        <div class="yaml-diff" role="table" aria-label="Manifest changes">
            {comparison.hunks.into_iter().map(|hunk| view! { <HunkView hunk/> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn HunkView(hunk: Hunk) -> impl IntoView {
    view! {
        <div class="hunk-header">{hunk.header}</div>
        <pre class="hunk">
            {hunk
                .lines
                .into_iter()
                .map(|line| {
                    let (class, sign) = line_style(line.change);
                    view! { <span class=class>{format!("{sign}{}\n", line.text)}</span> }
                })
                .collect_view()}
        </pre>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::version_manifests::LeftOut;

    #[test]
    fn left_out_nodes_are_named() {
        let comparison = ManifestComparison {
            from: 1,
            to: 2,
            hunks: vec![],
            left_out: vec![LeftOut {
                version: 2,
                node_id: "n1".into(),
            }],
        };
        let names = HashMap::from([("n1".to_string(), "web".to_string())]);
        assert_eq!(
            left_out(&comparison, &names),
            ["web has errors in version 2 and is not in its manifest."]
        );
        assert_eq!(line_style(LineChange::Added), ("line-added", '+'));
    }
}
