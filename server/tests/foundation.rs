//! The server on a real socket: probes, server-rendered HTML, the status function, the heartbeat
//! stream and graceful shutdown.

use std::time::Duration;

use futures::StreamExt;
use server::config::Config;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

struct TestServer {
    base: String,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _data: tempfile::TempDir,
}

async fn start() -> anyhow::Result<TestServer> {
    let data = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(data.path());
    config.heartbeat_secs = 1;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(server::serve(config, listener, shutdown.clone()));
    Ok(TestServer {
        base,
        shutdown,
        task,
        _data: data,
    })
}

#[tokio::test]
async fn healthz_answers_ok() -> anyhow::Result<()> {
    let server = start().await?;
    let body: serde_json::Value = reqwest::get(format!("{}/healthz", server.base))
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    Ok(())
}

#[tokio::test]
async fn home_page_is_server_rendered_with_status() -> anyhow::Result<()> {
    let server = start().await?;
    let response = reqwest::get(&server.base).await?;
    assert_eq!(response.status(), 200);
    let html = response.text().await?;
    assert!(html.contains("KubeOrch"), "product name in the top bar");
    assert!(
        html.contains(r#"data-hydrated="false""#),
        "not hydrated before JS"
    );
    assert!(
        html.contains(r#"id="server-version""#),
        "status resolved on the server"
    );
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    assert!(
        html.contains("/pkg/kubeorch.js"),
        "hydration script is linked"
    );
    Ok(())
}

#[tokio::test]
async fn unknown_route_is_a_404_page() -> anyhow::Result<()> {
    let server = start().await?;
    let response = reqwest::get(format!("{}/no/such/page", server.base)).await?;
    assert_eq!(response.status(), 404);
    assert!(response.text().await?.contains("Page not found"));
    Ok(())
}

#[tokio::test]
async fn status_server_function_is_a_stable_json_endpoint() -> anyhow::Result<()> {
    let server = start().await?;
    let body: serde_json::Value = reqwest::get(format!("{}/api/status", server.base))
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptime_secs"].is_u64());
    Ok(())
}

/// Reads SSE `id:` lines from `response` until `count` have arrived.
async fn read_ids(response: reqwest::Response, count: usize) -> anyhow::Result<Vec<u64>> {
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let mut ids = Vec::new();
    while ids.len() < count {
        let chunk = tokio::time::timeout(Duration::from_secs(10), body.next())
            .await?
            .ok_or_else(|| anyhow::anyhow!("stream ended after {ids:?}"))??;
        text.push_str(std::str::from_utf8(&chunk)?);
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            assert!(event.contains("event: heartbeat"), "event: {event}");
            assert!(event.contains(r#"data: {"seq":"#), "event: {event}");
            if let Some(id) = event.lines().find_map(|l| l.strip_prefix("id: ")) {
                ids.push(id.trim().parse()?);
            }
        }
    }
    Ok(ids)
}

#[tokio::test]
async fn heartbeats_have_increasing_ids_and_resume_after_last_event_id() -> anyhow::Result<()> {
    let server = start().await?;
    let url = format!("{}/api/events/health", server.base);
    let response = reqwest::get(&url).await?.error_for_status()?;
    assert_eq!(
        response.headers()["content-type"].to_str()?,
        "text/event-stream"
    );
    assert_eq!(read_ids(response, 2).await?, vec![1, 2]);

    let resumed = reqwest::Client::new()
        .get(&url)
        .header("Last-Event-ID", "41")
        .send()
        .await?
        .error_for_status()?;
    assert_eq!(read_ids(resumed, 2).await?, vec![42, 43]);
    Ok(())
}

#[tokio::test]
async fn shutdown_ends_open_streams_and_stops_the_server() -> anyhow::Result<()> {
    let server = start().await?;
    let response = reqwest::get(format!("{}/api/events/health", server.base)).await?;
    let mut body = response.bytes_stream();
    body.next().await;
    server.shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), server.task).await???;
    Ok(())
}
