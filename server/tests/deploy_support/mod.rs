//! Test support for deploys: a signed-in user with a workflow on a cluster (a sandbox API server
//! behind a recording proxy), designs, Run, waiting for a run, and an SSE reader.
#![allow(dead_code)]

use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

use crate::cluster_support::{eventually, kubeconfig_credentials, kubeconfig_for, Recorder};
use crate::common::{self, expect, Client, Fixture};

/// A server, a user, a sandbox behind a recorder, a cluster and a workflow that deploys to it.
pub struct Lab {
    /// The app server (kept alive).
    pub fx: Fixture,
    /// The signed-in user.
    pub user: Client,
    /// The API server.
    pub sandbox: Sandbox,
    /// The proxy in front of it (what the API server saw).
    pub recorder: Recorder,
    /// The registered cluster.
    pub cluster_id: String,
    /// The workflow.
    pub workflow_id: String,
}

/// Simulator timings that keep tests short: rollouts of 600 ms.
pub fn quick_config() -> SandboxConfig {
    let mut config = SandboxConfig::default();
    config.simulator.tick = Duration::from_millis(50);
    config.simulator.rollout = Duration::from_millis(600);
    config.simulator.slow_rollout = Duration::from_secs(2);
    config
}

impl Lab {
    /// A lab with the quick sandbox.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(quick_config()).await
    }

    /// A lab whose sandbox uses `config`.
    pub async fn start_with(config: SandboxConfig) -> anyhow::Result<Self> {
        let sandbox = Sandbox::start_with("127.0.0.1:0".parse()?, config).await?;
        Self::on(sandbox).await
    }

    /// A lab on a running sandbox.
    pub async fn on(sandbox: Sandbox) -> anyhow::Result<Self> {
        let recorder = Recorder::start(&sandbox.url()).await?;
        let fx = common::start().await?;
        let mut user = fx.server.client();
        user.register("ada@example.com", "correct horse battery")
            .await?;
        let cluster_id = register_cluster(&mut user, "lab", &recorder.url).await?;
        let workflow_id = create_workflow(&mut user, "shop", Some(&cluster_id)).await?;
        Ok(Lab {
            fx,
            user,
            sandbox,
            recorder,
            cluster_id,
            workflow_id,
        })
    }

    /// Stops the API server and starts an empty one with `config` on the same address (what
    /// the app sees when a stand-in API server restarts: connections drop, history is gone).
    pub async fn restart_sandbox(&mut self, mut config: SandboxConfig) -> anyhow::Result<()> {
        let addr = self.sandbox.addr();
        // Like a real API server, the new one never reuses a resourceVersion: a watcher that
        // resumes from the old one's gets 410 and re-lists, however late it reconnects.
        config.api.first_resource_version = self.sandbox.resource_version() + 1;
        let placeholder = Sandbox::start("127.0.0.1:0".parse()?).await?;
        let old = std::mem::replace(&mut self.sandbox, placeholder);
        old.shutdown().await;
        let fresh = Sandbox::start_with(addr, config).await?;
        std::mem::replace(&mut self.sandbox, fresh).shutdown().await;
        Ok(())
    }

    /// Starts a run of `design` and returns its id.
    pub async fn run(&mut self, design: &Value) -> anyhow::Result<String> {
        run(&mut self.user, &self.workflow_id, design).await
    }

    /// Runs `design` and waits until the run is over.
    pub async fn deploy(&mut self, design: &Value) -> anyhow::Result<Value> {
        let run_id = self.run(design).await?;
        finished_run(&self.user, &self.workflow_id, &run_id).await
    }

    /// Opens the workflow's event stream.
    pub async fn events(&self) -> anyhow::Result<Events> {
        Events::open(&self.user, &self.workflow_id, None).await
    }
}

/// Registers a kubeconfig cluster for `server` and returns its id.
pub async fn register_cluster(
    user: &mut Client,
    name: &str,
    server: &str,
) -> anyhow::Result<String> {
    let body =
        json!({"name": name, "credentials": kubeconfig_credentials(&kubeconfig_for(server))});
    let cluster = expect(
        user.post("/api/clusters/create", body).await?,
        StatusCode::OK,
    )
    .await?;
    anyhow::ensure!(cluster["connection"]["state"] == "connected", "{cluster}");
    Ok(id_of(&cluster))
}

/// Creates a workflow (on `cluster_id`) and returns its id.
pub async fn create_workflow(
    user: &mut Client,
    name: &str,
    cluster_id: Option<&str>,
) -> anyhow::Result<String> {
    let body = json!({"name": name, "cluster_id": cluster_id});
    let workflow = expect(
        user.post("/api/workflows/create", body).await?,
        StatusCode::OK,
    )
    .await?;
    Ok(id_of(&workflow))
}

/// The `id` field as a string.
pub fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap_or_default().to_string()
}

/// Starts a run of `design` (`{nodes, edges}`) on `workflow_id`.
pub async fn run(user: &mut Client, workflow_id: &str, design: &Value) -> anyhow::Result<String> {
    let body = json!({"id": workflow_id, "nodes": design["nodes"], "edges": design["edges"]});
    let started = expect(user.post("/api/workflows/run", body).await?, StatusCode::OK).await?;
    Ok(started["run_id"].as_str().unwrap_or_default().to_string())
}

/// Waits (up to 20 s) until run `run_id` is over and returns it.
pub async fn finished_run(user: &Client, workflow_id: &str, run_id: &str) -> anyhow::Result<Value> {
    eventually(Duration::from_secs(20), || async {
        let runs = expect(
            user.get(&format!("/api/workflows/runs?id={workflow_id}"))
                .await?,
            StatusCode::OK,
        )
        .await?;
        let run = runs
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["id"] == run_id)
            .cloned();
        Ok(run.filter(|r| {
            matches!(
                r["state"].as_str(),
                Some("succeeded" | "partial" | "failed")
            )
        }))
    })
    .await
}

/// A node of a design.
pub fn node(id: &str, kind: &str, data: Value) -> Value {
    json!({"id": id, "kind": kind, "position": {"x": 0.0, "y": 0.0}, "data": data})
}

/// An edge of a design.
pub fn edge(source: &str, target: &str) -> Value {
    json!({"id": format!("{source}-{target}"), "source": source, "target": target})
}

/// Ingress → Service → Deployment, with a ConfigMap and a PVC attached to the Deployment.
pub fn web_stack(image: &str, replicas: u32) -> Value {
    json!({
        "nodes": [
            node("ing", "ingress", json!({"name": "shop", "host": "shop.example.com"})),
            node("svc", "service", json!({"name": "web", "ports": [{"name": "http", "port": 80}]})),
            node("web", "deployment", json!({"name": "web", "image": image, "replicas": replicas,
                "ports": [{"name": "http", "containerPort": 8080}]})),
            node("cfg", "configmap", json!({"name": "web-env", "data": {"LOG_LEVEL": "info"}})),
            node("pvc", "persistentvolumeclaim", json!({"name": "uploads", "storage": "1Gi"})),
        ],
        "edges": [edge("ing", "svc"), edge("svc", "web"), edge("cfg", "web"), edge("pvc", "web")],
    })
}

/// One event of a stream.
#[derive(Clone, Debug)]
pub struct Event {
    /// Its `id:`.
    pub id: u64,
    /// Its `event:`.
    pub event: String,
    /// Its `data:` as JSON.
    pub data: Value,
}

/// A workflow's SSE stream, read event by event.
pub struct Events {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
    /// Heartbeat comments seen.
    pub comments: usize,
}

impl Events {
    /// Opens the stream as `user`, optionally with `Last-Event-ID`.
    pub async fn open(user: &Client, workflow_id: &str, last: Option<u64>) -> anyhow::Result<Self> {
        let mut request = user
            .http
            .get(format!("{}/api/workflows/{workflow_id}/events", user.base));
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
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        anyhow::ensure!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Ok(Events {
            body: response.bytes_stream().boxed(),
            buffer: String::new(),
            comments: 0,
        })
    }

    /// The next event (heartbeats are counted and skipped), `None` when the stream ends or
    /// nothing comes within `within`.
    pub async fn next(&mut self, within: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                match parse(&block) {
                    Some(event) => return Some(event),
                    None => {
                        self.comments += 1;
                        continue;
                    }
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk.ok()?));
        }
    }

    /// Reads events until `check` accepts one (returned) or `within` passes.
    pub async fn until(
        &mut self,
        within: Duration,
        mut check: impl FnMut(&Event) -> bool,
    ) -> anyhow::Result<Event> {
        let deadline = tokio::time::Instant::now() + within;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let Some(event) = self.next(left).await else {
                anyhow::bail!("no matching event within {within:?}; saw {seen:?}");
            };
            if check(&event) {
                return Ok(event);
            }
            seen.push(format!("{} {}", event.event, event.data));
        }
    }
}

/// Node statuses as a viewer sees them: the snapshot, then each `node_update`.
#[derive(Clone, Debug, Default)]
pub struct Board {
    /// Status JSON by node id.
    pub nodes: std::collections::BTreeMap<String, Value>,
    /// The latest run (from `snapshot` and `run_update`).
    pub run: Option<Value>,
}

impl Board {
    /// Applies one event.
    pub fn apply(&mut self, event: &Event) {
        match event.event.as_str() {
            "snapshot" => {
                self.nodes = event.data["nodes"]
                    .as_object()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default();
                self.run = Some(event.data["run"].clone()).filter(|r| !r.is_null());
            }
            "node_update" => {
                let node = event.data["node_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                match &event.data["status"] {
                    Value::Null => self.nodes.remove(&node),
                    status => self.nodes.insert(node, status.clone()),
                };
            }
            "run_update" => self.run = Some(event.data.clone()),
            _ => {}
        }
    }

    /// The state of a node (`""` when it has no status).
    pub fn state(&self, node: &str) -> &str {
        self.nodes
            .get(node)
            .and_then(|s| s["state"].as_str())
            .unwrap_or_default()
    }

    /// True when every one of `nodes` is in `state`.
    pub fn all(&self, nodes: &[&str], state: &str) -> bool {
        nodes.iter().all(|n| self.state(n) == state)
    }
}

impl Events {
    /// Feeds events into `board` until `check` holds (or fails after `within`).
    pub async fn watch(
        &mut self,
        board: &mut Board,
        within: Duration,
        check: impl Fn(&Board) -> bool,
    ) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + within;
        while !check(board) {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let Some(event) = self.next(left).await else {
                anyhow::bail!("not reached within {within:?}; board: {board:?}");
            };
            board.apply(&event);
        }
        Ok(())
    }
}

fn parse(block: &str) -> Option<Event> {
    let (mut id, mut event, mut data) = (None, None, Vec::new());
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("id: ") {
            id = v.trim().parse().ok();
        } else if let Some(v) = line.strip_prefix("event: ") {
            event = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("data: ") {
            data.push(v);
        }
    }
    Some(Event {
        id: id?,
        event: event?,
        data: serde_json::from_str(&data.join("\n")).unwrap_or(Value::Null),
    })
}

/// True for a `node_update` of `node` in `state`.
pub fn node_in(event: &Event, node: &str, state: &str) -> bool {
    event.event == "node_update"
        && event.data["node_id"] == node
        && event.data["status"]["state"] == state
}
