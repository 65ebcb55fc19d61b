//! Watches: raw `?watch=true` streams (replay, bookmarks, initial-events-end, filters, timeout,
//! 410 Expired) and `kube::runtime::watcher` with plain and streaming lists, incl. re-listing
//! after 410 — and the simulator's rollouts seen through a watcher.

mod common;

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use kube::runtime::watcher::{self, Event};
use kube::runtime::{wait::await_condition, WatchStreamExt};
use kube::ResourceExt;
use sandbox::SandboxConfig;
use serde_json::json;

fn cm(name: &str, labels: serde_json::Value) -> ConfigMap {
    serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}}))
        .unwrap_or_default()
}

fn kind_of(e: &WatchEvent<ConfigMap>) -> String {
    match e {
        WatchEvent::Added(o) => format!("ADDED {}", o.name_any()),
        WatchEvent::Modified(o) => format!("MODIFIED {}", o.name_any()),
        WatchEvent::Deleted(o) => format!("DELETED {}", o.name_any()),
        WatchEvent::Bookmark(b) => format!("BOOKMARK {}", b.metadata.annotations.len()),
        WatchEvent::Error(s) => format!("ERROR {}", s.code),
    }
}

#[tokio::test]
async fn raw_watch_replays_filters_and_times_out() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let api: Api<ConfigMap> = Api::default_namespaced(client);
    let a = api
        .create(&PostParams::default(), &cm("a", json!({"team": "x"})))
        .await?;
    let rv = a.resource_version().unwrap_or_default();
    api.create(&PostParams::default(), &cm("b", json!({"team": "y"})))
        .await?;
    api.patch(
        "a",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"labels": {"team": "y"}}})),
    )
    .await?;
    api.delete("b", &DeleteParams::default()).await?;

    let wp = WatchParams::default().timeout(1);
    let all: Vec<String> = api
        .watch(&wp, &rv)
        .await?
        .map_ok(|e| kind_of(&e))
        .try_collect()
        .await?;
    assert_eq!(
        all,
        vec!["ADDED b", "MODIFIED a", "DELETED b"],
        "replay after {rv}, then closed by timeoutSeconds"
    );

    let team_x: Vec<String> = api
        .watch(&wp.clone().labels("team=x"), "1")
        .await?
        .map_ok(|e| kind_of(&e))
        .try_collect()
        .await?;
    assert_eq!(
        team_x,
        vec!["ADDED a", "DELETED a"],
        "leaving the selector reads as DELETED"
    );

    let streaming = WatchParams::streaming_lists().timeout(1);
    let initial: Vec<String> = api
        .watch(&streaming, "0")
        .await?
        .map_ok(|e| kind_of(&e))
        .try_collect()
        .await?;
    assert_eq!(
        initial,
        vec!["ADDED a", "BOOKMARK 1"],
        "initial events then the initial-events-end bookmark"
    );
    Ok(())
}

#[tokio::test]
async fn periodic_bookmarks_and_410_expired() -> anyhow::Result<()> {
    let mut config = SandboxConfig::default();
    config.simulator.enabled = false;
    config.api.watch_log_capacity = 4;
    config.api.bookmark_interval = Duration::from_millis(100);
    let (_sandbox, client) = common::start_with(config).await;
    let api: Api<ConfigMap> = Api::default_namespaced(client);
    let first = api
        .create(&PostParams::default(), &cm("c0", json!({})))
        .await?;
    for i in 1..8 {
        api.create(&PostParams::default(), &cm(&format!("c{i}"), json!({})))
            .await?;
    }
    let rv = first.resource_version().unwrap_or_default();
    let events: Vec<String> = api
        .watch(&WatchParams::default().timeout(2), &rv)
        .await?
        .map_ok(|e| kind_of(&e))
        .try_collect()
        .await?;
    assert_eq!(events, vec!["ERROR 410"]);

    let ahead = WatchParams::default().timeout(2);
    let from_an_earlier_run: Vec<String> = api
        .watch(&ahead, "999999")
        .await?
        .map_ok(|e| kind_of(&e))
        .try_collect()
        .await?;
    assert_eq!(
        from_an_earlier_run,
        vec!["ERROR 410"],
        "a resourceVersion ahead of the store"
    );

    let latest = api.get("c7").await?.resource_version().unwrap_or_default();
    let mut stream = api
        .watch(&WatchParams::default().timeout(2), &latest)
        .await?
        .boxed();
    let ev = tokio::time::timeout(Duration::from_secs(2), stream.try_next()).await??;
    assert!(
        matches!(ev, Some(WatchEvent::Bookmark(ref b)) if b.metadata.resource_version.parse::<u64>().unwrap_or(0) >= latest.parse::<u64>().unwrap_or(u64::MAX))
    );
    Ok(())
}

async fn watcher_sees_everything(streaming: bool) -> anyhow::Result<()> {
    let mut config = SandboxConfig::default();
    config.simulator.enabled = false;
    config.api.watch_log_capacity = 3;
    let (_sandbox, client) = common::start_with(config).await;
    let api: Api<ConfigMap> = Api::default_namespaced(client);
    api.create(&PostParams::default(), &cm("before", json!({})))
        .await?;
    let mut cfg = watcher::Config::default().timeout(1);
    if streaming {
        cfg = cfg.streaming_lists();
    }
    let mut events = watcher::watcher(api.clone(), cfg).boxed();
    let mut seen = Vec::new();
    while let Some(e) = tokio::time::timeout(Duration::from_secs(5), events.next()).await? {
        match e {
            Ok(Event::InitApply(o)) => seen.push(format!("init {}", o.name_any())),
            Ok(Event::InitDone) => break,
            Ok(_) => {}
            Err(e) => anyhow::bail!("watcher error before InitDone: {e}"),
        }
    }
    assert_eq!(seen, vec!["init before"]);
    api.create(&PostParams::default(), &cm("after", json!({})))
        .await?;
    let next = loop {
        match tokio::time::timeout(Duration::from_secs(5), events.next()).await? {
            Some(Ok(Event::Apply(o))) => break o.name_any(),
            Some(_) => {}
            None => anyhow::bail!("watcher ended"),
        }
    };
    assert_eq!(next, "after");
    Ok(())
}

#[tokio::test]
async fn runtime_watcher_with_plain_lists() -> anyhow::Result<()> {
    watcher_sees_everything(false).await
}

#[tokio::test]
async fn runtime_watcher_with_streaming_lists() -> anyhow::Result<()> {
    watcher_sees_everything(true).await
}

#[tokio::test]
async fn watcher_relists_after_410() -> anyhow::Result<()> {
    let mut config = SandboxConfig::default();
    config.simulator.enabled = false;
    config.api.watch_log_capacity = 2;
    let (_sandbox, client) = common::start_with(config).await;
    let api: Api<ConfigMap> = Api::default_namespaced(client.clone());
    let store = {
        let (reader, writer) = kube::runtime::reflector::store::<ConfigMap>();
        let stream = watcher::watcher(api.clone(), watcher::Config::default().timeout(1))
            .default_backoff()
            .reflect(writer)
            .for_each(|_| async {});
        tokio::spawn(stream);
        reader
    };
    store.wait_until_ready().await?;
    // Pause nothing: just write faster than a 2-event log can hold between two polls of a
    // reconnecting watcher; whatever happens, the reflector must converge to the truth.
    for i in 0..20 {
        api.create(&PostParams::default(), &cm(&format!("r{i}"), json!({})))
            .await?;
    }
    for i in 0..10 {
        api.delete(&format!("r{i}"), &DeleteParams::default())
            .await?;
    }
    let converged = common::eventually(10, || {
        let store = store.clone();
        async move {
            let mut names: Vec<String> = store.state().iter().map(|c| c.name_any()).collect();
            names.sort();
            let mut want: Vec<String> = (10..20).map(|i| format!("r{i}")).collect();
            want.sort();
            names == want
        }
    })
    .await;
    assert!(converged, "reflector converged after re-listing");
    Ok(())
}

#[tokio::test]
async fn simulator_rolls_out_and_faults_fail() -> anyhow::Result<()> {
    let (sandbox, client) = common::start().await;
    let api: Api<Deployment> = Api::default_namespaced(client.clone());
    let ssa = PatchParams::apply("kubeorch").force();
    api.patch(
        "web",
        &ssa,
        &Patch::Apply(common::manifest("deployments", "web")),
    )
    .await?;
    let ready = |d: Option<&Deployment>| {
        d.and_then(|d| d.status.as_ref())
            .and_then(|s| s.ready_replicas)
            == Some(2)
    };
    tokio::time::timeout(
        Duration::from_secs(5),
        await_condition(api.clone(), "web", ready),
    )
    .await??;
    let done = api.get("web").await?;
    let status = done.status.unwrap_or_default();
    assert_eq!(status.observed_generation, done.metadata.generation);
    let progressing = status
        .conditions
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.type_ == "Progressing");
    assert_eq!(
        progressing.and_then(|c| c.reason).as_deref(),
        Some("NewReplicaSetAvailable")
    );

    let mut broken = common::manifest("deployments", "broken");
    broken["spec"]["template"]["spec"]["containers"][0]["image"] =
        json!("registry.test/app:pull-error");
    api.patch("broken", &ssa, &Patch::Apply(broken)).await?;
    let timed_out = |d: Option<&Deployment>| {
        d.and_then(|d| d.status.as_ref())
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded"))
            })
    };
    tokio::time::timeout(
        Duration::from_secs(5),
        await_condition(api.clone(), "broken", timed_out),
    )
    .await??;
    assert_eq!(
        api.get("broken")
            .await?
            .status
            .and_then(|s| s.ready_replicas),
        None
    );

    sandbox.faults().set_outage(true);
    let down = tokio::time::timeout(Duration::from_secs(5), api.get("web")).await?;
    assert!(down.is_err(), "unreachable during the outage");
    sandbox.faults().set_outage(false);
    assert_eq!(api.get("web").await?.name_any(), "web");
    sandbox.faults().reject_writes("denied", 422);
    let denied = api
        .patch(
            "denied",
            &ssa,
            &Patch::Apply(common::manifest("deployments", "denied")),
        )
        .await;
    assert!(matches!(denied, Err(kube::Error::Api(s)) if s.code == 422));
    Ok(())
}
