//! The current page's code pack, preloaded with the page: the server names it in the `<head>`
//! (from the split manifest the build writes), so the browser fetches it alongside the main
//! module instead of after it. Leptos adds the same hint only when the route's view ran before
//! the head was sent, which for `SsrMode::Async` pages depends on timing.

use leptos::prelude::*;

pub use super::lazy::Page;

impl Page {
    /// The page that renders `path`, following the routes in [`crate::App`]; `None` for the
    /// not-found page (part of the main module).
    pub fn for_path(path: &str) -> Option<Page> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        Some(match segments.as_slice() {
            [] => Page::Home,
            ["login"] => Page::Login,
            ["signup"] => Page::Signup,
            ["auth", "complete"] => Page::AuthComplete,
            ["profile"] => Page::Profile,
            ["workflows"] => Page::Workflows,
            ["clusters"] => Page::Clusters,
            ["registries"] => Page::Registries,
            ["builds"] => Page::Builds,
            ["builds", _] => Page::Build,
            ["workflows", _] => Page::Editor,
            ["workflows", _, "versions"] => Page::Versions,
            ["workflows", _, "compare"] => Page::Compare,
            _ => return None,
        })
    }

    /// Its route's view in the split manifest, without the `__` prefix and the `_view_{hash}`
    /// suffix.
    pub fn view_name(self) -> &'static str {
        match self {
            Page::Home => "home_route",
            Page::Login => "login_route",
            Page::Signup => "signup_route",
            Page::AuthComplete => "auth_complete_route",
            Page::Profile => "profile_route",
            Page::Workflows => "workflows_route",
            Page::Clusters => "clusters_route",
            Page::Registries => "registries_route",
            Page::Builds => "builds_route",
            Page::Build => "build_route",
            Page::Editor => "editor_route",
            Page::Versions => "versions_route",
            Page::Compare => "compare_route",
        }
    }
}

/// The files (without `.wasm`) the split manifest (split point → files) lists for `route`'s view.
pub fn route_files<'a>(
    manifest: &'a std::collections::HashMap<String, Vec<String>>,
    route: &str,
) -> &'a [String] {
    let prefix = format!("__{route}_view_");
    manifest
        .iter()
        .find(|(key, _)| key.starts_with(&prefix))
        .map_or(&[], |(_, files)| files.as_slice())
}

/// `<link rel="preload">` for the code of the page being rendered (server only; empty when the
/// bundle was built without splitting). Reads the split manifest [`HydrationScripts`] loaded, so
/// it goes after it in the `<head>`.
#[component]
pub fn RoutePreload() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let route = use_context::<http::request::Parts>()
            .and_then(|parts| Page::for_path(parts.uri.path()));
        let manifest = use_context::<leptos::WasmSplitManifest>();
        let links = route.zip(manifest).and_then(|(route, manifest)| {
            let read = manifest.0.try_read_value()?;
            let (pkg, files, _) = &*read;
            Some(
                route_files(files, route.view_name())
                    .iter()
                    .map(|file| format!("{pkg}/{file}.wasm"))
                    .collect::<Vec<_>>(),
            )
        });
        links
            .unwrap_or_default()
            .into_iter()
            .map(|href| {
                view! {
                    <link rel="preload" href=href r#as="fetch" r#type="application/wasm"
                        crossorigin="anonymous"/>
                }
            })
            .collect_view()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_routes_views() {
        let view = |path| Page::for_path(path).map(Page::view_name);
        assert_eq!(view("/"), Some("home_route"));
        assert_eq!(view("/workflows"), Some("workflows_route"));
        assert_eq!(view("/workflows/abc"), Some("editor_route"));
        assert_eq!(view("/workflows/abc/"), Some("editor_route"));
        assert_eq!(view("/workflows/abc/compare"), Some("compare_route"));
        assert_eq!(view("/workflows/abc/versions"), Some("versions_route"));
        assert_eq!(view("/builds/7"), Some("build_route"));
        assert_eq!(view("/auth/complete"), Some("auth_complete_route"));
        assert_eq!(view("/nowhere/at/all"), None);
    }

    #[test]
    fn the_manifest_gives_the_routes_pack() {
        let manifest: std::collections::HashMap<String, Vec<String>> = [
            ("__editor_route_view_1", vec!["pack___editor_route_view_1"]),
            (
                "__workflows_route_view_1",
                vec!["pack___workflows_route_view_1"],
            ),
            ("check_design_2", vec![]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(
            route_files(&manifest, "editor_route"),
            ["pack___editor_route_view_1"]
        );
        assert!(route_files(&manifest, "login_route").is_empty());
        assert!(route_files(&Default::default(), "editor_route").is_empty());
    }
}
