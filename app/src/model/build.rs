//! Image builds and container registries (spec §8) as the UI and the API see them: a build clones
//! a Git repository, builds an image and pushes it to one of the user's registries. Registry
//! credentials go in and never come out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a build stands. The order is the order of the stages.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum BuildState {
    /// Accepted, not started yet.
    #[default]
    Pending,
    /// Fetching the repository.
    Cloning,
    /// Building the image.
    Building,
    /// Pushing the image to the registry.
    Pushing,
    /// Pushed; the image reference with its digest is known.
    Completed,
    /// A stage failed (see the error stage and message).
    Failed,
    /// Stopped by the user.
    Cancelled,
}

impl BuildState {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildState::Pending => "pending",
            BuildState::Cloning => "cloning",
            BuildState::Building => "building",
            BuildState::Pushing => "pushing",
            BuildState::Completed => "completed",
            BuildState::Failed => "failed",
            BuildState::Cancelled => "cancelled",
        }
    }

    /// True once the build is over.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            BuildState::Completed | BuildState::Failed | BuildState::Cancelled
        )
    }

    /// The working stages, in order.
    pub const STAGES: [BuildState; 3] = [
        BuildState::Cloning,
        BuildState::Building,
        BuildState::Pushing,
    ];

    /// Rough share of the work done when a stage starts (for a progress bar), in percent.
    pub fn progress(self) -> u8 {
        match self {
            BuildState::Pending => 0,
            BuildState::Cloning => 5,
            BuildState::Building => 25,
            BuildState::Pushing => 80,
            BuildState::Completed => 100,
            BuildState::Failed | BuildState::Cancelled => 0,
        }
    }
}

/// When one stage ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTiming {
    /// Cloning, building or pushing.
    pub stage: BuildState,
    /// When it started.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub started_at: DateTime<Utc>,
    /// When it ended (absent while running).
    #[serde(default, deserialize_with = "crate::model::time::option")]
    pub finished_at: Option<DateTime<Utc>>,
}

impl StageTiming {
    /// How long it took (or has taken so far, up to `now`), in milliseconds.
    pub fn millis(&self, now: DateTime<Utc>) -> i64 {
        (self.finished_at.unwrap_or(now) - self.started_at).num_milliseconds()
    }
}

/// What to build: the request of `POST /api/builds`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRequest {
    /// `https://…`, `ssh://…` or `git@host:path` (and `file://` when the server allows it).
    pub repo_url: String,
    /// Branch or tag (default `main`).
    #[serde(default)]
    pub branch: Option<String>,
    /// Folder inside the repository to build from (default the root).
    #[serde(default)]
    pub context: Option<String>,
    /// Image name inside the registry, e.g. `team/web`.
    pub image: String,
    /// Image tag (default `latest`).
    #[serde(default)]
    pub tag: Option<String>,
    /// One of the user's registries; the default registry when absent.
    #[serde(default)]
    pub registry_id: Option<String>,
    /// The workflow the build was started from, if any (the UI offers to set the image there).
    #[serde(default)]
    pub workflow_id: Option<String>,
}

/// An image build (no credentials, ever).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// Server-assigned id.
    pub id: String,
    /// Repository URL (credentials in it are masked).
    pub repo_url: String,
    /// Branch or tag.
    pub branch: String,
    /// Folder inside the repository.
    pub context: String,
    /// Image name.
    pub image: String,
    /// Image tag.
    pub tag: String,
    /// The registry pushed to.
    pub registry_id: String,
    /// Its name when the build started.
    pub registry_name: String,
    /// The workflow it was started from.
    #[serde(default)]
    pub workflow_id: Option<String>,
    /// Where it stands.
    pub state: BuildState,
    /// How the image was planned (`Containerfile`, `Dockerfile`, `node`, …) once known.
    #[serde(default)]
    pub plan: Option<String>,
    /// The commit built, once cloned.
    #[serde(default)]
    pub commit: Option<String>,
    /// The stages that ran, in order.
    #[serde(default)]
    pub stages: Vec<StageTiming>,
    /// The stage that failed.
    #[serde(default)]
    pub error_stage: Option<BuildState>,
    /// Why it failed (credentials scrubbed).
    #[serde(default)]
    pub error: Option<String>,
    /// `host/image:tag@sha256:…` once pushed.
    #[serde(default)]
    pub image_ref: Option<String>,
    /// The manifest digest once pushed.
    #[serde(default)]
    pub digest: Option<String>,
    /// Creation time.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// End time.
    #[serde(default, deserialize_with = "crate::model::time::option")]
    pub finished_at: Option<DateTime<Utc>>,
}

/// The `data` of a build's `progress` event (also the record's state after each change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildProgress {
    /// The state entered.
    pub state: BuildState,
    /// Percent, for a progress bar.
    pub progress: u8,
    /// A short note (`Cloning https://… (main)`).
    pub message: String,
    /// The stages so far.
    pub stages: Vec<StageTiming>,
}

/// The `data` of a build's `log` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildLogLine {
    /// The stage that printed it.
    pub stage: BuildState,
    /// `stdout`, `stderr` or `kubeorch` (the server's own notes).
    pub stream: String,
    /// The line (credentials scrubbed).
    pub line: String,
}

/// A container registry of the user (no credentials, ever).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registry {
    /// Server-assigned id.
    pub id: String,
    /// Display name, unique per user.
    pub name: String,
    /// `https://registry.example.com` or `http://127.0.0.1:5000` (plain HTTP only when asked).
    pub url: String,
    /// The user name, if any.
    #[serde(default)]
    pub username: Option<String>,
    /// True when a password or token is stored.
    pub has_password: bool,
    /// Builds use it when they name no registry.
    pub is_default: bool,
    /// The last connection test.
    #[serde(default)]
    pub check: RegistryCheck,
    /// Creation time.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub created_at: DateTime<Utc>,
    /// Last change.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub updated_at: DateTime<Utc>,
}

impl Registry {
    /// `host[:port]` as it appears in image references.
    pub fn host(&self) -> &str {
        registry_host(&self.url)
    }
}

/// `host[:port]` of a registry URL (scheme and trailing path removed).
pub fn registry_host(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest.split('/').next().unwrap_or(rest)
}

/// What the last registry test found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryCheck {
    /// `ok`, `error` or `unknown` (never tested).
    pub state: String,
    /// What it found.
    #[serde(default)]
    pub message: Option<String>,
    /// When.
    #[serde(default, deserialize_with = "crate::model::time::option")]
    pub checked_at: Option<DateTime<Utc>>,
}

/// A registry as entered (create or edit). Blank password on edit keeps the stored one.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryInput {
    /// Display name.
    pub name: String,
    /// Registry URL.
    pub url: String,
    /// User name (blank for anonymous).
    #[serde(default)]
    pub username: Option<String>,
    /// Password or access token (write-only).
    #[serde(default)]
    pub password: Option<String>,
    /// Make it the default.
    #[serde(default)]
    pub is_default: bool,
}

impl std::fmt::Debug for RegistryInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryInput")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("is_default", &self.is_default)
            .finish()
    }
}

/// The answer of "set the built image on these nodes".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageApplied {
    /// The nodes changed.
    pub node_ids: Vec<String>,
    /// The image reference set.
    pub image: String,
    /// The version saved with the change.
    pub version: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_serialise_lowercase_and_order_as_stages() {
        assert_eq!(
            serde_json::to_value(BuildState::Pushing).ok(),
            Some(serde_json::json!("pushing"))
        );
        assert!(BuildState::Cloning < BuildState::Building);
        assert!(BuildState::Cancelled.is_finished() && !BuildState::Pushing.is_finished());
    }

    #[test]
    fn hosts_come_from_registry_urls() {
        assert_eq!(registry_host("http://127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(registry_host("https://ghcr.io/"), "ghcr.io");
        assert_eq!(
            registry_host("registry.example.com"),
            "registry.example.com"
        );
    }

    #[test]
    fn inputs_never_print_passwords() {
        let input = RegistryInput {
            password: Some("hunter2".into()),
            ..Default::default()
        };
        assert!(!format!("{input:?}").contains("hunter2"));
    }
}
