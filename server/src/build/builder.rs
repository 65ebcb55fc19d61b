//! The image builder behind a trait, and its implementation with `buildah` (daemonless, `vfs`
//! storage private to each build, chroot isolation; no volumes or host mounts are ever passed).
//! Plans come from the repository's build file, else `nixpacks` when installed, else
//! [`super::plan::detect`].

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::plan::{self, Plan};
use super::process::{self, LineSink, ProcessError};
use super::registry::RegistryAuth;

/// A build stage failure (user-facing, scrubbed by the caller).
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The stage failed; the message says why.
    #[error("{0}")]
    Failed(String),
    /// The build was cancelled (or ran out of time) while in this stage.
    #[error("stopped")]
    Cancelled,
}

impl From<ProcessError> for StageError {
    fn from(error: ProcessError) -> Self {
        match error {
            ProcessError::Cancelled => StageError::Cancelled,
            other => StageError::Failed(other.to_string()),
        }
    }
}

/// Where to push.
#[derive(Clone, Debug)]
pub struct PushTarget {
    /// `host[:port]/image:tag`.
    pub reference: String,
    /// The registry host (`auth.json` key).
    pub host: String,
    /// Plain HTTP registry (no TLS verification).
    pub insecure: bool,
    /// Credentials, if any.
    pub auth: Option<RegistryAuth>,
}

/// The folder a build works in (removed afterwards by the caller).
#[derive(Clone, Debug)]
pub struct Workspace {
    /// The folder.
    pub root: PathBuf,
}

impl Workspace {
    /// `HOME` of the tools.
    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }
    /// The checkout.
    pub fn checkout(&self) -> PathBuf {
        self.root.join("src")
    }
    fn storage(&self) -> PathBuf {
        self.root.join("storage")
    }
}

/// Builds and pushes images.
#[async_trait]
pub trait ImageBuilder: Send + Sync {
    /// Decides how to build the context (`context` is inside `ws.checkout()`).
    async fn plan(
        &self,
        ws: &Workspace,
        context: &Path,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<Plan, StageError>;
    /// Builds the image from the plan, tagged `reference`.
    async fn build(
        &self,
        ws: &Workspace,
        plan: &Plan,
        context: &Path,
        reference: &str,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<(), StageError>;
    /// Pushes the image; returns the manifest digest (`sha256:…`).
    async fn push(
        &self,
        ws: &Workspace,
        target: &PushTarget,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<String, StageError>;
    /// Releases what the builder keeps in the workspace (before it is deleted).
    async fn release(&self, ws: &Workspace);
}

/// `buildah` with `vfs` storage inside the workspace and chroot isolation.
#[derive(Clone, Debug)]
pub struct Buildah {
    /// The buildah program.
    pub program: String,
    /// Whether Containerfiles may use RUN.
    pub allow_run: bool,
}

impl Buildah {
    fn command(&self, ws: &Workspace) -> tokio::process::Command {
        let mut cmd = process::command(&self.program, &ws.home());
        let storage = ws.storage();
        cmd.env("BUILDAH_ISOLATION", "chroot")
            .arg("--root")
            .arg(storage.join("root"))
            .arg("--runroot")
            .arg(storage.join("run"))
            .args(["--storage-driver", "vfs"]);
        cmd
    }

    async fn nixpacks(
        &self,
        ws: &Workspace,
        context: &Path,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<Option<Plan>, StageError> {
        if which("nixpacks").is_none() {
            return Ok(None);
        }
        sink(
            "kubeorch",
            "No build file: asking Nixpacks for a plan".into(),
        );
        let mut cmd = process::command("nixpacks", &ws.home());
        cmd.arg("build").arg(context).arg("--out").arg(context);
        let done = process::run(cmd, sink, cancel).await?;
        let path = context.join(".nixpacks/Dockerfile");
        if !done.status.success() || !path.is_file() {
            return Err(StageError::Failed(format!(
                "nixpacks could not plan this repository: {}",
                done.stderr_tail.join(" ")
            )));
        }
        Ok(Some(Plan::File {
            name: "nixpacks".into(),
            path,
        }))
    }
}

/// The full path of `program` on `PATH`, if installed.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The tool's error lines (`Error: …`), else its last lines.
fn failed(tool: &str, tail: &[String]) -> StageError {
    let errors: Vec<&str> = tail
        .iter()
        .map(String::as_str)
        .filter(|l| l.to_ascii_lowercase().starts_with("error"))
        .collect();
    let lines: Vec<&str> = if errors.is_empty() {
        tail.iter()
            .rev()
            .take(3)
            .rev()
            .map(String::as_str)
            .collect()
    } else {
        errors
    };
    StageError::Failed(format!("{tool} failed: {}", lines.join(" ")))
}

#[async_trait]
impl ImageBuilder for Buildah {
    async fn plan(
        &self,
        ws: &Workspace,
        context: &Path,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<Plan, StageError> {
        let root = ws.checkout();
        let has_file = plan::BUILD_FILES
            .iter()
            .any(|n| context.join(n).symlink_metadata().is_ok());
        if !has_file {
            if let Some(plan) = self.nixpacks(ws, context, sink, cancel).await? {
                return Ok(plan);
            }
        }
        plan::detect(&root, context).map_err(StageError::Failed)
    }

    async fn build(
        &self,
        ws: &Workspace,
        plan: &Plan,
        context: &Path,
        reference: &str,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<(), StageError> {
        let file = match plan {
            Plan::File { path, .. } => path.clone(),
            Plan::Generated { containerfile, .. } => {
                let path = ws.root.join("Containerfile.generated");
                tokio::fs::write(&path, containerfile).await.map_err(|e| {
                    StageError::Failed(format!("cannot write the Containerfile: {e}"))
                })?;
                path
            }
        };
        let text = tokio::fs::read_to_string(&file)
            .await
            .map_err(|_| StageError::Failed("the build file is not readable text".into()))?;
        plan::check_containerfile(&text, self.allow_run).map_err(StageError::Failed)?;
        let mut cmd = self.command(ws);
        cmd.args([
            "bud",
            "--isolation",
            "chroot",
            "--no-cache",
            "--layers=false",
        ])
        .arg("-f")
        .arg(&file)
        .args(["-t", reference])
        .arg(context);
        let done = process::run(cmd, sink, cancel).await?;
        if done.status.success() {
            Ok(())
        } else {
            Err(failed("buildah bud", &done.stderr_tail))
        }
    }

    async fn push(
        &self,
        ws: &Workspace,
        target: &PushTarget,
        sink: LineSink,
        cancel: &CancellationToken,
    ) -> Result<String, StageError> {
        let authfile = ws.root.join("auth.json");
        let auths = match &target.auth {
            Some(auth) => serde_json::json!({ target.host.clone(): { "auth": auth.basic() } }),
            None => serde_json::json!({}),
        };
        write_private(
            &authfile,
            &serde_json::json!({ "auths": auths }).to_string(),
        )
        .map_err(|e| StageError::Failed(format!("cannot write the registry credentials: {e}")))?;
        let digestfile = ws.root.join("digest");
        let mut cmd = self.command(ws);
        cmd.arg("push")
            .arg("--authfile")
            .arg(&authfile)
            .arg(format!("--tls-verify={}", !target.insecure))
            .arg("--digestfile")
            .arg(&digestfile)
            .arg(&target.reference)
            .arg(format!("docker://{}", target.reference));
        let done = process::run(cmd, sink, cancel).await;
        let _ = tokio::fs::remove_file(&authfile).await;
        let done = done?;
        if !done.status.success() {
            return Err(failed("buildah push", &done.stderr_tail));
        }
        let digest = tokio::fs::read_to_string(&digestfile)
            .await
            .unwrap_or_default();
        let digest = digest.trim();
        let valid = digest.len() == 71
            && digest.starts_with("sha256:")
            && digest[7..].chars().all(|c| c.is_ascii_hexdigit());
        if valid {
            Ok(digest.to_string())
        } else {
            Err(StageError::Failed(
                "buildah push did not report the image digest".into(),
            ))
        }
    }

    async fn release(&self, ws: &Workspace) {
        if !ws.storage().exists() {
            return;
        }
        let mut cmd = self.command(ws);
        cmd.args(["rm", "--all"]);
        let sink: LineSink = std::sync::Arc::new(|_, _| {});
        let _ = process::run(cmd, sink, &CancellationToken::new()).await;
    }
}

/// Writes a file readable by the server's user only.
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())
}
