//! The state every handler can reach.

use std::{net::SocketAddr, sync::Arc, time::Instant};

use axum::extract::FromRef;
use leptos::config::{get_configuration, LeptosOptions};
use tokio_util::sync::CancellationToken;

use app::api::services::Services;
use app::api::status::ServerInfo;

use crate::{auth::sso::SsoService, config::Config, store::DynStore, ServeError};

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Leptos site options (site root, output name, address).
    pub leptos: LeptosOptions,
    /// Facts for the status server function.
    pub info: ServerInfo,
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// Cancelled when the server shuts down; long-lived streams end with it.
    pub shutdown: CancellationToken,
    /// The store (MongoDB or embedded).
    pub store: DynStore,
    /// What server functions call (accounts, workflows); provided to Leptos as context.
    pub services: Services,
    /// Single sign-on (its redirect routes).
    pub sso: Arc<SsoService>,
    /// Live status hubs and watchers (the workflow event streams).
    pub live: Arc<crate::live::Live>,
    /// The event feeds of running builds (the build event streams).
    pub build_feeds: Arc<crate::build::feed::Feeds>,
    /// Imports (their session event streams).
    pub imports: Arc<crate::import::Imports>,
}

/// The services behind the routes that are not server functions (sign-on redirects and the
/// event streams), handed to [`AppState::new`].
pub struct RouteServices {
    /// Single sign-on.
    pub sso: Arc<SsoService>,
    /// Live status hubs and watchers.
    pub live: Arc<crate::live::Live>,
    /// The event feeds of builds.
    pub build_feeds: Arc<crate::build::feed::Feeds>,
    /// Imports.
    pub imports: Arc<crate::import::Imports>,
}

impl AppState {
    /// Builds the state for a server listening on `addr`.
    pub fn new(
        config: Config,
        addr: SocketAddr,
        shutdown: CancellationToken,
        store: DynStore,
        services: Services,
        routes: RouteServices,
    ) -> Result<Self, ServeError> {
        let mut leptos = get_configuration(None)
            .map_err(|e| ServeError::Leptos(e.to_string()))?
            .leptos_options;
        leptos.site_addr = addr;
        let RouteServices {
            sso,
            live,
            build_feeds,
            imports,
        } = routes;
        Ok(Self {
            leptos,
            info: ServerInfo {
                version: env!("CARGO_PKG_VERSION"),
                started: Instant::now(),
            },
            config: Arc::new(config),
            shutdown,
            store,
            services,
            sso,
            live,
            build_feeds,
            imports,
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
