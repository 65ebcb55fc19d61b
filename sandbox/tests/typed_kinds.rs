//! Every product kind through a typed `Api<K>`: create, get, list by label, apply, delete, and
//! the Status errors (404, 409 AlreadyExists, 409 Conflict, 422 Invalid).

mod common;

use std::fmt::Debug;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::NamespaceResourceScope;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Client, Resource, ResourceExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

fn api_code<T: Debug>(r: Result<T, kube::Error>) -> Option<u16> {
    match r {
        Err(kube::Error::Api(s)) => Some(s.code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn crud<K>(client: &Client, plural: &str) -> anyhow::Result<()>
where
    K: Resource<Scope = NamespaceResourceScope> + Clone + DeserializeOwned + Serialize + Debug,
    K::DynamicType: Default,
{
    let api: Api<K> = Api::default_namespaced(client.clone());
    let name = format!("crud-{}", &plural[..plural.len().min(10)]);
    let manifest = common::manifest(plural, &name);
    let obj: K = serde_json::from_value(manifest.clone())?;
    let created = api.create(&PostParams::default(), &obj).await?;
    let meta = created.meta();
    assert!(
        meta.uid.as_deref().is_some_and(|u| u.len() == 36),
        "{plural}: uid"
    );
    assert!(
        meta.creation_timestamp.is_some(),
        "{plural}: creationTimestamp"
    );
    let rv: u64 = meta
        .resource_version
        .as_deref()
        .unwrap_or_default()
        .parse()?;
    assert!(rv > 1, "{plural}: resourceVersion");
    assert!(
        meta.managed_fields.as_ref().is_some_and(|m| !m.is_empty()),
        "{plural}: managedFields"
    );

    assert_eq!(
        api_code(api.create(&PostParams::default(), &obj).await),
        Some(409),
        "{plural}: AlreadyExists"
    );
    let got = api.get(&name).await?;
    assert_eq!(got.resource_version(), created.resource_version());
    let listed = api
        .list(&ListParams::default().labels("sandbox-test=kinds"))
        .await?;
    assert!(
        listed.items.iter().any(|o| o.name_any() == name),
        "{plural}: listed"
    );
    assert!(api
        .list(&ListParams::default().labels("sandbox-test=other"))
        .await?
        .items
        .is_empty());

    let mut applied = manifest.clone();
    applied["metadata"]["labels"]["extra"] = json!("yes");
    let after = api
        .patch(
            &name,
            &PatchParams::apply("conformance").force(),
            &Patch::Apply(&applied),
        )
        .await?;
    assert_eq!(
        after.labels().get("extra").map(String::as_str),
        Some("yes"),
        "{plural}: applied label"
    );

    let mut stale: K = serde_json::from_value(manifest)?;
    stale.meta_mut().resource_version = created.resource_version();
    assert_eq!(
        api_code(api.replace(&name, &PostParams::default(), &stale).await),
        Some(409),
        "{plural}: stale PUT"
    );

    api.delete(&name, &DeleteParams::default()).await?;
    assert_eq!(api_code(api.get(&name).await), Some(404), "{plural}: gone");
    Ok(())
}

#[tokio::test]
async fn every_kind_round_trips_through_typed_apis() -> anyhow::Result<()> {
    let (sandbox, client) = common::start_quiet().await;
    crud::<Deployment>(&client, "deployments").await?;
    crud::<StatefulSet>(&client, "statefulsets").await?;
    crud::<DaemonSet>(&client, "daemonsets").await?;
    crud::<Job>(&client, "jobs").await?;
    crud::<CronJob>(&client, "cronjobs").await?;
    crud::<Service>(&client, "services").await?;
    crud::<Ingress>(&client, "ingresses").await?;
    crud::<ConfigMap>(&client, "configmaps").await?;
    crud::<Secret>(&client, "secrets").await?;
    crud::<PersistentVolumeClaim>(&client, "persistentvolumeclaims").await?;
    crud::<HorizontalPodAutoscaler>(&client, "horizontalpodautoscalers").await?;
    crud::<NetworkPolicy>(&client, "networkpolicies").await?;
    sandbox.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn status_errors_match_the_real_api_server() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let cms: Api<ConfigMap> = Api::default_namespaced(client.clone());
    match cms.get("missing").await {
        Err(kube::Error::Api(s)) => {
            assert_eq!((s.code, s.reason.as_str()), (404, "NotFound"));
            assert_eq!(s.message, "configmaps \"missing\" not found");
        }
        other => panic!("expected 404, got {other:?}"),
    }
    let bad: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "Not_Valid"}}))?;
    match cms.create(&PostParams::default(), &bad).await {
        Err(kube::Error::Api(s)) => {
            assert_eq!((s.code, s.reason.as_str()), (422, "Invalid"));
            assert!(s.message.contains("metadata.name"), "{}", s.message);
        }
        other => panic!("expected 422, got {other:?}"),
    }
    let elsewhere: Api<ConfigMap> = Api::namespaced(client.clone(), "no-such-namespace");
    let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "c"}}))?;
    assert_eq!(
        api_code(elsewhere.create(&PostParams::default(), &cm).await),
        Some(404)
    );

    let generated: ConfigMap =
        serde_json::from_value(json!({"metadata": {"generateName": "gen-"}}))?;
    let made = cms.create(&PostParams::default(), &generated).await?;
    assert!(made.name_any().starts_with("gen-") && made.name_any().len() == 9);
    Ok(())
}

#[tokio::test]
async fn namespaces_are_cluster_scoped_and_delete_their_contents() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let nss: Api<Namespace> = Api::all(client.clone());
    let names: Vec<String> = nss
        .list(&ListParams::default())
        .await?
        .items
        .iter()
        .map(|n| n.name_any())
        .collect();
    assert!(names.contains(&"default".to_string()) && names.contains(&"kube-system".to_string()));
    let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": "team-a"}}))?;
    let created = nss.create(&PostParams::default(), &ns).await?;
    assert_eq!(
        created.status.and_then(|s| s.phase).as_deref(),
        Some("Active")
    );
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "team-a");
    let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "c"}}))?;
    cms.create(&PostParams::default(), &cm).await?;
    let all: Api<ConfigMap> = Api::all(client.clone());
    assert_eq!(
        all.list(&ListParams::default().fields("metadata.namespace=team-a"))
            .await?
            .items
            .len(),
        1
    );
    nss.delete("team-a", &DeleteParams::default()).await?;
    assert_eq!(api_code(cms.get("c").await), Some(404));
    Ok(())
}

#[tokio::test]
async fn lists_page_with_limit_and_continue() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let cms: Api<ConfigMap> = Api::default_namespaced(client.clone());
    for i in 0..7 {
        let cm: ConfigMap = serde_json::from_value(
            json!({"metadata": {"name": format!("page-{i}"), "labels": {"i": i.to_string()}}}),
        )?;
        cms.create(&PostParams::default(), &cm).await?;
    }
    let first = cms.list(&ListParams::default().limit(3)).await?;
    assert_eq!(first.items.len(), 3);
    let token = first.metadata.continue_.clone().unwrap_or_default();
    assert!(!token.is_empty());
    // A change between pages is not visible in the rest of the list (consistent snapshot).
    cms.delete("page-5", &DeleteParams::default()).await?;
    let mut names: Vec<String> = first.items.iter().map(|c| c.name_any()).collect();
    let mut next = Some(token);
    while let Some(token) = next {
        let page = cms
            .list(&ListParams::default().limit(3).continue_token(&token))
            .await?;
        assert_eq!(
            page.metadata.resource_version,
            first.metadata.resource_version
        );
        names.extend(page.items.iter().map(|c| c.name_any()));
        next = page.metadata.continue_.filter(|t| !t.is_empty());
    }
    assert_eq!(
        names,
        (0..7).map(|i| format!("page-{i}")).collect::<Vec<_>>()
    );
    let sel = cms
        .list(&ListParams::default().labels("i in (1,2),i!=2"))
        .await?;
    assert_eq!(
        sel.items.iter().map(|c| c.name_any()).collect::<Vec<_>>(),
        vec!["page-1"]
    );
    Ok(())
}
