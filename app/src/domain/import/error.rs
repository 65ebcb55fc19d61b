//! Why an import cannot produce anything (everything less serious is a warning).

use super::interpolate::InterpolationError;

/// The largest text accepted (Compose file or Kubernetes YAML).
pub const MAX_BYTES: usize = 1024 * 1024;
/// The most Compose services (or Kubernetes objects) converted at once.
pub const MAX_SERVICES: usize = 250;
/// The most container ports one service may expand to (port ranges).
pub const MAX_PORTS: usize = 100;
/// The most bytes of file content put into one ConfigMap (Kubernetes allows 1 MiB in total).
pub const MAX_CONFIG_BYTES: usize = 512 * 1024;

/// An import that failed; the message says what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Input over [`MAX_BYTES`].
    #[error("the file is {size} bytes, more than the {limit} bytes accepted: split it or remove what is not needed")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// More services/objects than [`MAX_SERVICES`].
    #[error("the file has {count} {what}; at most {limit} can be imported at once: split it")]
    TooMany {
        /// How many there are.
        count: usize,
        /// `services` or `objects`.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Not YAML.
    #[error("the YAML cannot be read{}: {message}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Yaml {
        /// 1-based line, when known.
        line: Option<usize>,
        /// The parser's message.
        message: String,
    },
    /// Valid YAML but not a usable Compose file.
    #[error("{}: {message}", place(service.as_deref(), key))]
    Invalid {
        /// The service, if the problem is inside one.
        service: Option<String>,
        /// The key (path inside the service, or from the top).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// Interpolation failed.
    #[error("{}: {source}", place(service.as_deref(), key))]
    Interpolation {
        /// The service, if inside one.
        service: Option<String>,
        /// The key.
        key: String,
        /// What failed.
        #[source]
        source: InterpolationError,
    },
    /// Nothing to import.
    #[error("{0}")]
    Empty(String),
}

fn place(service: Option<&str>, key: &str) -> String {
    match (service, key.is_empty()) {
        (Some(service), true) => format!("service `{service}`"),
        (Some(service), false) => format!("service `{service}`, key `{key}`"),
        (None, _) => format!("key `{key}`"),
    }
}

/// Splits a path from the top of a Compose file (`services.web.ports[0]`) into the service
/// and the key inside it.
pub fn split_path(path: &str) -> (Option<String>, String) {
    let Some(rest) = path.strip_prefix("services.") else {
        return (None, path.to_string());
    };
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let key = rest[end..].trim_start_matches('.').to_string();
    (Some(rest[..end].to_string()), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_service_and_key() {
        assert_eq!(
            split_path("services.web.ports[0]"),
            (Some("web".into()), "ports[0]".into())
        );
        assert_eq!(split_path("volumes.db"), (None, "volumes.db".into()));
        let err = ImportError::Invalid {
            service: Some("web".into()),
            key: "ports[0]".into(),
            message: "bad".into(),
        };
        assert_eq!(err.to_string(), "service `web`, key `ports[0]`: bad");
    }
}
