//! Problems found in a design: per node (with the field path when known), per edge, or global.

use serde::{Deserialize, Serialize};

/// How bad a problem is: errors block saving/deploying the node, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not block.
    Warning,
    /// Must be fixed before the node can be rendered or deployed.
    Error,
}

impl Severity {
    /// Both severities.
    pub const ALL: [Severity; 2] = [Severity::Warning, Severity::Error];

    /// The serialised name: `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem with a message that says what to fix. (Read back by the hand reader in
/// `api::opened`.)
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// Path of the setting in the node's `data` (`ports[0].containerPort`), or of the rendered
    /// object's field (`spec.template…`) for schema errors; `None` for the node as a whole.
    pub field: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Issue {
    /// An error about the field at `path`.
    pub fn field_error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            field: Some(path.into()),
            message: message.into(),
        }
    }

    /// A warning about the field at `path`.
    pub fn field_warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            field: Some(path.into()),
            message: message.into(),
        }
    }

    /// An error about the node (or edge) as a whole.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            field: None,
            message: message.into(),
        }
    }

    /// A warning about the node (or edge) as a whole.
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            field: None,
            message: message.into(),
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any issue is an error.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(Issue::is_error)
}
