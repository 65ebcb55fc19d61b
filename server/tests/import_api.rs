//! Import over HTTP: analyze pasted Compose and Kubernetes YAML, errors, apply into a new and an
//! existing workflow, ownership (404), and Git imports (file:// and a `git daemon` on
//! 127.0.0.1) with progress over SSE.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{expect, start, start_with, Client};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

const COMPOSE: &str = r#"
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment: { MODE: prod, API_TOKEN: abc }
    depends_on: [api]
  api:
    image: ghcr.io/example/api:1
    expose: ["8000"]
    depends_on: [db, cache]
    hostname: api1
  db:
    image: postgres:16
    volumes: ["pgdata:/var/lib/postgresql/data"]
  cache:
    image: redis:7
volumes:
  pgdata:
"#;

async fn signed_in(fx: &common::Fixture, email: &str) -> anyhow::Result<Client> {
    let mut client = fx.server.client();
    client.register(email, PASSWORD).await?;
    Ok(client)
}

async fn analyze(client: &mut Client, body: Value) -> anyhow::Result<reqwest::Response> {
    client
        .post("/api/import/analyze", json!({ "request": body }))
        .await
}

fn count(analysis: &Value, kind: &str) -> usize {
    analysis["nodes"]
        .as_array()
        .map_or(0, |n| n.iter().filter(|n| n["kind"] == kind).count())
}

mod analyze_text {
    use super::*;

    #[tokio::test]
    async fn compose_and_kubernetes_yaml_become_graphs() -> anyhow::Result<()> {
        let fx = start().await?;
        let mut client = signed_in(&fx, "ann@example.com").await?;
        let out = expect(
            analyze(&mut client, json!({ "source": "text", "text": COMPOSE })).await?,
            StatusCode::OK,
        )
        .await?;
        let analysis = &out["analysis"];
        assert_eq!(analysis["format"], "compose");
        assert_eq!(count(analysis, "deployment"), 2);
        assert_eq!(count(analysis, "statefulset"), 2);
        assert_eq!(count(analysis, "persistentvolumeclaim"), 1);
        assert_eq!(count(analysis, "secret"), 1);
        assert!(
            analysis["edges"].as_array().unwrap().len() >= 8,
            "{analysis}"
        );
        assert!(analysis["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["service"] == "api" && w["key"] == "hostname"));
        assert!(
            !out.to_string().contains("abc\""),
            "the secret value is never returned"
        );
        let positions = analysis["positions"].as_object().unwrap();
        assert_eq!(positions.len(), analysis["nodes"].as_array().unwrap().len());

        let yaml =
            "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { A: b }\n";
        let out = expect(
            analyze(&mut client, json!({ "source": "text", "text": yaml })).await?,
            StatusCode::OK,
        )
        .await?;
        assert_eq!(out["analysis"]["format"], "kubernetes");
        assert_eq!(count(&out["analysis"], "configmap"), 1);
        fx.server.stop().await
    }

    #[tokio::test]
    async fn errors_say_what_to_fix() -> anyhow::Result<()> {
        let fx = start().await?;
        let mut anonymous = fx.server.client();
        let response =
            analyze(&mut anonymous, json!({ "source": "text", "text": COMPOSE })).await?;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let mut client = signed_in(&fx, "ann@example.com").await?;
        let bad = "services:\n  web:\n    image: nginx\n    ports: ['http:80']\n";
        let body = expect(
            analyze(&mut client, json!({ "source": "text", "text": bad })).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?;
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("service `web`") && message.contains("ports"),
            "{message}"
        );
        expect(
            analyze(&mut client, json!({ "source": "text", "text": "" })).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?;
        expect(
            analyze(
                &mut client,
                json!({ "source": "text", "text": COMPOSE, "namespace": "Bad_NS" }),
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?;
        let refused = expect(
            analyze(
                &mut client,
                json!({ "source": "url", "url": "http://example.com/compose.yml" }),
            )
            .await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await?;
        assert!(
            refused["message"]
                .as_str()
                .unwrap_or_default()
                .contains("https"),
            "{refused}"
        );
        for url in [
            "http://example.com/r.git",
            "git://127.0.0.1/r.git",
            "ext::sh -c id",
            // The server's own disk only when KUBEORCH_GIT_ALLOW_FILE says so.
            "file:///etc",
        ] {
            let body = expect(
                analyze(&mut client, json!({ "source": "git", "url": url })).await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await?;
            assert!(
                body["message"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("url:"),
                "{body}"
            );
        }
        fx.server.stop().await
    }
}

mod apply {
    use super::*;

    #[tokio::test]
    async fn into_a_new_workflow_and_beside_existing_nodes() -> anyhow::Result<()> {
        let fx = start().await?;
        let mut client = signed_in(&fx, "ann@example.com").await?;
        let out = expect(
            analyze(&mut client, json!({ "source": "text", "text": COMPOSE })).await?,
            StatusCode::OK,
        )
        .await?;
        let nodes = out["analysis"]["nodes"].clone();
        let edges = out["analysis"]["edges"].clone();
        let applied = expect(
            client
                .post(
                    "/api/import/apply",
                    json!({ "request": { "name": "shop", "nodes": nodes, "edges": edges } }),
                )
                .await?,
            StatusCode::OK,
        )
        .await?;
        let id = applied["workflow_id"].as_str().unwrap().to_string();
        assert_eq!(applied["version"], 1);
        let workflow = expect(
            client.get(&format!("/api/workflows/get?id={id}")).await?,
            StatusCode::OK,
        )
        .await?;
        assert_eq!(workflow["name"], "shop");
        assert_eq!(
            workflow["nodes"].as_array().unwrap().len(),
            nodes.as_array().unwrap().len()
        );

        // The same import again, into that workflow: new ids, new names, to the right.
        let again = expect(
            client
                .post(
                    "/api/import/apply",
                    json!({ "request": { "workflow_id": id, "nodes": nodes, "edges": edges } }),
                )
                .await?,
            StatusCode::OK,
        )
        .await?;
        assert_eq!(again["version"], 2);
        let workflow = expect(
            client.get(&format!("/api/workflows/get?id={id}")).await?,
            StatusCode::OK,
        )
        .await?;
        let all = workflow["nodes"].as_array().unwrap();
        assert_eq!(all.len(), 2 * nodes.as_array().unwrap().len());
        let ids: std::collections::BTreeSet<&str> =
            all.iter().filter_map(|n| n["id"].as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        let max_first = nodes
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["position"]["x"].as_f64().unwrap())
            .fold(0.0, f64::max);
        let half = nodes.as_array().unwrap().len();
        assert!(
            all[half..]
                .iter()
                .all(|n| n["position"]["x"].as_f64().unwrap() > max_first),
            "placed to the right"
        );

        // Another user can neither apply into it nor see it.
        let mut other = signed_in(&fx, "bob@example.com").await?;
        let denied = other
            .post(
                "/api/import/apply",
                json!({ "request": { "workflow_id": id, "nodes": nodes, "edges": edges } }),
            )
            .await?;
        assert_eq!(denied.status(), StatusCode::NOT_FOUND);
        fx.server.stop().await
    }
}

mod git_import {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
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
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    /// A repository with a compose file in `deploy/` (with `.env`, an env_file and a bind-mounted
    /// config) and another at the root.
    fn repository(root: &Path) -> std::path::PathBuf {
        let repo = root.join("shop.git-src");
        std::fs::create_dir_all(repo.join("deploy/conf")).unwrap();
        std::fs::write(
            repo.join("compose.yaml"),
            "services:\n  hello:\n    image: busybox:1.36\n    command: sleep 3600\n",
        )
        .unwrap();
        std::fs::write(
            repo.join("deploy/docker-compose.yml"),
            "services:\n  web:\n    image: nginx:${TAG}\n    ports: ['80']\n    env_file: web.env\n    volumes: ['./conf/site.conf:/etc/nginx/conf.d/site.conf:ro']\n",
        )
        .unwrap();
        std::fs::write(repo.join("deploy/.env"), "TAG=1.27\n").unwrap();
        std::fs::write(repo.join("deploy/web.env"), "MODE=prod\n").unwrap();
        std::fs::write(
            repo.join("deploy/conf/site.conf"),
            "server { listen 80; }\n",
        )
        .unwrap();
        git(&repo, &["init", "-q"]);
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "init"]);
        repo
    }

    /// The session's events until `complete` or `failed`.
    async fn events(client: &Client, id: &str) -> anyhow::Result<Vec<(String, Value)>> {
        let response = client.get(&format!("/api/import/{id}/events")).await?;
        anyhow::ensure!(
            response.status() == StatusCode::OK,
            "events: {}",
            response.status()
        );
        let mut stream = response.bytes_stream();
        let mut text = String::new();
        let mut out = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        while let Ok(Some(chunk)) = tokio::time::timeout_at(deadline, stream.next()).await {
            text.push_str(&String::from_utf8_lossy(&chunk?));
            while let Some(end) = text.find("\n\n") {
                let block: String = text.drain(..end + 2).collect();
                let event = block
                    .lines()
                    .find_map(|l| l.strip_prefix("event: "))
                    .unwrap_or_default()
                    .to_string();
                let data = block
                    .lines()
                    .find_map(|l| l.strip_prefix("data: "))
                    .unwrap_or("null");
                if event.is_empty() {
                    continue;
                }
                let data_value: Value = serde_json::from_str(data).unwrap_or(Value::Null);
                let event = match (event.as_str(), data_value["state"].as_str()) {
                    ("snapshot", Some("completed")) => "complete".to_string(),
                    ("snapshot", Some("failed")) => "failed".to_string(),
                    _ => event,
                };
                let done = event == "complete" || event == "failed";
                out.push((event, serde_json::from_str(data).unwrap_or(Value::Null)));
                if done {
                    return Ok(out);
                }
            }
        }
        anyhow::bail!("no complete/failed event: {out:?}")
    }

    async fn run_import(
        client: &mut Client,
        url: &str,
    ) -> anyhow::Result<(String, Vec<(String, Value)>)> {
        let started = expect(
            analyze(
                client,
                json!({ "source": "git", "url": url, "path": "deploy/docker-compose.yml" }),
            )
            .await?,
            StatusCode::OK,
        )
        .await?;
        let id = started["session_id"].as_str().unwrap().to_string();
        let events = events(client, &id).await?;
        Ok((id, events))
    }

    fn check_result(session: &Value) {
        assert_eq!(session["state"], "completed", "{session}");
        let analysis = &session["analysis"];
        let web = analysis["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "deployment")
            .unwrap();
        assert_eq!(
            web["data"]["image"], "nginx:1.27",
            "the repository's .env was used"
        );
        let configs: Vec<&Value> = analysis["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "configmap")
            .collect();
        assert!(
            configs.iter().any(|c| c["data"]["data"]["MODE"] == "prod"),
            "env_file read"
        );
        assert!(
            configs
                .iter()
                .any(|c| c["data"]["data"]["site.conf"] == "server { listen 80; }\n"),
            "bind-mounted file read"
        );
        let candidates = session["candidates"].as_array().unwrap();
        assert!(
            candidates.contains(&json!("compose.yaml"))
                && candidates.contains(&json!("deploy/docker-compose.yml")),
            "{candidates:?}"
        );
    }

    #[tokio::test]
    async fn from_a_git_daemon_with_progress_over_sse() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let repo = repository(dir.path());
        let bare = dir.path().join("shop.git");
        git(
            dir.path(),
            &[
                "clone",
                "-q",
                "--bare",
                repo.to_str().unwrap(),
                bare.to_str().unwrap(),
            ],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let daemon = GitDaemon::spawn(&[
            "--export-all",
            "--reuseaddr",
            "--listen=127.0.0.1",
            &format!("--port={port}"),
            &format!("--base-path={}", dir.path().display()),
            dir.path().to_str().unwrap(),
        ])?;
        let fx = start_with(|c| c.import_local_git = true).await?;
        let mut client = signed_in(&fx, "ann@example.com").await?;
        let url = format!("git://127.0.0.1:{port}/shop.git");
        let mut result = None;
        for _ in 0..50 {
            let (id, events) = run_import(&mut client, &url).await?;
            if events.last().is_some_and(|(e, _)| e == "complete") {
                result = Some((id, events));
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await; // the daemon is still starting
        }
        drop(daemon);
        let (id, events) = result.expect("the import completes");
        assert!(events.iter().any(|(e, _)| e == "progress"), "{events:?}");
        assert!(events.iter().any(|(e, _)| e == "log"), "{events:?}");
        let session = expect(
            client.get(&format!("/api/import/session?id={id}")).await?,
            StatusCode::OK,
        )
        .await?;
        check_result(&session);

        let chosen = expect(
            client
                .post(
                    "/api/import/choose",
                    json!({ "id": id, "path": "compose.yaml", "profiles": [] }),
                )
                .await?,
            StatusCode::OK,
        )
        .await?;
        assert_eq!(chosen["chosen"], "compose.yaml");
        assert_eq!(count(&chosen["analysis"], "deployment"), 1);

        let mut other = signed_in(&fx, "bob@example.com").await?;
        assert_eq!(
            other
                .get(&format!("/api/import/session?id={id}"))
                .await?
                .status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other
                .get(&format!("/api/import/{id}/events"))
                .await?
                .status(),
            StatusCode::NOT_FOUND
        );
        let denied = other
            .post(
                "/api/import/choose",
                json!({ "id": id, "path": "compose.yaml", "profiles": [] }),
            )
            .await?;
        assert_eq!(denied.status(), StatusCode::NOT_FOUND);
        fx.server.stop().await
    }

    #[tokio::test]
    async fn from_a_file_url_and_failures_are_reported() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let repo = repository(dir.path());
        let fx = start_with(|c| c.git_allow_file = true).await?;
        let mut client = signed_in(&fx, "ann@example.com").await?;
        let (id, events) = run_import(&mut client, &format!("file://{}", repo.display())).await?;
        assert_eq!(
            events.last().map(|(e, _)| e.as_str()),
            Some("complete"),
            "{events:?}"
        );
        check_result(
            &expect(
                client.get(&format!("/api/import/session?id={id}")).await?,
                StatusCode::OK,
            )
            .await?,
        );
        // Changing only the profiles keeps the compose file that was found.
        let again = expect(
            client
                .post(
                    "/api/import/choose",
                    json!({ "id": id, "path": "", "profiles": [] }),
                )
                .await?,
            StatusCode::OK,
        )
        .await?;
        check_result(&again);

        let (_, events) = run_import(
            &mut client,
            &format!("file://{}/nothing-here", dir.path().display()),
        )
        .await?;
        let (event, data) = events.last().unwrap();
        assert_eq!(event, "failed");
        assert_eq!(data["stage"], "clone");
        fx.server.stop().await
    }
}

/// A `git daemon` for the test, stopped when dropped (also when the test fails). The server
/// program is started directly: `git daemon` would run it as a child that outlives a kill.
struct GitDaemon(Child);

impl GitDaemon {
    fn spawn(args: &[&str]) -> anyhow::Result<Self> {
        let exec_path = Command::new("git").arg("--exec-path").output()?.stdout;
        let exec_path = String::from_utf8(exec_path)?;
        let child = Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Self(child))
    }
}

impl Drop for GitDaemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
