//! Single sign-on pieces shared by the log-in and profile pages: the provider buttons, and the
//! message for a failed provider sign-in (`?sso_error=…&provider=…&detail=…`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::model::sso::is_error_code;
use crate::model::{ProviderInfo, SsoProblem};

/// The display name of provider `id` among `providers` (a neutral phrase when unknown).
pub fn provider_name(providers: &[ProviderInfo], id: &str) -> String {
    providers
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| "The sign-in provider".to_string())
}

/// The message for the provider problem in the page's query, if there is one.
pub fn sso_problem(providers: &[ProviderInfo]) -> Option<String> {
    let query = use_query_map();
    query.with_untracked(|q| {
        let problem = SsoProblem::parse(&q.get("sso_error")?);
        let name = provider_name(providers, &q.get("provider").unwrap_or_default());
        let detail = q.get("detail").filter(|d| is_error_code(d));
        Some(problem.message(&name, detail.as_deref()))
    })
}

/// The provider problem of the page's query, shown once the providers are known.
#[component]
pub fn SsoProblemNotice(
    providers: Resource<Result<Vec<ProviderInfo>, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let providers = providers.await.unwrap_or_default();
                sso_problem(&providers).map(|message| view! {
                    <p class="error form-error" role="alert" id="sso-error">{message}</p>
                })
            })}
        </Transition>
    }
}

/// "Continue with …" links, one per provider, to start a provider log-in that comes back to
/// `next`. Plain links (`rel=external`): they leave the app for the provider.
#[component]
pub fn ProviderButtons(providers: Vec<ProviderInfo>, next: String) -> impl IntoView {
    if providers.is_empty() {
        return ().into_any();
    }
    let next = url_encode(&next);
    view! {
        <div class="sso">
            <p class="sso-divider muted small"><span>"or"</span></p>
            {providers
                .into_iter()
                .map(|p| {
                    let href = format!("/api/auth/sso/{}/login?next={next}", p.id);
                    view! {
                        <a class="btn btn-ghost btn-block btn-provider" rel="external"
                            id=format!("sso-{}", p.id) href=href>
                            {format!("Continue with {}", p.name)}
                        </a>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

/// Percent-encodes a local path for a query value (everything but unreserved characters and `/`).
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_are_encoded_for_the_query() {
        assert_eq!(url_encode("/workflows/a-1"), "/workflows/a-1");
        assert_eq!(url_encode("/x?y=1&z"), "/x%3Fy%3D1%26z");
    }

    #[test]
    fn unknown_providers_get_a_neutral_name() {
        let providers = vec![ProviderInfo {
            id: "gh".into(),
            name: "GitHub".into(),
        }];
        assert_eq!(provider_name(&providers, "gh"), "GitHub");
        assert_eq!(provider_name(&providers, "x"), "The sign-in provider");
    }
}
