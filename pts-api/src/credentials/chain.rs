//! [`CredentialChain`]: the default credential chain, in the official SDK's order.
//!
//! Order: explicit AccessKey > environment > OIDC > aliyun CLI profile > INI file > ECS RAM
//! role > credentials URI. Every provider is consulted when `resolve` runs (the environment
//! is read then, not at construction). The first success wins and the chain sticks to that
//! provider afterwards; its failures are then returned as they are. When every provider
//! fails, one [`CredentialsError::NotFound`] lists each and why it was skipped.
//!
//! Provider names get the `default/` prefix (`default/env`, `default/cli_profile/static_ak`),
//! except explicit credentials, which keep `static_ak` / `static_sts` as in the SDK, where
//! explicit keys are used before (not inside) the default chain.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::cache::{Clock, SystemClock, cached};
use super::cli_config::CLI_PROVIDER;
use super::cli_profile::CliProfileProvider;
use super::ecs::{ECS_PROVIDER, EcsRamRoleProvider};
use super::env::{EnvSource, ProcessEnv};
use super::env_provider::{ENV_PROVIDER, EnvProvider};
use super::error::CredentialsError;
use super::ini_profile::{INI_PROVIDER, IniProfileProvider};
use super::oidc::{OIDC_PROVIDER, OidcProvider};
use super::provider::{
    BoxFuture, Description, Endpoints, ProvideCredentials, Sourced, StaticProvider,
};
use super::secret::Credentials;
use super::uri::{URI_PROVIDER, UriProvider};

/// Where the credentials of a [`CredentialChain::resolve`] came from (`pts whoami`).
/// Names only: never a secret, token or variable value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceReport {
    /// The chain step that won: `static`, `env`, `oidc_role_arn`, `cli_profile`,
    /// `ini_profile`, `ecs_ram_role`, `credentials_uri` (or a custom label).
    pub source: String,
    /// Environment variable names that were used.
    pub variables: Vec<String>,
    /// The CLI profile or INI section.
    pub profile: Option<String>,
    /// The file read (CLI config, INI file, OIDC token file).
    pub file: Option<PathBuf>,
    /// Steps tried before the winner: `(step, why it was skipped)`.
    pub tried: Vec<(String, String)>,
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "source: {}", self.source)?;
        if !self.variables.is_empty() {
            write!(f, "\nvariables: {}", self.variables.join(", "))?;
        }
        if let Some(p) = &self.profile {
            write!(f, "\nprofile: {p}")?;
        }
        if let Some(file) = &self.file {
            write!(f, "\nfile: {}", file.display())?;
        }
        for (step, why) in &self.tried {
            write!(f, "\nskipped {step}: {why}")?;
        }
        Ok(())
    }
}

/// What [`CredentialChain::describe`] found: the step that would win and what it would
/// use, or none, plus the steps skipped before it and why. No network call is made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainDescription {
    /// The winning step's label (`env`, `cli_profile`, ...), `None` when every step fails.
    pub source: Option<String>,
    pub description: Description,
    pub tried: Vec<(String, String)>,
}

type Factory = Box<dyn Fn() -> Result<Arc<dyn ProvideCredentials>, CredentialsError> + Send + Sync>;

struct Step {
    label: String,
    /// The name the step's provider uses in its errors (`profile` for `ini_profile`).
    provider: &'static str,
    /// Prefix `default/` on the provider name.
    prefixed: bool,
    factory: Factory,
}

#[derive(Clone)]
struct Winner {
    label: String,
    prefixed: bool,
    provider: Arc<dyn ProvideCredentials>,
    tried: Vec<(String, String)>,
}

/// An ordered list of providers; the first that succeeds is used from then on.
pub struct CredentialChain {
    steps: Vec<Step>,
    winner: tokio::sync::Mutex<Option<Winner>>,
}

/// Builds the default chain with optional explicit credentials and overrides.
pub struct ChainBuilder {
    env: Arc<dyn EnvSource>,
    explicit: Option<Credentials>,
    profile: Option<String>,
    endpoints: Endpoints,
    clock: Arc<dyn Clock>,
}

impl ChainBuilder {
    /// Explicit credentials (a `--access-key-id` flag or config); they win over everything.
    pub fn explicit(mut self, credentials: Credentials) -> Self {
        self.explicit = Some(credentials);
        self
    }

    /// A profile name for the CLI and INI providers, over `ALIBABA_CLOUD_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// The clock of the caches of temporary credentials.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn build(self) -> CredentialChain {
        let ChainBuilder { env, explicit, profile, endpoints, clock } = self;
        let mut steps = Vec::new();
        let mut add = |label: &str, provider: &'static str, prefixed: bool, factory: Factory| {
            steps.push(Step { label: label.to_owned(), provider, prefixed, factory });
        };
        add(
            "static",
            "static",
            false,
            Box::new(move || match &explicit {
                Some(c) if !c.access_key_id.is_empty() && !c.access_key_secret.is_empty() => {
                    Ok(Arc::new(StaticProvider::from_credentials(c.clone())) as _)
                }
                Some(_) => Err(CredentialsError::not_configured(
                    "static",
                    "explicit AccessKey id or secret is empty",
                )),
                None => Err(CredentialsError::not_configured(
                    "static",
                    "no explicit AccessKey configured",
                )),
            }),
        );
        let e = env.clone();
        add(
            "env",
            ENV_PROVIDER,
            true,
            Box::new(move || Ok(Arc::new(EnvProvider::new(e.clone())) as _)),
        );
        let (e, sts, c) = (env.clone(), endpoints.sts.clone(), clock.clone());
        add(
            "oidc_role_arn",
            OIDC_PROVIDER,
            true,
            Box::new(move || {
                let p = OidcProvider::from_env(e.as_ref(), sts.as_deref())?;
                Ok(cached(p.into_arc(), c.clone()))
            }),
        );
        let (e, ep, c, prof) = (env.clone(), endpoints.clone(), clock.clone(), profile.clone());
        add(
            "cli_profile",
            CLI_PROVIDER,
            true,
            Box::new(move || {
                let mut p = CliProfileProvider::new(e.clone())
                    .with_endpoints(ep.clone())
                    .with_clock(c.clone());
                if let Some(name) = &prof {
                    p = p.with_profile(name.clone());
                }
                Ok(Arc::new(p) as _)
            }),
        );
        let (e, ep, c, prof) = (env.clone(), endpoints.clone(), clock.clone(), profile);
        add(
            "ini_profile",
            INI_PROVIDER,
            true,
            Box::new(move || {
                let mut p = IniProfileProvider::new(e.clone())
                    .with_endpoints(ep.clone())
                    .with_clock(c.clone());
                if let Some(name) = &prof {
                    p = p.with_profile(name.clone());
                }
                Ok(Arc::new(p) as _)
            }),
        );
        let (e, ecs, c) = (env.clone(), endpoints.ecs_metadata.clone(), clock.clone());
        add(
            "ecs_ram_role",
            ECS_PROVIDER,
            true,
            Box::new(move || {
                let p = EcsRamRoleProvider::from_env(e.as_ref(), ecs.as_deref())?;
                Ok(cached(p.into_arc(), c.clone()))
            }),
        );
        let (e, c) = (env, clock);
        add(
            "credentials_uri",
            URI_PROVIDER,
            true,
            Box::new(move || Ok(cached(UriProvider::from_env(e.as_ref())?.into_arc(), c.clone()))),
        );
        CredentialChain::from_steps(steps)
    }
}

/// The default chain over the real process environment ([`CredentialChain::new`]).
pub type DefaultChain = CredentialChain;

impl Default for CredentialChain {
    fn default() -> Self {
        Self::new()
    }
}

impl CredentialChain {
    /// The default chain over the process environment ([`ProcessEnv`]), real endpoints.
    pub fn new() -> Self {
        Self::default_chain(Arc::new(ProcessEnv))
    }

    /// The default chain over `env`, with the real endpoints.
    pub fn default_chain(env: Arc<dyn EnvSource>) -> Self {
        Self::builder(env).build()
    }

    pub fn builder(env: Arc<dyn EnvSource>) -> ChainBuilder {
        ChainBuilder {
            env,
            explicit: None,
            profile: None,
            endpoints: Endpoints::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// A custom chain of `(label, provider)` in order; names are not prefixed.
    pub fn from_providers(providers: Vec<(String, Arc<dyn ProvideCredentials>)>) -> Self {
        let steps = providers
            .into_iter()
            .map(|(label, p)| Step {
                label,
                provider: p.name(),
                prefixed: false,
                factory: Box::new(move || Ok(p.clone())),
            })
            .collect();
        Self::from_steps(steps)
    }

    fn from_steps(steps: Vec<Step>) -> Self {
        CredentialChain { steps, winner: tokio::sync::Mutex::new(None) }
    }

    /// The labels of the steps, in order.
    pub fn labels(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.label.as_str()).collect()
    }

    /// Which step would provide credentials and what it would use, from the environment
    /// and local files only: remote sources (STS, ECS metadata, a credentials URI) are
    /// reported by configuration, not contacted. Same order and skip reasons as `resolve`.
    pub fn describe(&self) -> ChainDescription {
        let mut tried: Vec<(String, String)> = Vec::new();
        for step in &self.steps {
            match (step.factory)().and_then(|p| p.describe()) {
                Ok(description) => {
                    let source = Some(step.label.clone());
                    return ChainDescription { source, description, tried };
                }
                Err(e) => tried.push((step.label.clone(), Self::skip_reason(step, &e))),
            }
        }
        ChainDescription { source: None, description: Description::default(), tried }
    }

    /// Why a step was skipped: its own reason, or the whole error when a nested provider
    /// failed.
    fn skip_reason(step: &Step, e: &CredentialsError) -> String {
        let own = e.provider() == step.label || e.provider() == step.provider;
        if own { e.reason() } else { e.to_string() }
    }

    /// Credentials and where they came from.
    pub async fn resolve(&self) -> Result<(Credentials, SourceReport), CredentialsError> {
        let mut slot = self.winner.lock().await;
        if let Some(w) = slot.clone() {
            drop(slot);
            let sourced = w.provider.provide_sourced().await?;
            return Ok(Self::finish(&w, sourced));
        }
        let mut tried: Vec<(String, String)> = Vec::new();
        for step in &self.steps {
            let outcome = match (step.factory)() {
                Ok(provider) => provider.provide_sourced().await.map(|s| (provider, s)),
                Err(e) => Err(e),
            };
            match outcome {
                Ok((provider, sourced)) => {
                    tracing::debug!(
                        provider = %step.label,
                        provider_name = %sourced.credentials.provider_name,
                        skipped = tried.len(),
                        "credentials provider selected"
                    );
                    let w = Winner {
                        label: step.label.clone(),
                        prefixed: step.prefixed,
                        provider,
                        tried,
                    };
                    *slot = Some(w.clone());
                    return Ok(Self::finish(&w, sourced));
                }
                Err(e) => {
                    let why = Self::skip_reason(step, &e);
                    tracing::debug!(provider = %step.label, reason = %why, "credentials provider skipped");
                    tried.push((step.label.clone(), why));
                }
            }
        }
        tracing::debug!(tried = tried.len(), "no credentials provider succeeded");
        Err(CredentialsError::NotFound { tried })
    }

    fn finish(w: &Winner, sourced: Sourced) -> (Credentials, SourceReport) {
        let Sourced { mut credentials, details } = sourced;
        if w.prefixed {
            credentials = credentials.prefixed("default");
        }
        let report = SourceReport {
            source: w.label.clone(),
            variables: details.variables,
            profile: details.profile,
            file: details.file,
            tried: w.tried.clone(),
        };
        (credentials, report)
    }
}

impl fmt::Debug for CredentialChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let winner = self.winner.try_lock().ok().and_then(|w| w.as_ref().map(|w| w.label.clone()));
        f.debug_struct("CredentialChain")
            .field("steps", &self.labels())
            .field("winner", &winner)
            .finish()
    }
}

impl ProvideCredentials for CredentialChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.resolve().await.map(|(c, _)| c) })
    }

    fn name(&self) -> &'static str {
        "default"
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        let d = CredentialChain::describe(self);
        match d.source {
            Some(_) => Ok(d.description),
            None => Err(CredentialsError::NotFound { tried: d.tried }),
        }
    }
}
