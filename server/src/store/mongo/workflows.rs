//! Workflows in MongoDB (versions are in `versions.rs`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mongodb::bson::{doc, to_bson, Document};
use mongodb::options::ReturnDocument;

use app::model::{Workflow, WorkflowStatus, WorkflowSummary};

use super::docs::{bson_date, SummaryDoc, WorkflowDoc};
use super::{backend, MongoStore};
use crate::store::{GraphSave, SavedGraph, StoreError, StoreResult, WorkflowPatch, WorkflowStore};

/// The owner's workflow `id`, unless archived.
fn active(owner_id: &str, id: &str) -> Document {
    doc! { "_id": id, "owner_id": owner_id, "status": { "$ne": "archived" } }
}

fn bson<T: serde::Serialize>(value: &T) -> StoreResult<mongodb::bson::Bson> {
    to_bson(value).map_err(StoreError::backend)
}

impl MongoStore {
    /// Applies `update` to the owner's active workflow and returns it afterwards.
    pub(super) async fn update_workflow(
        &self,
        owner_id: &str,
        id: &str,
        update: Document,
    ) -> StoreResult<Option<Workflow>> {
        let updated = self
            .workflows()
            .find_one_and_update(active(owner_id, id), update)
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)?;
        updated.map(WorkflowDoc::into_workflow).transpose()
    }
}

#[async_trait]
impl WorkflowStore for MongoStore {
    async fn insert_workflow(&self, workflow: &Workflow) -> StoreResult<()> {
        self.workflows()
            .insert_one(WorkflowDoc::from_workflow(workflow))
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn workflow(&self, owner_id: &str, id: &str) -> StoreResult<Option<Workflow>> {
        let found = self
            .workflows()
            .find_one(active(owner_id, id))
            .await
            .map_err(backend)?;
        found.map(WorkflowDoc::into_workflow).transpose()
    }

    async fn owns_workflow(&self, owner_id: &str, id: &str) -> StoreResult<bool> {
        let found = self
            .raw("workflows")
            .find_one(active(owner_id, id))
            .projection(doc! { "_id": 1 })
            .await
            .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn list_workflows(&self, owner_id: &str) -> StoreResult<Vec<WorkflowSummary>> {
        let docs: Vec<SummaryDoc> = self
            .workflows()
            .clone_with_type::<SummaryDoc>()
            .find(doc! { "owner_id": owner_id, "status": { "$ne": "archived" } })
            .projection(SummaryDoc::projection())
            .sort(doc! { "updated_at": -1, "_id": -1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter().map(SummaryDoc::into_summary).collect()
    }

    async fn update_details(
        &self,
        owner_id: &str,
        id: &str,
        patch: &WorkflowPatch,
    ) -> StoreResult<Option<Workflow>> {
        let mut set = doc! { "updated_at": bson_date(patch.updated_at) };
        if let Some(name) = &patch.name {
            set.insert("name", name);
        }
        if let Some(description) = &patch.description {
            set.insert("description", description);
        }
        if let Some(cluster_id) = &patch.cluster_id {
            set.insert("cluster_id", cluster_id.clone());
        }
        self.update_workflow(owner_id, id, doc! { "$set": set })
            .await
    }

    async fn set_workflow_status(
        &self,
        owner_id: &str,
        id: &str,
        status: WorkflowStatus,
    ) -> StoreResult<bool> {
        let result = self
            .workflows()
            .update_one(
                active(owner_id, id),
                doc! { "$set": { "status": bson(&status)? } },
            )
            .await
            .map_err(backend)?;
        Ok(result.matched_count == 1)
    }

    async fn archive_workflow(
        &self,
        owner_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let result = self
            .workflows()
            .update_one(
                active(owner_id, id),
                doc! { "$set": { "status": "archived", "updated_at": bson_date(now) } },
            )
            .await
            .map_err(backend)?;
        Ok(result.matched_count == 1)
    }

    async fn save_graph(
        &self,
        owner_id: &str,
        id: &str,
        save: &GraphSave,
    ) -> StoreResult<Option<SavedGraph>> {
        let mut update = doc! { "$set": {
            "nodes": bson(&save.nodes)?,
            "edges": bson(&save.edges)?,
            "viewport": bson(&save.viewport)?,
            "node_count": save.nodes.len() as i64,
            "updated_at": bson_date(save.now),
        } };
        if save.version.is_some() {
            update.insert("$inc", doc! { "current_version": 1_i64 });
        }
        let Some(workflow) = self.update_workflow(owner_id, id, update).await? else {
            return Ok(None);
        };
        let version = save.version.clone().map(|meta| {
            meta.into_version(
                id,
                workflow.current_version,
                save.nodes.clone(),
                save.edges.clone(),
                save.now,
            )
        });
        if let Some(version) = &version {
            self.insert_version(version).await?;
        }
        Ok(Some(SavedGraph { workflow, version }))
    }
}
