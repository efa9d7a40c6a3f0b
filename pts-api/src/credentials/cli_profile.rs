//! [`CliProfileProvider`]: credentials from an aliyun CLI profile (`~/.aliyun/config.json`).
//!
//! Modes: `AK`, `StsToken`, `RamRoleArn` (AK + `AssumeRole`), `ChainableRamRoleArn`
//! (`source_profile`, recursively, cycles rejected), `EcsRamRole`, and `OIDC`. Other modes
//! (`CloudSSO`, `OAuth`, `External`, ...) give an "unsupported mode" error. Skipped when
//! `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`. Provider name `cli_profile/<inner>`, e.g.
//! `cli_profile/static_ak` or `cli_profile/ram_role_arn/static_ak`.
//!
//! The file is read on first use; the provider tree built from it is kept, so temporary
//! credentials stay cached across calls.

use std::path::PathBuf;
use std::sync::Arc;

use super::assume_role::{AssumeRoleConfig, AssumeRoleProvider};
use super::cache::{Clock, SystemClock, cached};
use super::cli_config::{
    CLI_PROVIDER, CliConfig, CliProfile, ENV_CLI_PROFILE_DISABLED, cli_config_path,
};
use super::ecs::{ENV_IMDSV1_DISABLED, EcsConfig, EcsRamRoleProvider};
use super::env::{EnvSource, flag};
use super::error::CredentialsError;
use super::oidc::{OidcConfig, OidcProvider};
use super::provider::{
    BoxFuture, Built, Description, Endpoints, ProvideCredentials, SourceDetails, Sourced,
    StaticProvider,
};
use super::secret::Credentials;
use super::sts::{DEFAULT_DURATION_SECONDS, StsEndpoint};

type Shared = Arc<dyn ProvideCredentials>;

/// Credentials from a profile of the aliyun CLI config.
pub struct CliProfileProvider {
    env: Arc<dyn EnvSource>,
    profile: Option<String>,
    path: Option<PathBuf>,
    endpoints: Endpoints,
    clock: Arc<dyn Clock>,
    built: tokio::sync::Mutex<Option<Built>>,
}

impl CliProfileProvider {
    pub fn new(env: Arc<dyn EnvSource>) -> Self {
        CliProfileProvider {
            env,
            profile: None,
            path: None,
            endpoints: Endpoints::default(),
            clock: Arc::new(SystemClock),
            built: tokio::sync::Mutex::new(None),
        }
    }

    /// Uses this profile instead of `ALIBABA_CLOUD_PROFILE` / `current`.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn with_endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn build(&self) -> Result<Built, CredentialsError> {
        let path = match &self.path {
            Some(p) => p.clone(),
            None => cli_config_path(self.env.as_ref()).ok_or_else(|| {
                CredentialsError::not_configured(
                    CLI_PROVIDER,
                    "no home directory to find ~/.aliyun/config.json",
                )
            })?,
        };
        let config = CliConfig::load(&path)?;
        let (name, var) = config.selected_name(self.env.as_ref(), self.profile.as_deref());
        let mut visited = Vec::new();
        let provider = self.profile_provider(&config, &name, &mut visited)?;
        let mode = config.profile(&name).map(|p| p.mode.clone()).unwrap_or_default();
        tracing::debug!(provider = CLI_PROVIDER, profile = %name, file = %path.display(), "CLI profile loaded");
        Ok(Built {
            provider,
            details: SourceDetails {
                variables: var.map(|v| vec![v.to_owned()]).unwrap_or_default(),
                profile: Some(name),
                file: Some(path),
            },
            mode,
        })
    }

    fn profile_provider(
        &self,
        config: &CliConfig,
        name: &str,
        visited: &mut Vec<String>,
    ) -> Result<Shared, CredentialsError> {
        if visited.iter().any(|v| v == name) {
            visited.push(name.to_owned());
            return Err(CredentialsError::invalid(
                CLI_PROVIDER,
                format!("source_profile cycle: {}", visited.join(" -> ")),
            ));
        }
        visited.push(name.to_owned());
        let p = config.profile(name).ok_or_else(|| {
            CredentialsError::invalid(CLI_PROVIDER, format!("profile `{name}` not found"))
        })?;
        let missing = |key: &str| {
            CredentialsError::invalid(
                CLI_PROVIDER,
                format!("profile `{name}` (mode {}) has no {key}", p.mode),
            )
        };
        let need = |value: Option<&str>, key: &str| -> Result<String, CredentialsError> {
            value.map(str::to_owned).ok_or_else(|| missing(key))
        };
        let ak = |with_token: bool| -> Result<StaticProvider, CredentialsError> {
            let id = need(CliProfile::field(&p.access_key_id), "access_key_id")?;
            let secret = p
                .access_key_secret
                .clone()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| missing("access_key_secret"))?;
            if !with_token {
                return Ok(StaticProvider::new(id, secret));
            }
            let token = p
                .sts_token
                .clone()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| missing("sts_token"))?;
            Ok(StaticProvider::with_token(id, secret, token))
        };
        let role = |p: &CliProfile| -> Result<AssumeRoleConfig, CredentialsError> {
            let mut c =
                AssumeRoleConfig::new(need(CliProfile::field(&p.ram_role_arn), "ram_role_arn")?);
            c.role_session_name = CliProfile::field(&p.ram_session_name).map(str::to_owned);
            c.duration_seconds =
                p.expired_seconds.filter(|s| *s > 0).unwrap_or(DEFAULT_DURATION_SECONDS);
            c.policy = CliProfile::field(&p.policy).map(str::to_owned);
            c.external_id = CliProfile::field(&p.external_id).map(str::to_owned);
            c.endpoint = self.sts_endpoint(p);
            Ok(c)
        };
        let provider: Shared = match p.mode.as_str() {
            "AK" => Arc::new(ak(false)?),
            "StsToken" => Arc::new(ak(true)?),
            "RamRoleArn" => {
                let source: Shared = Arc::new(ak(false)?);
                cached(AssumeRoleProvider::new(source, role(p)?).into_arc(), self.clock.clone())
            }
            "ChainableRamRoleArn" => {
                let source_name = need(CliProfile::field(&p.source_profile), "source_profile")?;
                let config_for_role = role(p)?;
                let source = self.profile_provider(config, &source_name, visited)?;
                cached(
                    AssumeRoleProvider::new(source, config_for_role).into_arc(),
                    self.clock.clone(),
                )
            }
            "EcsRamRole" => {
                let ecs = EcsConfig {
                    role_name: CliProfile::field(&p.ram_role_name).map(str::to_owned),
                    base_url: self.ecs_base(),
                    disable_imds_v1: flag(self.env.as_ref(), ENV_IMDSV1_DISABLED),
                    ..EcsConfig::default()
                };
                cached(EcsRamRoleProvider::new(ecs).into_arc(), self.clock.clone())
            }
            "OIDC" => {
                let mut c = OidcConfig::new(
                    need(CliProfile::field(&p.ram_role_arn), "ram_role_arn")?,
                    need(CliProfile::field(&p.oidc_provider_arn), "oidc_provider_arn")?,
                    need(CliProfile::field(&p.oidc_token_file), "oidc_token_file")?,
                );
                c.role_session_name = CliProfile::field(&p.role_session_name)
                    .or(CliProfile::field(&p.ram_session_name))
                    .map(str::to_owned);
                c.duration_seconds =
                    p.expired_seconds.filter(|s| *s > 0).unwrap_or(DEFAULT_DURATION_SECONDS);
                c.policy = CliProfile::field(&p.policy).map(str::to_owned);
                c.endpoint = self.sts_endpoint(p);
                cached(OidcProvider::new(c).into_arc(), self.clock.clone())
            }
            "" => {
                return Err(CredentialsError::invalid(
                    CLI_PROVIDER,
                    format!("profile `{name}` has no mode"),
                ));
            }
            other => {
                return Err(CredentialsError::invalid(
                    CLI_PROVIDER,
                    format!(
                        "profile `{name}`: unsupported mode `{other}` (supported: AK, StsToken, \
                         RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC)"
                    ),
                ));
            }
        };
        Ok(provider)
    }

    fn sts_endpoint(&self, p: &CliProfile) -> StsEndpoint {
        StsEndpoint::from_env(
            self.env.as_ref(),
            self.endpoints.sts.as_deref(),
            CliProfile::field(&p.sts_region),
            p.enable_vpc.unwrap_or(false),
        )
    }

    fn ecs_base(&self) -> String {
        self.endpoints
            .ecs_metadata
            .clone()
            .unwrap_or_else(|| super::ecs::DEFAULT_METADATA_URL.to_owned())
    }

    async fn fetch(&self) -> Result<Sourced, CredentialsError> {
        if flag(self.env.as_ref(), ENV_CLI_PROFILE_DISABLED) {
            return Err(CredentialsError::disabled(
                CLI_PROVIDER,
                format!("{ENV_CLI_PROFILE_DISABLED}=true"),
            ));
        }
        Built::fetch(&self.built, || self.build(), CLI_PROVIDER).await
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.fetch().await.map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        CLI_PROVIDER
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        if flag(self.env.as_ref(), ENV_CLI_PROFILE_DISABLED) {
            return Err(CredentialsError::disabled(
                CLI_PROVIDER,
                format!("{ENV_CLI_PROFILE_DISABLED}=true"),
            ));
        }
        Built::describe(|| self.build())
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
