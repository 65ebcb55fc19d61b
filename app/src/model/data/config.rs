//! Settings of ConfigMaps, Secrets and PersistentVolumeClaims.

use serde::{Deserialize, Serialize};

use super::common::{ObjectSettings, StringMap};
use super::select::*;

/// `configmap`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Keys and values.
    pub data: StringMap,
    /// Mount as files here (empty = environment variables).
    pub mount_path: String,
    /// Immutable after creation.
    pub immutable: bool,
}

/// `secret`: key names only; values come at deploy time and are never stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Secret type.
    pub secret_type: SecretType,
    /// Key names.
    pub keys: Vec<String>,
    /// Reference an existing Secret instead of creating one.
    pub existing: bool,
    /// Mount as files here (empty = environment variables).
    pub mount_path: String,
}

/// `persistentvolumeclaim`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PvcSettings {
    /// Name, namespace, labels, annotations.
    #[serde(flatten)]
    pub object: ObjectSettings,
    /// Requested size.
    pub storage: String,
    /// Access modes.
    pub access_modes: Vec<AccessMode>,
    /// Storage class (empty = default).
    pub storage_class_name: String,
    /// Filesystem or Block.
    pub volume_mode: VolumeMode,
    /// Where workloads mount it (empty = `/data/<name>`).
    pub mount_path: String,
}
