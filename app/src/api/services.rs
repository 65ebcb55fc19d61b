//! What the server functions call: the server implements these traits (with the store, password
//! hashing, tokens, rate limits) and provides a [`Services`] as Leptos context, so this crate
//! holds no IO and no database or crypto dependencies. Server-only (`ssr`).

use std::sync::Arc;

use async_trait::async_trait;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::api::auth::Registration;
use crate::api::deploy::{DeployPlan, RemovedObjects, RunRequest, RunStarted};
use crate::api::import::{AnalyzeOutcome, AnalyzeRequest, Applied, ApplyRequest, ImportSession};
use crate::api::versions::{
    Comparison, PageRequest, Restored, VersionNote, VersionPage, VersionSummary,
};
use crate::api::workflows::{NewWorkflow, SaveOutcome, SaveRequest, WorkflowChanges};
use crate::error::AppError;
use crate::model::build::{Build, BuildRequest, ImageApplied, Registry, RegistryInput};
use crate::model::cluster::{ClusterChanges, KubeconfigContext};
use crate::model::{
    Cluster, CredentialsInput, LoginMethods, ProviderInfo, Run, UserProfile, Version, Workflow,
    WorkflowSummary,
};

/// A successful sign-in: who, and the `Set-Cookie` header value carrying the session.
pub struct SignedIn {
    /// The signed-in user.
    pub user: UserProfile,
    /// The session cookie to set.
    pub set_cookie: String,
}

/// The caller of a request, once their session checked out.
#[derive(Clone, Debug)]
pub struct Session {
    /// The signed-in user (freshly loaded).
    pub user: UserProfile,
}

/// Accounts and sessions.
#[async_trait]
pub trait AccountService: Send + Sync {
    /// Creates an account and signs it in.
    async fn register(&self, request: &Parts, form: Registration) -> Result<SignedIn, AppError>;
    /// Checks the password and signs in (rate-limited per address and per account).
    async fn login(
        &self,
        request: &Parts,
        email: String,
        password: String,
    ) -> Result<SignedIn, AppError>;
    /// Revokes the request's session; returns the `Set-Cookie` value that clears the cookie.
    async fn logout(&self, request: &Parts) -> Result<String, AppError>;
    /// The request's session (cookie or `Authorization: Bearer`), `None` when there is none or
    /// it is no longer valid.
    async fn session(&self, request: &Parts) -> Result<Option<Session>, AppError>;
    /// Changes the password, revoking every other session, and signs in again.
    async fn change_password(
        &self,
        request: &Parts,
        session: &Session,
        current: String,
        new: String,
    ) -> Result<SignedIn, AppError>;
    /// Creates a single-use invitation code (admins only).
    async fn create_invite(&self, session: &Session) -> Result<String, AppError>;
}

/// Single sign-on through external identity providers: what server functions need (the
/// redirects to and from the providers are plain HTTP routes of the server).
#[async_trait]
pub trait SsoService: Send + Sync {
    /// The configured providers, in configuration order.
    fn providers(&self) -> Vec<ProviderInfo>;
    /// Exchanges the one-time code a provider sign-in ended with for a session. Works once,
    /// shortly after the sign-in, from the browser that started it. Also returns the local path
    /// to continue to.
    async fn exchange(&self, request: &Parts, code: String)
        -> Result<(SignedIn, String), AppError>;
    /// How the user can log in (password, linked identities) and what they could link.
    async fn login_methods(&self, session: &Session) -> Result<LoginMethods, AppError>;
    /// Unlinks one of the user's identities (never the last way to log in).
    async fn unlink(
        &self,
        session: &Session,
        provider: String,
        subject: String,
    ) -> Result<LoginMethods, AppError>;
}

/// The signed-in user's workflows (another user's workflow is always "not found").
#[async_trait]
pub trait WorkflowService: Send + Sync {
    /// Creates a draft workflow.
    async fn create(&self, session: &Session, new: NewWorkflow) -> Result<Workflow, AppError>;
    /// The user's workflows, most recently changed first.
    async fn list(&self, session: &Session) -> Result<Vec<WorkflowSummary>, AppError>;
    /// One workflow with its graph.
    async fn get(&self, session: &Session, id: &str) -> Result<Workflow, AppError>;
    /// Renames and/or re-describes a workflow.
    async fn update(
        &self,
        session: &Session,
        id: &str,
        changes: WorkflowChanges,
    ) -> Result<Workflow, AppError>;
    /// Deletes (archives) a workflow.
    async fn delete(&self, session: &Session, id: &str) -> Result<(), AppError>;
    /// Stores the working copy, and a new version when asked.
    async fn save(
        &self,
        session: &Session,
        id: &str,
        save: SaveRequest,
    ) -> Result<SaveOutcome, AppError>;
}

/// The versions of the signed-in user's workflows (another user's workflow is "not found").
#[async_trait]
pub trait VersionService: Send + Sync {
    /// A page of versions, newest first.
    async fn list(
        &self,
        session: &Session,
        workflow_id: &str,
        page: PageRequest,
    ) -> Result<VersionPage, AppError>;
    /// One version with its content.
    async fn get(
        &self,
        session: &Session,
        workflow_id: &str,
        number: u64,
    ) -> Result<Version, AppError>;
    /// What changed from version `from` to version `to`.
    async fn compare(
        &self,
        session: &Session,
        workflow_id: &str,
        from: u64,
        to: u64,
    ) -> Result<Comparison, AppError>;
    /// Makes version `number`'s content the working copy, recorded as a new `restore` version.
    async fn restore(
        &self,
        session: &Session,
        workflow_id: &str,
        number: u64,
    ) -> Result<Restored, AppError>;
    /// Changes a version's message and/or tag.
    async fn annotate(
        &self,
        session: &Session,
        workflow_id: &str,
        number: u64,
        note: VersionNote,
    ) -> Result<VersionSummary, AppError>;
}

/// The signed-in user's clusters (another user's cluster is always "not found"). Credentials
/// go in, never out.
#[async_trait]
pub trait ClusterService: Send + Sync {
    /// The user's clusters by name (the built-in Sandbox included when enabled).
    async fn list(&self, session: &Session) -> Result<Vec<Cluster>, AppError>;
    /// One cluster.
    async fn get(&self, session: &Session, id: &str) -> Result<Cluster, AppError>;
    /// The contexts of a kubeconfig, each with the reason it cannot be used, if any. Stores
    /// nothing.
    async fn contexts(
        &self,
        session: &Session,
        kubeconfig: String,
    ) -> Result<Vec<KubeconfigContext>, AppError>;
    /// Registers a cluster and tests the connection.
    async fn create(
        &self,
        session: &Session,
        name: String,
        credentials: CredentialsInput,
    ) -> Result<Cluster, AppError>;
    /// Edits a cluster (blank credentials are kept) and tests the connection again.
    async fn update(
        &self,
        session: &Session,
        id: &str,
        changes: ClusterChanges,
    ) -> Result<Cluster, AppError>;
    /// Removes a cluster (its objects stay in the cluster).
    async fn delete(&self, session: &Session, id: &str) -> Result<(), AppError>;
    /// Tests the connection now (server version, namespaces) and records the outcome.
    async fn test(&self, session: &Session, id: &str) -> Result<Cluster, AppError>;
}

/// Deploying the signed-in user's workflows to their clusters.
#[async_trait]
pub trait DeployService: Send + Sync {
    /// What a run of `request`'s design would change (dry-run against the live objects).
    async fn plan(
        &self,
        session: &Session,
        id: &str,
        request: RunRequest,
    ) -> Result<DeployPlan, AppError>;
    /// Saves the design as a `deploy` version and starts the run in the background.
    async fn run(
        &self,
        session: &Session,
        id: &str,
        request: RunRequest,
    ) -> Result<RunStarted, AppError>;
    /// The workflow's latest runs, newest first.
    async fn runs(&self, session: &Session, id: &str) -> Result<Vec<Run>, AppError>;
    /// Deletes every object the workflow deployed from its cluster.
    async fn delete_objects(&self, session: &Session, id: &str)
        -> Result<RemovedObjects, AppError>;
}

/// The signed-in user's container registries (another user's registry is "not found").
/// Passwords and tokens go in, never out.
#[async_trait]
pub trait RegistryService: Send + Sync {
    /// The user's registries by name.
    async fn list(&self, session: &Session) -> Result<Vec<Registry>, AppError>;
    /// Adds a registry and tests it (`/v2/` with its credentials); the outcome is recorded.
    async fn create(&self, session: &Session, input: RegistryInput) -> Result<Registry, AppError>;
    /// Edits a registry (a blank password keeps the stored one) and tests it again.
    async fn update(
        &self,
        session: &Session,
        id: &str,
        input: RegistryInput,
    ) -> Result<Registry, AppError>;
    /// Removes a registry (builds that used it keep their records).
    async fn delete(&self, session: &Session, id: &str) -> Result<(), AppError>;
    /// Tests the registry now and records the outcome.
    async fn test(&self, session: &Session, id: &str) -> Result<Registry, AppError>;
    /// Makes it the user's default registry.
    async fn set_default(&self, session: &Session, id: &str) -> Result<Registry, AppError>;
}

/// Image builds of the signed-in user (another user's build is "not found").
#[async_trait]
pub trait BuildService: Send + Sync {
    /// Checks the request and starts the build in the background.
    async fn start(&self, session: &Session, request: BuildRequest) -> Result<Build, AppError>;
    /// The user's latest builds, newest first.
    async fn list(&self, session: &Session) -> Result<Vec<Build>, AppError>;
    /// One build.
    async fn get(&self, session: &Session, id: &str) -> Result<Build, AppError>;
    /// Stops a running build (nothing is left running); a finished build stays as it is.
    async fn cancel(&self, session: &Session, id: &str) -> Result<Build, AppError>;
    /// Sets a completed build's image on workload nodes of one of the user's workflows and
    /// saves a version.
    async fn set_image(
        &self,
        session: &Session,
        build_id: &str,
        workflow_id: &str,
        node_ids: Vec<String>,
    ) -> Result<ImageApplied, AppError>;
}

/// Importing Compose files and Kubernetes YAML (sessions belong to their creator: "not found"
/// for anyone else).
#[async_trait]
pub trait ImportService: Send + Sync {
    /// Converts text or a URL at once, or starts a Git import session.
    async fn analyze(
        &self,
        session: &Session,
        request: AnalyzeRequest,
    ) -> Result<AnalyzeOutcome, AppError>;
    /// A Git import session.
    async fn session(&self, session: &Session, id: &str) -> Result<ImportSession, AppError>;
    /// Converts another compose file (or other profiles) of a finished Git session.
    async fn choose(
        &self,
        session: &Session,
        id: &str,
        path: String,
        profiles: Vec<String>,
    ) -> Result<ImportSession, AppError>;
    /// Adds imported nodes to a workflow of the caller, or to a new one.
    async fn apply(&self, session: &Session, request: ApplyRequest) -> Result<Applied, AppError>;
}

/// The services, as provided in Leptos context by the server.
#[derive(Clone)]
pub struct Services {
    /// Accounts and sessions.
    pub accounts: Arc<dyn AccountService>,
    /// Workflows.
    pub workflows: Arc<dyn WorkflowService>,
    /// Versions of workflows.
    pub versions: Arc<dyn VersionService>,
    /// Single sign-on.
    pub sso: Arc<dyn SsoService>,
    /// Clusters.
    pub clusters: Arc<dyn ClusterService>,
    /// Deploys.
    pub deploy: Arc<dyn DeployService>,
    /// Container registries.
    pub registries: Arc<dyn RegistryService>,
    /// Image builds.
    pub builds: Arc<dyn BuildService>,
    /// Imports.
    pub imports: Arc<dyn ImportService>,
}

/// The services from context.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        leptos::logging::error!("server functions called without Services in context");
        AppError::internal()
    })
}

/// The current request's head (headers, address) from context.
pub fn request() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        leptos::logging::error!("server functions called without the request in context");
        AppError::internal()
    })
}

/// The request's session; [`AppError::Unauthorized`] when there is none (for server functions
/// and plain routes alike).
pub async fn require_session(
    accounts: &dyn AccountService,
    request: &Parts,
) -> Result<Session, AppError> {
    accounts
        .session(request)
        .await?
        .ok_or_else(AppError::signed_out)
}

/// The services and the caller's session; [`AppError::Unauthorized`] when not signed in.
pub async fn signed_in() -> Result<(Services, Session), AppError> {
    let services = services()?;
    let session = require_session(services.accounts.as_ref(), &request()?).await?;
    Ok((services, session))
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
