//! Cluster credentials never reach a log line (at any level, including kube's and hyper's
//! traces) nor any answer or event: registering, testing, a rejected token, previews, runs,
//! their history and the live stream.

mod cluster_support;
mod common;
mod deploy_support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cluster_support::TokenServer;
use common::{expect, start};
use deploy_support::{create_workflow, finished_run, id_of, run, web_stack, Events};
use reqwest::StatusCode;
use serde_json::json;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut log) = self.0.lock() {
            log.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_tokens_stay_out_of_logs_answers_and_events() -> anyhow::Result<()> {
    let log = Captured::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    let token = "kubeorch-cluster-token-5d1e0c";
    let wrong = "kubeorch-wrong-token-77ab21";
    let sandbox =
        sandbox::Sandbox::start_with("127.0.0.1:0".parse()?, deploy_support::quick_config())
            .await?;
    let checker = TokenServer::start(token).await?;
    let fx = start().await?;
    let mut ada = fx.server.client();
    ada.register("ada@example.com", "correct horse battery")
        .await?;
    let mut bodies = Vec::new();

    let credentials = json!({"type": "token", "server": sandbox.url(), "token": token});
    let created = ada
        .post(
            "/api/clusters/create",
            json!({"name": "lab", "credentials": credentials}),
        )
        .await?;
    let cluster = expect(created, StatusCode::OK).await?;
    assert_eq!(cluster["connection"]["state"], "connected", "{cluster}");
    let cluster_id = id_of(&cluster);
    bodies.push(cluster.to_string());
    let rejected = json!({"type": "token", "server": checker.url, "token": wrong});
    let refused = ada
        .post(
            "/api/clusters/create",
            json!({"name": "checked", "credentials": rejected}),
        )
        .await?;
    let refused = expect(refused, StatusCode::OK).await?;
    assert_eq!(refused["connection"]["state"], "error", "{refused}");
    bodies.push(refused.to_string());

    let workflow = create_workflow(&mut ada, "shop", Some(&cluster_id)).await?;
    let mut events = Events::open(&ada, &workflow, None).await?;
    let design = web_stack("nginx:1.27", 1);
    let plan = ada
        .post(
            "/api/workflows/plan",
            json!({"id": workflow, "nodes": design["nodes"], "edges": design["edges"]}),
        )
        .await?;
    bodies.push(expect(plan, StatusCode::OK).await?.to_string());
    let run_id = run(&mut ada, &workflow, &design).await?;
    bodies.push(finished_run(&ada, &workflow, &run_id).await?.to_string());
    let tested = ada
        .post("/api/clusters/test", json!({"id": cluster_id}))
        .await?;
    bodies.push(expect(tested, StatusCode::OK).await?.to_string());
    bodies.push(
        expect(ada.get("/api/clusters/list").await?, StatusCode::OK)
            .await?
            .to_string(),
    );
    let removed = ada
        .post("/api/workflows/delete_objects", json!({"id": workflow}))
        .await?;
    let removed = expect(removed, StatusCode::OK).await?;
    assert_eq!(
        removed["objects"].as_array().map(Vec::len),
        Some(5),
        "{removed}"
    );
    bodies.push(removed.to_string());
    while let Some(event) = events.next(Duration::from_millis(1500)).await {
        bodies.push(event.data.to_string());
    }
    assert!(bodies.len() > 10, "events were read");

    let log = String::from_utf8_lossy(&log.0.lock().map_err(|_| anyhow::anyhow!("poisoned"))?)
        .to_string();
    assert!(
        log.contains("cluster registered") && log.contains("deploy finished"),
        "captured"
    );
    let key = std::fs::read_to_string(fx.dir.path().join("encryption.key"))?;
    for secret in [token, wrong, key.trim()] {
        assert!(!log.contains(secret), "a credential is in the log");
        assert!(
            bodies.iter().all(|b| !b.contains(secret)),
            "a credential is in an answer"
        );
    }
    Ok(())
}
