//! Real parts for the build tests: a local OCI registry (Debian `docker-registry`, optionally
//! with htpasswd auth), a bare Git repository holding a tiny `FROM scratch` image (busybox), and
//! a reader for a build's SSE stream.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::Client;

/// The test user of the authenticated registry.
pub const REGISTRY_USER: &str = "builder";
/// Its password.
pub const REGISTRY_PASSWORD: &str = "reg-s3cret-pw";

/// True when the tools are installed; with `KUBEORCH_REQUIRE_BUILD_TOOLS=1` (as `make test`
/// sets) missing tools fail the test instead of skipping it.
pub fn tools_present() -> anyhow::Result<bool> {
    let missing: Vec<&str> = ["buildah", "docker-registry", "git", "busybox"]
        .into_iter()
        .filter(|tool| server::build::builder::which(tool).is_none())
        .collect();
    if missing.is_empty() {
        return Ok(true);
    }
    if std::env::var("KUBEORCH_REQUIRE_BUILD_TOOLS").as_deref() == Ok("1") {
        anyhow::bail!("missing {missing:?}: run scripts/setup.sh");
    }
    eprintln!("skipped: {missing:?} not installed (scripts/setup.sh installs them)");
    Ok(false)
}

/// A `docker-registry` on 127.0.0.1, stopped when dropped.
pub struct Registry {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Registry {
    /// Starts a registry; with `auth`, only [`REGISTRY_USER`] may use it.
    pub async fn start(auth: bool) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let port = free_port()?;
        let mut config = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n\
             http:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("data").display()
        );
        if auth {
            let hash = bcrypt::hash(REGISTRY_PASSWORD, 4)?;
            let htpasswd = dir.path().join("htpasswd");
            std::fs::write(&htpasswd, format!("{REGISTRY_USER}:{hash}\n"))?;
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: test\n    path: {}\n",
                htpasswd.display()
            ));
        }
        let config_path = dir.path().join("registry.yml");
        std::fs::write(&config_path, config)?;
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let registry = Registry {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        for _ in 0..100 {
            if reqwest::get(format!("{}/v2/", registry.url)).await.is_ok() {
                return Ok(registry);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the registry did not start")
    }

    /// The manifest `image@digest` as the registry serves it: status and `Docker-Content-Digest`.
    pub async fn manifest(
        &self,
        image: &str,
        digest: &str,
    ) -> anyhow::Result<(StatusCode, String)> {
        let response = reqwest::Client::new()
            .get(format!("{}/v2/{image}/manifests/{digest}", self.url))
            .basic_auth(REGISTRY_USER, Some(REGISTRY_PASSWORD))
            .header(
                "accept",
                "application/vnd.oci.image.manifest.v1+json, \
                 application/vnd.docker.distribution.manifest.v2+json",
            )
            .send()
            .await?;
        let header = response
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok((response.status(), header))
    }
}

/// A bare repository `repo.git` with branch `main` holding `files` (name, content, mode).
pub fn bare_repo(dir: &Path, files: &[(&str, Vec<u8>, u32)]) -> anyhow::Result<PathBuf> {
    let work = dir.join("work");
    std::fs::create_dir_all(&work)?;
    for (name, content, mode) in files {
        let path = work.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)?;
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(*mode))?;
    }
    let git = |args: &[&str], cwd: &Path| -> anyhow::Result<()> {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(cwd)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "git {args:?} failed");
        Ok(())
    };
    git(&["init", "-q"], &work)?;
    git(&["add", "-A"], &work)?;
    git(&["commit", "-q", "-m", "image"], &work)?;
    let bare = dir.join("repo.git");
    git(&["clone", "-q", "--bare", "work", "repo.git"], dir)?;
    Ok(bare)
}

/// The busybox binary and a Containerfile that uses it (`FROM scratch`).
pub fn busybox_image(containerfile: &str) -> anyhow::Result<Vec<(&'static str, Vec<u8>, u32)>> {
    let busybox = server::build::builder::which("busybox")
        .ok_or_else(|| anyhow::anyhow!("busybox is not installed"))?;
    Ok(vec![
        (
            "app/Containerfile",
            containerfile.as_bytes().to_vec(),
            0o644,
        ),
        ("app/busybox", std::fs::read(busybox)?, 0o755),
        ("app/hello.txt", b"hello from kubeorch\n".to_vec(), 0o644),
    ])
}

/// A simple working image: `FROM scratch`, busybox and a file.
pub const GOOD_CONTAINERFILE: &str =
    "FROM scratch\nCOPY busybox /bin/busybox\nCOPY hello.txt /hello.txt\nCMD [\"/bin/busybox\", \"cat\", \"/hello.txt\"]\n";

/// One SSE event.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Event {
    /// `id:`.
    pub id: u64,
    /// `event:`.
    pub event: String,
    /// `data:` as JSON.
    pub data: Value,
}

/// Reads a build's event stream until it ends (or `within` passes); `last` is sent as
/// `Last-Event-ID`.
pub async fn events(
    user: &Client,
    build_id: &str,
    last: Option<u64>,
    within: Duration,
) -> anyhow::Result<Vec<Event>> {
    use futures::StreamExt;
    let mut request = user
        .http
        .get(format!("{}/api/builds/{build_id}/events", user.base));
    if let Some(token) = &user.token {
        request = request.bearer_auth(token);
    }
    if let Some(last) = last {
        request = request.header("Last-Event-ID", last.to_string());
    }
    let response = request.send().await?;
    anyhow::ensure!(
        response.status() == StatusCode::OK,
        "status {}",
        response.status()
    );
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let chunk = tokio::time::timeout_at(deadline, body.next()).await;
        let chunk = match chunk {
            Err(_) => anyhow::bail!("the stream did not end within {within:?}; got {out:?}"),
            Ok(None) => break,
            Ok(Some(chunk)) => chunk?,
        };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(event) = parse(&block) {
                out.push(event);
            }
        }
    }
    Ok(out)
}

fn parse(block: &str) -> Option<Event> {
    let (mut id, mut event, mut data) = (None, None, String::new());
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("id: ") {
            id = v.trim().parse().ok();
        } else if let Some(v) = line.strip_prefix("event: ") {
            event = Some(v.to_string());
        } else if let Some(v) = line.strip_prefix("data: ") {
            data.push_str(v);
        }
    }
    Some(Event {
        id: id?,
        event: event?,
        data: serde_json::from_str(&data).ok()?,
    })
}

/// Processes whose command line, root or working folder is under `path` (a build's tools
/// still running, chrooted RUN steps included).
pub fn processes_under(path: &Path) -> Vec<String> {
    let needle = path.to_string_lossy().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .filter_map(|e| {
            let dir = e.path();
            let cmd = std::fs::read(dir.join("cmdline"))
                .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
                .unwrap_or_default();
            let state = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
            if state.contains(") Z ") {
                return None;
            }
            let inside =
                |link: &str| std::fs::read_link(dir.join(link)).is_ok_and(|t| t.starts_with(path));
            (cmd.contains(&needle) || inside("root") || inside("cwd")).then_some(cmd)
        })
        .collect()
}
