//! Which API resource an object goes to: the built-in kinds from a static table (no discovery
//! request), anything else through discovery of its group/version (cached per resolver).

use std::collections::HashMap;

use k8s_openapi::api::{apps, autoscaling, batch, core, networking};
use kube::core::{ApiResource, GroupVersionKind};
use kube::discovery::Scope;

use super::client::ClusterClient;
use super::errors::describe;

/// A resource and whether its objects live in namespaces.
#[derive(Clone, Debug)]
pub struct Resource {
    /// Group, version, kind, plural.
    pub api: ApiResource,
    /// True for namespaced resources.
    pub namespaced: bool,
}

fn typed<K: kube::Resource<DynamicType = ()>>(namespaced: bool) -> Resource {
    Resource {
        api: ApiResource::erase::<K>(&()),
        namespaced,
    }
}

/// The kinds nodes render to (besides custom objects), and Namespace.
pub fn builtin() -> Vec<Resource> {
    vec![
        typed::<core::v1::ConfigMap>(true),
        typed::<core::v1::Secret>(true),
        typed::<core::v1::PersistentVolumeClaim>(true),
        typed::<apps::v1::Deployment>(true),
        typed::<apps::v1::StatefulSet>(true),
        typed::<apps::v1::DaemonSet>(true),
        typed::<batch::v1::Job>(true),
        typed::<batch::v1::CronJob>(true),
        typed::<core::v1::Service>(true),
        typed::<networking::v1::Ingress>(true),
        typed::<autoscaling::v2::HorizontalPodAutoscaler>(true),
        typed::<networking::v1::NetworkPolicy>(true),
    ]
}

/// The Namespace resource.
pub fn namespaces() -> Resource {
    typed::<core::v1::Namespace>(false)
}

fn split(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// Resolves apiVersion + kind to resources, asking the cluster only for kinds it does not know.
pub struct Resolver {
    known: HashMap<(String, String), Resource>,
}

impl Default for Resolver {
    fn default() -> Self {
        let mut known = HashMap::new();
        for r in builtin().into_iter().chain([namespaces()]) {
            known.insert((r.api.api_version.clone(), r.api.kind.clone()), r);
        }
        Resolver { known }
    }
}

impl Resolver {
    /// The resource of `api_version`/`kind`, or a message saying the cluster does not serve it.
    pub async fn resolve(
        &mut self,
        cluster: &ClusterClient,
        api_version: &str,
        kind: &str,
    ) -> Result<Resource, String> {
        let key = (api_version.to_string(), kind.to_string());
        if let Some(found) = self.known.get(&key) {
            return Ok(found.clone());
        }
        let (group, version) = split(api_version);
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let (api, caps) = kube::discovery::pinned_kind(&cluster.client, &gvk)
            .await
            .map_err(|e| match &e {
                kube::Error::Discovery(_) | kube::Error::Api(_) => format!(
                    "the cluster does not serve {kind} in {api_version} (is its CRD installed?)"
                ),
                _ => describe(cluster, &e),
            })?;
        let resource = Resource {
            api,
            namespaced: caps.scope == Scope::Namespaced,
        };
        self.known.insert(key, resource.clone());
        Ok(resource)
    }
}
