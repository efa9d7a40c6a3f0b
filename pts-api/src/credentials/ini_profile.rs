//! [`IniProfileProvider`]: credentials from the INI credentials file.
//!
//! File: `ALIBABA_CLOUD_CREDENTIALS_FILE` (must exist when set), else
//! `~/.alibabacloud/credentials.ini`, else the older `~/.alibabacloud/credentials`.
//! Section: `ALIBABA_CLOUD_PROFILE`, else `default`. Types: `access_key`, `ram_role_arn`,
//! `ecs_ram_role`, `oidc_role_arn`. There is no `sts` type (static STS credentials come
//! from the environment, a CLI `StsToken` profile or explicit config); `rsa_key_pair` and any
//! other type give "unsupported credential type". Provider name `profile/<inner>`, e.g.
//! `profile/static_ak`, `profile/ram_role_arn/static_ak`.

use std::path::PathBuf;
use std::sync::Arc;

use super::assume_role::{AssumeRoleConfig, AssumeRoleProvider};
use super::cache::{Clock, SystemClock, cached};
use super::ecs::{ENV_IMDSV1_DISABLED, EcsConfig, EcsRamRoleProvider};
use super::env::{EnvSource, flag, home_path, non_empty};
use super::error::CredentialsError;
use super::ini::{IniFile, IniSection};
use super::oidc::{OidcConfig, OidcProvider};
use super::provider::{
    BoxFuture, Built, Description, Endpoints, ProvideCredentials, SourceDetails, Sourced,
    StaticProvider,
};
use super::secret::{Credentials, Secret};
use super::sts::StsEndpoint;

pub const INI_PROVIDER: &str = "profile";
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// Which credentials file applies, and the variable that named it (if one did).
/// `Ok(None)`: no file exists in the default places.
pub fn ini_credentials_path(
    env: &dyn EnvSource,
) -> Result<Option<(PathBuf, Option<&'static str>)>, CredentialsError> {
    if let Some(path) = non_empty(env, ENV_CREDENTIALS_FILE) {
        let path = PathBuf::from(path.trim());
        if !path.is_file() {
            return Err(CredentialsError::invalid(
                INI_PROVIDER,
                format!("{ENV_CREDENTIALS_FILE} names {}, which does not exist", path.display()),
            ));
        }
        return Ok(Some((path, Some(ENV_CREDENTIALS_FILE))));
    }
    for name in ["credentials.ini", "credentials"] {
        if let Some(path) = home_path(env, &[".alibabacloud", name])
            && path.is_file()
        {
            return Ok(Some((path, None)));
        }
    }
    Ok(None)
}

/// Credentials from a section of the INI credentials file.
pub struct IniProfileProvider {
    env: Arc<dyn EnvSource>,
    profile: Option<String>,
    endpoints: Endpoints,
    clock: Arc<dyn Clock>,
    built: tokio::sync::Mutex<Option<Built>>,
}

impl IniProfileProvider {
    pub fn new(env: Arc<dyn EnvSource>) -> Self {
        IniProfileProvider {
            env,
            profile: None,
            endpoints: Endpoints::default(),
            clock: Arc::new(SystemClock),
            built: tokio::sync::Mutex::new(None),
        }
    }

    /// Uses this section instead of `ALIBABA_CLOUD_PROFILE` / `default`.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
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
        let env = self.env.as_ref();
        let (path, path_var) = ini_credentials_path(env)?.ok_or_else(|| {
            CredentialsError::not_configured(
                INI_PROVIDER,
                format!(
                    "{ENV_CREDENTIALS_FILE} not set and neither ~/.alibabacloud/credentials.ini \
                     nor ~/.alibabacloud/credentials exists"
                ),
            )
        })?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            CredentialsError::invalid(INI_PROVIDER, format!("cannot read {}: {e}", path.display()))
        })?;
        let file = IniFile::parse(&text).map_err(|e| {
            CredentialsError::invalid(INI_PROVIDER, format!("{}: {e}", path.display()))
        })?;
        let mut variables: Vec<String> = path_var.map(str::to_owned).into_iter().collect();
        let name = match (&self.profile, super::env::profile_from_env(env)) {
            (Some(explicit), _) => explicit.clone(),
            (None, Some((from_env, var))) => {
                variables.push(var.to_owned());
                from_env
            }
            (None, None) => "default".to_owned(),
        };
        let section = file.section(&name).ok_or_else(|| {
            CredentialsError::invalid(
                INI_PROVIDER,
                format!("section [{name}] not found in {}", path.display()),
            )
        })?;
        let provider = self.section_provider(&name, section)?;
        let mode = section.get("type").unwrap_or("").to_owned();
        tracing::debug!(provider = INI_PROVIDER, profile = %name, file = %path.display(), "INI profile loaded");
        Ok(Built {
            provider,
            details: SourceDetails { variables, profile: Some(name), file: Some(path) },
            mode,
        })
    }

    fn section_provider(
        &self,
        name: &str,
        s: &IniSection,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let kind = s.get("type").unwrap_or("");
        let need = |key: &str| -> Result<String, CredentialsError> {
            s.get(key).map(str::to_owned).ok_or_else(|| {
                CredentialsError::invalid(
                    INI_PROVIDER,
                    format!("section [{name}] (type {kind}) has no {key}"),
                )
            })
        };
        let opt = |key: &str| s.get(key).map(str::to_owned);
        let sts =
            StsEndpoint::from_env(self.env.as_ref(), self.endpoints.sts.as_deref(), None, false);
        let provider: Arc<dyn ProvideCredentials> = match kind {
            "access_key" => Arc::new(StaticProvider::new(
                need("access_key_id")?,
                Secret::new(need("access_key_secret")?),
            )),
            "ram_role_arn" => {
                let source = Arc::new(StaticProvider::new(
                    need("access_key_id")?,
                    Secret::new(need("access_key_secret")?),
                ));
                let mut c = AssumeRoleConfig::new(need("role_arn")?);
                c.role_session_name = opt("role_session_name");
                c.policy = opt("policy");
                c.external_id = opt("external_id");
                c.endpoint = sts;
                cached(AssumeRoleProvider::new(source, c).into_arc(), self.clock.clone())
            }
            "ecs_ram_role" => {
                let ecs = EcsConfig {
                    role_name: opt("role_name"),
                    base_url: self
                        .endpoints
                        .ecs_metadata
                        .clone()
                        .unwrap_or_else(|| super::ecs::DEFAULT_METADATA_URL.to_owned()),
                    disable_imds_v1: flag(self.env.as_ref(), ENV_IMDSV1_DISABLED),
                    ..EcsConfig::default()
                };
                cached(EcsRamRoleProvider::new(ecs).into_arc(), self.clock.clone())
            }
            "oidc_role_arn" => {
                let mut c = OidcConfig::new(
                    need("role_arn")?,
                    need("oidc_provider_arn")?,
                    need("oidc_token_file_path")?,
                );
                c.role_session_name = opt("role_session_name");
                c.policy = opt("policy");
                c.endpoint = sts;
                cached(OidcProvider::new(c).into_arc(), self.clock.clone())
            }
            other => {
                return Err(CredentialsError::invalid(
                    INI_PROVIDER,
                    format!(
                        "section [{name}]: unsupported credential type `{other}` (supported: \
                         access_key, ram_role_arn, ecs_ram_role, oidc_role_arn)"
                    ),
                ));
            }
        };
        Ok(provider)
    }

    async fn fetch(&self) -> Result<Sourced, CredentialsError> {
        Built::fetch(&self.built, || self.build(), INI_PROVIDER).await
    }
}

impl ProvideCredentials for IniProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.fetch().await.map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        INI_PROVIDER
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        Built::describe(|| self.build())
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
