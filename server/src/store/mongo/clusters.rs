//! Clusters and runs in MongoDB: `clusters` (unique `(owner_id, name)`) and `runs` (the run as a
//! sub-document, with owner, workflow, state and start time beside it for queries).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mongodb::bson::spec::BinarySubtype;
use mongodb::bson::{doc, from_bson, to_bson, Binary, Bson, DateTime as BsonDate};
use serde::{Deserialize, Serialize};

use app::model::{ClusterAuth, ClusterConnection, Run};

use super::docs::{bson_date, chrono_date};
use super::{backend, owned, MongoStore};
use crate::store::clusters::interrupted;
use crate::store::{ClusterRecord, ClusterStore, RunRecord, RunStore, StoreError, StoreResult};

/// `clusters` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct ClusterDoc {
    #[serde(rename = "_id")]
    id: String,
    owner_id: String,
    name: String,
    server: String,
    auth: ClusterAuth,
    context: Option<String>,
    credentials: Binary,
    connection: ClusterConnection,
    created_at: BsonDate,
    updated_at: BsonDate,
}

impl ClusterDoc {
    fn from_record(c: &ClusterRecord) -> Self {
        ClusterDoc {
            id: c.id.clone(),
            owner_id: c.owner_id.clone(),
            name: c.name.clone(),
            server: c.server.clone(),
            auth: c.auth,
            context: c.context.clone(),
            credentials: Binary {
                subtype: BinarySubtype::Generic,
                bytes: c.credentials.clone(),
            },
            connection: c.connection.clone(),
            created_at: bson_date(c.created_at),
            updated_at: bson_date(c.updated_at),
        }
    }

    fn into_record(self) -> StoreResult<ClusterRecord> {
        Ok(ClusterRecord {
            created_at: chrono_date(self.created_at)?,
            updated_at: chrono_date(self.updated_at)?,
            id: self.id,
            owner_id: self.owner_id,
            name: self.name,
            server: self.server,
            auth: self.auth,
            context: self.context,
            credentials: self.credentials.bytes,
            connection: self.connection,
        })
    }
}

/// `runs` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct RunDoc {
    #[serde(rename = "_id")]
    id: String,
    owner_id: String,
    workflow_id: String,
    state: String,
    started_at: BsonDate,
    run: Bson,
}

impl RunDoc {
    fn from_record(record: &RunRecord) -> StoreResult<Self> {
        let run = &record.run;
        Ok(RunDoc {
            id: run.id.clone(),
            owner_id: record.owner_id.clone(),
            workflow_id: run.workflow_id.clone(),
            state: run.state.as_str().to_string(),
            started_at: bson_date(run.started_at),
            run: to_bson(run).map_err(StoreError::backend)?,
        })
    }

    fn into_run(self) -> StoreResult<Run> {
        from_bson(self.run).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

#[async_trait]
impl ClusterStore for MongoStore {
    async fn insert_cluster(&self, cluster: &ClusterRecord) -> StoreResult<()> {
        owned::insert(&self.clusters(), ClusterDoc::from_record(cluster)).await
    }

    async fn cluster(&self, owner_id: &str, id: &str) -> StoreResult<Option<ClusterRecord>> {
        owned::find(&self.clusters(), owner_id, id)
            .await?
            .map(ClusterDoc::into_record)
            .transpose()
    }

    async fn list_clusters(&self, owner_id: &str) -> StoreResult<Vec<ClusterRecord>> {
        owned::list_by_name(&self.clusters(), owner_id)
            .await?
            .into_iter()
            .map(ClusterDoc::into_record)
            .collect()
    }

    async fn update_cluster(&self, cluster: &ClusterRecord) -> StoreResult<bool> {
        let doc = ClusterDoc::from_record(cluster);
        owned::replace(&self.clusters(), &cluster.owner_id, &cluster.id, doc).await
    }

    async fn set_connection(
        &self,
        owner_id: &str,
        id: &str,
        connection: &ClusterConnection,
    ) -> StoreResult<bool> {
        let connection = to_bson(connection).map_err(StoreError::backend)?;
        owned::set(
            &self.clusters(),
            owner_id,
            id,
            doc! { "connection": connection },
        )
        .await
    }

    async fn delete_cluster(&self, owner_id: &str, id: &str) -> StoreResult<bool> {
        owned::delete(&self.clusters(), owner_id, id).await
    }
}

#[async_trait]
impl RunStore for MongoStore {
    async fn insert_run(&self, record: &RunRecord) -> StoreResult<()> {
        self.runs()
            .insert_one(RunDoc::from_record(record)?)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn update_run(&self, record: &RunRecord) -> StoreResult<bool> {
        let result = self
            .runs()
            .replace_one(
                doc! { "_id": &record.run.id, "owner_id": &record.owner_id },
                RunDoc::from_record(record)?,
            )
            .await
            .map_err(backend)?;
        Ok(result.matched_count == 1)
    }

    async fn run(&self, owner_id: &str, id: &str) -> StoreResult<Option<Run>> {
        let found = self
            .runs()
            .find_one(doc! { "_id": id, "owner_id": owner_id })
            .await
            .map_err(backend)?;
        found.map(RunDoc::into_run).transpose()
    }

    async fn runs(&self, owner_id: &str, workflow_id: &str, limit: u32) -> StoreResult<Vec<Run>> {
        let docs: Vec<RunDoc> = self
            .runs()
            .find(doc! { "workflow_id": workflow_id, "owner_id": owner_id })
            .sort(doc! { "started_at": -1, "_id": -1 })
            .limit(i64::from(limit))
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter().map(RunDoc::into_run).collect()
    }

    async fn interrupt_unfinished(&self, now: DateTime<Utc>, message: &str) -> StoreResult<u64> {
        let docs: Vec<RunDoc> = self
            .runs()
            .find(doc! { "state": { "$in": ["queued", "running"] } })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let mut count = 0;
        for doc in docs {
            let owner_id = doc.owner_id.clone();
            let run = interrupted(doc.into_run()?, now, message);
            if self.update_run(&RunRecord { owner_id, run }).await? {
                count += 1;
            }
        }
        Ok(count)
    }
}
