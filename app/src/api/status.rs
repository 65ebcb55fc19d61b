//! Server status: version and uptime, for the home page and for operators.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// What the server reports about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStatus {
    /// The server's crate version.
    pub version: String,
    /// Whole seconds since the server started.
    pub uptime_secs: u64,
}

impl ServerStatus {
    /// Uptime as a short human string such as `3h 02m 07s`.
    pub fn uptime_text(&self) -> String {
        format_duration(self.uptime_secs)
    }
}

/// Formats seconds as `Ns`, `Mm SSs`, `Hh MMm SSs` or `Dd HHh MMm`.
pub fn format_duration(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s:02}s"),
        (0, _, _) => format!("{h}h {m:02}m {s:02}s"),
        _ => format!("{d}d {h:02}h {m:02}m"),
    }
}

/// Server-side facts the status function reads; the server provides it as Leptos context.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ServerInfo {
    /// The server's crate version.
    pub version: &'static str,
    /// When the server process started.
    pub started: std::time::Instant,
}

/// `GET /api/status`: the server's version and uptime.
#[server(endpoint = "status", input = GetUrl, output = crate::api::TextJson)]
pub async fn get_server_status() -> Result<ServerStatus, ServerFnError> {
    let info = use_context::<ServerInfo>()
        .ok_or_else(|| ServerFnError::new("server information is not available"))?;
    Ok(ServerStatus {
        version: info.version.to_string(),
        uptime_secs: info.started.elapsed().as_secs(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(59), "59s");
        assert_eq!(format_duration(61), "1m 01s");
        assert_eq!(format_duration(3 * 3600 + 2 * 60 + 7), "3h 02m 07s");
        assert_eq!(format_duration(2 * 86_400 + 5 * 3600 + 60), "2d 05h 01m");
    }
}
