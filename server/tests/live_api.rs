//! The live event stream (`GET /api/workflows/{id}/events`) and the shared watchers behind it:
//! session and ownership, `Last-Event-ID` replay or a fresh snapshot, 200 concurrent subscribers
//! receiving every event, and statuses that keep flowing after an API server outage (re-list on
//! 410), after an API server restart, and after the cluster is edited.

mod cluster_support;
mod common;
mod deploy_support;

use std::time::Duration;

use cluster_support::{eventually, kubeconfig_for, Recorder};
use common::{expect, expect_error, Client};
use deploy_support::{create_workflow, quick_config, web_stack, Board, Event, Events, Lab};
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};
use reqwest::StatusCode;
use serde_json::json;

const SETTLE: Duration = Duration::from_secs(20);
const ALL: [&str; 5] = ["cfg", "pvc", "web", "svc", "ing"];

fn run_over(event: &Event) -> bool {
    event.event == "run_update"
        && matches!(
            event.data["state"].as_str(),
            Some("succeeded" | "partial" | "failed")
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_needs_a_session_and_the_workflow_owner() -> anyhow::Result<()> {
    let lab = Lab::start().await?;
    let path = format!("/api/workflows/{}/events", lab.workflow_id);
    let anonymous = lab.fx.server.client().get(&path).await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let mut bob: Client = lab.fx.server.client();
    bob.register("bob@example.com", "correct horse battery")
        .await?;
    assert_eq!(bob.get(&path).await?.status(), StatusCode::NOT_FOUND);
    let (ada_workflow, ada_cluster) = (lab.workflow_id.clone(), lab.cluster_id.clone());
    let design = web_stack("nginx:1.27", 1);
    let attempts = [
        (
            "/api/workflows/run",
            json!({"id": ada_workflow, "nodes": design["nodes"], "edges": design["edges"]}),
        ),
        (
            "/api/workflows/plan",
            json!({"id": ada_workflow, "nodes": design["nodes"], "edges": design["edges"]}),
        ),
        ("/api/workflows/delete_objects", json!({"id": ada_workflow})),
        (
            "/api/workflows/create",
            json!({"name": "mine", "cluster_id": ada_cluster}),
        ),
    ];
    for (endpoint, body) in attempts {
        let answer = bob.post(endpoint, body).await?;
        expect_error(answer, StatusCode::NOT_FOUND, "not_found").await?;
    }
    let own = create_workflow(&mut bob, "mine", None).await?;
    let borrow = bob
        .post(
            "/api/workflows/update",
            json!({"id": own, "cluster_id": ada_cluster}),
        )
        .await?;
    expect_error(borrow, StatusCode::NOT_FOUND, "not_found").await?;
    let runs = bob
        .get(&format!("/api/workflows/runs?id={ada_workflow}"))
        .await?;
    expect_error(runs, StatusCode::NOT_FOUND, "not_found").await?;
    let no_cluster = bob
        .post(
            "/api/workflows/run",
            json!({"id": own, "nodes": design["nodes"], "edges": design["edges"]}),
        )
        .await?;
    expect_error(no_cluster, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconnect_replays_what_was_missed_or_gets_a_snapshot() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut first = lab.events().await?;
    let snapshot = first
        .next(SETTLE)
        .await
        .ok_or_else(|| anyhow::anyhow!("no snapshot"))?;
    assert_eq!(snapshot.event, "snapshot");
    lab.deploy(&web_stack("nginx:1.27", 1)).await?;
    let mut board = Board::default();
    board.apply(&snapshot);
    let mut seen: Vec<Event> = Vec::new();
    while !board.all(&ALL, "healthy") {
        let event = first
            .next(SETTLE)
            .await
            .ok_or_else(|| anyhow::anyhow!("stream ended: {board:?}"))?;
        board.apply(&event);
        seen.push(event);
    }
    assert!(seen.len() > 6, "{seen:?}");
    let ids: Vec<u64> = seen.iter().map(|e| e.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");

    let resume_at = seen[2].id;
    let mut second = Events::open(&lab.user, &lab.workflow_id, Some(resume_at)).await?;
    for expected in &seen[3..] {
        let replayed = second
            .next(SETTLE)
            .await
            .ok_or_else(|| anyhow::anyhow!("replay ended"))?;
        assert_eq!(
            (replayed.id, &replayed.event),
            (expected.id, &expected.event)
        );
        assert_eq!(replayed.data, expected.data);
    }

    let mut third = Events::open(&lab.user, &lab.workflow_id, Some(1)).await?;
    let fresh = third
        .next(SETTLE)
        .await
        .ok_or_else(|| anyhow::anyhow!("no snapshot"))?;
    assert_eq!(fresh.event, "snapshot", "an id this server never issued");
    let mut resumed = Board::default();
    resumed.apply(&fresh);
    assert!(resumed.all(&ALL, "healthy"), "{resumed:?}");
    assert_eq!(
        resumed.run.as_ref().map(|r| r["state"].clone()),
        Some(json!("succeeded"))
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_subscribers_all_receive_every_event() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut streams = Vec::new();
    for _ in 0..200 {
        let mut events = lab.events().await?;
        let snapshot = events
            .next(SETTLE)
            .await
            .ok_or_else(|| anyhow::anyhow!("no snapshot"))?;
        anyhow::ensure!(snapshot.event == "snapshot");
        streams.push(events);
    }
    lab.deploy(&web_stack("nginx:1.27", 1)).await?;
    let readers = streams.into_iter().map(|mut events| {
        tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(event) = events.next(Duration::from_secs(5)).await {
                let over = run_over(&event);
                got.push((event.id, event.event));
                if over {
                    break;
                }
            }
            got
        })
    });
    let received = futures::future::try_join_all(readers).await?;
    let reference = &received[0];
    assert!(
        reference.last().is_some_and(|(_, e)| e == "run_update"),
        "{reference:?}"
    );
    assert!(reference.len() >= 5, "{reference:?}");
    for (i, got) in received.iter().enumerate() {
        assert_eq!(got, reference, "subscriber {i} saw the same events");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_flow_again_after_an_outage_that_outlived_the_watch_history() -> anyhow::Result<()>
{
    let mut config = quick_config();
    config.api.watch_log_capacity = 2;
    let mut lab = Lab::start_with(config).await?;
    let mut events = lab.events().await?;
    let mut board = Board::default();
    let design = web_stack("registry.test/web:slow-rollout", 4);
    lab.deploy(&design).await?;
    // Only requests from the outage on count: the deploy's own LISTs came before it.
    let before = lab.recorder.seen().len();
    lab.sandbox.faults().set_outage(true);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    lab.sandbox.faults().set_outage(false);
    events
        .watch(&mut board, SETTLE, |b| b.all(&ALL, "healthy"))
        .await?;
    let lists = lab.recorder.seen()[before..]
        .iter()
        .filter(|s| {
            s.method == "GET" && s.uri.contains("/deployments?") && !s.uri.contains("watch=true")
        })
        .count();
    assert!(
        lists >= 1,
        "the watcher re-listed after 410 ({lists} lists since the outage)"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_follow_an_api_server_restart() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut events = lab.events().await?;
    let mut board = Board::default();
    let design = web_stack("nginx:1.27", 1);
    lab.deploy(&design).await?;
    events
        .watch(&mut board, SETTLE, |b| b.all(&ALL, "healthy"))
        .await?;

    lab.restart_sandbox(quick_config()).await?;
    events
        .watch(&mut board, SETTLE, |b| {
            ALL.iter().all(|n| b.state(n).is_empty())
        })
        .await?;
    let run = lab.deploy(&design).await?;
    assert_eq!(run["state"], "succeeded", "{run}");
    events
        .watch(&mut board, SETTLE, |b| b.all(&ALL, "healthy"))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_follow_a_cluster_edit_without_a_new_deploy() -> anyhow::Result<()> {
    let mut lab = Lab::start().await?;
    let mut events = lab.events().await?;
    let mut board = Board::default();
    lab.deploy(&web_stack("nginx:1.27", 1)).await?;
    events
        .watch(&mut board, SETTLE, |b| b.all(&ALL, "healthy"))
        .await?;

    // The cluster is edited to be reached through another address (what a credential or
    // server change looks like from the API server's side).
    let moved = Recorder::start(&lab.sandbox.url()).await?;
    let changes = json!({"kubeconfig": kubeconfig_for(&moved.url)});
    let body = json!({"id": lab.cluster_id, "changes": changes});
    let edited = expect(
        lab.user.post("/api/clusters/update", body).await?,
        StatusCode::OK,
    )
    .await?;
    assert_eq!(edited["connection"]["state"], "connected", "{edited}");
    eventually(SETTLE, || {
        let watching = moved
            .seen()
            .iter()
            .any(|s| s.uri.contains("watch=true") && s.uri.contains("/deployments"));
        async move { Ok(watching.then_some(())) }
    })
    .await?;

    // Statuses keep flowing through the new watchers: a scale-up made in the cluster is seen.
    let deployments: Api<Deployment> = Api::namespaced(lab.sandbox.client()?, "default");
    let scale = json!({"spec": {"replicas": 3}});
    deployments
        .patch("web", &PatchParams::default(), &Patch::Merge(&scale))
        .await?;
    events
        .watch(&mut board, SETTLE, |b| {
            b.nodes
                .get("web")
                .is_some_and(|s| s["details"]["desired"] == "3")
        })
        .await?;
    Ok(())
}
