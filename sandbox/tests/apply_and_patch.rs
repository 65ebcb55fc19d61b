//! Server-side apply (create, re-apply, conflicts, force, dropped fields, dry-run), merge and
//! JSON patches, the status and scale subresources, finalizers, and DynamicObject via discovery.

mod common;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::GroupVersionKind;
use kube::discovery::{self, Discovery, Scope};
use kube::ResourceExt;
use serde_json::json;

fn deploy(replicas: i64, labels: serde_json::Value) -> serde_json::Value {
    let mut d = common::manifest("deployments", "web");
    d["spec"]["replicas"] = json!(replicas);
    d["metadata"]["labels"] = labels;
    d
}

fn conflict_message(r: Result<Deployment, kube::Error>) -> String {
    match r {
        Err(kube::Error::Api(s)) if s.code == 409 && s.reason == "Conflict" => s.message,
        other => panic!("expected a 409 apply conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn server_side_apply_owns_fields_per_manager() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let api: Api<Deployment> = Api::default_namespaced(client);
    let ssa = |m: &str| PatchParams::apply(m);

    let first = api
        .patch(
            "web",
            &ssa("alice"),
            &Patch::Apply(deploy(2, json!({"a": "1", "b": "2"}))),
        )
        .await?;
    assert_eq!(first.metadata.generation, Some(1));
    let mf = first.managed_fields();
    assert_eq!(
        (mf[0].manager.as_deref(), mf[0].operation.as_deref()),
        (Some("alice"), Some("Apply"))
    );
    let fields = serde_json::to_value(&mf[0].fields_v1)?;
    assert_eq!(fields["f:spec"]["f:replicas"], json!({}));

    let again = api
        .patch(
            "web",
            &ssa("alice"),
            &Patch::Apply(deploy(2, json!({"a": "1", "b": "2"}))),
        )
        .await?;
    assert_eq!(
        again.resource_version(),
        first.resource_version(),
        "re-apply is a no-op"
    );

    let msg = conflict_message(
        api.patch(
            "web",
            &ssa("bob"),
            &Patch::Apply(deploy(5, json!({"a": "1"}))),
        )
        .await,
    );
    assert!(
        msg.starts_with("Apply failed with 1 conflict: conflict with \"alice\""),
        "{msg}"
    );
    assert!(msg.contains(".spec.replicas"), "{msg}");

    let shared = api
        .patch(
            "web",
            &ssa("bob"),
            &Patch::Apply(deploy(2, json!({"a": "1"}))),
        )
        .await?;
    assert_eq!(
        shared.managed_fields().len(),
        2,
        "same value: shared ownership"
    );
    let forced = api
        .patch(
            "web",
            &ssa("bob").force(),
            &Patch::Apply(deploy(5, json!({"a": "1"}))),
        )
        .await?;
    assert_eq!(forced.spec.as_ref().and_then(|s| s.replicas), Some(5));
    assert_eq!(forced.metadata.generation, Some(2));

    // alice stops applying label b and replicas: b goes (only alice owned it), replicas stays (bob owns it).
    let mut slim = deploy(0, json!({"a": "1"}));
    slim["spec"].as_object_mut().map(|s| s.remove("replicas"));
    let after = api.patch("web", &ssa("alice"), &Patch::Apply(slim)).await?;
    assert_eq!(after.labels().get("b"), None);
    assert_eq!(
        after.labels().get("a").map(String::as_str),
        Some("1"),
        "still applied by alice and bob"
    );
    assert_eq!(after.spec.as_ref().and_then(|s| s.replicas), Some(5));
    Ok(())
}

#[tokio::test]
async fn dry_run_computes_without_storing() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let api: Api<Deployment> = Api::default_namespaced(client);
    let dry = PatchParams::apply("kubeorch").force().dry_run();
    let preview = api
        .patch("web", &dry, &Patch::Apply(deploy(3, json!({}))))
        .await?;
    assert_eq!(preview.spec.as_ref().and_then(|s| s.replicas), Some(3));
    assert!(
        api.get_opt("web").await?.is_none(),
        "dry-run create stores nothing"
    );

    let live = api
        .patch(
            "web",
            &PatchParams::apply("kubeorch"),
            &Patch::Apply(deploy(3, json!({}))),
        )
        .await?;
    let changed = api
        .patch("web", &dry, &Patch::Apply(deploy(4, json!({}))))
        .await?;
    assert_eq!(changed.spec.as_ref().and_then(|s| s.replicas), Some(4));
    let after = api.get("web").await?;
    assert_eq!(after.resource_version(), live.resource_version());
    assert_eq!(after.spec.as_ref().and_then(|s| s.replicas), Some(3));
    let pp = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let cm: ConfigMap = serde_json::from_value(json!({"metadata": {"name": "dry"}}))?;
    let cms: Api<ConfigMap> = Api::default_namespaced(api.into_client());
    cms.create(&pp, &cm).await?;
    assert!(cms.get_opt("dry").await?.is_none());
    Ok(())
}

#[tokio::test]
async fn status_subresource_keeps_spec_and_status_apart() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let api: Api<Deployment> = Api::default_namespaced(client);
    let mut body = deploy(2, json!({}));
    body["status"] = json!({"readyReplicas": 9});
    let created = api
        .patch("web", &PatchParams::apply("me"), &Patch::Apply(body))
        .await?;
    assert!(
        created.status.is_none(),
        "status in a main-resource write is ignored"
    );

    let status = json!({"status": {"observedGeneration": 1, "replicas": 2, "readyReplicas": 2,
        "conditions": [{"type": "Available", "status": "True"}]}, "spec": {"replicas": 7}});
    let patched = api
        .patch_status("web", &PatchParams::default(), &Patch::Merge(&status))
        .await?;
    assert_eq!(
        patched.status.as_ref().and_then(|s| s.ready_replicas),
        Some(2)
    );
    assert_eq!(
        patched.spec.as_ref().and_then(|s| s.replicas),
        Some(2),
        "spec in a status write is ignored"
    );
    assert_eq!(
        patched.metadata.generation,
        Some(1),
        "status writes keep the generation"
    );
    assert_ne!(patched.resource_version(), created.resource_version());

    let labels = api
        .patch(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"x": "y"}}})),
        )
        .await?;
    assert_eq!(
        labels.metadata.generation,
        Some(1),
        "metadata-only change keeps the generation"
    );
    let json_patch: json_patch::Patch =
        serde_json::from_value(json!([{"op": "replace", "path": "/spec/replicas", "value": 4}]))?;
    let jp = api
        .patch(
            "web",
            &PatchParams::default(),
            &Patch::<()>::Json(json_patch),
        )
        .await?;
    assert_eq!(
        (
            jp.spec.as_ref().and_then(|s| s.replicas),
            jp.metadata.generation
        ),
        (Some(4), Some(2))
    );

    let scale = api.get_scale("web").await?;
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(4));
    let scaled = api
        .patch_scale(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 6}})),
        )
        .await?;
    assert_eq!(scaled.spec.and_then(|s| s.replicas), Some(6));
    assert_eq!(api.get("web").await?.spec.and_then(|s| s.replicas), Some(6));
    Ok(())
}

#[tokio::test]
async fn finalizers_hold_deletion_until_removed() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let cms: Api<ConfigMap> = Api::default_namespaced(client);
    let cm: ConfigMap = serde_json::from_value(
        json!({"metadata": {"name": "held", "finalizers": ["example.com/hold"]}}),
    )?;
    cms.create(&PostParams::default(), &cm).await?;
    cms.delete("held", &DeleteParams::default()).await?;
    let pending = cms.get("held").await?;
    assert!(pending.metadata.deletion_timestamp.is_some());
    cms.patch(
        "held",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": null}})),
    )
    .await?;
    assert!(
        cms.get_opt("held").await?.is_none(),
        "gone once the last finalizer is removed"
    );
    Ok(())
}

#[tokio::test]
async fn dynamic_objects_through_discovery() -> anyhow::Result<()> {
    let (_sandbox, client) = common::start_quiet().await;
    let disc = Discovery::new(client.clone()).run().await?;
    for (group, kinds) in [
        (
            "",
            vec![
                "Namespace",
                "Service",
                "ConfigMap",
                "Secret",
                "PersistentVolumeClaim",
            ],
        ),
        ("apps", vec!["Deployment", "StatefulSet", "DaemonSet"]),
        ("batch", vec!["Job", "CronJob"]),
        ("networking.k8s.io", vec!["Ingress", "NetworkPolicy"]),
        ("autoscaling", vec!["HorizontalPodAutoscaler"]),
    ] {
        let g = disc
            .get(group)
            .ok_or_else(|| anyhow::anyhow!("group {group:?} not discovered"))?;
        for kind in kinds {
            let found = g
                .recommended_resources()
                .into_iter()
                .find(|(ar, _)| ar.kind == kind);
            let (_, caps) = found.ok_or_else(|| anyhow::anyhow!("{kind} not discovered"))?;
            assert_eq!(
                caps.scope == Scope::Namespaced,
                kind != "Namespace",
                "{kind} scope"
            );
            assert!(caps.supports_operation("watch") && caps.supports_operation("patch"));
            if kind == "Deployment" {
                assert!(caps
                    .subresources
                    .iter()
                    .any(|(s, _)| s.plural == "deployments/scale" || s.plural == "scale"));
            }
        }
    }
    let (ar, _) =
        discovery::pinned_kind(&client, &GroupVersionKind::gvk("apps", "v1", "Deployment")).await?;
    let api: Api<DynamicObject> = Api::namespaced_with(client, "default", &ar);
    let obj: DynamicObject = serde_json::from_value(common::manifest("deployments", "dyn"))?;
    let applied = api
        .patch(
            "dyn",
            &PatchParams::apply("kubeorch").force(),
            &Patch::Apply(&obj),
        )
        .await?;
    assert_eq!(
        applied.types.as_ref().map(|t| t.kind.as_str()),
        Some("Deployment")
    );
    assert_eq!(applied.data["spec"]["replicas"], 2);
    Ok(())
}
