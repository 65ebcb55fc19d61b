//! A load scenario shared by the conformance test and `make bench`: N objects applied with
//! server-side apply (then re-applied with a change) while W watchers follow, each checked for
//! missed and duplicated events.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams, WatchEvent, WatchParams};
use kube::ResourceExt;
use serde_json::json;

/// What one watcher saw that it should not have.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WatcherFindings {
    /// Objects without the expected ADDED or MODIFIED event.
    pub missed: usize,
    /// Events seen more than once.
    pub duplicated: usize,
    /// Events whose resourceVersion did not increase.
    pub out_of_order: usize,
}

/// The outcome of [`fan_out`].
#[derive(Debug)]
pub struct FanOutReport {
    /// Objects applied (each applied twice: create, then change).
    pub objects: usize,
    /// Concurrent watchers.
    pub watchers: usize,
    /// Time to send every apply.
    pub apply_time: Duration,
    /// Time until every watcher had seen every event.
    pub total_time: Duration,
    /// Events delivered to all watchers together.
    pub events_delivered: usize,
    /// Per-watcher problems (all default when the API server behaved).
    pub findings: Vec<WatcherFindings>,
}

async fn follow(
    api: Api<ConfigMap>,
    from: String,
    objects: usize,
    deadline: Duration,
) -> Result<(WatcherFindings, usize), kube::Error> {
    let mut added: HashMap<String, usize> = HashMap::new();
    let mut modified: HashMap<String, usize> = HashMap::new();
    let (mut last_rv, mut out_of_order, mut delivered) = (0u64, 0usize, 0usize);
    let wp = WatchParams::default()
        .labels("load=fan-out")
        .timeout(deadline.as_secs().max(1) as u32);
    let mut stream = api.watch(&wp, &from).await?.boxed();
    while modified.len() < objects {
        let Some(ev) = stream.try_next().await? else {
            break;
        };
        let (map, obj) = match ev {
            WatchEvent::Added(o) => (&mut added, o),
            WatchEvent::Modified(o) => (&mut modified, o),
            _ => continue,
        };
        delivered += 1;
        let rv: u64 = obj
            .resource_version()
            .unwrap_or_default()
            .parse()
            .unwrap_or(0);
        if rv <= last_rv {
            out_of_order += 1;
        }
        last_rv = rv;
        *map.entry(obj.name_any()).or_default() += 1;
    }
    let dup = |m: &HashMap<String, usize>| m.values().map(|n| n.saturating_sub(1)).sum::<usize>();
    let findings = WatcherFindings {
        missed: (objects - added.len().min(objects)) + (objects - modified.len().min(objects)),
        duplicated: dup(&added) + dup(&modified),
        out_of_order,
    };
    Ok((findings, delivered))
}

/// Applies `objects` ConfigMaps in `namespace` (then changes each once) while `watchers`
/// watches follow from the resourceVersion before the first apply.
pub async fn fan_out(
    client: kube::Client,
    namespace: &str,
    objects: usize,
    watchers: usize,
) -> Result<FanOutReport, kube::Error> {
    let api: Api<ConfigMap> = Api::namespaced(client, namespace);
    let start_rv = api
        .list_metadata(&Default::default())
        .await?
        .metadata
        .resource_version
        .unwrap_or_default();
    let deadline = Duration::from_secs(120);
    let followers: Vec<_> = (0..watchers)
        .map(|_| tokio::spawn(follow(api.clone(), start_rv.clone(), objects, deadline)))
        .collect();
    let started = Instant::now();
    let pp = PatchParams::apply("load").force();
    for round in 0..2 {
        futures::stream::iter(0..objects)
            .map(|i| {
                let (api, pp) = (api.clone(), pp.clone());
                async move {
                    let name = format!("load-{i}");
                    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": name, "labels": {"load": "fan-out"}}, "data": {"round": round.to_string()}});
                    api.patch(&name, &pp, &Patch::Apply(cm)).await.map(|_| ())
                }
            })
            .buffer_unordered(16)
            .try_collect::<Vec<()>>()
            .await?;
    }
    let apply_time = started.elapsed();
    let mut findings = Vec::new();
    let mut events_delivered = 0;
    for f in followers {
        let (found, delivered) = match f.await {
            Ok(r) => r?,
            Err(_) => (
                WatcherFindings {
                    missed: 2 * objects,
                    ..Default::default()
                },
                0,
            ),
        };
        findings.push(found);
        events_delivered += delivered;
    }
    Ok(FanOutReport {
        objects,
        watchers,
        apply_time,
        total_time: started.elapsed(),
        events_delivered,
        findings,
    })
}
