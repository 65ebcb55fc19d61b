//! Versions (spec §10): the server's implementation of
//! [`app::api::services::VersionService`]. Every call first checks that the signed-in user owns
//! the workflow, so another user's workflow (and its versions) is "not found" (404).

pub mod http;

use std::collections::HashMap;

use async_trait::async_trait;

use app::api::services::{Session, VersionService};
use app::api::versions::{
    Comparison, PageRequest, Restored, VersionNote, VersionPage, VersionSummary, MAX_PAGE_SIZE,
    MAX_TAG_CHARS,
};
use app::error::AppError;
use app::model::{Version, VersionInfo, VersionKind};

use crate::store::records::now;
use crate::store::{DynStore, GraphSave, VersionAnnotation, VersionMeta};
use crate::workflows::validate;

/// Version use cases on top of the store.
pub struct Versions {
    store: DynStore,
}

impl Versions {
    /// The service over `store`.
    pub fn new(store: DynStore) -> Self {
        Versions { store }
    }

    async fn ensure_owned(&self, session: &Session, workflow_id: &str) -> Result<(), AppError> {
        let owned = self
            .store
            .owns_workflow(&session.user.id, workflow_id)
            .await
            .map_err(internal)?;
        owned.then_some(()).ok_or_else(workflow_not_found)
    }

    async fn version_of(&self, workflow_id: &str, number: u64) -> Result<Version, AppError> {
        self.store
            .version(workflow_id, number)
            .await
            .map_err(internal)?
            .ok_or_else(|| version_not_found(number))
    }

    /// Summaries with their authors' names (each author looked up once).
    async fn summaries(&self, infos: Vec<VersionInfo>) -> Result<Vec<VersionSummary>, AppError> {
        let mut names: HashMap<String, String> = HashMap::new();
        let mut out = Vec::with_capacity(infos.len());
        for info in infos {
            if !names.contains_key(&info.author_id) {
                let user = self
                    .store
                    .user_by_id(&info.author_id)
                    .await
                    .map_err(internal)?;
                let name = user.map(|u| u.name).unwrap_or_default();
                names.insert(info.author_id.clone(), name);
            }
            let name = names.get(&info.author_id).cloned().unwrap_or_default();
            out.push(VersionSummary::new(info, name));
        }
        Ok(out)
    }

    async fn summary(&self, info: VersionInfo) -> Result<VersionSummary, AppError> {
        let mut one = self.summaries(vec![info]).await?;
        one.pop().ok_or_else(AppError::internal)
    }
}

fn workflow_not_found() -> AppError {
    AppError::NotFound("This workflow does not exist, or it is not yours.".into())
}

fn version_not_found(number: u64) -> AppError {
    AppError::NotFound(format!(
        "Version {number} of this workflow does not exist. Pick one from the versions list."
    ))
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("versions: {error}");
    AppError::internal()
}

/// A page size of 1–100.
fn page_size(limit: u32) -> Result<u32, AppError> {
    if (1..=MAX_PAGE_SIZE).contains(&limit) {
        Ok(limit)
    } else {
        Err(AppError::Invalid(format!(
            "`limit` must be between 1 and {MAX_PAGE_SIZE}; it was {limit}."
        )))
    }
}

/// A trimmed tag of at most 64 printable characters; empty means "no tag".
pub fn tag(tag: &str) -> Result<Option<String>, AppError> {
    let tag = tag.trim();
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(AppError::Invalid(format!(
            "The tag is too long; use at most {MAX_TAG_CHARS} characters."
        )));
    }
    if tag.chars().any(char::is_control) {
        return Err(AppError::Invalid(
            "The tag cannot contain line breaks or other control characters.".into(),
        ));
    }
    Ok((!tag.is_empty()).then(|| tag.to_string()))
}

#[async_trait]
impl VersionService for Versions {
    async fn list(
        &self,
        session: &Session,
        workflow_id: &str,
        page: PageRequest,
    ) -> Result<VersionPage, AppError> {
        let limit = page_size(page.limit)?;
        self.ensure_owned(session, workflow_id).await?;
        let mut listing = self
            .store
            .version_page(workflow_id, page.before, limit + 1)
            .await
            .map_err(internal)?;
        let more = listing.items.len() > limit as usize;
        listing.items.truncate(limit as usize);
        let next_before = more
            .then(|| listing.items.last().map(|v| v.number))
            .flatten();
        Ok(VersionPage {
            items: self.summaries(listing.items).await?,
            total: listing.total,
            next_before,
        })
    }

    async fn get(
        &self,
        session: &Session,
        workflow_id: &str,
        number: u64,
    ) -> Result<Version, AppError> {
        self.ensure_owned(session, workflow_id).await?;
        self.version_of(workflow_id, number).await
    }

    async fn compare(
        &self,
        session: &Session,
        workflow_id: &str,
        from: u64,
        to: u64,
    ) -> Result<Comparison, AppError> {
        self.ensure_owned(session, workflow_id).await?;
        let older = self.version_of(workflow_id, from).await?;
        let newer = self.version_of(workflow_id, to).await?;
        Ok(Comparison::of(&older, &newer))
    }

    async fn restore(
        &self,
        session: &Session,
        workflow_id: &str,
        number: u64,
    ) -> Result<Restored, AppError> {
        let owner = &session.user.id;
        let workflow = self
            .store
            .workflow(owner, workflow_id)
            .await
            .map_err(internal)?
            .ok_or_else(workflow_not_found)?;
        let source = self.version_of(workflow_id, number).await?;
        let meta = VersionMeta {
            restored_from: Some(number),
            ..VersionMeta::new(
                owner,
                VersionKind::Restore,
                &format!("Restored from {number}"),
            )
        };
        let save = GraphSave {
            nodes: source.nodes,
            edges: source.edges,
            viewport: workflow.viewport,
            now: now(),
            version: Some(meta),
        };
        let saved = self
            .store
            .save_graph(owner, workflow_id, &save)
            .await
            .map_err(internal)?
            .ok_or_else(workflow_not_found)?;
        let version = saved.version.ok_or_else(AppError::internal)?;
        Ok(Restored {
            version: self.summary(version.info()).await?,
            workflow: saved.workflow,
        })
    }

    async fn annotate(
        &self,
        session: &Session,
        workflow_id: &str,
        number: u64,
        note: VersionNote,
    ) -> Result<VersionSummary, AppError> {
        if note.message.is_none() && note.tag.is_none() {
            return Err(AppError::BadRequest(
                "Nothing to change: give a new message or tag.".into(),
            ));
        }
        let annotation = VersionAnnotation {
            message: note.message.as_deref().map(validate::message).transpose()?,
            tag: note.tag.as_deref().map(tag).transpose()?,
        };
        self.ensure_owned(session, workflow_id).await?;
        let info = self
            .store
            .annotate_version(workflow_id, number, &annotation)
            .await
            .map_err(internal)?
            .ok_or_else(|| version_not_found(number))?;
        self.summary(info).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_bounded_and_single_line() {
        assert_eq!(tag("  v1.2 ").ok(), Some(Some("v1.2".to_string())));
        assert_eq!(tag("   ").ok(), Some(None), "empty removes the tag");
        assert!(tag(&"t".repeat(MAX_TAG_CHARS)).is_ok());
        assert!(tag(&"t".repeat(MAX_TAG_CHARS + 1)).is_err());
        assert!(tag("a\nb").is_err());
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert!(page_size(0).is_err());
        assert_eq!(page_size(1).ok(), Some(1));
        assert_eq!(page_size(MAX_PAGE_SIZE).ok(), Some(MAX_PAGE_SIZE));
        assert!(page_size(MAX_PAGE_SIZE + 1).is_err());
    }
}
