//! A workflow's versions: list (paginated), one version, compare two, restore one, and edit a
//! version's message and tag.
//!
//! JSON endpoints: `GET /api/workflows/versions?id=…&before=…&limit=…`,
//! `GET /api/workflows/version?id=…&number=…`,
//! `GET /api/workflows/versions/compare?id=…&from=…&to=…` (also served as
//! `GET /api/workflows/{id}/versions/compare?from=…&to=…`), `POST /api/workflows/versions/restore`,
//! `POST /api/workflows/versions/annotate`. Another user's workflow is always a 404. See
//! `docs/api.md`.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::domain::diff::{DiffCounts, GraphDiff};
use crate::error::AppError;
use crate::model::{Version, VersionInfo, VersionKind, Workflow};
#[cfg(feature = "ssr")]
use {crate::api::services::signed_in, crate::error::respond};

/// Versions per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Most versions per page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;

/// One version as a list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionSummary {
    /// 1, 2, 3, …
    pub number: u64,
    /// When it was taken.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// The user who made it.
    pub author_id: String,
    /// Their display name (empty when the account no longer exists).
    pub author_name: String,
    /// Save, deploy or restore.
    pub kind: VersionKind,
    /// Optional message.
    pub message: String,
    /// Optional tag.
    pub tag: Option<String>,
    /// For restores: the version whose content this is.
    pub restored_from: Option<u64>,
    /// True for the snapshots taken by a deploy (Run).
    pub deployed: bool,
}

impl VersionSummary {
    /// The summary of `info`, made by `author_name`.
    pub fn new(info: VersionInfo, author_name: String) -> Self {
        VersionSummary {
            deployed: info.kind == VersionKind::Deploy,
            number: info.number,
            created_at: info.created_at,
            author_id: info.author_id,
            author_name,
            kind: info.kind,
            message: info.message,
            tag: info.tag,
            restored_from: info.restored_from,
        }
    }
}

/// One page of versions, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionPage {
    /// The versions on this page.
    pub items: Vec<VersionSummary>,
    /// How many versions the workflow has in all.
    pub total: u64,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<u64>,
}

/// What the versions list asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    /// Only versions numbered below this (absent: from the newest).
    pub before: Option<u64>,
    /// Page size, 1–100.
    pub limit: u32,
}

/// Two versions compared: what changed from `from` to `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The older side (any version number; it need not be lower).
    pub from: u64,
    /// The newer side.
    pub to: u64,
    /// The changes.
    #[serde(flatten)]
    pub diff: GraphDiff,
    /// How many of each.
    pub summary: DiffCounts,
}

impl Comparison {
    /// The comparison of `from` with `to`.
    pub fn of(from: &Version, to: &Version) -> Self {
        let diff = crate::domain::diff::diff(&from.graph(), &to.graph());
        Comparison {
            from: from.number,
            to: to.number,
            summary: diff.counts(),
            diff,
        }
    }
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Restored {
    /// The version created (kind `restore`).
    pub version: VersionSummary,
    /// The workflow with the restored working copy.
    pub workflow: Workflow,
}

/// A change of a version's message and/or tag (absent fields stay as they are; an empty tag
/// removes it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionNote {
    /// New message.
    pub message: Option<String>,
    /// New tag (empty = none).
    pub tag: Option<String>,
}

/// `GET /api/workflows/versions?id=…&before=…&limit=…`: a page of versions, newest first.
#[server(endpoint = "workflows/versions", input = GetUrl, output = crate::api::TextJson)]
pub async fn list_versions(
    id: String,
    before: Option<u64>,
    limit: Option<u32>,
) -> Result<VersionPage, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let page = PageRequest {
            before,
            limit: limit.unwrap_or(DEFAULT_PAGE_SIZE),
        };
        services.versions.list(&session, &id, page).await
    })
    .await
}

/// `GET /api/workflows/version?id=…&number=…`: one version with its content.
#[server(endpoint = "workflows/version", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_version(id: String, number: u64) -> Result<Version, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.versions.get(&session, &id, number).await
    })
    .await
}

/// `GET /api/workflows/versions/compare?id=…&from=…&to=…`: what changed from one version to
/// another.
#[server(endpoint = "workflows/versions/compare", input = GetUrl, output = crate::api::TextJson)]
pub async fn compare_versions(id: String, from: u64, to: u64) -> Result<Comparison, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.versions.compare(&session, &id, from, to).await
    })
    .await
}

/// `POST /api/workflows/versions/restore` `{id, number}`: makes version `number`'s content the
/// working copy and records it as a new version (kind `restore`). Nothing is deployed.
#[server(endpoint = "workflows/versions/restore", input = Json, output = crate::api::TextJson)]
pub async fn restore_version(id: String, number: u64) -> Result<Restored, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        services.versions.restore(&session, &id, number).await
    })
    .await
}

/// `POST /api/workflows/versions/annotate` `{id, number, message?, tag?}`: edits a version's
/// message and/or tag (its content never changes).
#[server(endpoint = "workflows/versions/annotate", input = Json, output = crate::api::TextJson)]
pub async fn annotate_version(
    id: String,
    number: u64,
    message: Option<String>,
    tag: Option<String>,
) -> Result<VersionSummary, AppError> {
    respond(async move {
        let (services, session) = signed_in().await?;
        let note = VersionNote { message, tag };
        services
            .versions
            .annotate(&session, &id, number, note)
            .await
    })
    .await
}
