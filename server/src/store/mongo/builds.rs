//! Registries, builds and build events in MongoDB: `registries` (unique `(owner_id, name)`),
//! `builds` (the build as a sub-document, with owner, state and creation time beside it) and
//! `build_events` (unique `(build_id, seq)`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mongodb::bson::spec::BinarySubtype;
use mongodb::bson::{doc, from_bson, to_bson, Binary, Bson, DateTime as BsonDate};
use serde::{Deserialize, Serialize};

use app::model::build::{Build, RegistryCheck};

use super::docs::{bson_date, chrono_date};
use super::{backend, owned, MongoStore};
use crate::store::builds::interrupted;
use crate::store::{
    BuildEventRecord, BuildRecord, BuildStore, RegistryRecord, RegistryStore, StoreError,
    StoreResult,
};

/// `registries` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct RegistryDoc {
    #[serde(rename = "_id")]
    id: String,
    owner_id: String,
    name: String,
    url: String,
    username: Option<String>,
    password: Binary,
    default_at: Option<BsonDate>,
    check: RegistryCheck,
    created_at: BsonDate,
    updated_at: BsonDate,
}

impl RegistryDoc {
    fn from_record(r: &RegistryRecord) -> Self {
        RegistryDoc {
            id: r.id.clone(),
            owner_id: r.owner_id.clone(),
            name: r.name.clone(),
            url: r.url.clone(),
            username: r.username.clone(),
            password: Binary {
                subtype: BinarySubtype::Generic,
                bytes: r.password.clone(),
            },
            default_at: r.default_at.map(bson_date),
            check: r.check.clone(),
            created_at: bson_date(r.created_at),
            updated_at: bson_date(r.updated_at),
        }
    }

    fn into_record(self) -> StoreResult<RegistryRecord> {
        Ok(RegistryRecord {
            default_at: self.default_at.map(chrono_date).transpose()?,
            created_at: chrono_date(self.created_at)?,
            updated_at: chrono_date(self.updated_at)?,
            id: self.id,
            owner_id: self.owner_id,
            name: self.name,
            url: self.url,
            username: self.username,
            password: self.password.bytes,
            check: self.check,
        })
    }
}

/// `builds` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct BuildDoc {
    #[serde(rename = "_id")]
    id: String,
    owner_id: String,
    state: String,
    created_at: BsonDate,
    build: Bson,
}

impl BuildDoc {
    fn from_record(record: &BuildRecord) -> StoreResult<Self> {
        let b = &record.build;
        Ok(BuildDoc {
            id: b.id.clone(),
            owner_id: record.owner_id.clone(),
            state: b.state.as_str().to_string(),
            created_at: bson_date(b.created_at),
            build: to_bson(b).map_err(StoreError::backend)?,
        })
    }

    fn into_build(self) -> StoreResult<Build> {
        from_bson(self.build).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// `build_events` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct BuildEventDoc {
    build_id: String,
    seq: i64,
    event: String,
    data: String,
}

#[async_trait]
impl RegistryStore for MongoStore {
    async fn insert_registry(&self, registry: &RegistryRecord) -> StoreResult<()> {
        owned::insert(&self.registries(), RegistryDoc::from_record(registry)).await
    }

    async fn registry(&self, owner_id: &str, id: &str) -> StoreResult<Option<RegistryRecord>> {
        owned::find(&self.registries(), owner_id, id)
            .await?
            .map(RegistryDoc::into_record)
            .transpose()
    }

    async fn list_registries(&self, owner_id: &str) -> StoreResult<Vec<RegistryRecord>> {
        owned::list_by_name(&self.registries(), owner_id)
            .await?
            .into_iter()
            .map(RegistryDoc::into_record)
            .collect()
    }

    async fn update_registry(&self, registry: &RegistryRecord) -> StoreResult<bool> {
        let doc = RegistryDoc::from_record(registry);
        owned::replace(&self.registries(), &registry.owner_id, &registry.id, doc).await
    }

    async fn delete_registry(&self, owner_id: &str, id: &str) -> StoreResult<bool> {
        owned::delete(&self.registries(), owner_id, id).await
    }
}

#[async_trait]
impl BuildStore for MongoStore {
    async fn insert_build(&self, record: &BuildRecord) -> StoreResult<()> {
        self.builds()
            .insert_one(BuildDoc::from_record(record)?)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn update_build(&self, record: &BuildRecord) -> StoreResult<bool> {
        let result = self
            .builds()
            .replace_one(
                doc! { "_id": &record.build.id, "owner_id": &record.owner_id },
                BuildDoc::from_record(record)?,
            )
            .await
            .map_err(backend)?;
        Ok(result.matched_count == 1)
    }

    async fn build(&self, owner_id: &str, id: &str) -> StoreResult<Option<Build>> {
        let found = self
            .builds()
            .find_one(doc! { "_id": id, "owner_id": owner_id })
            .await
            .map_err(backend)?;
        found.map(BuildDoc::into_build).transpose()
    }

    async fn builds(&self, owner_id: &str, limit: u32) -> StoreResult<Vec<Build>> {
        let docs: Vec<BuildDoc> = self
            .builds()
            .find(doc! { "owner_id": owner_id })
            .sort(doc! { "created_at": -1, "_id": -1 })
            .limit(i64::from(limit))
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter().map(BuildDoc::into_build).collect()
    }

    async fn append_build_events(
        &self,
        build_id: &str,
        events: &[BuildEventRecord],
    ) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let docs = events.iter().map(|e| BuildEventDoc {
            build_id: build_id.to_string(),
            seq: i64::try_from(e.seq).unwrap_or(i64::MAX),
            event: e.event.clone(),
            data: e.data.clone(),
        });
        self.build_events()
            .insert_many(docs)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn build_events(&self, build_id: &str, after: u64) -> StoreResult<Vec<BuildEventRecord>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let docs: Vec<BuildEventDoc> = self
            .build_events()
            .find(doc! { "build_id": build_id, "seq": { "$gt": after } })
            .sort(doc! { "seq": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        Ok(docs
            .into_iter()
            .map(|d| BuildEventRecord {
                seq: d.seq.max(0) as u64,
                event: d.event,
                data: d.data,
            })
            .collect())
    }

    async fn interrupt_unfinished_builds(
        &self,
        now: DateTime<Utc>,
        message: &str,
    ) -> StoreResult<u64> {
        let unfinished = ["pending", "cloning", "building", "pushing"];
        let docs: Vec<BuildDoc> = self
            .builds()
            .find(doc! { "state": { "$in": unfinished.to_vec() } })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let mut count = 0;
        for doc in docs {
            let owner_id = doc.owner_id.clone();
            let build = interrupted(doc.into_build()?, now, message);
            if self.update_build(&BuildRecord { owner_id, build }).await? {
                count += 1;
            }
        }
        Ok(count)
    }
}
