//! `GET /api/workflows/versions/manifests?id=…&from=…&to=…`: the Kubernetes manifests two
//! versions render to, compared line by line (the YAML view of the compare page). Secrets render
//! without values, as in every preview.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub use crate::domain::diff::lines::{Hunk, LineChange};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// Two versions' manifests compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestComparison {
    /// The older version.
    pub from: u64,
    /// The newer version.
    pub to: u64,
    /// The changes as unified-diff hunks (none when both render the same).
    pub hunks: Vec<Hunk>,
    /// Nodes left out of a manifest because they have errors.
    pub left_out: Vec<LeftOut>,
}

/// A node a version's manifest leaves out because it has errors (the editor shows them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The version.
    pub version: u64,
    /// The node.
    pub node_id: String,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::domain::design::DesignInput;
    use crate::domain::diff::lines::line_diff;
    use crate::domain::render::service::workflow_manifest;
    use crate::model::Version;

    /// Unchanged lines shown around each change.
    const CONTEXT_LINES: usize = 3;

    /// The version's manifest, and the nodes it leaves out.
    fn manifest(version: &Version) -> Result<(String, Vec<LeftOut>), AppError> {
        let renderer = crate::api::render::ssr::renderer()
            .map_err(|e| AppError::Internal(format!("The manifests cannot be rendered: {e}")))?;
        let design = DesignInput {
            workflow_id: version.workflow_id.clone(),
            workflow_name: String::new(),
            nodes: version.nodes.clone(),
            edges: version.edges.clone(),
        };
        let manifest = workflow_manifest(renderer, design)
            .map_err(|e| AppError::PayloadTooLarge(format!("{e}.")))?;
        let left_out = (version.nodes.iter())
            .filter(|n| manifest.report.node_has_errors(&n.id))
            .map(|n| LeftOut {
                version: version.number,
                node_id: n.id.clone(),
            })
            .collect();
        Ok((manifest.yaml, left_out))
    }

    /// Both manifests compared.
    pub fn compare(from: &Version, to: &Version) -> Result<ManifestComparison, AppError> {
        let (old, mut left_out) = manifest(from)?;
        let (new, more) = manifest(to)?;
        left_out.extend(more);
        Ok(ManifestComparison {
            from: from.number,
            to: to.number,
            hunks: line_diff(&old, &new, CONTEXT_LINES),
            left_out,
        })
    }
}

/// `GET /api/workflows/versions/manifests?id=…&from=…&to=…`: what changed in the rendered
/// manifests from version `from` to version `to`.
#[server(endpoint = "workflows/versions/manifests", input = GetUrl, output = crate::api::TextJson)]
pub async fn compare_manifests(
    id: String,
    from: u64,
    to: u64,
) -> Result<ManifestComparison, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let older = services.versions.get(&session, &id, from).await?;
        let newer = services.versions.get(&session, &id, to).await?;
        ssr::compare(&older, &newer)
    })
    .await
}
