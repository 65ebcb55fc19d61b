//! The stored shape of each collection's documents and their conversions to records.

use chrono::{DateTime, TimeZone, Utc};
use mongodb::bson::DateTime as BsonDate;
use serde::{Deserialize, Serialize};

use app::model::{
    Edge, Node, Role, Version, VersionInfo, VersionKind, Viewport, Workflow, WorkflowStatus,
    WorkflowSummary,
};

use crate::store::{StoreError, StoreResult, UserRecord, VersionMeta};

/// A time as a BSON date.
pub(super) fn bson_date(time: DateTime<Utc>) -> BsonDate {
    BsonDate::from_millis(time.timestamp_millis())
}

/// A BSON date as a time.
pub(super) fn chrono_date(date: BsonDate) -> StoreResult<DateTime<Utc>> {
    Utc.timestamp_millis_opt(date.timestamp_millis())
        .single()
        .ok_or_else(|| StoreError::Corrupt(format!("date {date} is out of range")))
}

fn count(n: i64) -> StoreResult<u64> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative count {n}")))
}

/// `users` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct UserDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub token_generation: i64,
    pub created_at: BsonDate,
    pub updated_at: BsonDate,
}

impl UserDoc {
    pub fn into_record(self) -> StoreResult<UserRecord> {
        Ok(UserRecord {
            token_generation: count(self.token_generation)?,
            created_at: chrono_date(self.created_at)?,
            updated_at: chrono_date(self.updated_at)?,
            id: self.id,
            email: self.email,
            name: self.name,
            password_hash: self.password_hash,
            role: self.role,
        })
    }
}

/// `workflows` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct WorkflowDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub owner_id: String,
    pub name: String,
    pub description: String,
    pub cluster_id: Option<String>,
    pub status: WorkflowStatus,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub viewport: Viewport,
    pub node_count: i64,
    pub current_version: i64,
    pub created_at: BsonDate,
    pub updated_at: BsonDate,
}

impl WorkflowDoc {
    pub fn from_workflow(w: &Workflow) -> Self {
        WorkflowDoc {
            id: w.id.clone(),
            owner_id: w.owner_id.clone(),
            name: w.name.clone(),
            description: w.description.clone(),
            cluster_id: w.cluster_id.clone(),
            status: w.status,
            nodes: w.nodes.clone(),
            edges: w.edges.clone(),
            viewport: w.viewport,
            node_count: w.nodes.len() as i64,
            current_version: w.current_version as i64,
            created_at: bson_date(w.created_at),
            updated_at: bson_date(w.updated_at),
        }
    }

    pub fn into_workflow(self) -> StoreResult<Workflow> {
        Ok(Workflow {
            current_version: count(self.current_version)?,
            created_at: chrono_date(self.created_at)?,
            updated_at: chrono_date(self.updated_at)?,
            id: self.id,
            name: self.name,
            description: self.description,
            owner_id: self.owner_id,
            cluster_id: self.cluster_id,
            status: self.status,
            nodes: self.nodes,
            edges: self.edges,
            viewport: self.viewport,
        })
    }
}

/// The projection of a workflow a list needs.
#[derive(Deserialize)]
pub(super) struct SummaryDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    pub description: String,
    pub status: WorkflowStatus,
    pub node_count: i64,
    pub current_version: i64,
    pub updated_at: BsonDate,
}

impl SummaryDoc {
    /// The fields to project.
    pub fn projection() -> mongodb::bson::Document {
        mongodb::bson::doc! {
            "name": 1, "description": 1, "status": 1, "node_count": 1,
            "current_version": 1, "updated_at": 1,
        }
    }

    pub fn into_summary(self) -> StoreResult<WorkflowSummary> {
        Ok(WorkflowSummary {
            node_count: count(self.node_count)? as usize,
            current_version: count(self.current_version)?,
            updated_at: chrono_date(self.updated_at)?,
            id: self.id,
            name: self.name,
            description: self.description,
            status: self.status,
        })
    }
}

/// `versions` documents.
#[derive(Serialize, Deserialize)]
pub(super) struct VersionDoc {
    pub workflow_id: String,
    pub number: i64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub author_id: String,
    pub message: String,
    pub tag: Option<String>,
    pub kind: VersionKind,
    pub restored_from: Option<i64>,
    pub created_at: BsonDate,
}

impl VersionDoc {
    pub fn from_version(v: &Version) -> Self {
        VersionDoc {
            workflow_id: v.workflow_id.clone(),
            number: v.number as i64,
            nodes: v.nodes.clone(),
            edges: v.edges.clone(),
            author_id: v.author_id.clone(),
            message: v.message.clone(),
            tag: v.tag.clone(),
            kind: v.kind,
            restored_from: v.restored_from.map(|n| n as i64),
            created_at: bson_date(v.created_at),
        }
    }

    pub fn into_version(self) -> StoreResult<Version> {
        let meta = VersionMeta {
            author_id: self.author_id,
            message: self.message,
            kind: self.kind,
            tag: self.tag,
            restored_from: self.restored_from.map(count).transpose()?,
        };
        Ok(meta.into_version(
            &self.workflow_id,
            count(self.number)?,
            self.nodes,
            self.edges,
            chrono_date(self.created_at)?,
        ))
    }
}

/// The projection of a `versions` document a list needs (no content).
#[derive(Deserialize)]
pub(super) struct VersionInfoDoc {
    pub number: i64,
    pub author_id: String,
    pub message: String,
    pub tag: Option<String>,
    pub kind: VersionKind,
    pub restored_from: Option<i64>,
    pub created_at: BsonDate,
}

impl VersionInfoDoc {
    /// The fields to project.
    pub fn projection() -> mongodb::bson::Document {
        mongodb::bson::doc! {
            "number": 1, "author_id": 1, "message": 1, "tag": 1, "kind": 1,
            "restored_from": 1, "created_at": 1,
        }
    }

    pub fn into_info(self) -> StoreResult<VersionInfo> {
        Ok(VersionInfo {
            number: count(self.number)?,
            created_at: chrono_date(self.created_at)?,
            author_id: self.author_id,
            kind: self.kind,
            message: self.message,
            tag: self.tag,
            restored_from: self.restored_from.map(count).transpose()?,
        })
    }
}
