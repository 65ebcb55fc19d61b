//! A real server on 127.0.0.1 with the embedded store in a temporary data dir, and a JSON client.
#![allow(dead_code)]

pub mod browser;

use std::path::Path;

use reqwest::header::{HeaderMap, AUTHORIZATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use server::config::Config;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// A running server.
pub struct TestServer {
    pub base: String,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl TestServer {
    /// Starts a server on a free port with its data in `data_dir`.
    pub async fn start_in(
        data_dir: &Path,
        configure: impl FnOnce(&mut Config),
    ) -> anyhow::Result<Self> {
        let mut config = Config::for_data_dir(data_dir);
        configure(&mut config);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(server::serve(config, listener, shutdown.clone()));
        Ok(TestServer {
            base,
            shutdown,
            task,
        })
    }

    /// Stops the server and waits until it has.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.task.await??;
        Ok(())
    }

    /// A client without a session.
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::new(),
            token: None,
        }
    }
}

/// A server in its own temporary directory (kept alive with it).
pub struct Fixture {
    pub server: TestServer,
    pub dir: tempfile::TempDir,
}

/// Starts a server with default settings.
pub async fn start() -> anyhow::Result<Fixture> {
    start_with(|_| {}).await
}

/// Starts a server with adjusted settings.
pub async fn start_with(configure: impl FnOnce(&mut Config)) -> anyhow::Result<Fixture> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start_in(dir.path(), configure).await?;
    Ok(Fixture { server, dir })
}

/// A JSON API client that keeps the session token from `Set-Cookie` and sends it as Bearer.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
}

/// The session token in a response's `Set-Cookie`, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix("kubeorch_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .find(|v| !v.is_empty())
}

impl Client {
    /// POSTs `body` as JSON; keeps a session token the answer sets.
    pub async fn post(&mut self, path: &str, body: Value) -> anyhow::Result<Response> {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = &self.token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = request.send().await?;
        if let Some(token) = session_token(response.headers()) {
            self.token = Some(token);
        }
        Ok(response)
    }

    /// GETs a path.
    pub async fn get(&self, path: &str) -> anyhow::Result<Response> {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        Ok(request.send().await?)
    }

    /// Registers an account and keeps its session.
    pub async fn register(&mut self, email: &str, password: &str) -> anyhow::Result<Value> {
        let body = json!({"email": email, "name": "Tester", "password": password});
        expect(self.post("/api/auth/register", body).await?, StatusCode::OK).await
    }

    /// Logs in and keeps the session.
    pub async fn login(&mut self, email: &str, password: &str) -> anyhow::Result<Response> {
        self.post(
            "/api/auth/login",
            json!({"email": email, "password": password}),
        )
        .await
    }
}

/// Checks the status and returns the JSON body.
pub async fn expect(response: Response, status: StatusCode) -> anyhow::Result<Value> {
    let actual = response.status();
    let text = response.text().await?;
    anyhow::ensure!(actual == status, "expected {status}, got {actual}: {text}");
    Ok(if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)?
    })
}

/// Checks an error answer: status and `code`.
pub async fn expect_error(
    response: Response,
    status: StatusCode,
    code: &str,
) -> anyhow::Result<Value> {
    let body = expect(response, status).await?;
    anyhow::ensure!(body["code"] == code, "expected code {code}: {body}");
    Ok(body)
}
