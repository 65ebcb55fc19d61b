//! Versions in MongoDB: numbers come from an atomic `$inc` of the workflow's
//! `current_version`, backed by the unique index on `(workflow_id, number)`.

use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::bson::doc;
use mongodb::options::ReturnDocument;

use app::model::{Version, VersionInfo};

use super::docs::{VersionDoc, VersionInfoDoc};
use super::{backend, MongoStore};
use crate::store::{StoreResult, VersionAnnotation, VersionDraft, VersionListing, VersionStore};

impl MongoStore {
    /// Stores one version (a duplicate number fails on the unique index).
    pub(super) async fn insert_version(&self, version: &Version) -> StoreResult<()> {
        self.versions()
            .insert_one(VersionDoc::from_version(version))
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl VersionStore for MongoStore {
    async fn append_version(
        &self,
        owner_id: &str,
        workflow_id: &str,
        draft: &VersionDraft,
    ) -> StoreResult<Option<Version>> {
        let update = doc! { "$inc": { "current_version": 1_i64 } };
        let Some(workflow) = self.update_workflow(owner_id, workflow_id, update).await? else {
            return Ok(None);
        };
        let version = draft
            .clone()
            .into_version(workflow_id, workflow.current_version);
        self.insert_version(&version).await?;
        Ok(Some(version))
    }

    async fn versions(&self, workflow_id: &str) -> StoreResult<Vec<Version>> {
        let docs: Vec<VersionDoc> = self
            .versions()
            .find(doc! { "workflow_id": workflow_id })
            .sort(doc! { "number": -1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter().map(VersionDoc::into_version).collect()
    }

    async fn version(&self, workflow_id: &str, number: u64) -> StoreResult<Option<Version>> {
        let found = self
            .versions()
            .find_one(doc! { "workflow_id": workflow_id, "number": number as i64 })
            .await
            .map_err(backend)?;
        found.map(VersionDoc::into_version).transpose()
    }

    async fn version_page(
        &self,
        workflow_id: &str,
        before: Option<u64>,
        limit: u32,
    ) -> StoreResult<VersionListing> {
        let mut filter = doc! { "workflow_id": workflow_id };
        if let Some(before) = before {
            let before = i64::try_from(before).unwrap_or(i64::MAX);
            filter.insert("number", doc! { "$lt": before });
        }
        let docs: Vec<VersionInfoDoc> = self
            .versions()
            .clone_with_type::<VersionInfoDoc>()
            .find(filter)
            .projection(VersionInfoDoc::projection())
            .sort(doc! { "number": -1 })
            .limit(i64::from(limit))
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let total = self
            .versions()
            .count_documents(doc! { "workflow_id": workflow_id })
            .await
            .map_err(backend)?;
        Ok(VersionListing {
            items: docs
                .into_iter()
                .map(VersionInfoDoc::into_info)
                .collect::<StoreResult<_>>()?,
            total,
        })
    }

    async fn annotate_version(
        &self,
        workflow_id: &str,
        number: u64,
        annotation: &VersionAnnotation,
    ) -> StoreResult<Option<VersionInfo>> {
        let filter = doc! { "workflow_id": workflow_id, "number": number as i64 };
        let mut set = doc! {};
        if let Some(message) = &annotation.message {
            set.insert("message", message);
        }
        if let Some(tag) = &annotation.tag {
            set.insert("tag", tag.as_deref());
        }
        let versions = self.versions().clone_with_type::<VersionInfoDoc>();
        let found = if set.is_empty() {
            versions
                .find_one(filter)
                .projection(VersionInfoDoc::projection())
                .await
        } else {
            versions
                .find_one_and_update(filter, doc! { "$set": set })
                .projection(VersionInfoDoc::projection())
                .return_document(ReturnDocument::After)
                .await
        };
        found
            .map_err(backend)?
            .map(VersionInfoDoc::into_info)
            .transpose()
    }
}
