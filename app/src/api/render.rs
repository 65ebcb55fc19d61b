//! Server functions for YAML previews, the downloadable manifest and validation. Each is a thin
//! wrapper over a pure function in `domain::render::service`; the caller sends the design.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::Report;

pub use crate::domain::design::{DesignInput, NodePreview, WorkflowManifest, MAX_EDGES, MAX_NODES};

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::OnceLock;

    use leptos::prelude::ServerFnError;

    use crate::domain::render::Renderer;

    /// Environment variable naming a directory whose `core/<kind>/template.yaml` and
    /// `shared/macros/*.yaml` replace the embedded templates.
    pub const TEMPLATES_DIR_VAR: &str = "KUBEORCH_TEMPLATES_DIR";

    static RENDERER: OnceLock<Result<Renderer, String>> = OnceLock::new();

    /// The process-wide renderer: embedded templates plus the override directory, if set.
    pub fn renderer() -> Result<&'static Renderer, ServerFnError> {
        RENDERER
            .get_or_init(|| {
                let overrides = match std::env::var_os(TEMPLATES_DIR_VAR) {
                    Some(dir) => read_overrides(Path::new(&dir))?,
                    None => BTreeMap::new(),
                };
                Renderer::with_overrides(overrides).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| ServerFnError::new(format!("templates are not usable: {e}")))
    }

    /// Reads override templates; only the names the embedded set has (kinds choose templates,
    /// never a user-supplied path).
    fn read_overrides(dir: &Path) -> Result<BTreeMap<String, String>, String> {
        let mut out = BTreeMap::new();
        for (name, _) in crate::domain::render::engine::EMBEDDED {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(source) => {
                    out.insert(name.to_string(), source);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        Ok(out)
    }
}

/// `POST /api/render/node`: one node's YAML and problems.
#[server(endpoint = "render/node", input = Json, output = crate::api::TextJson)]
pub async fn render_node_yaml(
    design: DesignInput,
    node_id: String,
) -> Result<NodePreview, ServerFnError> {
    crate::domain::render::service::preview_node(ssr::renderer()?, design, &node_id)
        .map_err(ServerFnError::new)
}

/// `POST /api/render/workflow`: the whole workflow as one YAML file to download.
#[server(endpoint = "render/workflow", input = Json, output = crate::api::TextJson)]
pub async fn render_workflow_yaml(design: DesignInput) -> Result<WorkflowManifest, ServerFnError> {
    crate::domain::render::service::workflow_manifest(ssr::renderer()?, design)
        .map_err(ServerFnError::new)
}

/// `POST /api/validate`: every error and warning, by node and edge.
#[server(endpoint = "validate", input = Json, output = crate::api::TextJson)]
pub async fn validate_workflow(design: DesignInput) -> Result<Report, ServerFnError> {
    crate::domain::render::service::validate_design(ssr::renderer()?, design)
        .map_err(ServerFnError::new)
}
