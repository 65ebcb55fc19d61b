//! Pruning: objects labelled with the workflow, in the namespaces and kinds the workflow used
//! (this run and the ten before), that the design no longer renders are deleted. Namespaces a
//! deploy created are never pruned (they may hold other things by now).

use std::collections::BTreeSet;

use futures::{stream, StreamExt};

use app::domain::deploy::prune_set;
use app::model::{ObjectRef, PrunedObject};

use super::engine::{Job, PARALLELISM};
use super::plan::Outcome;
use crate::cluster::apply::{self, Labelled, Target};
use crate::cluster::resources::{builtin, Resolver, Resource};
use crate::cluster::ClusterClient;
use crate::store::DynStore;

/// How many earlier runs tell where the workflow's objects may be.
const HISTORY: u32 = 10;

/// Where to look: the resources and namespaces of `current` and of the objects of the
/// workflow's recent runs.
async fn search_space(
    scope: &Scope<'_>,
    cluster: &ClusterClient,
) -> (Vec<Resource>, BTreeSet<String>) {
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
    let namespaces: BTreeSet<String> = objects.iter().filter_map(|o| o.namespace.clone()).collect();
    let mut resources = builtin();
    let mut resolver = Resolver::default();
    let kinds: BTreeSet<(String, String)> = objects
        .iter()
        .map(|o| (o.api_version.clone(), o.kind.clone()))
        .collect();
    for (api_version, kind) in kinds {
        let known = resources
            .iter()
            .any(|r| r.api.api_version == api_version && r.api.kind == kind);
        if !known {
            if let Ok(resource) = resolver.resolve(cluster, &api_version, &kind).await {
                resources.push(resource);
            }
        }
    }
    (resources, namespaces)
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

/// Lists the workflow's objects (by its label) in the kinds and namespaces it used.
pub async fn live_objects(scope: &Scope<'_>, cluster: &ClusterClient) -> Vec<Labelled> {
    let (resources, namespaces) = search_space(scope, cluster).await;
    let mut lists = Vec::new();
    for resource in &resources {
        if resource.namespaced {
            for ns in &namespaces {
                lists.push((resource, Some(ns.as_str())));
            }
        } else {
            lists.push((resource, None));
        }
    }
    let futures: Vec<_> = lists
        .into_iter()
        .map(|(resource, ns)| apply::list_labelled(cluster, resource, ns, scope.workflow_id))
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

/// Deletes what the design no longer has and records it on the run.
pub(super) async fn prune(job: &mut Job, cluster: &ClusterClient) {
    let desired: Vec<ObjectRef> = job
        .planned
        .iter()
        .filter_map(|p| match &p.outcome {
            Outcome::Object { object, .. } => Some(object.clone()),
            _ => None,
        })
        .collect();
    let scope = Scope {
        store: &job.store,
        owner_id: &job.owner_id,
        workflow_id: &job.run.workflow_id,
        current: &desired,
    };
    let live: Vec<(ObjectRef, Option<String>)> = live_objects(&scope, cluster)
        .await
        .into_iter()
        .map(|l| (l.object, l.node_id))
        .collect();
    let gone = prune_set(&live, &desired);
    if gone.is_empty() {
        return;
    }
    let results = delete_all(cluster, gone).await;
    for pruned in results {
        if pruned.error.is_empty() {
            if let Some(node) = &pruned.node_id {
                job.live.node_status(&job.run, node, &pruned.object, None);
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
