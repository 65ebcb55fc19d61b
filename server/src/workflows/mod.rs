//! Workflows (spec §1, §10): the server's implementation of
//! [`app::api::services::WorkflowService`]. Every call is scoped to the signed-in user through
//! the store, so another user's workflow is "not found" (404), never "forbidden".

pub mod validate;

use async_trait::async_trait;

use app::api::services::{Session, WorkflowService};
use app::api::workflows::{NewWorkflow, SaveOutcome, SaveRequest, WorkflowChanges};
use app::error::AppError;
use app::model::{VersionKind, Viewport, Workflow, WorkflowStatus, WorkflowSummary};

use crate::store::records::now;
use crate::store::{DynStore, GraphSave, VersionMeta, WorkflowPatch};

/// Workflow use cases on top of the store.
pub struct Workflows {
    store: DynStore,
}

impl Workflows {
    /// The service over `store`.
    pub fn new(store: DynStore) -> Self {
        Workflows { store }
    }

    /// The cluster id to store: `None` for none/blank, else an id of one of the caller's
    /// clusters (another user's cluster is "not found").
    async fn owned_cluster(
        &self,
        session: &Session,
        cluster_id: Option<&str>,
    ) -> Result<Option<String>, AppError> {
        let Some(id) = cluster_id.map(str::trim).filter(|id| !id.is_empty()) else {
            return Ok(None);
        };
        match self.store.cluster(&session.user.id, id).await {
            Ok(Some(cluster)) => Ok(Some(cluster.id)),
            Ok(None) => Err(cluster_not_found()),
            Err(error) => Err(internal(error)),
        }
    }
}

fn not_found() -> AppError {
    AppError::NotFound("This workflow does not exist, or it is not yours.".into())
}

fn cluster_not_found() -> AppError {
    AppError::NotFound(
        "The chosen cluster does not exist, or it is not yours. Pick one from the clusters page."
            .into(),
    )
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("workflows: {error}");
    AppError::internal()
}

#[async_trait]
impl WorkflowService for Workflows {
    async fn create(&self, session: &Session, new: NewWorkflow) -> Result<Workflow, AppError> {
        let at = now();
        let workflow = Workflow {
            id: uuid::Uuid::now_v7().to_string(),
            name: validate::name(&new.name)?,
            description: validate::description(new.description.as_deref().unwrap_or(""))?,
            owner_id: session.user.id.clone(),
            cluster_id: self
                .owned_cluster(session, new.cluster_id.as_deref())
                .await?,
            status: WorkflowStatus::Draft,
            nodes: vec![],
            edges: vec![],
            viewport: Viewport::default(),
            current_version: 0,
            created_at: at,
            updated_at: at,
        };
        self.store
            .insert_workflow(&workflow)
            .await
            .map_err(internal)?;
        Ok(workflow)
    }

    async fn list(&self, session: &Session) -> Result<Vec<WorkflowSummary>, AppError> {
        self.store
            .list_workflows(&session.user.id)
            .await
            .map_err(internal)
    }

    async fn get(&self, session: &Session, id: &str) -> Result<Workflow, AppError> {
        self.store
            .workflow(&session.user.id, id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }

    async fn update(
        &self,
        session: &Session,
        id: &str,
        changes: WorkflowChanges,
    ) -> Result<Workflow, AppError> {
        if changes.name.is_none() && changes.description.is_none() && changes.cluster_id.is_none() {
            return Err(AppError::BadRequest(
                "Nothing to change: give a new name, description or cluster.".into(),
            ));
        }
        let cluster_id = match changes.cluster_id.as_deref() {
            Some(id) => Some(self.owned_cluster(session, Some(id)).await?),
            None => None,
        };
        let patch = WorkflowPatch {
            name: changes.name.as_deref().map(validate::name).transpose()?,
            description: changes
                .description
                .as_deref()
                .map(validate::description)
                .transpose()?,
            cluster_id,
            updated_at: now(),
        };
        self.store
            .update_details(&session.user.id, id, &patch)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }

    async fn delete(&self, session: &Session, id: &str) -> Result<(), AppError> {
        let archived = self
            .store
            .archive_workflow(&session.user.id, id, now())
            .await
            .map_err(internal)?;
        if archived {
            Ok(())
        } else {
            Err(not_found())
        }
    }

    async fn save(
        &self,
        session: &Session,
        id: &str,
        save: SaveRequest,
    ) -> Result<SaveOutcome, AppError> {
        validate::graph(&save.nodes, &save.edges)?;
        let message = validate::message(save.message.as_deref().unwrap_or(""))?;
        let viewport = match save.viewport {
            Some(viewport) => viewport,
            None => self.get(session, id).await?.viewport,
        };
        let user = &session.user.id;
        let graph = GraphSave {
            nodes: save.nodes,
            edges: save.edges,
            viewport,
            now: now(),
            version: save
                .create_version
                .then(|| VersionMeta::new(user, VersionKind::Save, &message)),
        };
        let saved = self
            .store
            .save_graph(user, id, &graph)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        Ok(SaveOutcome {
            updated_at: saved.workflow.updated_at,
            current_version: saved.workflow.current_version,
            version: saved.version.map(|v| v.number),
        })
    }
}
