//! kubectl against the sandbox: `apply --server-side` of a multi-document manifest and
//! `get -o json`. kubectl is found through `$KUBECTL` or PATH (scripts/setup.sh installs one
//! when the machine has none); a missing kubectl fails the test rather than skipping it.

mod common;

const MANIFESTS: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: {app: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop
data:
  greeting: hello
"#;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn kubectl() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("KUBECTL") {
        return Ok(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&paths)
        .map(|dir| dir.join("kubectl"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "kubectl not found: run scripts/setup.sh or set KUBECTL=/path/to/kubectl"
            )
        })
}

/// Runs kubectl against `server` with a throw-away HOME (no kubeconfig, no discovery cache).
fn run(server: &str, home: &std::path::Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(kubectl()?)
        .env("HOME", home)
        .env_remove("KUBECONFIG")
        .arg("--server")
        .arg(server)
        .args(args)
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    anyhow::ensure!(
        out.status.success(),
        "kubectl {args:?} failed: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_server_side_apply_and_get_json() -> anyhow::Result<()> {
    let (sandbox, _client) = common::start().await;
    let server = sandbox.url();
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("manifests.yaml");
    std::fs::write(&file, MANIFESTS)?;
    let file = file.to_string_lossy().to_string();
    let home = dir.path().to_path_buf();

    let srv = server.clone();
    let applied = tokio::task::spawn_blocking(move || {
        run(
            &srv,
            &home,
            &["apply", "--server-side", "--validate=false", "-f", &file],
        )
    })
    .await??;
    assert!(
        applied.contains("deployment.apps/shop serverside-applied"),
        "{applied}"
    );
    assert!(
        applied.contains("service/shop serverside-applied"),
        "{applied}"
    );

    let home = dir.path().to_path_buf();
    let ready = common::eventually(10, || {
        let (srv, home) = (server.clone(), home.clone());
        async move {
            let out = tokio::task::spawn_blocking(move || {
                run(&srv, &home, &["get", "deploy", "-o", "json"])
            })
            .await;
            let list: Value = out
                .ok()
                .and_then(|o| o.ok())
                .and_then(|o| serde_json::from_str(&o).ok())
                .unwrap_or_default();
            list["items"][0]["status"]["readyReplicas"] == 2
        }
    })
    .await;
    assert!(
        ready,
        "kubectl get deploy -o json shows the simulated rollout"
    );

    let home = dir.path().to_path_buf();
    let srv = server.clone();
    let svc = tokio::task::spawn_blocking(move || {
        run(
            &srv,
            &home,
            &[
                "get",
                "service",
                "shop",
                "-o",
                "json",
                "--show-managed-fields",
            ],
        )
    })
    .await??;
    let svc: Value = serde_json::from_str(&svc)?;
    assert_eq!(svc["metadata"]["managedFields"][0]["manager"], "kubectl");
    assert!(svc["spec"]["clusterIP"]
        .as_str()
        .is_some_and(|ip| ip.starts_with("10.96.")));
    Ok(())
}
