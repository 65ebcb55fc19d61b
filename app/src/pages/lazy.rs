//! Every page as a lazily loaded route: in the browser each page's code is a separate wasm chunk
//! (split at build time by `kubeorch-wasm-split`), fetched when the page is first opened, so a
//! page loads the shell and its own code rather than the whole app. On the server the pages
//! render as usual.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::components::layout::PageHydrated;

use super::{
    auth_complete::AuthCompletePage, build::BuildPage, builds::BuildsPage, clusters::ClustersPage,
    compare::ComparePage, editor::EditorPage, home::HomePage, login::LoginPage,
    profile::ProfilePage, registries::RegistriesPage, signup::SignupPage, versions::VersionsPage,
    workflows::WorkflowsPage,
};

macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $variant:ident: $route:ident => $page:ident;)*) => {
        /// A page of the app: the `#[lazy_route]` [`crate::App`] routes a path to (which one:
        /// [`Page::for_path`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Page {
            $($(#[$doc])* $variant,)*
        }

        /// Loads the code of `page` (its route's wasm chunks). The browser loads the current
        /// page's code before hydrating, so the page hydrates in one synchronous pass.
        #[cfg(feature = "hydrate")]
        pub async fn load_code(page: Page) {
            match page {
                $(Page::$variant => <$route as LazyRoute>::preload().await,)*
            }
        }
    $(
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { <$page/> <PageHydrated/> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    /// `/`
    Home: HomeRoute => HomePage;
    /// `/login`
    Login: LoginRoute => LoginPage;
    /// `/signup`
    Signup: SignupRoute => SignupPage;
    /// `/auth/complete`
    AuthComplete: AuthCompleteRoute => AuthCompletePage;
    /// `/profile`
    Profile: ProfileRoute => ProfilePage;
    /// `/workflows`
    Workflows: WorkflowsRoute => WorkflowsPage;
    /// `/clusters`
    Clusters: ClustersRoute => ClustersPage;
    /// `/registries`
    Registries: RegistriesRoute => RegistriesPage;
    /// `/builds`
    Builds: BuildsRoute => BuildsPage;
    /// `/builds/:id`
    Build: BuildRoute => BuildPage;
    /// `/workflows/:id` (the editor)
    Editor: EditorRoute => EditorPage;
    /// `/workflows/:id/versions`
    Versions: VersionsRoute => VersionsPage;
    /// `/workflows/:id/compare`
    Compare: CompareRoute => ComparePage;
}
