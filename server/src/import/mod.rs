//! Import (spec §7): the [`ImportService`] behind `/api/import/*`. Text is converted at once
//! (the conversion itself is pure, in `app::domain::import`); a URL is fetched first; a Git
//! repository is cloned in the background into a session whose progress streams over
//! `GET /api/import/{id}/events`. Applying goes through the workflow service, so it follows the
//! same ownership and validation rules as a save.

pub mod fetch;
pub mod git;
pub mod route;
pub mod session;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use app::api::import::{
    AnalyzeOutcome, AnalyzeRequest, Applied, ApplyRequest, ImportSession, ImportSource,
    SessionState,
};
use app::api::services::{ImportService, Session, WorkflowService};
use app::api::workflows::{NewWorkflow, SaveRequest};
use app::domain::import::{self as convert, ComposeInput, ImportError};
use app::error::AppError;
use app::model::import::{Analysis, ImportFormat};

use session::{Entry, Project};

/// Git imports running at once per user.
const MAX_RUNNING_PER_USER: usize = 3;
/// Most nodes one apply may add.
const MAX_APPLY_NODES: usize = 2000;

/// The import service.
pub struct Imports {
    workflows: Arc<dyn WorkflowService>,
    sessions: Mutex<HashMap<String, Arc<Entry>>>,
    work_dir: PathBuf,
    access: git::Access,
    limits: git::Limits,
    shutdown: CancellationToken,
}

impl Imports {
    /// The service; clones go under `work_dir`; `access` says which repository URLs beyond
    /// https and ssh are accepted.
    pub fn new(
        workflows: Arc<dyn WorkflowService>,
        work_dir: PathBuf,
        access: git::Access,
        shutdown: CancellationToken,
    ) -> Arc<Self> {
        Arc::new(Self {
            workflows,
            sessions: Mutex::new(HashMap::new()),
            work_dir,
            access,
            limits: git::Limits::default(),
            shutdown,
        })
    }

    fn entry(&self, owner: &str, id: &str) -> Result<Arc<Entry>, AppError> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, e| !e.expired());
        sessions
            .get(id)
            .filter(|e| e.owner == owner)
            .cloned()
            .ok_or_else(|| AppError::NotFound("No such import session.".into()))
    }

    fn start_session(
        &self,
        owner: &str,
        namespace: &str,
    ) -> Result<(String, Arc<Entry>), AppError> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, e| !e.expired());
        let running = sessions
            .values()
            .filter(|e| {
                e.owner == owner
                    && matches!(
                        e.view().state,
                        SessionState::Cloning | SessionState::Analyzing
                    )
            })
            .count();
        if running >= MAX_RUNNING_PER_USER {
            return Err(AppError::RateLimited {
                retry_after_secs: 30,
            });
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let entry = Entry::new(&id, owner, namespace);
        sessions.insert(id.clone(), entry.clone());
        Ok((id, entry))
    }
}

fn namespace(request: &AnalyzeRequest) -> Result<String, AppError> {
    match request
        .namespace
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        None => Ok("default".into()),
        Some(ns) if app::domain::formats::is_dns1123_label(ns) => Ok(ns.to_string()),
        Some(_) => Err(AppError::Invalid(
            "namespace: use lower-case letters, digits and '-' (at most 63)".into(),
        )),
    }
}

fn import_error(error: ImportError) -> AppError {
    match error {
        ImportError::TooLarge { .. } => AppError::PayloadTooLarge(error.to_string()),
        other => AppError::Invalid(other.to_string()),
    }
}

/// Converts text as Compose or Kubernetes YAML (detected unless given), off the async threads.
async fn convert_text(
    text: String,
    dotenv: String,
    files: std::collections::BTreeMap<String, String>,
    profiles: Vec<String>,
    namespace: String,
    format: Option<ImportFormat>,
) -> Result<Analysis, AppError> {
    tokio::task::spawn_blocking(
        move || match format.unwrap_or_else(|| convert::detect(&text)) {
            ImportFormat::Compose => convert::convert_compose(&ComposeInput {
                text,
                dotenv,
                files,
                profiles,
                namespace,
            }),
            ImportFormat::Kubernetes => convert::convert_kubernetes(&text, &namespace),
        },
    )
    .await
    .map_err(|_| AppError::internal())?
    .map_err(import_error)
}

impl Imports {
    /// Starts a Git import session: the clone and analysis run in the background and report on
    /// the session's event stream.
    fn start_git(
        &self,
        session: &Session,
        request: AnalyzeRequest,
        namespace: String,
    ) -> Result<AnalyzeOutcome, AppError> {
        let url = git::check_url(request.url.as_deref().unwrap_or_default(), self.access)
            .map_err(|e| AppError::Invalid(format!("url: {e}")))?;
        let branch = request.branch.filter(|b| !b.trim().is_empty());
        if let Some(branch) = &branch {
            git::check_branch(branch).map_err(|e| AppError::Invalid(format!("branch: {e}")))?;
        }
        let path = match request
            .path
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(convert::compose::relative_path(p).ok_or_else(|| {
                AppError::Invalid(
                    "path: give a path inside the repository, e.g. deploy/compose.yaml".into(),
                )
            })?),
            None => None,
        };
        let (id, entry) = self.start_session(&session.user.id, &namespace)?;
        let job = GitJob {
            entry,
            url,
            branch,
            path,
            profiles: request.profiles,
            work_dir: self.work_dir.clone(),
            limits: self.limits,
            access: self.access,
        };
        let shutdown = self.shutdown.clone();
        let watched = job.entry.clone();
        let task = tokio::spawn(async move {
            tokio::select! {
                _ = job.run() => {}
                _ = shutdown.cancelled() => {}
            }
        });
        tokio::spawn(async move {
            if task.await.is_err() {
                tracing::error!("an import session stopped unexpectedly");
                watched.fail("internal", "the import stopped unexpectedly: try again");
            }
        });
        Ok(AnalyzeOutcome {
            analysis: None,
            session_id: Some(id),
        })
    }
}

#[async_trait]
impl ImportService for Imports {
    async fn analyze(
        &self,
        session: &Session,
        request: AnalyzeRequest,
    ) -> Result<AnalyzeOutcome, AppError> {
        let namespace = namespace(&request)?;
        let text = match request.source {
            ImportSource::Text => {
                request
                    .text
                    .filter(|t| !t.trim().is_empty())
                    .ok_or_else(|| {
                        AppError::Invalid(
                            "text: paste or upload a Compose file or Kubernetes YAML".into(),
                        )
                    })?
            }
            ImportSource::Url => {
                fetch::fetch(
                    request.url.as_deref().unwrap_or_default(),
                    self.access.local,
                )
                .await?
            }
            ImportSource::Git => return self.start_git(session, request, namespace),
        };
        let analysis = convert_text(
            text,
            request.dotenv.unwrap_or_default(),
            Default::default(),
            request.profiles,
            namespace,
            request.format,
        )
        .await?;
        Ok(AnalyzeOutcome {
            analysis: Some(analysis),
            session_id: None,
        })
    }

    async fn session(&self, session: &Session, id: &str) -> Result<ImportSession, AppError> {
        Ok(self.entry(&session.user.id, id)?.view())
    }

    async fn choose(
        &self,
        session: &Session,
        id: &str,
        path: String,
        profiles: Vec<String>,
    ) -> Result<ImportSession, AppError> {
        let entry = self.entry(&session.user.id, id)?;
        let view = entry.view();
        if view.state != SessionState::Completed {
            return Err(AppError::Conflict(
                "The import has not finished yet.".into(),
            ));
        }
        // No path: the file already chosen (e.g. only the profiles changed).
        let path = match view.chosen {
            Some(chosen) if path.trim().is_empty() => chosen,
            _ => path,
        };
        let project = entry
            .projects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&path)
            .cloned()
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "path: {path} is not one of the compose files found"
                ))
            })?;
        let analysis = convert_text(
            project.text,
            project.dotenv,
            project.files,
            profiles,
            entry.namespace.clone(),
            Some(ImportFormat::Compose),
        )
        .await?;
        entry.converted(view.candidates, path, analysis);
        Ok(entry.view())
    }

    async fn apply(&self, session: &Session, request: ApplyRequest) -> Result<Applied, AppError> {
        if request.nodes.is_empty() {
            return Err(AppError::Invalid("nodes: nothing to import".into()));
        }
        if request.nodes.len() > MAX_APPLY_NODES {
            return Err(AppError::PayloadTooLarge(format!(
                "at most {MAX_APPLY_NODES} nodes can be imported at once"
            )));
        }
        let (workflow, created) = match &request.workflow_id {
            Some(id) => (self.workflows.get(session, id).await?, false),
            None => {
                let name = request
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "Imported workflow".into());
                let new = NewWorkflow {
                    name,
                    description: Some("Imported".into()),
                    cluster_id: request.cluster_id.clone(),
                };
                (self.workflows.create(session, new).await?, true)
            }
        };
        let (nodes, edges) = convert::merge::place_beside(
            &workflow.nodes,
            &workflow.edges,
            request.nodes,
            request.edges,
        );
        let (added_nodes, added_edges) = (nodes.len(), edges.len());
        let mut all_nodes = workflow.nodes.clone();
        all_nodes.extend(nodes);
        let mut all_edges = workflow.edges.clone();
        all_edges.extend(edges);
        let save = SaveRequest {
            nodes: all_nodes,
            edges: all_edges,
            viewport: None,
            message: Some(format!("Imported {added_nodes} nodes")),
            create_version: true,
        };
        match self.workflows.save(session, &workflow.id, save).await {
            Ok(outcome) => Ok(Applied {
                workflow_id: workflow.id,
                version: outcome.version,
                nodes: added_nodes,
                edges: added_edges,
            }),
            Err(error) => {
                if created {
                    let _ = self.workflows.delete(session, &workflow.id).await;
                }
                Err(error)
            }
        }
    }
}

/// One background Git import.
struct GitJob {
    entry: Arc<Entry>,
    url: git::RepoUrl,
    branch: Option<String>,
    path: Option<String>,
    profiles: Vec<String>,
    work_dir: PathBuf,
    limits: git::Limits,
    access: git::Access,
}

/// Removes a directory tree when dropped.
struct Cleanup(PathBuf);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl GitJob {
    async fn run(self) {
        let entry = self.entry.clone();
        if let Err((stage, message)) = self.steps().await {
            entry.log(&format!("{stage} failed: {message}"));
            entry.fail(stage, &message);
        }
    }

    async fn steps(self) -> Result<(), (&'static str, String)> {
        let entry = self.entry.clone();
        let base = self
            .work_dir
            .join(format!("import-{}", uuid::Uuid::new_v4().simple()));
        let home = base.join("home");
        let checkout = base.join("repo");
        std::fs::create_dir_all(&home)
            .map_err(|e| ("clone", format!("cannot create a work folder: {e}")))?;
        let _cleanup = Cleanup(base);
        entry.progress(5, "clone", &format!("Cloning {}", self.url.display));
        entry.log(&format!(
            "git clone --depth 1 {}{}",
            self.url.display,
            self.branch
                .as_deref()
                .map(|b| format!(" --branch {b}"))
                .unwrap_or_default()
        ));
        let progress_entry = entry.clone();
        let last = AtomicU8::new(0);
        git::clone(
            &self.url,
            self.branch.as_deref(),
            &checkout,
            &home,
            self.limits,
            self.access,
            move |p| {
                if let Some(percent) = p.percent {
                    let scaled = (5 + u16::from(percent.min(100)) * 60 / 100) as u8;
                    if last.fetch_max(scaled, Ordering::Relaxed) < scaled {
                        progress_entry.progress(scaled, "clone", &p.line);
                    }
                } else {
                    progress_entry.log(&p.line);
                }
            },
        )
        .await
        .map_err(|e| ("clone", e.to_string()))?;
        entry.progress(70, "analyze", "Looking for compose files");
        let (candidates, mut projects) = tokio::task::spawn_blocking({
            let checkout = checkout.clone();
            move || read_projects(&checkout)
        })
        .await
        .map_err(|_| ("analyze", "reading the checkout failed".to_string()))?;
        entry.log(&format!(
            "found {} compose file(s): {}",
            candidates.len(),
            candidates.join(", ")
        ));
        let chosen = match &self.path {
            Some(path) if projects.contains_key(path) => path.clone(),
            Some(path) => {
                let found = tokio::task::spawn_blocking({
                    let checkout = checkout.clone();
                    let path = path.clone();
                    move || read_project(&checkout, &path)
                })
                .await
                .ok()
                .flatten()
                .ok_or_else(|| ("analyze", format!("{path} is not a file in the repository")))?;
                projects.insert(path.clone(), found);
                path.clone()
            }
            None => candidates.first().cloned().ok_or_else(|| ("analyze", "no compose file (compose.yaml, docker-compose.yml, …) at the root or in a first-level folder: give its path".to_string()))?,
        };
        let project = projects.get(&chosen).cloned().unwrap_or_default();
        entry
            .projects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(projects);
        entry.progress(85, "convert", &format!("Converting {chosen}"));
        let analysis = convert_text(
            project.text,
            project.dotenv,
            project.files,
            self.profiles,
            entry.namespace.clone(),
            Some(ImportFormat::Compose),
        )
        .await
        .map_err(|e| ("convert", e.to_string()))?;
        entry.log(&format!(
            "generated {} nodes and {} edges ({} warnings)",
            analysis.nodes.len(),
            analysis.edges.len(),
            analysis.warnings.len()
        ));
        let mut all = candidates;
        if !all.contains(&chosen) {
            all.push(chosen.clone());
        }
        entry.complete(all, chosen, analysis);
        Ok(())
    }
}

/// Every compose file of a checkout with the files of its folder.
fn read_projects(checkout: &Path) -> (Vec<String>, std::collections::BTreeMap<String, Project>) {
    let candidates = git::find_compose_files(checkout);
    let projects = candidates
        .iter()
        .filter_map(|c| read_project(checkout, c).map(|p| (c.clone(), p)))
        .collect();
    (candidates, projects)
}

/// One compose file (a path inside the checkout, never a symlink) and the files next to it.
fn read_project(checkout: &Path, path: &str) -> Option<Project> {
    let file = checkout.join(path);
    if !file.symlink_metadata().ok()?.is_file() {
        return None;
    }
    let folder = file.parent()?;
    let name = file.file_name()?.to_string_lossy().into_owned();
    let mut files = git::read_folder(folder);
    let text = files.remove(&name)?;
    let dotenv = files.remove(".env").unwrap_or_default();
    Some(Project {
        text,
        dotenv,
        files,
    })
}
