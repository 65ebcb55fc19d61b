//! One build from start to end, in the background: `pending → cloning → building → pushing →
//! completed | failed | cancelled`. Each state change is stored and published as `progress`,
//! tool output as `log` lines (credentials scrubbed), and the end as `complete` or `failed`
//! (which also covers `cancelled`). The whole build has a time cap; cancelling or running out
//! of time kills the tools' process groups, and the workspace is deleted afterwards.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use app::model::build::{Build, BuildLogLine, BuildProgress, BuildState, StageTiming};

use super::builder::{ImageBuilder, PushTarget, StageError, Workspace};
use super::feed::{Feed, Feeds};
use super::git::{self, CloneError, CloneSpec};
use super::plan;
use super::process::LineSink;
use crate::cluster::scrub::scrub;
use crate::store::records::now;
use crate::store::{BuildRecord, DynStore};

/// Limits and places of builds.
#[derive(Clone, Debug)]
pub struct BuildSettings {
    /// Where workspaces are made (one folder per build, removed afterwards).
    pub work_dir: PathBuf,
    /// Longest a build may take.
    pub timeout: Duration,
    /// Largest checkout, in bytes.
    pub max_repo_bytes: u64,
    /// Whether `file://` repositories are allowed.
    pub allow_file: bool,
}

/// What every build needs.
pub struct BuildDeps {
    /// The store.
    pub store: DynStore,
    /// The event feeds.
    pub feeds: Arc<Feeds>,
    /// The image builder.
    pub builder: Arc<dyn ImageBuilder>,
    /// Limits and places.
    pub settings: BuildSettings,
    /// How many builds run at once (others wait in `pending`).
    pub slots: Arc<Semaphore>,
}

/// One build to run.
pub struct Job {
    /// The owner.
    pub owner_id: String,
    /// The `pending` record.
    pub build: Build,
    /// The repository URL as given (may hold a token; the record has it masked).
    pub clone_url: String,
    /// Where to push.
    pub target: PushTarget,
    /// Strings to scrub from every line and message.
    pub secrets: Vec<String>,
    /// Its feed (opened before the record was answered).
    pub feed: Arc<Feed>,
}

struct Recorder {
    deps: Arc<BuildDeps>,
    owner_id: String,
    build: Build,
    feed: Arc<Feed>,
    secrets: Arc<Vec<String>>,
}

impl Recorder {
    fn clean(&self, text: &str) -> String {
        scrub(text, &self.secrets)
    }

    async fn save(&self) {
        let record = BuildRecord {
            owner_id: self.owner_id.clone(),
            build: self.build.clone(),
        };
        if let Err(error) = self.deps.store.update_build(&record).await {
            tracing::error!("builds: cannot store build {}: {error}", self.build.id);
        }
    }

    async fn enter(&mut self, state: BuildState, message: String) {
        let at = now();
        if let Some(last) = self.build.stages.last_mut() {
            last.finished_at.get_or_insert(at);
        }
        self.build.state = state;
        self.build.stages.push(StageTiming {
            stage: state,
            started_at: at,
            finished_at: None,
        });
        self.save().await;
        self.publish_progress(message);
    }

    fn publish_progress(&self, message: String) {
        let progress = BuildProgress {
            state: self.build.state,
            progress: self.build.state.progress(),
            message: self.clean(&message),
            stages: self.build.stages.clone(),
        };
        self.feed.publish(
            "progress",
            &serde_json::to_string(&progress).unwrap_or_default(),
        );
    }

    /// A sink that publishes the lines of the current stage.
    fn sink(&self) -> LineSink {
        let feed = self.feed.clone();
        let secrets = self.secrets.clone();
        let stage = self.build.state;
        Arc::new(move |stream, line| {
            let line = BuildLogLine {
                stage,
                stream: stream.to_string(),
                line: scrub(&line, &secrets),
            };
            feed.publish("log", &serde_json::to_string(&line).unwrap_or_default());
        })
    }

    fn note(&self, text: String) {
        (self.sink())("kubeorch", text);
    }

    async fn finish(&mut self, state: BuildState, error: Option<String>) {
        let at = now();
        if let Some(last) = self.build.stages.last_mut() {
            last.finished_at.get_or_insert(at);
        }
        if state != BuildState::Completed {
            self.build.error_stage = Some(self.build.state);
        }
        self.build.error = error.map(|e| self.clean(&e));
        self.build.state = state;
        self.build.finished_at = Some(at);
        self.save().await;
        self.publish_progress(match state {
            BuildState::Completed => "Pushed".into(),
            BuildState::Cancelled => "Cancelled".into(),
            _ => self.build.error.clone().unwrap_or_default(),
        });
        self.feed.publish(
            super::feed::final_event(state),
            &serde_json::to_string(&self.build).unwrap_or_default(),
        );
    }
}

/// Runs a build to its end (never panics; every outcome is recorded).
pub async fn run(deps: Arc<BuildDeps>, job: Job, cancel: CancellationToken) {
    let build_id = job.build.id.clone();
    let mut rec = Recorder {
        deps: deps.clone(),
        owner_id: job.owner_id,
        build: job.build,
        feed: job.feed.clone(),
        secrets: Arc::new(job.secrets),
    };
    let flusher = tokio::spawn(flush_every(
        deps.clone(),
        build_id.clone(),
        job.feed.clone(),
    ));
    let ws = Workspace {
        root: deps.settings.work_dir.join(&build_id),
    };
    let slot = tokio::select! {
        slot = deps.slots.clone().acquire_owned() => slot.ok(),
        _ = cancel.cancelled() => None,
    };
    let outcome = match slot {
        None => Err(StageError::Cancelled),
        Some(_slot) => {
            let stages = Box::pin(stages(&mut rec, &ws, &job.clone_url, &job.target, &cancel));
            match tokio::time::timeout(deps.settings.timeout, stages).await {
                Ok(outcome) => outcome,
                Err(_) => Err(StageError::Failed(format!(
                    "the build took longer than the limit of {} minutes and was stopped",
                    deps.settings.timeout.as_secs().div_ceil(60)
                ))),
            }
        }
    };
    let strays = super::process::kill_strays(&ws.root);
    if strays > 0 {
        tracing::warn!("builds: killed {strays} leftover processes of build {build_id}");
    }
    deps.builder.release(&ws).await;
    remove_workspace(&ws.root).await;
    match outcome {
        Ok(digest) => {
            let reference = job.target.reference.clone();
            rec.build.image_ref = Some(format!("{reference}@{digest}"));
            rec.build.digest = Some(digest);
            rec.finish(BuildState::Completed, None).await;
        }
        Err(StageError::Cancelled) => {
            rec.finish(BuildState::Cancelled, Some("Cancelled.".into()))
                .await
        }
        Err(StageError::Failed(message)) => rec.finish(BuildState::Failed, Some(message)).await,
    }
    flusher.abort();
    if let Err(error) = deps.feeds.close(&build_id, &job.feed).await {
        tracing::error!("builds: cannot store the log of build {build_id}: {error}");
    }
}

async fn stages(
    rec: &mut Recorder,
    ws: &Workspace,
    clone_url: &str,
    target: &PushTarget,
    cancel: &CancellationToken,
) -> Result<String, StageError> {
    let branch = rec.build.branch.clone();
    rec.enter(
        BuildState::Cloning,
        format!("Cloning {} ({branch})", rec.build.repo_url),
    )
    .await;
    std::fs::create_dir_all(ws.home())
        .map_err(|e| StageError::Failed(format!("cannot create the build folder: {e}")))?;
    let spec = CloneSpec {
        url: clone_url.to_string(),
        branch: Some(branch),
        allow_file: rec.deps.settings.allow_file,
        allow_plain: false,
        read_by_server: false,
        max_bytes: rec.deps.settings.max_repo_bytes,
    };
    let commit = Box::pin(git::clone(
        &spec,
        &ws.checkout(),
        &ws.home(),
        rec.sink(),
        cancel,
    ))
    .await
    .map_err(|e| match e {
        CloneError::Cancelled => StageError::Cancelled,
        other => StageError::Failed(other.to_string()),
    })?;
    rec.note(format!("Checked out commit {commit}"));
    rec.build.commit = Some(commit);

    rec.enter(BuildState::Building, "Planning the image".into())
        .await;
    let relative = plan::check_context(&rec.build.context).map_err(StageError::Failed)?;
    let context = plan::contained_dir(&ws.checkout(), &relative).map_err(StageError::Failed)?;
    let plan = Box::pin(rec.deps.builder.plan(ws, &context, rec.sink(), cancel)).await?;
    rec.build.plan = Some(plan.label());
    rec.note(format!("Plan: {}", plan.label()));
    rec.publish_progress(format!("Building with {}", plan.label()));
    Box::pin(
        rec.deps
            .builder
            .build(ws, &plan, &context, &target.reference, rec.sink(), cancel),
    )
    .await?;

    rec.enter(BuildState::Pushing, format!("Pushing {}", target.reference))
        .await;
    let digest = Box::pin(rec.deps.builder.push(ws, target, rec.sink(), cancel)).await?;
    rec.note(format!("Pushed {}@{digest}", target.reference));
    Ok(digest)
}

async fn flush_every(deps: Arc<BuildDeps>, build_id: String, feed: Arc<Feed>) {
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Err(error) = deps.feeds.flush(&build_id, &feed).await {
            tracing::warn!("builds: cannot store log lines of {build_id} yet: {error}");
        }
    }
}

/// Deletes a workspace, unless something is still mounted inside it (then it is left for an
/// administrator, with an error in the server log).
async fn remove_workspace(root: &std::path::Path) {
    let mounts = tokio::fs::read_to_string("/proc/self/mountinfo")
        .await
        .unwrap_or_default();
    let prefix = root.to_string_lossy().to_string();
    if mounts
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .any(|point| point.starts_with(&prefix))
    {
        tracing::error!("builds: {prefix} still has mounts; not deleting it");
        return;
    }
    let root = root.to_path_buf();
    let _ = tokio::task::spawn_blocking(move || std::fs::remove_dir_all(root)).await;
}
