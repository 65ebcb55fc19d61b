//! The connection test: the API server's version and the namespaces the credentials can list.

use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};

use app::model::cluster::MAX_LISTED_NAMESPACES;
use app::model::{ClusterConnection, ConnectionState};

use super::client::ClusterClient;
use super::errors::describe;
use crate::store::records::now;

/// How long a connection test may take.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Tests the connection of `cluster`.
pub async fn probe(cluster: &ClusterClient) -> ClusterConnection {
    match tokio::time::timeout(PROBE_TIMEOUT, run(cluster)).await {
        Ok(connection) => connection,
        Err(_) => failed(format!(
            "The API server did not answer within {} seconds.",
            PROBE_TIMEOUT.as_secs()
        )),
    }
}

async fn run(cluster: &ClusterClient) -> ClusterConnection {
    let version = match cluster.client.apiserver_version().await {
        Ok(info) => info.git_version,
        Err(error) => return failed(describe(cluster, &error)),
    };
    let params = ListParams::default().limit(MAX_LISTED_NAMESPACES as u32);
    let (namespaces, message) = match Api::<Namespace>::all(cluster.client.clone())
        .list_metadata(&params)
        .await
    {
        Ok(list) => (
            list.items
                .into_iter()
                .filter_map(|ns| ns.metadata.name)
                .collect(),
            None,
        ),
        Err(error) => (
            Vec::new(),
            Some(format!(
                "Connected, but the namespaces cannot be listed: {}",
                describe(cluster, &error)
            )),
        ),
    };
    ClusterConnection {
        state: ConnectionState::Connected,
        server_version: Some(version),
        namespaces,
        message,
        checked_at: Some(now()),
    }
}

fn failed(message: String) -> ClusterConnection {
    ClusterConnection {
        state: ConnectionState::Error,
        server_version: None,
        namespaces: Vec::new(),
        message: Some(message),
        checked_at: Some(now()),
    }
}
