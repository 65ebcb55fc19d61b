//! Test support for cluster work: a sandbox API server, kubeconfigs for it, a recording proxy
//! (what the API server saw, when), and a fake API server that checks a bearer token.
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

/// A kubeconfig (no credentials) for `server`, with context `sandbox`.
pub fn kubeconfig_for(server: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: sandbox\nclusters:\n- name: sb\n  cluster:\n    server: {server}\ncontexts:\n- name: sandbox\n  context: {{cluster: sb, user: nobody}}\nusers:\n- name: nobody\n  user: {{}}\n"
    )
}

/// A kubeconfig whose user runs an exec plugin.
pub fn exec_kubeconfig(server: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: cloud\nclusters:\n- name: c\n  cluster:\n    server: {server}\ncontexts:\n- name: cloud\n  context: {{cluster: c, user: u}}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n      args: ['-c', 'touch /tmp/kubeorch-pwned']\n"
    )
}

/// One request as the API server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub uri: String,
    /// When it arrived.
    pub start: Instant,
    /// When the answer was complete (for watches: when the headers came).
    pub end: Instant,
}

impl Seen {
    /// True for a server-side apply that is not a dry-run.
    pub fn is_apply(&self) -> bool {
        self.method == "PATCH" && !self.uri.contains("dryRun=All")
    }

    /// True for a dry-run write.
    pub fn is_dry_run(&self) -> bool {
        self.uri.contains("dryRun=All")
    }

    /// The object name of a PATCH (last path segment before the query).
    pub fn name(&self) -> &str {
        let path = self.uri.split('?').next().unwrap_or_default();
        path.rsplit('/').next().unwrap_or_default()
    }
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    client: reqwest::Client,
    log: Arc<Mutex<Vec<Seen>>>,
    namespaces_forbidden: Arc<AtomicBool>,
}

/// A reverse proxy in front of an API server that records every request.
pub struct Recorder {
    /// Its URL (register this as the cluster's server).
    pub url: String,
    log: Arc<Mutex<Vec<Seen>>>,
    namespaces_forbidden: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Recorder {
    /// Starts a proxy to `upstream`.
    pub async fn start(upstream: &str) -> anyhow::Result<Self> {
        let log = Arc::new(Mutex::new(Vec::new()));
        let namespaces_forbidden = Arc::new(AtomicBool::new(false));
        let state = ProxyState {
            namespaces_forbidden: namespaces_forbidden.clone(),
            upstream: upstream.trim_end_matches('/').to_string(),
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(256)
                .build()?,
            log: log.clone(),
        };
        let app = Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Recorder {
            url,
            log,
            namespaces_forbidden,
            task,
        })
    }

    /// From now on, answers reads of Namespace objects with 403, as RBAC does for credentials
    /// that are bound to roles in some namespaces only.
    pub fn forbid_namespaces(&self) {
        self.namespaces_forbidden.store(true, Ordering::Relaxed);
    }

    /// Everything seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Forgets what was seen.
    pub fn clear(&self) {
        if let Ok(mut l) = self.log.lock() {
            l.clear();
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(State(state): State<ProxyState>, request: Request) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let uri = request
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let path = uri.split('?').next().unwrap_or_default();
    let namespace_read = path == "/api/v1/namespaces"
        || path
            .strip_prefix("/api/v1/namespaces/")
            .is_some_and(|rest| !rest.contains('/'));
    if namespace_read && state.namespaces_forbidden.load(Ordering::Relaxed) {
        let status = json!({
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden",
            "code": 403,
            "message": "namespaces is forbidden: User \"team\" cannot get resource \"namespaces\" in API group \"\" at the cluster scope",
        });
        return Response::builder()
            .status(403)
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Body::from(status.to_string()))
            .unwrap_or_default();
    }
    let mut headers = request.headers().clone();
    headers.remove(http::header::HOST);
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let upstream = state
        .client
        .request(method.clone(), format!("{}{uri}", state.upstream))
        .headers(headers)
        .body(body)
        .send()
        .await;
    let record = |end| {
        if let Ok(mut log) = state.log.lock() {
            log.push(Seen {
                method: method.to_string(),
                uri: uri.clone(),
                start,
                end,
            });
        }
    };
    let Ok(answer) = upstream else {
        record(Instant::now());
        return Response::builder()
            .status(502)
            .body(Body::empty())
            .unwrap_or_default();
    };
    let mut builder = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != http::header::CONTENT_LENGTH && name != http::header::TRANSFER_ENCODING {
            builder = builder.header(name, value);
        }
    }
    if uri.contains("watch=") {
        record(Instant::now());
        return builder
            .body(Body::from_stream(answer.bytes_stream()))
            .unwrap_or_default();
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    record(Instant::now());
    builder.body(Body::from(bytes)).unwrap_or_default()
}

/// A fake API server that answers `/version` and the namespace list only to `Bearer <token>`.
pub struct TokenServer {
    /// Its URL.
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TokenServer {
    /// Starts one accepting `token`.
    pub async fn start(token: &str) -> anyhow::Result<Self> {
        let expected = format!("Bearer {token}");
        let app = Router::new().fallback(move |request: Request| {
            let expected = expected.clone();
            async move {
                let authorized = request
                    .headers()
                    .get(http::header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    == Some(expected.as_str());
                let (status, body) = if !authorized {
                    (401, json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                        "message": "Unauthorized", "reason": "Unauthorized", "code": 401}))
                } else if request.uri().path() == "/version" {
                    (200, json!({"major": "1", "minor": "35", "gitVersion": "v1.35.0-token",
                        "gitCommit": "", "gitTreeState": "", "buildDate": "", "goVersion": "",
                        "compiler": "", "platform": "linux/amd64"}))
                } else {
                    (200, json!({"kind": "NamespaceList", "apiVersion": "v1", "metadata": {},
                        "items": [{"metadata": {"name": "default"}}, {"metadata": {"name": "prod"}}]}))
                };
                Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap_or_default()
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(TokenServer { url, task })
    }
}

/// Polls `check` every 50 ms until it returns `Some` or `timeout` passes.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = check().await? {
            return Ok(found);
        }
        if Instant::now() > deadline {
            anyhow::bail!("condition not met within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `{"type": "kubeconfig", …}` credentials for the API.
pub fn kubeconfig_credentials(kubeconfig: &str) -> Value {
    json!({"type": "kubeconfig", "kubeconfig": kubeconfig})
}
