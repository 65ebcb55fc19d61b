//! The design-vs-live preview shown before a run: each object's action and field changes (live
//! against what a server-side dry-run of the apply returns), namespaces to create, and the
//! objects that would be pruned. Nothing is stored or applied.

use std::collections::BTreeSet;

use futures::{stream, StreamExt};

use app::api::deploy::{DeployPlan, RunRequest};
use app::api::services::Session;
use app::domain::deploy::live_diff::comparable;
use app::domain::deploy::{object_changes, prune_set, ObjectPlan, PlanAction};
use app::domain::diff::json_changes;
use app::error::AppError;
use app::model::{Graph, ObjectRef, Workflow};

use super::engine::PARALLELISM;
use super::plan::{Outcome, Planned};
use super::prune::{live_objects, Scope};
use super::render::plan_nodes;
use super::service::{internal, Deployer};
use crate::cluster::apply::{self, Target};
use crate::cluster::resources::{namespaces as namespace_resource, Resolver, Resource};
use crate::cluster::ClusterClient;
use crate::store::ClusterRecord;

fn plan_of(node: &Planned, action: PlanAction, message: Option<String>) -> ObjectPlan {
    ObjectPlan {
        node_id: Some(node.node_id.clone()),
        object: node.object().map(|(o, _)| o.clone()),
        action,
        changes: Vec::new(),
        message,
    }
}

/// The plan of a run of `request`'s design.
pub async fn preview(
    deployer: &Deployer,
    session: &Session,
    workflow: &Workflow,
    cluster: &ClusterRecord,
    request: RunRequest,
) -> Result<DeployPlan, AppError> {
    let renderer = deployer.renderer.clone();
    let workflow_id = workflow.id.clone();
    let graph = Graph {
        nodes: request.nodes,
        edges: request.edges,
    };
    let secrets = request.secrets;
    let (planned, _) =
        tokio::task::spawn_blocking(move || plan_nodes(&renderer, &workflow_id, &graph, &secrets))
            .await
            .map_err(internal)?;
    let mut plan = DeployPlan {
        cluster_id: cluster.id.clone(),
        cluster_name: cluster.name.clone(),
        objects: Vec::new(),
        namespaces_to_create: Vec::new(),
        error: None,
    };
    let broken = planned
        .iter()
        .filter(|p| matches!(p.outcome, Outcome::Failed(_)))
        .count();
    for p in &planned {
        match &p.outcome {
            Outcome::Failed(errors) => {
                plan.objects
                    .push(plan_of(p, PlanAction::Error, Some(errors.clone())))
            }
            Outcome::Skipped(why) => {
                plan.objects
                    .push(plan_of(p, PlanAction::Skip, Some(why.clone())))
            }
            Outcome::Object { .. } => {}
        }
    }
    if broken > 0 {
        plan.error = Some(format!(
            "{broken} node(s) have errors: fix them before running."
        ));
        return Ok(plan);
    }
    let client = match deployer.clients.client(cluster).await {
        Ok(client) => client,
        Err(error) => {
            plan.error = Some(format!("Cannot connect to the cluster: {error}"));
            return Ok(plan);
        }
    };
    plan.namespaces_to_create = missing_namespaces(&client, &planned).await;
    let compared = compare_all(&client, &planned, &plan.namespaces_to_create).await;
    plan.objects.extend(compared);
    let desired: Vec<ObjectRef> = planned
        .iter()
        .filter_map(|p| p.object().map(|(o, _)| o.clone()))
        .collect();
    let scope = Scope {
        store: &deployer.store,
        owner_id: &session.user.id,
        workflow_id: &workflow.id,
        current: &desired,
    };
    let live: Vec<(ObjectRef, Option<String>)> = live_objects(&scope, &client)
        .await
        .into_iter()
        .map(|l| (l.object, l.node_id))
        .collect();
    for (object, node_id) in prune_set(&live, &desired) {
        plan.objects.push(ObjectPlan {
            node_id,
            object: Some(object),
            action: PlanAction::Prune,
            changes: Vec::new(),
            message: None,
        });
    }
    if plan.objects.iter().any(|o| o.action == PlanAction::Error) {
        plan.error = Some("The server-side dry-run found errors: see the objects marked.".into());
    }
    Ok(plan)
}

async fn missing_namespaces(client: &ClusterClient, planned: &[Planned]) -> Vec<String> {
    let ns_resource = namespace_resource();
    let names: BTreeSet<String> = planned
        .iter()
        .filter_map(|p| p.object().and_then(|(o, _)| o.namespace.clone()))
        .collect();
    let futures: Vec<_> = names
        .into_iter()
        .map(|ns| namespace_exists(client, &ns_resource, ns))
        .collect();
    let found = stream::iter(futures)
        .buffer_unordered(PARALLELISM)
        .collect::<Vec<_>>()
        .await;
    let mut missing: Vec<String> = found
        .into_iter()
        .filter(|(_, e)| !e)
        .map(|(ns, _)| ns)
        .collect();
    missing.sort();
    missing
}

async fn compare_all(
    client: &ClusterClient,
    planned: &[Planned],
    new_namespaces: &[String],
) -> Vec<ObjectPlan> {
    let mut resolver = Resolver::default();
    let mut jobs = Vec::new();
    let mut out = Vec::new();
    for p in planned {
        let Some((object, _)) = p.object() else {
            continue;
        };
        match resolver
            .resolve(client, &object.api_version, &object.kind)
            .await
        {
            Ok(resource) => jobs.push((p, resource)),
            Err(message) => out.push(plan_of(p, PlanAction::Error, Some(message))),
        }
    }
    let futures: Vec<_> = jobs
        .iter()
        .map(|(p, resource)| compare_one(client, p, resource, new_namespaces))
        .collect();
    let compared = stream::iter(futures)
        .buffer_unordered(PARALLELISM)
        .collect::<Vec<_>>()
        .await;
    out.extend(compared);
    let order: Vec<&str> = planned.iter().map(|p| p.node_id.as_str()).collect();
    out.sort_by_key(|o| {
        o.node_id
            .as_deref()
            .and_then(|id| order.iter().position(|n| *n == id))
    });
    out
}

async fn namespace_exists(
    client: &ClusterClient,
    resource: &Resource,
    ns: String,
) -> (String, bool) {
    let target = Target {
        resource,
        namespace: None,
        name: &ns,
    };
    let exists = !matches!(apply::get(client, &target).await, Ok(None));
    (ns, exists)
}

/// One object's plan: created in a new namespace, or its live state against the dry-run.
async fn compare_one(
    client: &ClusterClient,
    p: &Planned,
    resource: &Resource,
    new_namespaces: &[String],
) -> ObjectPlan {
    let Some((object, body)) = p.object() else {
        return plan_of(p, PlanAction::Skip, None);
    };
    if object
        .namespace
        .as_ref()
        .is_some_and(|ns| new_namespaces.contains(ns))
    {
        let mut plan = plan_of(
            p,
            PlanAction::Create,
            Some("in a namespace that will be created".into()),
        );
        plan.changes = json_changes(&serde_json::Value::Null, &comparable(body));
        return plan;
    }
    let target = Target {
        resource,
        namespace: object.namespace.as_deref(),
        name: &object.name,
    };
    if p.keep_existing {
        return match apply::get(client, &target).await {
            Ok(Some(_)) => plan_of(
                p,
                PlanAction::Unchanged,
                Some("kept as it is: no new values entered".into()),
            ),
            Ok(None) => plan_of(
                p,
                PlanAction::Error,
                Some("enter values for this Secret's keys to create it".into()),
            ),
            Err(e) => plan_of(p, PlanAction::Error, Some(e.message)),
        };
    }
    let (after, live) = tokio::join!(
        apply::apply::<serde_json::Value>(client, &target, body, true),
        apply::get(client, &target)
    );
    match (after, live) {
        (Ok(after), Ok(live)) => {
            let (action, changes) = object_changes(live.as_ref(), &after);
            ObjectPlan {
                changes,
                ..plan_of(p, action, None)
            }
        }
        (Err(e), _) | (_, Err(e)) => plan_of(p, PlanAction::Error, Some(e.message)),
    }
}
