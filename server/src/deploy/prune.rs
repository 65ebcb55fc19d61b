//! Pruning: objects labelled with the workflow that the design no longer renders are deleted.
//! They are looked for where the workflow's objects have been: each kind in each namespace of an
//! object of this run or of the ten before (an object whose node left the design, or whose kind
//! or namespace changed, is in an earlier run). Namespaces a deploy created are never pruned
//! (they may hold other things by now).

use std::collections::BTreeSet;

use futures::{stream, StreamExt};
use tokio::task::JoinHandle;

use app::domain::deploy::prune_set;
use app::model::{ObjectRef, PrunedObject};

use super::engine::{Job, PARALLELISM};
use super::plan::Outcome;
use crate::cluster::apply::{self, Labelled, Target};
use crate::cluster::resources::{Resolver, Resource};
use crate::cluster::ClusterClient;
use crate::store::DynStore;

/// How many earlier runs tell where the workflow's objects may be.
const HISTORY: u32 = 10;

/// Where to look: the resource and namespace (`None`: cluster-wide) of every object of
/// `current` and of the workflow's recent runs, each place once.
async fn search_space(
    scope: &Scope<'_>,
    cluster: &ClusterClient,
) -> Vec<(Resource, Option<String>)> {
    let mut objects: Vec<ObjectRef> = scope.current.to_vec();
    match scope
        .store
        .runs(scope.owner_id, scope.workflow_id, HISTORY)
        .await
    {
        Ok(runs) => objects.extend(
            runs.into_iter()
                .flat_map(|r| r.nodes.into_values().filter_map(|n| n.object)),
        ),
        Err(error) => tracing::warn!("cannot load earlier runs for pruning: {error}"),
    }
    let places: BTreeSet<(String, String, Option<String>)> = objects
        .into_iter()
        .map(|o| (o.api_version, o.kind, o.namespace))
        .collect();
    let mut resolver = Resolver::default();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (api_version, kind, namespace) in places {
        let Ok(resource) = resolver.resolve(cluster, &api_version, &kind).await else {
            continue;
        };
        let namespace = namespace.filter(|_| resource.namespaced);
        if seen.insert((api_version, kind, namespace.clone())) {
            out.push((resource, namespace));
        }
    }
    out
}

/// Whose objects to look for, and where besides the recent runs' places.
pub struct Scope<'a> {
    /// The store (for the recent runs).
    pub store: &'a DynStore,
    /// The owner.
    pub owner_id: &'a str,
    /// The workflow.
    pub workflow_id: &'a str,
    /// Objects of the design at hand.
    pub current: &'a [ObjectRef],
}

/// Lists the workflow's objects (by its label) in the places it used.
pub async fn live_objects(scope: &Scope<'_>, cluster: &ClusterClient) -> Vec<Labelled> {
    let places = search_space(scope, cluster).await;
    let futures: Vec<_> = places
        .iter()
        .map(|(resource, ns)| {
            apply::list_labelled(cluster, resource, ns.as_deref(), scope.workflow_id)
        })
        .collect();
    let found = stream::iter(futures)
        .buffer_unordered(PARALLELISM)
        .collect::<Vec<_>>()
        .await;
    let mut live = Vec::new();
    for result in found {
        match result {
            Ok(items) => live.extend(items),
            Err(error) => tracing::warn!("cannot list objects to prune: {}", error.message),
        }
    }
    live
}

/// The objects the job's design renders.
fn desired(job: &Job) -> Vec<ObjectRef> {
    job.planned
        .iter()
        .filter_map(|p| match &p.outcome {
            Outcome::Object { object, .. } => Some(object.clone()),
            _ => None,
        })
        .collect()
}

/// Starts listing the workflow's objects for [`prune`], to run beside the applies. What it
/// finds to prune is what a list after the applies would find: a run writes only objects of
/// its design, which are never pruned whether the list saw them or not, and no other run of
/// the workflow writes meanwhile (one at a time).
pub(super) fn start_listing(job: &Job, cluster: &ClusterClient) -> JoinHandle<Vec<Labelled>> {
    let (store, owner_id, workflow_id) = (
        job.store.clone(),
        job.owner_id.clone(),
        job.run.workflow_id.clone(),
    );
    let (current, cluster) = (desired(job), cluster.clone());
    tokio::spawn(async move {
        let scope = Scope {
            store: &store,
            owner_id: &owner_id,
            workflow_id: &workflow_id,
            current: &current,
        };
        live_objects(&scope, &cluster).await
    })
}

/// Deletes what the design no longer has (among what `listing` found) and records it on the
/// run.
pub(super) async fn prune(
    job: &mut Job,
    cluster: &ClusterClient,
    listing: JoinHandle<Vec<Labelled>>,
) {
    let live: Vec<(ObjectRef, Option<String>)> = match listing.await {
        Ok(found) => found.into_iter().map(|l| (l.object, l.node_id)).collect(),
        Err(error) => {
            tracing::error!(run = %job.run.id, "listing objects to prune failed: {error}");
            return;
        }
    };
    let gone = prune_set(&live, &desired(job));
    if gone.is_empty() {
        return;
    }
    let results = delete_all(cluster, gone).await;
    for pruned in results {
        if pruned.error.is_empty() {
            if let Some(node) = &pruned.node_id {
                job.live
                    .node_status(&job.run, node, &pruned.object, None, None);
            }
        }
        job.run.pruned.push(pruned);
    }
}

/// Deletes objects (all at once), reporting each.
pub async fn delete_all(
    cluster: &ClusterClient,
    objects: Vec<(ObjectRef, Option<String>)>,
) -> Vec<PrunedObject> {
    let mut resolver = Resolver::default();
    let mut work = Vec::new();
    let mut out = Vec::new();
    for (object, node_id) in objects {
        match resolver
            .resolve(cluster, &object.api_version, &object.kind)
            .await
        {
            Ok(resource) => work.push((object, node_id, resource)),
            Err(message) => out.push(PrunedObject {
                object,
                node_id,
                error: message,
            }),
        }
    }
    let futures: Vec<_> = work
        .iter()
        .map(|(object, node_id, resource)| delete_one(cluster, object, node_id, resource))
        .collect();
    let deleted = stream::iter(futures)
        .buffer_unordered(PARALLELISM)
        .collect::<Vec<_>>()
        .await;
    out.extend(deleted);
    out.sort_by(|a, b| a.object.cmp(&b.object));
    out
}

async fn delete_one(
    cluster: &ClusterClient,
    object: &ObjectRef,
    node_id: &Option<String>,
    resource: &Resource,
) -> PrunedObject {
    let target = Target {
        resource,
        namespace: object.namespace.as_deref(),
        name: &object.name,
    };
    let error = apply::delete(cluster, &target)
        .await
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    PrunedObject {
        object: object.clone(),
        node_id: node_id.clone(),
        error,
    }
}
