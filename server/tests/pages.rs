//! Server-rendered pages and sessions: protected pages redirect to log in, pages render the
//! user's data, another user's workflow is a 404 page.

mod common;

use common::{expect, start};
use reqwest::header::{ACCEPT, COOKIE, LOCATION};
use reqwest::{redirect::Policy, StatusCode};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

fn browser() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(Policy::none())
        .build()?)
}

/// The `Location` a response redirects to.
fn location(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn protected_pages_redirect_to_log_in_with_the_way_back() -> anyhow::Result<()> {
    let fx = start().await?;
    for (path, next) in [
        ("/workflows", "/workflows"),
        ("/workflows/abc-1", "/workflows/abc-1"),
    ] {
        let response = browser()?
            .get(format!("{}{path}", fx.server.base))
            .header(ACCEPT, "text/html")
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::FOUND, "{path}");
        assert_eq!(
            location(&response),
            Some(format!("/login?next={next}").as_str())
        );
    }
    let login = browser()?
        .get(format!("{}/login", fx.server.base))
        .send()
        .await?;
    assert_eq!(login.status(), StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn pages_render_the_signed_in_users_workflows_only() -> anyhow::Result<()> {
    let fx = start().await?;
    let mut ada = fx.server.client();
    ada.register("ada@example.com", PASSWORD).await?;
    let created = ada
        .post("/api/workflows/create", json!({"name": "Ada's <shop>"}))
        .await?;
    let id = expect(created, StatusCode::OK).await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let cookie = format!("kubeorch_session={}", ada.token.clone().unwrap_or_default());

    let list = browser()?
        .get(format!("{}/workflows", fx.server.base))
        .header(COOKIE, &cookie)
        .send()
        .await?;
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await?;
    assert!(
        html.contains("Ada&#x27;s &lt;shop&gt;") || html.contains("Ada's &lt;shop&gt;"),
        "escaped name"
    );
    assert!(!html.contains("<shop>"), "never raw HTML");

    let editor = browser()?
        .get(format!("{}/workflows/{id}", fx.server.base))
        .header(COOKIE, &cookie)
        .send()
        .await?;
    assert_eq!(editor.status(), StatusCode::OK);
    assert!(editor.text().await?.contains(r#"id="workflow-title""#));

    let mut eve = fx.server.client();
    eve.register("eve@example.com", PASSWORD).await?;
    let eve_cookie = format!("kubeorch_session={}", eve.token.clone().unwrap_or_default());
    let theirs = browser()?
        .get(format!("{}/workflows/{id}", fx.server.base))
        .header(COOKIE, &eve_cookie)
        .send()
        .await?;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let html = theirs.text().await?;
    assert!(html.contains("Page not found") && !html.contains("shop"));
    Ok(())
}

/// `pages::preload::Page::for_path` follows `App`'s route table by hand: a page added to one and
/// not the other would not hydrate (its code is loaded before hydration) and would load its code
/// only after the main module.
#[tokio::test]
async fn every_page_route_has_its_code_preloaded() {
    let routes = leptos_axum::generate_route_list(app::App);
    assert!(routes.len() >= 13, "{} routes", routes.len());
    for route in routes {
        let path = route.path();
        let example = path
            .split('/')
            .map(|s| match s.starts_with([':', '{']) {
                true => "x",
                false => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        assert!(
            app::pages::preload::Page::for_path(&example).is_some(),
            "{path} has no entry in Page::for_path"
        );
    }
}

/// A page address with a trailing slash redirects to the page (it used to render the page with
/// the not-found fallback's 404 status); API addresses and look-alike external addresses do not.
#[tokio::test]
async fn a_trailing_slash_redirects_to_the_page() -> anyhow::Result<()> {
    let fx = start().await?;
    for (path, to) in [
        ("/login/", "/login"),
        ("/workflows/abc-1/?tab=yaml", "/workflows/abc-1?tab=yaml"),
    ] {
        let response = browser()?
            .get(format!("{}{path}", fx.server.base))
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
        assert_eq!(location(&response), Some(to), "{path}");
    }
    let followed = reqwest::Client::new()
        .get(format!("{}/login/", fx.server.base))
        .send()
        .await?;
    assert_eq!(followed.status(), StatusCode::OK);
    assert_eq!(followed.url().path(), "/login");

    for path in ["/api/status/", "//evil.example/"] {
        let response = browser()?
            .get(format!("{}{path}", fx.server.base))
            .send()
            .await?;
        assert_ne!(response.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
    }
    Ok(())
}
