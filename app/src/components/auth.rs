//! Who is signed in, for every page: an [`Auth`] context with the current user (loaded on the
//! server during rendering, reused on hydration), a way to reload it after log-in/log-out, and
//! [`RequireUser`], which sends visitors who are not signed in to the log-in page.

use crate::components::var::{Stored, Var};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::api::auth::current_user;
use crate::error::AppError;
use crate::model::UserProfile;

/// The signed-in user, shared by the top bar and the pages.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The current user (`None` when signed out).
    pub user: Resource<Result<Option<UserProfile>, AppError>>,
    version: Var<u32>,
}

impl Auth {
    /// Loads the user again (after log-in, log-out, password change).
    pub fn reload(&self) {
        self.version.update(|v| *v += 1);
    }
}

/// Creates the [`Auth`] context (once, in the root component).
pub fn provide_auth() -> Auth {
    let version = Var::new(0u32);
    let user = Resource::new(move || version.get(), |_| current_user());
    let auth = Auth { user, version };
    provide_context(auth);
    auth
}

/// The [`Auth`] context.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Where to go after logging in: only a local path (never another site).
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|path| path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'))
        .unwrap_or_else(|| "/workflows".to_string())
}

/// The log-in page address that comes back to the current page.
pub fn login_redirect_path(pathname: &str) -> String {
    let next: String = pathname
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c))
        .collect();
    format!("/login?next={next}")
}

/// Redirects to the log-in page, coming back here afterwards.
#[component]
pub fn ToLogin() -> impl IntoView {
    let path = login_redirect_path(&use_location().pathname.get_untracked());
    view! { <Redirect path=path/> }
}

/// Shows `children` only to a signed-in user; others are redirected to log in.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let children = Stored::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(_)) => children.with_value(|children| children()).into_any(),
                    Ok(None) | Err(AppError::Unauthorized(_)) => view! { <ToLogin/> }.into_any(),
                    Err(error) => view! {
                        <p class="error" role="alert">{error.to_string()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/workflows/abc".into())), "/workflows/abc");
        assert_eq!(safe_next(Some("//evil.example".into())), "/workflows");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/workflows");
        assert_eq!(safe_next(None), "/workflows");
        assert_eq!(
            login_redirect_path("/workflows/a-1"),
            "/login?next=/workflows/a-1"
        );
    }
}
