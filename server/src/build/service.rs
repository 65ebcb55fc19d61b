//! The server's implementation of [`app::api::services::BuildService`]: checks a request, starts
//! the build in the background, cancels it, and sets a finished build's image on workflow
//! nodes. Every call is scoped to the signed-in user (another user's build is a 404).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use app::api::services::{BuildService, Session};
use app::error::AppError;
use app::model::build::{Build, BuildRequest, BuildState, ImageApplied};
use app::model::metadata::Format;
use app::model::VersionKind;

use super::builder::PushTarget;
use super::registry;
use super::runner::{self, BuildDeps, Job};
use super::{check, registries::Registries};
use crate::store::records::now;
use crate::store::{BuildRecord, GraphSave, VersionMeta};
use crate::workflows::validate;

/// How many builds the list shows.
pub const LIST_LIMIT: u32 = 50;

struct Running {
    cancel: CancellationToken,
    done: watch::Receiver<bool>,
}

/// Build use cases.
pub struct Builds {
    deps: Arc<BuildDeps>,
    registries: Arc<Registries>,
    shutdown: CancellationToken,
    running: Arc<Mutex<HashMap<String, Running>>>,
}

fn not_found() -> AppError {
    AppError::NotFound("This build does not exist, or it is not yours.".into())
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("builds: {error}");
    AppError::internal()
}

impl Builds {
    /// The service; builds stop when `shutdown` is cancelled.
    pub fn new(
        deps: Arc<BuildDeps>,
        registries: Arc<Registries>,
        shutdown: CancellationToken,
    ) -> Self {
        Builds {
            deps,
            registries,
            shutdown,
            running: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Marks builds a previous server left unfinished as failed.
    pub async fn recover(&self) {
        let message = "The server restarted while this build was running; start it again.";
        match self
            .deps
            .store
            .interrupt_unfinished_builds(now(), message)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::warn!("builds: {n} unfinished builds marked as failed"),
            Err(error) => tracing::error!("builds: cannot mark unfinished builds: {error}"),
        }
    }

    async fn owned(&self, session: &Session, id: &str) -> Result<Build, AppError> {
        self.deps
            .store
            .build(&session.user.id, id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }

    fn spawn(&self, job: Job) {
        let id = job.build.id.clone();
        let cancel = self.shutdown.child_token();
        let (done_tx, done) = watch::channel(false);
        if let Ok(mut running) = self.running.lock() {
            running.insert(
                id.clone(),
                Running {
                    cancel: cancel.clone(),
                    done,
                },
            );
        }
        let (deps, running) = (self.deps.clone(), self.running.clone());
        tokio::spawn(async move {
            Box::pin(runner::run(deps, job, cancel)).await;
            if let Ok(mut running) = running.lock() {
                running.remove(&id);
            }
            let _ = done_tx.send(true);
        });
    }
}

#[async_trait]
impl BuildService for Builds {
    async fn start(&self, session: &Session, request: BuildRequest) -> Result<Build, AppError> {
        let owner = &session.user.id;
        let checked = check::request(&request, self.deps.settings.allow_file)?;
        let (registry, auth) = self
            .registries
            .for_build(owner, request.registry_id.as_deref())
            .await?;
        if let Some(workflow_id) = request.workflow_id.as_deref().filter(|w| !w.is_empty()) {
            let owns = self
                .deps
                .store
                .owns_workflow(owner, workflow_id)
                .await
                .map_err(internal)?;
            if !owns {
                return Err(AppError::NotFound(
                    "This workflow does not exist, or it is not yours.".into(),
                ));
            }
        }
        let host = app::model::build::registry_host(&registry.url).to_string();
        let reference = format!("{host}/{}:{}", checked.image, checked.tag);
        let mut secrets: Vec<String> = auth.as_ref().map(|a| a.secrets()).unwrap_or_default();
        secrets.extend(checked.repo.secret.clone());
        let build = Build {
            id: uuid::Uuid::now_v7().to_string(),
            repo_url: checked.repo.display.clone(),
            branch: checked.branch,
            context: checked.context,
            image: checked.image,
            tag: checked.tag,
            registry_id: registry.id.clone(),
            registry_name: registry.name.clone(),
            workflow_id: request.workflow_id.filter(|w| !w.is_empty()),
            state: BuildState::Pending,
            plan: None,
            commit: None,
            stages: Vec::new(),
            error_stage: None,
            error: None,
            image_ref: None,
            digest: None,
            created_at: now(),
            finished_at: None,
        };
        let record = BuildRecord {
            owner_id: owner.clone(),
            build: build.clone(),
        };
        self.deps
            .store
            .insert_build(&record)
            .await
            .map_err(internal)?;
        let feed = self.deps.feeds.open(&build.id);
        let progress = app::model::build::BuildProgress {
            state: BuildState::Pending,
            progress: 0,
            message: "Waiting for a build slot".into(),
            stages: Vec::new(),
        };
        feed.publish(
            "progress",
            &serde_json::to_string(&progress).unwrap_or_default(),
        );
        self.spawn(Job {
            owner_id: owner.clone(),
            build: build.clone(),
            clone_url: checked.repo.url,
            target: PushTarget {
                reference,
                host,
                insecure: registry.url.starts_with("http://"),
                auth,
            },
            secrets,
            feed,
        });
        Ok(build)
    }

    async fn list(&self, session: &Session) -> Result<Vec<Build>, AppError> {
        self.deps
            .store
            .builds(&session.user.id, LIST_LIMIT)
            .await
            .map_err(internal)
    }

    async fn get(&self, session: &Session, id: &str) -> Result<Build, AppError> {
        self.owned(session, id).await
    }

    async fn cancel(&self, session: &Session, id: &str) -> Result<Build, AppError> {
        let build = self.owned(session, id).await?;
        if build.state.is_finished() {
            return Ok(build);
        }
        let done = self.running.lock().ok().and_then(|running| {
            running.get(id).map(|r| {
                r.cancel.cancel();
                r.done.clone()
            })
        });
        if let Some(mut done) = done {
            let _ = tokio::time::timeout(Duration::from_secs(30), done.wait_for(|d| *d)).await;
        }
        self.owned(session, id).await
    }

    async fn set_image(
        &self,
        session: &Session,
        build_id: &str,
        workflow_id: &str,
        node_ids: Vec<String>,
    ) -> Result<ImageApplied, AppError> {
        let build = self.owned(session, build_id).await?;
        let image = match (build.state, build.image_ref) {
            (BuildState::Completed, Some(image)) => image,
            _ => {
                return Err(AppError::Conflict(
                    "This build has not completed; its image can be used once it is pushed.".into(),
                ))
            }
        };
        if node_ids.is_empty() {
            return Err(AppError::Invalid(
                "Choose at least one node to set the image on.".into(),
            ));
        }
        app::domain::formats::check(Format::Image, &image).map_err(|why| {
            AppError::Invalid(format!(
                "The build's image reference `{image}` cannot go on a node: it {why}."
            ))
        })?;
        let user = &session.user.id;
        let mut workflow = self
            .deps
            .store
            .workflow(user, workflow_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                AppError::NotFound("This workflow does not exist, or it is not yours.".into())
            })?;
        for id in &node_ids {
            let node = workflow
                .nodes
                .iter_mut()
                .find(|n| &n.id == id)
                .ok_or_else(|| AppError::Invalid(format!("The workflow has no node '{id}'.")))?;
            if !node.kind.is_workload() {
                return Err(AppError::Invalid(format!(
                    "Node '{id}' is a {}, which has no container image.",
                    node.kind.as_str()
                )));
            }
            node.data
                .insert("image".into(), serde_json::Value::String(image.clone()));
        }
        validate::graph(&workflow.nodes, &workflow.edges)?;
        let message = format!("Image {image} from build {}", build.id);
        let save = GraphSave {
            nodes: workflow.nodes,
            edges: workflow.edges,
            viewport: workflow.viewport,
            now: now(),
            version: Some(VersionMeta::new(user, VersionKind::Save, &message)),
        };
        let saved = self
            .deps
            .store
            .save_graph(user, workflow_id, &save)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                AppError::NotFound("This workflow does not exist, or it is not yours.".into())
            })?;
        Ok(ImageApplied {
            node_ids,
            image,
            version: saved
                .version
                .map_or(saved.workflow.current_version, |v| v.number),
        })
    }
}

/// Decrypts a registry's credentials for a build.
pub(super) fn auth_for(
    sealer: &crate::cluster::crypto::Sealer,
    record: &crate::store::RegistryRecord,
) -> Result<Option<registry::RegistryAuth>, AppError> {
    registry::open(sealer, record).map_err(|_| {
        AppError::Conflict(
            "The registry's stored password cannot be decrypted (was KUBEORCH_ENCRYPTION_KEY \
             changed?); edit the registry and enter it again."
                .into(),
        )
    })
}
