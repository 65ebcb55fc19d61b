//! `GET /healthz` for load balancers and probes.

use axum::{extract::State, Json};
use serde::Serialize;

use crate::state::AppState;

/// The probe answer.
#[derive(Debug, Serialize)]
pub struct Health {
    /// Always `ok` when the process serves requests.
    pub status: &'static str,
    /// The server version.
    pub version: &'static str,
}

/// Answers 200 with `{"status":"ok","version":…}` while the server is up.
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: state.info.version,
    })
}
