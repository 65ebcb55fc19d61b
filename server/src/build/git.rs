//! Cloning the repository of a build: only `https://`, `ssh://` / `git@host:path` (and
//! `file://` when the server allows local repositories), shallow and single-branch, no
//! credential helpers, no host Git or SSH configuration, no prompts, and a size cap checked
//! while the clone runs.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::process::{self, LineSink, ProcessError};

/// What to clone.
#[derive(Clone, Debug)]
pub struct CloneSpec {
    /// The repository URL (checked by [`crate::git_url::check_url`]).
    pub url: String,
    /// Branch or tag; none: the repository's default branch.
    pub branch: Option<String>,
    /// Whether `file://` is allowed.
    pub allow_file: bool,
    /// Whether `git://` and `http://` are allowed (imports allow them on the loopback interface
    /// for development; the URL check enforces that).
    pub allow_plain: bool,
    /// The server itself reads the checkout (imports): symbolic links are checked out as plain
    /// files and HTTP redirects are not followed, so nothing outside the repository is read and
    /// no credential goes to another host.
    pub read_by_server: bool,
    /// Largest checkout, in bytes.
    pub max_bytes: u64,
}

/// Why a clone failed (user-facing, not yet scrubbed).
#[derive(Debug, thiserror::Error)]
pub enum CloneError {
    /// git failed; the message is git's own.
    #[error("git clone failed: {0}")]
    Git(String),
    /// The checkout is bigger than allowed.
    #[error("the repository is larger than the limit of {0} MiB")]
    TooLarge(u64),
    /// git could not be run.
    #[error("{0}")]
    Tool(String),
    /// Cancelled.
    #[error("stopped")]
    Cancelled,
}

/// Clones `spec` into `dest` (which must not exist); returns the commit checked out.
pub async fn clone(
    spec: &CloneSpec,
    dest: &Path,
    home: &Path,
    sink: LineSink,
    cancel: &CancellationToken,
) -> Result<String, CloneError> {
    let mut protocols = String::from("https:ssh");
    if spec.allow_file {
        protocols.push_str(":file");
    }
    if spec.allow_plain {
        protocols.push_str(":git:http");
    }
    let known_hosts = home.join("known_hosts");
    let mut cmd = process::command("git", home);
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_ALLOW_PROTOCOL", &protocols)
        .env(
            "GIT_SSH_COMMAND",
            format!(
                "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityFile=/dev/null \
                 -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile={}",
                known_hosts.display()
            ),
        )
        .args(["-c", "credential.helper=", "-c", "core.hooksPath=/dev/null"]);
    if spec.read_by_server {
        cmd.args([
            "-c",
            "core.symlinks=false",
            "-c",
            "http.followRedirects=false",
        ]);
    }
    cmd.args([
        "clone",
        "--depth",
        "1",
        "--single-branch",
        "--no-tags",
        "--progress",
    ]);
    if let Some(branch) = &spec.branch {
        cmd.args(["--branch", branch]);
    }
    cmd.args(["--", spec.url.trim()]).arg(dest);
    let stop = cancel.child_token();
    let too_large = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch_size(
        dest.to_path_buf(),
        spec.max_bytes,
        too_large.clone(),
        stop.clone(),
    ));
    let result = process::run(cmd, sink.clone(), &stop).await;
    watcher.abort();
    let finished = match result {
        Err(ProcessError::Cancelled) if too_large.load(Ordering::Relaxed) => {
            return Err(CloneError::TooLarge(spec.max_bytes / (1024 * 1024)))
        }
        Err(ProcessError::Cancelled) => return Err(CloneError::Cancelled),
        Err(other) => return Err(CloneError::Tool(other.to_string())),
        Ok(finished) => finished,
    };
    if !finished.status.success() {
        return Err(CloneError::Git(git_message(&finished.stderr_tail)));
    }
    if dir_size(dest.to_path_buf()).await > spec.max_bytes {
        return Err(CloneError::TooLarge(spec.max_bytes / (1024 * 1024)));
    }
    head_commit(dest, home, sink, cancel).await
}

/// The `fatal:`/`error:` lines of git's output, else its last line.
fn git_message(tail: &[String]) -> String {
    let important: Vec<&str> = tail
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .collect();
    if important.is_empty() {
        tail.last()
            .cloned()
            .unwrap_or_else(|| "git exited with an error".into())
    } else {
        important.join(" ")
    }
}

async fn head_commit(
    dest: &Path,
    home: &Path,
    sink: LineSink,
    cancel: &CancellationToken,
) -> Result<String, CloneError> {
    let commit = Arc::new(std::sync::Mutex::new(String::new()));
    let seen = commit.clone();
    let capture: LineSink = Arc::new(move |stream, line| {
        if stream == "stdout" {
            if let Ok(mut c) = seen.lock() {
                *c = line;
            }
        } else {
            sink(stream, line);
        }
    });
    let mut cmd = process::command("git", home);
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .arg("-C")
        .arg(dest)
        .args(["rev-parse", "HEAD"]);
    let finished = process::run(cmd, capture, cancel)
        .await
        .map_err(|e| match e {
            ProcessError::Cancelled => CloneError::Cancelled,
            other => CloneError::Tool(other.to_string()),
        })?;
    let commit = commit.lock().map(|c| c.clone()).unwrap_or_default();
    if finished.status.success() && commit.len() >= 40 {
        Ok(commit)
    } else {
        Err(CloneError::Git(
            "cannot read the commit that was cloned".into(),
        ))
    }
}

async fn watch_size(
    dir: std::path::PathBuf,
    max: u64,
    flag: Arc<AtomicBool>,
    stop: CancellationToken,
) {
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if dir_size(dir.clone()).await > max {
            flag.store(true, Ordering::Relaxed);
            stop.cancel();
            return;
        }
    }
}

/// Bytes used by the files under `dir` (symbolic links not followed).
pub async fn dir_size(dir: std::path::PathBuf) -> u64 {
    tokio::task::spawn_blocking(move || {
        let mut total = 0u64;
        let mut stack = vec![dir];
        while let Some(path) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            for entry in entries.flatten() {
                match entry.file_type() {
                    Ok(t) if t.is_dir() => stack.push(entry.path()),
                    Ok(t) if t.is_file() => {
                        total += entry.metadata().map(|m| m.len()).unwrap_or(0);
                    }
                    _ => {}
                }
            }
        }
        total
    })
    .await
    .unwrap_or(u64::MAX)
}
