//! The server's implementation of [`app::api::services::ClusterService`]: every call is scoped to
//! the signed-in user through the store, so another user's cluster is "not found" (404).

use std::sync::Arc;

use async_trait::async_trait;

use app::api::services::{ClusterService, Session};
use app::error::AppError;
use app::model::cluster::{ClusterChanges, KubeconfigContext};
use app::model::{Cluster, ClusterAuth, ClusterConnection, CredentialsInput};

use super::client::ClientFactory;
use super::credentials::{self, Prepared, StoredSecret};
use super::kubeconfig::{self, CredentialError};
use super::probe::probe;
use super::sandboxes::{SANDBOX_NAME, SANDBOX_SERVER};
use crate::live::Live;
use crate::store::records::now;
use crate::store::{ClusterRecord, DynStore, StoreError};

/// Longest cluster name, in characters.
pub const MAX_CLUSTER_NAME_CHARS: usize = 100;

/// Cluster use cases on top of the store and the client factory.
pub struct Clusters {
    store: DynStore,
    clients: Arc<ClientFactory>,
    live: Arc<Live>,
}

fn not_found() -> AppError {
    AppError::NotFound("This cluster does not exist, or it is not yours.".into())
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("clusters: {error}");
    AppError::internal()
}

fn invalid(error: CredentialError) -> AppError {
    AppError::Invalid(error.to_string())
}

fn store_error(error: StoreError) -> AppError {
    match error {
        StoreError::NameTaken => AppError::Conflict(
            "You already have a cluster with this name. Choose another name.".into(),
        ),
        other => internal(other),
    }
}

fn valid_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_CLUSTER_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::Invalid(format!(
            "Name must be 1–{MAX_CLUSTER_NAME_CHARS} characters without line breaks."
        )));
    }
    Ok(name.to_string())
}

impl Clusters {
    /// The service over `store`, making clients with `clients`.
    pub fn new(store: DynStore, clients: Arc<ClientFactory>, live: Arc<Live>) -> Self {
        Clusters {
            store,
            clients,
            live,
        }
    }

    /// The owner's cluster record, or a 404.
    pub async fn record(&self, owner_id: &str, id: &str) -> Result<ClusterRecord, AppError> {
        self.store
            .cluster(owner_id, id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }

    /// Registers the built-in Sandbox for a user who has none (when it is enabled).
    pub async fn ensure_sandbox(&self, owner_id: &str) -> Result<(), AppError> {
        if self.clients.sandboxes().is_none() {
            return Ok(());
        }
        let existing = self.store.list_clusters(owner_id).await.map_err(internal)?;
        if existing.iter().any(|c| c.auth == ClusterAuth::Sandbox) {
            return Ok(());
        }
        let at = now();
        let record = ClusterRecord {
            id: uuid::Uuid::now_v7().to_string(),
            owner_id: owner_id.to_string(),
            name: SANDBOX_NAME.to_string(),
            server: SANDBOX_SERVER.to_string(),
            auth: ClusterAuth::Sandbox,
            context: None,
            credentials: Vec::new(),
            connection: ClusterConnection::default(),
            created_at: at,
            updated_at: at,
        };
        match self.store.insert_cluster(&record).await {
            Ok(()) | Err(StoreError::NameTaken) => Ok(()),
            Err(other) => Err(internal(other)),
        }
    }

    /// Tests the connection and stores the outcome.
    async fn retest(&self, mut record: ClusterRecord) -> Result<Cluster, AppError> {
        record.connection = match self.clients.client(&record).await {
            Ok(client) => probe(&client).await,
            Err(error) => ClusterConnection {
                state: app::model::ConnectionState::Error,
                message: Some(error.to_string()),
                checked_at: Some(now()),
                ..Default::default()
            },
        };
        self.store
            .set_connection(&record.owner_id, &record.id, &record.connection)
            .await
            .map_err(internal)?;
        Ok(self.view(&record))
    }

    /// What the API shows of `record` (no credentials; whether they skip TLS verification).
    fn view(&self, record: &ClusterRecord) -> Cluster {
        let insecure = record.auth != ClusterAuth::Sandbox
            && credentials::open(self.clients.sealer(), record)
                .is_ok_and(|secret| secret.skips_tls_verification());
        record.public(insecure)
    }

    /// The secret after applying `changes` to a cluster's stored one.
    fn changed_secret(
        &self,
        record: &ClusterRecord,
        changes: &ClusterChanges,
    ) -> Result<Option<Prepared>, AppError> {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if !blank(&changes.kubeconfig) {
            let input = CredentialsInput::Kubeconfig {
                kubeconfig: changes.kubeconfig.clone().unwrap_or_default(),
                context: changes.context.clone(),
            };
            return credentials::prepare(input).map(Some).map_err(invalid);
        }
        match record.auth {
            ClusterAuth::Sandbox => Err(AppError::Invalid(
                "The built-in Sandbox has no credentials to change.".into(),
            )),
            ClusterAuth::Kubeconfig => {
                let context_change = changes
                    .context
                    .as_deref()
                    .is_some_and(|c| !c.trim().is_empty() && Some(c) != record.context.as_deref());
                if context_change {
                    return Err(AppError::Invalid(
                        "To use another context, paste the kubeconfig again: only the chosen \
                         context's credentials are stored."
                            .into(),
                    ));
                }
                Ok(None)
            }
            ClusterAuth::Token => {
                let touched = !blank(&changes.server)
                    || !blank(&changes.token)
                    || !blank(&changes.ca_pem)
                    || changes.insecure_skip_tls_verify.is_some();
                if !touched {
                    return Ok(None);
                }
                let stored = credentials::open(self.clients.sealer(), record)
                    .map_err(|e| AppError::Invalid(format!("{e}.")))?;
                let StoredSecret::Token {
                    token,
                    ca_pem,
                    insecure,
                } = stored
                else {
                    return Err(internal("a token cluster holds another kind of secret"));
                };
                let entered = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
                credentials::token_cluster(
                    &entered(&changes.server).unwrap_or_else(|| record.server.clone()),
                    &entered(&changes.token).unwrap_or(token),
                    entered(&changes.ca_pem).or(ca_pem),
                    changes.insecure_skip_tls_verify.unwrap_or(insecure),
                )
                .map(Some)
                .map_err(invalid)
            }
        }
    }
}

#[async_trait]
impl ClusterService for Clusters {
    async fn list(&self, session: &Session) -> Result<Vec<Cluster>, AppError> {
        self.ensure_sandbox(&session.user.id).await?;
        let records = self
            .store
            .list_clusters(&session.user.id)
            .await
            .map_err(internal)?;
        Ok(records.iter().map(|r| self.view(r)).collect())
    }

    async fn get(&self, session: &Session, id: &str) -> Result<Cluster, AppError> {
        let record = self.record(&session.user.id, id).await?;
        Ok(self.view(&record))
    }

    async fn contexts(
        &self,
        _session: &Session,
        kubeconfig: String,
    ) -> Result<Vec<KubeconfigContext>, AppError> {
        let parsed = kubeconfig::parse(&kubeconfig).map_err(invalid)?;
        Ok(kubeconfig::contexts(&parsed))
    }

    async fn create(
        &self,
        session: &Session,
        name: String,
        input: CredentialsInput,
    ) -> Result<Cluster, AppError> {
        let name = valid_name(&name)?;
        let prepared = credentials::prepare(input).map_err(invalid)?;
        let (owner_id, id, at) = (
            session.user.id.clone(),
            uuid::Uuid::now_v7().to_string(),
            now(),
        );
        let record = ClusterRecord {
            credentials: credentials::seal(self.clients.sealer(), &owner_id, &id, &prepared.secret),
            id,
            owner_id,
            name,
            server: prepared.server,
            auth: prepared.auth,
            context: prepared.context,
            connection: ClusterConnection::default(),
            created_at: at,
            updated_at: at,
        };
        self.store
            .insert_cluster(&record)
            .await
            .map_err(store_error)?;
        tracing::info!(cluster = %record.id, auth = record.auth.as_str(), "cluster registered");
        self.retest(record).await
    }

    async fn update(
        &self,
        session: &Session,
        id: &str,
        changes: ClusterChanges,
    ) -> Result<Cluster, AppError> {
        let mut record = self.record(&session.user.id, id).await?;
        if let Some(name) = &changes.name {
            record.name = valid_name(name)?;
        }
        if let Some(prepared) = self.changed_secret(&record, &changes)? {
            record.credentials = credentials::seal(
                self.clients.sealer(),
                &record.owner_id,
                &record.id,
                &prepared.secret,
            );
            record.server = prepared.server;
            record.auth = prepared.auth;
            record.context = prepared.context;
        }
        record.updated_at = now();
        let updated = self
            .store
            .update_cluster(&record)
            .await
            .map_err(store_error)?;
        if !updated {
            return Err(not_found());
        }
        self.clients.forget(&record.id);
        self.live
            .cluster_changed(&record.owner_id, &record.id)
            .await;
        self.retest(record).await
    }

    async fn delete(&self, session: &Session, id: &str) -> Result<(), AppError> {
        let record = self.record(&session.user.id, id).await?;
        if record.auth == ClusterAuth::Sandbox {
            return Err(AppError::Conflict(
                "The built-in Sandbox cannot be removed; it costs nothing while unused.".into(),
            ));
        }
        if !self
            .store
            .delete_cluster(&session.user.id, id)
            .await
            .map_err(internal)?
        {
            return Err(not_found());
        }
        self.clients.forget(id);
        self.live.cluster_changed(&session.user.id, id).await;
        Ok(())
    }

    async fn test(&self, session: &Session, id: &str) -> Result<Cluster, AppError> {
        let record = self.record(&session.user.id, id).await?;
        self.retest(record).await
    }
}
