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
    ($($(#[$doc:meta])* $route:ident => $page:ident;)*) => {$(
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
    HomeRoute => HomePage;
    /// `/login`
    LoginRoute => LoginPage;
    /// `/signup`
    SignupRoute => SignupPage;
    /// `/auth/complete`
    AuthCompleteRoute => AuthCompletePage;
    /// `/profile`
    ProfileRoute => ProfilePage;
    /// `/workflows`
    WorkflowsRoute => WorkflowsPage;
    /// `/clusters`
    ClustersRoute => ClustersPage;
    /// `/registries`
    RegistriesRoute => RegistriesPage;
    /// `/builds`
    BuildsRoute => BuildsPage;
    /// `/builds/:id`
    BuildRoute => BuildPage;
    /// `/workflows/:id` (the editor)
    EditorRoute => EditorPage;
    /// `/workflows/:id/versions`
    VersionsRoute => VersionsPage;
    /// `/workflows/:id/compare`
    CompareRoute => ComparePage;
}
