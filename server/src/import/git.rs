//! Cloning a repository for an import: the URL rules of imports (https, ssh and file URLs only;
//! plain `git://`/`http://` only on the loopback interface when allowed for development and
//! tests), then the build clone with a time cap, symlinks checked out as plain files and no
//! redirects. Progress comes from `git clone --progress`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::build::git::{self as build_git, CloneError, CloneSpec};
use crate::build::process::LineSink;

/// Limits of one clone.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest clone.
    pub time: Duration,
    /// Largest checkout (files and `.git`), in bytes.
    pub bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            time: Duration::from_secs(120),
            bytes: 200 * 1024 * 1024,
        }
    }
}

pub use crate::git_url::{Access, RepoUrl};

/// Why a URL, branch or clone was refused or failed. Messages never contain credentials.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GitError {
    /// Not an allowed URL.
    #[error("{0}")]
    Url(String),
    /// Not an allowed branch name.
    #[error("{0}")]
    Branch(String),
    /// Took too long.
    #[error(
        "cloning took longer than {0} seconds: the repository is too large or the host too slow"
    )]
    TimedOut(u64),
    /// Too big.
    #[error("the repository is larger than {0} MB (only the latest commit is fetched): import the compose file by URL instead")]
    TooLarge(u64),
    /// git failed.
    #[error("git clone failed: {0}")]
    Failed(String),
}

/// Checks a repository URL ([`crate::git_url::check_url`]).
pub fn check_url(raw: &str, access: Access) -> Result<RepoUrl, GitError> {
    crate::git_url::check_url(raw, access).map_err(GitError::Url)
}

/// Checks a branch name ([`crate::git_url::check_branch`]).
pub fn check_branch(branch: &str) -> Result<(), GitError> {
    crate::git_url::check_branch(branch).map_err(GitError::Branch)
}

/// Removes anything that looks like credentials from a line of git output.
pub fn scrub(line: &str, url: &RepoUrl) -> String {
    let line = line.replace(&url.url, &url.display);
    let mut out = String::with_capacity(line.len());
    let mut rest = line.as_str();
    while let Some(at) = rest.find("://") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let end = rest.find(['/', ' ', '\'', '"']).unwrap_or(rest.len());
        if let Some(userinfo) = rest[..end].rfind('@') {
            out.push_str("***");
            rest = &rest[userinfo..];
        }
    }
    out.push_str(rest);
    out
}

/// One line of progress from git: the percentage (0–100) of the current phase and the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Percentage of receiving objects (0–100), when the line says.
    pub percent: Option<u8>,
    /// The line (credentials removed).
    pub line: String,
}

fn percent(line: &str) -> Option<u8> {
    if !line.starts_with("Receiving objects") {
        return None;
    }
    let (head, _) = line.split_once('%')?;
    head.rsplit(' ').next()?.trim().parse().ok()
}

/// Clones `url` (at `branch`) into `dest` (must not exist) with the build clone
/// ([`crate::build::git::clone`]: own process group, no host configuration, size cap), calling
/// `progress` for each line of output with credentials removed. `home` is an empty directory
/// used as `$HOME`. Stopped when it takes longer than `limits.time`.
pub async fn clone(
    url: &RepoUrl,
    branch: Option<&str>,
    dest: &Path,
    home: &Path,
    limits: Limits,
    access: Access,
    progress: impl Fn(Progress) + Send + Sync + 'static,
) -> Result<(), GitError> {
    let spec = CloneSpec {
        url: url.url.clone(),
        branch: branch.map(str::to_string),
        allow_file: access.file,
        allow_plain: access.local,
        read_by_server: true,
        max_bytes: limits.bytes,
    };
    let shown = url.clone();
    let sink: LineSink = Arc::new(move |_, line| {
        let line = scrub(&line, &shown);
        progress(Progress {
            percent: percent(&line),
            line,
        });
    });
    let cancel = CancellationToken::new();
    let timer = tokio::spawn({
        let cancel = cancel.clone();
        async move {
            tokio::time::sleep(limits.time).await;
            cancel.cancel();
        }
    });
    let result = build_git::clone(&spec, dest, home, sink, &cancel).await;
    timer.abort();
    match result {
        Ok(_) => Ok(()),
        Err(CloneError::Cancelled) => Err(GitError::TimedOut(limits.time.as_secs())),
        Err(CloneError::TooLarge(_)) => Err(GitError::TooLarge(limits.bytes / (1024 * 1024))),
        Err(CloneError::Git(message)) | Err(CloneError::Tool(message)) => {
            Err(GitError::Failed(scrub(&message, url)))
        }
    }
}

/// Compose file names, in the order Docker Compose prefers them.
pub const COMPOSE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Compose files in the checkout: at the root, then in every first-level folder (common ones
/// like `docker/` and `deploy/` included), then in second-level folders of `docker`, `deploy`,
/// `examples`. Paths relative to the root; symlinks are never followed.
pub fn find_compose_files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders: Vec<PathBuf> = vec![PathBuf::new()];
    let dirs = |rel: &Path| -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(root.join(rel))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| rel.join(e.file_name()))
            .filter(|p| p.file_name().is_some_and(|n| n != ".git"))
            .collect();
        out.sort();
        out
    };
    let first = dirs(Path::new(""));
    for dir in &first {
        folders.push(dir.clone());
        if ["docker", "deploy", "examples", "deployments"]
            .iter()
            .any(|n| dir.as_os_str() == *n)
        {
            folders.extend(dirs(dir));
        }
    }
    for folder in folders.into_iter().take(500) {
        for name in COMPOSE_NAMES {
            let rel = folder.join(name);
            if root
                .join(&rel)
                .symlink_metadata()
                .is_ok_and(|m| m.is_file())
            {
                found.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    found
}

/// Limits on what is read from a checkout for one compose file.
pub const MAX_FILES: usize = 500;
/// Largest single file read.
pub const MAX_FILE_BYTES: u64 = 512 * 1024;
/// Most bytes read in total.
pub const MAX_TOTAL_BYTES: u64 = 8 * 1024 * 1024;

/// The text files under `dir` (relative to it; `.git` and symlinks skipped; binary and large
/// files skipped), for `env_file`, binds and configs. Never leaves `dir`.
pub fn read_folder(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    let mut total = 0u64;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = rel.join(entry.file_name());
            let Ok(meta) = entry.path().symlink_metadata() else {
                continue;
            };
            if meta.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(name);
                }
            } else if meta.is_file()
                && meta.len() <= MAX_FILE_BYTES
                && total + meta.len() <= MAX_TOTAL_BYTES
                && files.len() < MAX_FILES
            {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    total += meta.len();
                    files.insert(name.to_string_lossy().replace('\\', "/"), text);
                }
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        let url = check_url(
            "https://bob:hunter2@git.example.com/r.git",
            Access::default(),
        )
        .unwrap();
        assert!(!url.display.contains("hunter2"));
        let line = scrub(
            "fatal: unable to access 'https://bob:hunter2@git.example.com/r.git/': 403",
            &url,
        );
        assert!(!line.contains("hunter2"), "{line}");
        assert!(!scrub("see https://x:tok@other.example/y", &url).contains("tok"));
    }

    #[test]
    fn checkouts_are_read_without_leaving_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("deploy/conf")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("deploy/compose.yaml"), "services: {}").unwrap();
        std::fs::write(root.join("deploy/conf/app.ini"), "a=1").unwrap();
        std::fs::write(root.join(".git/config"), "secret").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("compose.yml")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("deploy/etc")).unwrap();
        assert_eq!(find_compose_files(root), ["deploy/compose.yaml"]);
        let files = read_folder(&root.join("deploy"));
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["compose.yaml", "conf/app.ini"]
        );
        assert!(read_folder(root)
            .keys()
            .all(|k| !k.starts_with(".git") && k != "compose.yml"));
    }

    #[test]
    fn branches_and_progress() {
        assert!(check_branch("release/1.2").is_ok());
        for bad in ["-x", "a..b", "a b", "", "/x"] {
            assert!(check_branch(bad).is_err(), "{bad}");
        }
        assert_eq!(percent("Receiving objects:  45% (9/20)"), Some(45));
        assert_eq!(percent("Counting objects: 10"), None);
    }
}
