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
            .and_then(|parts| route_for_path(parts.uri.path()));
        let manifest = use_context::<leptos::WasmSplitManifest>();
        let links = route.zip(manifest).and_then(|(route, manifest)| {
            let read = manifest.0.try_read_value()?;
            let (pkg, files, _) = &*read;
            Some(
                route_files(files, route)
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
