//! Logging with `tracing`, filtered by `RUST_LOG` syntax.

use tracing_subscriber::{fmt, EnvFilter};

/// Errors starting the logger.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The filter string is not valid `RUST_LOG` syntax.
    #[error("invalid log filter {filter:?}: {source}")]
    Filter {
        /// The filter that was given.
        filter: String,
        /// Why it was refused.
        #[source]
        source: tracing_subscriber::filter::ParseError,
    },
    /// A global logger was already installed.
    #[error("a logger is already installed")]
    AlreadySet,
}

/// Installs the global logger with `filter` (e.g. `info`, `server=debug`).
pub fn init(filter: &str) -> Result<(), TelemetryError> {
    let env_filter = EnvFilter::try_new(filter).map_err(|source| TelemetryError::Filter {
        filter: filter.to_string(),
        source,
    })?;
    fmt()
        .with_env_filter(env_filter)
        .try_init()
        .map_err(|_| TelemetryError::AlreadySet)
}
