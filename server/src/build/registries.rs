//! The server's implementation of [`app::api::services::RegistryService`]: registries per user,
//! passwords encrypted at rest and never returned, tests against `/v2/`, one default.

use async_trait::async_trait;

use app::api::services::{RegistryService, Session};
use app::error::AppError;
use app::model::build::{Registry, RegistryCheck, RegistryInput};

use super::registry::{self, RegistryAuth};
use crate::cluster::crypto::Sealer;
use crate::store::builds::default_registry;
use crate::store::records::now;
use crate::store::{DynStore, RegistryRecord, StoreError};

/// Longest registry name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Registry use cases on top of the store.
pub struct Registries {
    store: DynStore,
    sealer: Sealer,
}

fn not_found() -> AppError {
    AppError::NotFound("This registry does not exist, or it is not yours.".into())
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!("registries: {error}");
    AppError::internal()
}

fn store_error(error: StoreError) -> AppError {
    match error {
        StoreError::NameTaken => AppError::Conflict(
            "You already have a registry with this name. Choose another name.".into(),
        ),
        other => internal(other),
    }
}

fn valid_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::Invalid(format!(
            "Name must be 1–{MAX_NAME_CHARS} characters without line breaks."
        )));
    }
    Ok(name.to_string())
}

fn username(input: &RegistryInput) -> Result<Option<String>, AppError> {
    let user = input
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if user.is_some_and(|u| u.len() > 200 || u.contains(':') || u.chars().any(char::is_control)) {
        return Err(AppError::Invalid(
            "The user name must be up to 200 characters, without ':' or line breaks.".into(),
        ));
    }
    Ok(user.map(str::to_string))
}

impl Registries {
    /// The service over `store`, encrypting with `sealer`.
    pub fn new(store: DynStore, sealer: Sealer) -> Self {
        Registries { store, sealer }
    }

    async fn record(&self, owner_id: &str, id: &str) -> Result<RegistryRecord, AppError> {
        self.store
            .registry(owner_id, id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }

    async fn public(&self, record: &RegistryRecord) -> Result<Registry, AppError> {
        let all = self
            .store
            .list_registries(&record.owner_id)
            .await
            .map_err(internal)?;
        let default = default_registry(&all).map(|r| r.id.clone());
        Ok(record.public(default.as_deref() == Some(record.id.as_str())))
    }

    fn auth(&self, record: &RegistryRecord) -> Result<Option<RegistryAuth>, AppError> {
        super::service::auth_for(&self.sealer, record)
    }

    async fn retest(&self, mut record: RegistryRecord) -> Result<Registry, AppError> {
        record.check = match self.auth(&record) {
            Ok(auth) => registry::test(&record.url, auth.as_ref()).await,
            Err(error) => RegistryCheck {
                state: "error".into(),
                message: Some(error.to_string()),
                checked_at: Some(now()),
            },
        };
        if !self
            .store
            .update_registry(&record)
            .await
            .map_err(store_error)?
        {
            return Err(not_found());
        }
        self.public(&record).await
    }

    /// The registry a build pushes to (the given one, else the default) and its credentials.
    pub async fn for_build(
        &self,
        owner_id: &str,
        id: Option<&str>,
    ) -> Result<(RegistryRecord, Option<RegistryAuth>), AppError> {
        let record = match id.map(str::trim).filter(|i| !i.is_empty()) {
            Some(id) => self.record(owner_id, id).await?,
            None => {
                let all = self
                    .store
                    .list_registries(owner_id)
                    .await
                    .map_err(internal)?;
                default_registry(&all).cloned().ok_or_else(|| {
                    AppError::Invalid(
                        "Choose a registry to push to, or add one and make it the default on the \
                         registries page."
                            .into(),
                    )
                })?
            }
        };
        let auth = self.auth(&record)?;
        Ok((record, auth))
    }
}

#[async_trait]
impl RegistryService for Registries {
    async fn list(&self, session: &Session) -> Result<Vec<Registry>, AppError> {
        let all = self
            .store
            .list_registries(&session.user.id)
            .await
            .map_err(internal)?;
        let default = default_registry(&all).map(|r| r.id.clone());
        Ok(all
            .iter()
            .map(|r| r.public(default.as_deref() == Some(r.id.as_str())))
            .collect())
    }

    async fn create(&self, session: &Session, input: RegistryInput) -> Result<Registry, AppError> {
        let owner = &session.user.id;
        let url = registry::normalise_url(&input.url).map_err(AppError::Invalid)?;
        let existing = self.store.list_registries(owner).await.map_err(internal)?;
        let at = now();
        let id = uuid::Uuid::now_v7().to_string();
        let password = input.password.clone().unwrap_or_default();
        let record = RegistryRecord {
            password: registry::seal(&self.sealer, owner, &id, &password),
            id,
            owner_id: owner.clone(),
            name: valid_name(&input.name)?,
            url,
            username: username(&input)?,
            default_at: (input.is_default || existing.is_empty()).then_some(at),
            check: RegistryCheck::default(),
            created_at: at,
            updated_at: at,
        };
        self.store
            .insert_registry(&record)
            .await
            .map_err(store_error)?;
        self.retest(record).await
    }

    async fn update(
        &self,
        session: &Session,
        id: &str,
        input: RegistryInput,
    ) -> Result<Registry, AppError> {
        let mut record = self.record(&session.user.id, id).await?;
        record.name = valid_name(&input.name)?;
        record.url = registry::normalise_url(&input.url).map_err(AppError::Invalid)?;
        record.username = username(&input)?;
        if let Some(password) = input.password.as_deref().filter(|p| !p.is_empty()) {
            record.password = registry::seal(&self.sealer, &record.owner_id, &record.id, password);
        }
        if record.username.is_none() {
            record.password = Vec::new();
        }
        if input.is_default {
            record.default_at = Some(now());
        }
        record.updated_at = now();
        self.retest(record).await
    }

    async fn delete(&self, session: &Session, id: &str) -> Result<(), AppError> {
        if self
            .store
            .delete_registry(&session.user.id, id)
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(not_found())
        }
    }

    async fn test(&self, session: &Session, id: &str) -> Result<Registry, AppError> {
        let record = self.record(&session.user.id, id).await?;
        self.retest(record).await
    }

    async fn set_default(&self, session: &Session, id: &str) -> Result<Registry, AppError> {
        let mut record = self.record(&session.user.id, id).await?;
        record.default_at = Some(now());
        if !self
            .store
            .update_registry(&record)
            .await
            .map_err(store_error)?
        {
            return Err(not_found());
        }
        self.public(&record).await
    }
}
