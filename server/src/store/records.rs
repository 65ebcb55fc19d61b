//! The records the store traits take and return (besides the shared model types).

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use app::model::{
    Edge, Node, Role, UserProfile, Version, VersionInfo, VersionKind, Viewport, Workflow,
};

/// The current time at the precision both stores keep (milliseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// A stored account.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Server-assigned id.
    pub id: String,
    /// Normalised (trimmed, lower-case) email; unique.
    pub email: String,
    /// Display name.
    pub name: String,
    /// bcrypt hash; `None` for accounts that only sign in through an identity provider.
    pub password_hash: Option<String>,
    /// Admin or user.
    pub role: Role,
    /// Incremented on password change; sessions carry it and die when it moves on.
    pub token_generation: u64,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl UserRecord {
    /// The public profile (no hash, no generation).
    pub fn profile(&self) -> UserProfile {
        UserProfile {
            id: self.id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            created_at: self.created_at,
        }
    }
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

/// A user to create; the store picks the role.
#[derive(Clone)]
pub struct NewUser {
    /// Server-assigned id.
    pub id: String,
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// bcrypt hash.
    pub password_hash: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// Who may sign up once the first (admin) user exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignupGate {
    /// Anyone.
    Open,
    /// Nobody.
    Closed,
    /// Holders of an unused, unexpired invitation whose code hashes to `code_hash`.
    Invite {
        /// SHA-256 of the code, hex.
        code_hash: String,
        /// The time to check expiry against.
        now: DateTime<Utc>,
    },
}

/// A single-use invitation (the code itself is shown once and never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteRecord {
    /// SHA-256 of the code, hex.
    pub code_hash: String,
    /// The admin who created it.
    pub created_by: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// After this it is no longer accepted.
    pub expires_at: DateTime<Utc>,
}

/// A revoked session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// The token id.
    pub jti: String,
    /// Whose token it was.
    pub user_id: String,
    /// When the token would expire anyway (the entry can go then).
    pub expires_at: DateTime<Utc>,
}

/// A change of a workflow's details.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkflowPatch {
    /// New name, if changing.
    pub name: Option<String>,
    /// New description, if changing.
    pub description: Option<String>,
    /// New cluster, if changing (`Some(None)` clears it). Ownership is the caller's to check.
    pub cluster_id: Option<Option<String>>,
    /// The time of the change.
    pub updated_at: DateTime<Utc>,
}

/// Who makes a version and why.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionMeta {
    /// The user making it.
    pub author_id: String,
    /// Optional message.
    pub message: String,
    /// Save, deploy or restore.
    pub kind: VersionKind,
    /// Optional tag.
    pub tag: Option<String>,
    /// For restores: the version whose content this is.
    pub restored_from: Option<u64>,
}

impl VersionMeta {
    /// A plain version of `kind` by `author_id` with `message`.
    pub fn new(author_id: &str, kind: VersionKind, message: &str) -> Self {
        VersionMeta {
            author_id: author_id.to_string(),
            message: message.to_string(),
            kind,
            tag: None,
            restored_from: None,
        }
    }

    /// The version made of these details and this content.
    pub fn into_version(
        self,
        workflow_id: &str,
        number: u64,
        nodes: Vec<Node>,
        edges: Vec<Edge>,
        created_at: DateTime<Utc>,
    ) -> Version {
        Version {
            workflow_id: workflow_id.to_string(),
            number,
            nodes,
            edges,
            created_at,
            author_id: self.author_id,
            message: self.message,
            tag: self.tag,
            kind: self.kind,
            restored_from: self.restored_from,
        }
    }
}

/// A new working copy, optionally snapshotted as a version.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphSave {
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
    /// Pan and zoom.
    pub viewport: Viewport,
    /// The time of the save.
    pub now: DateTime<Utc>,
    /// Set to also create the next version.
    pub version: Option<VersionMeta>,
}

/// What a save produced.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedGraph {
    /// The workflow after the save.
    pub workflow: Workflow,
    /// The version created, when asked for.
    pub version: Option<Version>,
}

/// The content and details of a version to append.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionDraft {
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
    /// Who and why.
    pub meta: VersionMeta,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl VersionDraft {
    /// The version this draft becomes as `number` of `workflow_id`.
    pub fn into_version(self, workflow_id: &str, number: u64) -> Version {
        self.meta
            .into_version(workflow_id, number, self.nodes, self.edges, self.created_at)
    }
}

/// A page of a workflow's versions, without their content.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionListing {
    /// The versions asked for, newest first.
    pub items: Vec<VersionInfo>,
    /// How many versions the workflow has in all.
    pub total: u64,
}

/// A change of a version's message and/or tag (its content never changes).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VersionAnnotation {
    /// New message, if changing.
    pub message: Option<String>,
    /// New tag, if changing (`Some(None)` removes it).
    pub tag: Option<Option<String>>,
}

/// The stored form of a graph: nodes, edges and viewport (SQLite keeps it as one JSON column).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StoredGraph {
    /// The nodes.
    #[serde(default)]
    pub nodes: Vec<Node>,
    /// The edges.
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Pan and zoom (absent for versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewport: Option<Viewport>,
}
