//! The MongoDB store (official driver), chosen when `MONGODB_URI` is set.
//!
//! No call needs a multi-document transaction, so a standalone server works:
//! - the first user is decided by inserting a fixed `meta` document (`_id: "first_user"`), whose
//!   unique `_id` lets exactly one sign-up win;
//! - version numbers come from an atomic `$inc` of the workflow's `current_version`, and the
//!   unique index on `(workflow_id, number)` backs it up;
//! - invitations are claimed with one `find_one_and_update`.
//!
//! Indexes are created at start-up. Timestamps are BSON dates (millisecond precision).

mod builds;
mod clusters;
mod docs;
mod identities;
mod owned;
mod users;
mod versions;
mod workflows;

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::error::{ErrorKind, WriteFailure};
use mongodb::options::{ClientOptions, IndexOptions};
use mongodb::{Client, Collection, Database, IndexModel};

use super::{Store, StoreError, StoreResult};
use docs::{UserDoc, VersionDoc, WorkflowDoc};

/// The database used when neither `KUBEORCH_DB` nor the URI names one.
pub const DEFAULT_DB: &str = "kubeorch";

/// The MongoDB store (cheap to clone).
#[derive(Clone)]
pub struct MongoStore {
    db: Database,
}

impl MongoStore {
    /// Connects to `uri`, using database `db` (else the URI's, else [`DEFAULT_DB`]), checks the
    /// server answers, and creates the indexes.
    pub async fn connect(uri: &str, db: Option<&str>) -> StoreResult<Self> {
        let mut options = ClientOptions::parse(uri)
            .await
            .map_err(StoreError::backend)?;
        options.app_name = Some("kubeorch".into());
        options
            .server_selection_timeout
            .get_or_insert(Duration::from_secs(10));
        let name = db
            .map(str::to_string)
            .or_else(|| options.default_database.clone())
            .unwrap_or_else(|| DEFAULT_DB.to_string());
        let client = Client::with_options(options).map_err(StoreError::backend)?;
        let store = MongoStore {
            db: client.database(&name),
        };
        store
            .db
            .run_command(doc! { "ping": 1 })
            .await
            .map_err(StoreError::backend)?;
        store.ensure_indexes().await?;
        store.ensure_first_user_marker().await?;
        Ok(store)
    }

    /// The database name in use.
    pub fn database_name(&self) -> &str {
        self.db.name()
    }

    /// Drops the whole database (used by tests to clean up).
    pub async fn drop_database(&self) -> StoreResult<()> {
        self.db.drop().await.map_err(StoreError::backend)
    }

    fn users(&self) -> Collection<UserDoc> {
        self.db.collection("users")
    }

    fn workflows(&self) -> Collection<WorkflowDoc> {
        self.db.collection("workflows")
    }

    fn versions(&self) -> Collection<VersionDoc> {
        self.db.collection("versions")
    }

    fn clusters(&self) -> Collection<clusters::ClusterDoc> {
        self.db.collection("clusters")
    }

    fn runs(&self) -> Collection<clusters::RunDoc> {
        self.db.collection("runs")
    }

    fn registries(&self) -> Collection<builds::RegistryDoc> {
        self.db.collection("registries")
    }

    fn builds(&self) -> Collection<builds::BuildDoc> {
        self.db.collection("builds")
    }

    fn build_events(&self) -> Collection<builds::BuildEventDoc> {
        self.db.collection("build_events")
    }

    fn raw(&self, name: &str) -> Collection<mongodb::bson::Document> {
        self.db.collection(name)
    }

    async fn ensure_indexes(&self) -> StoreResult<()> {
        let unique = || IndexOptions::builder().unique(true).build();
        let expire = || IndexOptions::builder().expire_after(Duration::ZERO).build();
        let indexes = [
            ("users", doc! { "email": 1 }, Some(unique())),
            (
                "versions",
                doc! { "workflow_id": 1, "number": -1 },
                Some(unique()),
            ),
            ("workflows", doc! { "owner_id": 1, "updated_at": -1 }, None),
            ("revocations", doc! { "expires_at": 1 }, Some(expire())),
            (
                "clusters",
                doc! { "owner_id": 1, "name": 1 },
                Some(unique()),
            ),
            ("runs", doc! { "workflow_id": 1, "started_at": -1 }, None),
            ("runs", doc! { "state": 1 }, None),
            (
                "registries",
                doc! { "owner_id": 1, "name": 1 },
                Some(unique()),
            ),
            ("builds", doc! { "owner_id": 1, "created_at": -1 }, None),
            ("builds", doc! { "state": 1 }, None),
            (
                "build_events",
                doc! { "build_id": 1, "seq": 1 },
                Some(unique()),
            ),
            (
                "identities",
                doc! { "provider": 1, "subject": 1 },
                Some(unique()),
            ),
            ("identities", doc! { "user_id": 1, "created_at": 1 }, None),
            ("sso_states", doc! { "expires_at": 1 }, Some(expire())),
            ("sso_codes", doc! { "expires_at": 1 }, Some(expire())),
        ];
        for (collection, keys, options) in indexes {
            let model = IndexModel::builder().keys(keys).options(options).build();
            self.raw(collection)
                .create_index(model)
                .await
                .map_err(StoreError::backend)?;
        }
        Ok(())
    }

    /// A database that has users from before the marker existed must not make a new admin.
    async fn ensure_first_user_marker(&self) -> StoreResult<()> {
        let any = self
            .raw("users")
            .find_one(doc! {})
            .await
            .map_err(StoreError::backend)?;
        if let Some(user) = any {
            let id = user.get_str("_id").unwrap_or_default().to_string();
            let marker = doc! { "_id": users::FIRST_USER, "user_id": id };
            match self.raw("meta").insert_one(marker).await {
                Err(e) if !is_duplicate(&e) => return Err(StoreError::backend(e)),
                _ => {}
            }
        }
        Ok(())
    }
}

impl Store for MongoStore {
    fn backend(&self) -> &'static str {
        "mongodb"
    }
}

/// True for a duplicate-key error (code 11000) on a unique index.
fn is_duplicate(error: &mongodb::error::Error) -> bool {
    match error.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(e)) => e.code == 11000,
        ErrorKind::Command(e) => e.code == 11000,
        _ => false,
    }
}

fn backend(error: mongodb::error::Error) -> StoreError {
    StoreError::backend(error)
}
