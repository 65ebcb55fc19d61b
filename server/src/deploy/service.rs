//! The server's implementation of [`app::api::services::DeployService`]: checks the caller owns
//! the workflow and its cluster (404 otherwise), saves the design as a `deploy` version, and
//! runs the [`Job`] in the background. One run per workflow at a time.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use app::api::deploy::{DeployPlan, RemovedObjects, RunRequest, RunStarted};
use app::api::services::{DeployService, Session};
use app::domain::render::Renderer;
use app::error::AppError;
use app::model::{Graph, Run, RunState, VersionKind, Workflow};

use super::applied::LastApplied;
use super::engine::Job;
use super::prune::{delete_all, live_objects, Scope};
use super::render::plan_nodes;
use super::saver::Saver;
use crate::cluster::ClientFactory;
use crate::live::Live;
use crate::store::clusters::interrupted;
use crate::store::records::now;
use crate::store::{ClusterRecord, DynStore, GraphSave, RunRecord, VersionMeta};
use crate::workflows::validate;

/// How many runs `runs` lists.
pub const LISTED_RUNS: u32 = 20;

/// Deploys workflows.
pub struct Deployer {
    pub(super) store: DynStore,
    pub(super) clients: Arc<ClientFactory>,
    pub(super) live: Arc<Live>,
    pub(super) renderer: Arc<Renderer>,
    active: Arc<Mutex<HashSet<String>>>,
    last_applied: Arc<LastApplied>,
}

/// Marks a workflow as running a deploy until dropped.
struct Claim {
    active: Arc<Mutex<HashSet<String>>>,
    workflow_id: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Ok(mut active) = self.active.lock() {
            active.remove(&self.workflow_id);
        }
    }
}

pub(super) fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("deploy: {error}");
    AppError::internal()
}

fn not_found() -> AppError {
    AppError::NotFound("This workflow does not exist, or it is not yours.".into())
}

/// What a run whose rendering crashed says.
const RENDER_FAILED: &str = "Rendering failed unexpectedly; nothing was applied. Run again.";

impl Deployer {
    /// Marks runs left unfinished by a previous server process as failed, so the workflow can
    /// be run again (call once at start-up, before serving).
    pub async fn recover(&self) {
        let message = "The server restarted while this run was in progress; run it again.";
        match self.store.interrupt_unfinished(now(), message).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!("deploy: {n} unfinished runs marked as failed"),
            Err(error) => tracing::error!("deploy: cannot mark unfinished runs: {error}"),
        }
    }

    /// The service.
    pub fn new(
        store: DynStore,
        clients: Arc<ClientFactory>,
        live: Arc<Live>,
        renderer: Arc<Renderer>,
    ) -> Self {
        Deployer {
            store,
            clients,
            live,
            renderer,
            active: Arc::new(Mutex::new(HashSet::new())),
            last_applied: Arc::default(),
        }
    }

    fn claim(&self, workflow_id: &str) -> Result<Claim, AppError> {
        let mut active = self.active.lock().map_err(|_| AppError::internal())?;
        if !active.insert(workflow_id.to_string()) {
            return Err(AppError::Conflict(
                "A run of this workflow is still in progress. Wait for it to finish.".into(),
            ));
        }
        Ok(Claim {
            active: self.active.clone(),
            workflow_id: workflow_id.to_string(),
        })
    }

    /// The owner's workflow and its cluster.
    pub(super) async fn target(
        &self,
        session: &Session,
        id: &str,
    ) -> Result<(Workflow, ClusterRecord), AppError> {
        let owner = &session.user.id;
        let workflow = self
            .store
            .workflow(owner, id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        let Some(cluster_id) = workflow.cluster_id.clone() else {
            return Err(AppError::Invalid(
                "Choose the cluster this workflow deploys to first.".into(),
            ));
        };
        let cluster = self
            .store
            .cluster(owner, &cluster_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                AppError::NotFound(
                    "The workflow's cluster no longer exists. Choose another cluster.".into(),
                )
            })?;
        Ok((workflow, cluster))
    }
}

#[async_trait]
impl DeployService for Deployer {
    async fn plan(
        &self,
        session: &Session,
        id: &str,
        request: RunRequest,
    ) -> Result<DeployPlan, AppError> {
        validate::graph(&request.nodes, &request.edges)?;
        let (workflow, cluster) = self.target(session, id).await?;
        super::preview::preview(self, session, &workflow, &cluster, request).await
    }

    async fn run(
        &self,
        session: &Session,
        id: &str,
        request: RunRequest,
    ) -> Result<RunStarted, AppError> {
        validate::graph(&request.nodes, &request.edges)?;
        let message = validate::message(request.message.as_deref().unwrap_or(""))?;
        let (workflow, cluster) = self.target(session, id).await?;
        let claim = self.claim(id)?;
        let owner = session.user.id.clone();
        let save = GraphSave {
            nodes: request.nodes.clone(),
            edges: request.edges.clone(),
            viewport: request.viewport.unwrap_or(workflow.viewport),
            now: now(),
            version: Some(VersionMeta::new(&owner, VersionKind::Deploy, &message)),
        };
        let saved = self
            .store
            .save_graph(&owner, id, &save)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        let version = saved
            .version
            .map(|v| v.number)
            .ok_or_else(AppError::internal)?;
        let run = Run {
            id: uuid::Uuid::now_v7().to_string(),
            workflow_id: id.to_string(),
            cluster_id: cluster.id.clone(),
            version,
            state: RunState::Queued,
            phase: "queued".into(),
            error: None,
            nodes: Default::default(),
            namespaces_created: Vec::new(),
            pruned: Vec::new(),
            started_at: now(),
            finished_at: None,
        };
        let record = RunRecord {
            owner_id: owner.clone(),
            run: run.clone(),
        };
        self.store.insert_run(&record).await.map_err(internal)?;
        self.live.saved(id, version);
        self.live.run_update(&run);
        tracing::info!(run = %run.id, workflow = %id, version, "deploy started");
        let started = RunStarted {
            run_id: run.id.clone(),
            version,
        };
        let graph = Graph {
            nodes: request.nodes,
            edges: request.edges,
        };
        let (store, clients, live, renderer, last_applied) = (
            self.store.clone(),
            self.clients.clone(),
            self.live.clone(),
            self.renderer.clone(),
            self.last_applied.clone(),
        );
        let secrets = request.secrets;
        tokio::spawn(async move {
            let _claim = claim;
            let workflow_id = run.workflow_id.clone();
            let planned = tokio::task::spawn_blocking(move || {
                plan_nodes(&renderer, &workflow_id, &graph, &secrets)
            })
            .await;
            let (planned, edges) = match planned {
                Ok(done) => done,
                Err(error) => {
                    tracing::error!("rendering panicked: {error}");
                    let failed = interrupted(run, now(), RENDER_FAILED);
                    let record = RunRecord {
                        owner_id: owner,
                        run: failed.clone(),
                    };
                    if let Err(error) = store.update_run(&record).await {
                        tracing::error!("cannot record the failed run: {error}");
                    }
                    live.run_update(&failed);
                    return;
                }
            };
            let job = Job {
                saver: Saver::start(store.clone()),
                store,
                live,
                clients,
                owner_id: owner,
                cluster,
                run,
                planned,
                edges,
                last_applied,
            };
            job.execute().await;
        });
        Ok(started)
    }

    async fn runs(&self, session: &Session, id: &str) -> Result<Vec<Run>, AppError> {
        let owner = &session.user.id;
        self.store
            .workflow(owner, id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        self.store
            .runs(owner, id, LISTED_RUNS)
            .await
            .map_err(internal)
    }

    async fn delete_objects(
        &self,
        session: &Session,
        id: &str,
    ) -> Result<RemovedObjects, AppError> {
        let (_, cluster) = self.target(session, id).await?;
        let _claim = self.claim(id)?;
        let client = self
            .clients
            .client(&cluster)
            .await
            .map_err(|e| AppError::Invalid(format!("Cannot connect to the cluster: {e}")))?;
        let scope = Scope {
            store: &self.store,
            owner_id: &session.user.id,
            workflow_id: id,
            current: &[],
        };
        let found: Vec<_> = live_objects(&scope, &client)
            .await
            .into_iter()
            .map(|l| (l.object, l.node_id))
            .collect();
        let objects = delete_all(&client, found).await;
        tracing::info!(workflow = %id, count = objects.len(), "deleted the workflow's objects");
        Ok(RemovedObjects { objects })
    }
}
