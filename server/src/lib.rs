//! KubeOrch-rs server: the axum application that serves the Leptos app, its server functions and
//! event streams, and owns all IO.

pub mod allocator;
pub mod api_errors;
pub mod auth;
pub mod build;
pub mod cluster;
pub mod config;
pub mod csrf;
pub mod deploy;
pub mod events;
pub mod git_url;
pub mod health;
pub mod import;
pub mod live;
pub mod shutdown;
pub mod signed_in;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod trailing_slash;
pub mod versions;
pub mod workflows;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::{extract::DefaultBodyLimit, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use app::{shell, App};
use config::Config;
use state::AppState;

/// Largest request body accepted (a saved workflow is capped lower, with a clearer message).
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Errors that stop the server from starting or serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The Leptos site configuration could not be read.
    #[error("invalid Leptos configuration: {0}")]
    Leptos(String),
    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory that was asked for.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] store::StoreError),
    /// The keys are missing or unusable.
    #[error(transparent)]
    Keys(#[from] auth::secrets::KeyError),
    /// The token signer could not be set up.
    #[error(transparent)]
    Token(#[from] auth::token::TokenError),
    /// Single sign-on could not be set up.
    #[error(transparent)]
    Sso(#[from] auth::sso::SsoSetupError),
    /// The listening socket could not be opened or served.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address that was asked for.
        addr: SocketAddr,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}

/// Builds the whole HTTP application for `state`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let info = state.info.clone();
        let services = state.services.clone();
        move || {
            provide_context(info.clone());
            provide_context(services.clone());
        }
    };
    let leptos_options = state.leptos.clone();

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/events/health", get(events::health::stream))
        .route(
            "/api/workflows/{id}/versions/compare",
            get(versions::http::compare),
        )
        .merge(auth::sso::routes(state.sso.clone()))
        .route("/api/workflows/{id}/events", get(live::route::stream))
        .route("/api/builds/{id}/events", get(build::route::stream))
        .route("/api/import/{id}/events", get(import::route::stream))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::map_response(api_errors::fix_status))
        .layer(axum::middleware::from_fn(csrf::same_site_only))
        .layer(axum::middleware::from_fn(trailing_slash::redirect))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // axum's own 2 MB default would cut in first (as a 400 from the body reader) and keep a
        // workflow's save from ever reaching its clearer size limit.
        .layer(DefaultBodyLimit::disable())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The log span of a request: method and path only. The query stays out of the log because it
/// can carry one-time secrets (a provider's authorization code and `state`, the sign-in code).
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
}

/// Starts the server with `config` and serves until `shutdown` is cancelled.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServeError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Listen {
            addr: config.bind,
            source,
        })?;
    serve(config, listener, shutdown).await
}

/// Serves on an already-bound `listener` (tests bind port 0) until `shutdown` is cancelled.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    let keys = auth::secrets::load_or_create(&config).map_err(ServeError::from)?;
    let store = store::open(&config).await.map_err(ServeError::from)?;
    tracing::info!("store: {}", store.backend());
    let accounts =
        Arc::new(auth::AuthService::new(store.clone(), &keys, &config).map_err(ServeError::from)?);
    let sso = Arc::new(
        auth::sso::SsoService::new(&config, addr, store.clone(), accounts.clone())
            .map_err(ServeError::from)?,
    );
    let sandboxes = config
        .sandbox_enabled()
        .then(|| Arc::new(cluster::sandboxes::Sandboxes::new(Default::default())));
    let sealer = cluster::crypto::Sealer::new(&keys.encryption);
    let clients = Arc::new(cluster::ClientFactory::new(sealer.clone(), sandboxes));
    let renderer = Arc::new(
        app::domain::render::Renderer::embedded()
            .map_err(|e| anyhow::anyhow!("the embedded templates do not load: {e}"))?,
    );
    let live = live::Live::new(
        store.clone(),
        clients.clone(),
        Arc::new(cluster::watch::Watchers::default()),
        live::LiveConfig::default(),
    );
    let (registries, builds, build_feeds) = build_services(&config, &store, sealer, &shutdown);
    builds.recover().await;
    let deployer = Arc::new(deploy::Deployer::new(
        store.clone(),
        clients.clone(),
        live.clone(),
        renderer,
    ));
    deployer.recover().await;
    let workflows: Arc<dyn app::api::services::WorkflowService> =
        Arc::new(workflows::Workflows::new(store.clone()));
    let imports = import::Imports::new(
        workflows.clone(),
        config.data_dir.join("import"),
        git_url::Access {
            file: config.git_allow_file,
            local: config.import_local_git,
        },
        shutdown.clone(),
    );
    let services = app::api::services::Services {
        accounts,
        workflows,
        versions: Arc::new(versions::Versions::new(store.clone())),
        sso: sso.clone(),
        clusters: Arc::new(cluster::Clusters::new(
            store.clone(),
            clients.clone(),
            live.clone(),
        )),
        deploy: deployer,
        registries,
        builds,
        imports: imports.clone(),
    };
    auth::spawn_housekeeping(store.clone(), shutdown.clone());
    let routes = state::RouteServices {
        sso,
        live,
        build_feeds,
        imports,
    };
    let state = AppState::new(config, addr, shutdown.clone(), store, services, routes)?;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
        .map_err(|source| ServeError::Listen { addr, source })?;
    tracing::info!("stopped");
    Ok(())
}

/// The registry and build services and the build event feeds, from the configuration.
fn build_services(
    config: &Config,
    store: &store::DynStore,
    sealer: cluster::crypto::Sealer,
    shutdown: &CancellationToken,
) -> (
    Arc<build::Registries>,
    Arc<build::Builds>,
    Arc<build::feed::Feeds>,
) {
    let feeds = Arc::new(build::feed::Feeds::new(store.clone()));
    let registries = Arc::new(build::Registries::new(store.clone(), sealer));
    let deps = Arc::new(build::runner::BuildDeps {
        store: store.clone(),
        feeds: feeds.clone(),
        builder: Arc::new(build::builder::Buildah {
            program: config.buildah.clone(),
            allow_run: config.build_allow_run,
        }),
        settings: build::runner::BuildSettings {
            work_dir: config.data_dir.join("builds"),
            timeout: std::time::Duration::from_secs(config.build_timeout_secs),
            max_repo_bytes: config.build_max_repo_mb.saturating_mul(1024 * 1024),
            allow_file: config.git_allow_file,
        },
        slots: Arc::new(tokio::sync::Semaphore::new(config.build_slots.max(1))),
    });
    let builds = Arc::new(build::Builds::new(
        deps,
        registries.clone(),
        shutdown.clone(),
    ));
    (registries, builds, feeds)
}
