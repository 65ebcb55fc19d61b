//! The object operations a deploy makes: server-side apply (field manager `kubeorch`, forced,
//! optionally as a dry-run), reads of live objects, listing by the workflow label, deletes.
//! Every call is bounded by [`CALL_TIMEOUT`] and every error is scrubbed.

use std::time::Duration;

use kube::api::{Api, DeleteParams, DynamicObject, GetParams, ListParams, Patch, PatchParams};
use kube::core::Request;
use serde::de::DeserializeOwned;
use serde_json::Value;

use app::domain::deploy::{MANAGER, NODE_LABEL, WORKFLOW_LABEL};
use app::model::ObjectRef;

use super::client::ClusterClient;
use super::errors::describe;
use super::resources::Resource;

/// The longest a single API call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// An object to apply.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// Where it goes.
    pub resource: &'a Resource,
    /// Its namespace (namespaced resources).
    pub namespace: Option<&'a str>,
    /// Its name.
    pub name: &'a str,
}

fn api(
    cluster: &ClusterClient,
    resource: &Resource,
    namespace: Option<&str>,
) -> Api<DynamicObject> {
    match namespace.filter(|_| resource.namespaced) {
        Some(ns) => Api::namespaced_with(cluster.client.clone(), ns, &resource.api),
        None => Api::all_with(cluster.client.clone(), &resource.api),
    }
}

async fn bounded<T>(
    cluster: &ClusterClient,
    call: impl std::future::Future<Output = Result<T, kube::Error>>,
) -> Result<T, CallError> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(kube::Error::Api(status))) => Err(CallError {
            code: Some(status.code),
            about: status
                .details
                .as_ref()
                .map(|d| (d.kind.clone(), d.name.clone())),
            message: describe(cluster, &kube::Error::Api(status)),
        }),
        Ok(Err(other)) => Err(CallError {
            code: None,
            about: None,
            message: describe(cluster, &other),
        }),
        Err(_) => Err(CallError {
            code: None,
            about: None,
            message: format!(
                "the API server did not answer within {} seconds",
                CALL_TIMEOUT.as_secs()
            ),
        }),
    }
}

/// A failed call: the HTTP status when the API server answered, and a scrubbed message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    /// HTTP status of an API error.
    pub code: Option<u16>,
    /// The resource (plural, as the API server's Status details name it) and name the error is
    /// about, when the API server said.
    pub about: Option<(String, String)>,
    /// What went wrong (no secrets).
    pub message: String,
}

impl CallError {
    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.code == Some(404)
    }

    /// True when the API server answered that namespace `ns` does not exist (as it does for a
    /// write into a namespace that is not there).
    pub fn is_missing_namespace(&self, ns: &str) -> bool {
        self.is_not_found()
            && self
                .about
                .as_ref()
                .is_some_and(|(kind, name)| kind == "namespaces" && name == ns)
    }
}

/// The path of `target`'s collection.
fn collection(target: &Target<'_>) -> String {
    let namespace = target.namespace.filter(|_| target.resource.namespaced);
    <DynamicObject as kube::Resource>::url_path(&target.resource.api, namespace)
}

/// Sends `request` (named `verb` in kube's traces) and reads the answer straight into `T` (JSON,
/// or only the part the caller needs), not through a `DynamicObject` and back: a deploy makes
/// two or three of these per node.
async fn send<T: DeserializeOwned>(
    cluster: &ClusterClient,
    verb: &'static str,
    request: Result<http::Request<Vec<u8>>, kube::core::request::Error>,
) -> Result<T, kube::Error> {
    let mut request = request.map_err(kube::Error::BuildRequest)?;
    request.extensions_mut().insert(verb);
    cluster.client.request::<T>(request).await
}

/// Server-side apply of `object` (force, field manager `kubeorch`); with `dry_run` nothing is
/// stored. Returns the object as the server has (or would have) it, read as `T`: [`Value`] for
/// all of it, a struct of the fields needed, or `serde::de::IgnoredAny` for none.
pub async fn apply<T: DeserializeOwned>(
    cluster: &ClusterClient,
    target: &Target<'_>,
    object: &Value,
    dry_run: bool,
) -> Result<T, CallError> {
    let mut params = PatchParams::apply(MANAGER).force();
    params.dry_run = dry_run;
    let request =
        Request::new(collection(target)).patch(target.name, &params, &Patch::Apply(object));
    bounded(cluster, send(cluster, "patch", request)).await
}

/// The live object, `None` when it does not exist.
pub async fn get(cluster: &ClusterClient, target: &Target<'_>) -> Result<Option<Value>, CallError> {
    let request = Request::new(collection(target)).get(target.name, &GetParams::default());
    let found = async {
        match send(cluster, "get", request).await {
            Ok(object) => Ok(Some(object)),
            Err(kube::Error::Api(status)) if status.is_not_found() => Ok(None),
            Err(other) => Err(other),
        }
    };
    bounded(cluster, found).await
}

/// An object found by label: where it is and which node made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labelled {
    /// The object.
    pub object: ObjectRef,
    /// Its `kubeorch.io/node` label.
    pub node_id: Option<String>,
}

/// Objects of `resource` in `namespace` (all namespaces with `None`) labelled with the workflow.
/// A resource the cluster does not serve lists as empty.
pub async fn list_labelled(
    cluster: &ClusterClient,
    resource: &Resource,
    namespace: Option<&str>,
    workflow_id: &str,
) -> Result<Vec<Labelled>, CallError> {
    let api = api(cluster, resource, namespace);
    let params = ListParams::default().labels(&format!("{WORKFLOW_LABEL}={workflow_id}"));
    let list = match bounded(cluster, api.list_metadata(&params)).await {
        Ok(list) => list,
        Err(e) if e.is_not_found() => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(list
        .items
        .into_iter()
        .filter_map(|item| {
            let name = item.metadata.name?;
            Some(Labelled {
                object: ObjectRef {
                    api_version: resource.api.api_version.clone(),
                    kind: resource.api.kind.clone(),
                    namespace: item.metadata.namespace.clone(),
                    name,
                },
                node_id: item.metadata.labels.and_then(|mut l| l.remove(NODE_LABEL)),
            })
        })
        .collect())
}

/// Deletes an object (foreground propagation, so owned Pods and ReplicaSets go with it); an
/// object that is already gone counts as deleted.
pub async fn delete(cluster: &ClusterClient, target: &Target<'_>) -> Result<(), CallError> {
    let api = api(cluster, target.resource, target.namespace);
    match bounded(
        cluster,
        api.delete(target.name, &DeleteParams::foreground()),
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(e),
    }
}
