//! The current page's code pack, preloaded with the page: the server names it in the `<head>`
//! (from the split manifest the build writes), so the browser fetches it alongside the main
//! module instead of after it. Leptos adds the same hint only when the route's view ran before
//! the head was sent, which for `SsrMode::Async` pages depends on timing.

use leptos::prelude::*;

/// The `#[lazy_route]` view (its name in the split manifest, without the `__` prefix and the
/// `_view_{hash}` suffix) that renders `path`, following the routes in [`crate::App`].
pub fn route_for_path(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    Some(match segments.as_slice() {
        [] => "home_route",
        ["login"] => "login_route",
        ["signup"] => "signup_route",
        ["auth", "complete"] => "auth_complete_route",
        ["profile"] => "profile_route",
        ["workflows"] => "workflows_route",
        ["clusters"] => "clusters_route",
        ["registries"] => "registries_route",
        ["builds"] => "builds_route",
        ["builds", _] => "build_route",
        ["workflows", _] => "editor_route",
        ["workflows", _, "versions"] => "versions_route",
        ["workflows", _, "compare"] => "compare_route",
        _ => return None,
    })
}

/// The files (without `.wasm`) the split manifest `manifest` lists for `route`'s view.
pub fn route_files(manifest: &serde_json::Value, route: &str) -> Vec<String> {
    let prefix = format!("__{route}_view_");
    manifest
        .as_object()
        .and_then(|all| all.iter().find(|(key, _)| key.starts_with(&prefix)))
        .and_then(|(_, files)| files.as_array())
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `<link rel="preload">` for the code of the page being rendered (server only; empty when the
/// bundle was built without splitting).
#[component]
pub fn RoutePreload(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use std::sync::OnceLock;
        static MANIFEST: OnceLock<serde_json::Value> = OnceLock::new();
        let manifest = MANIFEST.get_or_init(|| {
            let path = std::path::Path::new(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join("__wasm_split_manifest.json");
            std::fs::read_to_string(path)
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default()
        });
        let pkg = options.site_pkg_dir.to_string();
        let files = use_context::<http::request::Parts>()
            .and_then(|parts| route_for_path(parts.uri.path()))
            .map(|route| route_files(manifest, route))
            .unwrap_or_default();
        files
            .into_iter()
            .map(|file| {
                view! {
                    <link rel="preload" href=format!("/{pkg}/{file}.wasm") r#as="fetch"
                        r#type="application/wasm" crossorigin="anonymous"/>
                }
            })
            .collect_view()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_routes_views() {
        assert_eq!(route_for_path("/"), Some("home_route"));
        assert_eq!(route_for_path("/workflows"), Some("workflows_route"));
        assert_eq!(route_for_path("/workflows/abc"), Some("editor_route"));
        assert_eq!(route_for_path("/workflows/abc/"), Some("editor_route"));
        assert_eq!(
            route_for_path("/workflows/abc/compare"),
            Some("compare_route")
        );
        assert_eq!(route_for_path("/builds/7"), Some("build_route"));
        assert_eq!(
            route_for_path("/auth/complete"),
            Some("auth_complete_route")
        );
        assert_eq!(route_for_path("/nowhere/at/all"), None);
    }

    #[test]
    fn the_manifest_gives_the_routes_pack() {
        let manifest = serde_json::json!({
            "__editor_route_view_1": ["pack___editor_route_view_1"],
            "__workflows_route_view_1": ["pack___workflows_route_view_1"],
            "check_design_2": [],
        });
        assert_eq!(
            route_files(&manifest, "editor_route"),
            ["pack___editor_route_view_1"]
        );
        assert!(route_files(&manifest, "login_route").is_empty());
        assert!(route_files(&serde_json::Value::Null, "editor_route").is_empty());
    }
}
