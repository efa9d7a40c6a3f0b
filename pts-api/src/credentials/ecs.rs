//! [`EcsRamRoleProvider`]: the RAM role attached to an ECS instance, from the instance
//! metadata service.
//!
//! 1. IMDSv2 token: `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds`.
//!    If that fails the provider falls back to v1 (no token) unless
//!    `ALIBABA_CLOUD_IMDSV1_DISABLED=true`. If the service cannot be reached at all the
//!    provider gives up at once instead of trying v1 against the same dead address.
//! 2. Role name: given (`ALIBABA_CLOUD_ECS_METADATA`, profile) or discovered with
//!    `GET /latest/meta-data/ram/security-credentials/`.
//! 3. `GET /latest/meta-data/ram/security-credentials/<role>` → JSON with `Code`,
//!    `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`.
//!
//! Connect and read timeouts are 1 s; proxies are never used. Skipped when
//! `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`. Provider name `ecs_ram_role`.

use std::sync::Arc;

use super::env::{EnvSource, flag, non_empty};
use super::error::CredentialsError;
use super::http::{self, Timeouts};
use super::provider::{BoxFuture, Description, ProvideCredentials, SourceDetails, Sourced};
use super::secret::Credentials;

pub const ECS_PROVIDER: &str = "ecs_ram_role";
/// The metadata service. Never contacted by tests, which pass a loopback base URL.
pub const DEFAULT_METADATA_URL: &str = "http://100.100.100.200";
pub const ENV_ECS_ROLE: &str = "ALIBABA_CLOUD_ECS_METADATA";
pub const ENV_ECS_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
const TOKEN_TTL_SECONDS: &str = "21600";

/// ECS metadata settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcsConfig {
    /// `None`: discover the role attached to the instance.
    pub role_name: Option<String>,
    /// Base URL of the metadata service (default [`DEFAULT_METADATA_URL`]).
    pub base_url: String,
    /// Require an IMDSv2 token (no v1 fallback).
    pub disable_imds_v1: bool,
    pub timeouts: Timeouts,
}

impl Default for EcsConfig {
    fn default() -> Self {
        EcsConfig {
            role_name: None,
            base_url: DEFAULT_METADATA_URL.to_owned(),
            disable_imds_v1: false,
            timeouts: Timeouts::METADATA,
        }
    }
}

/// ECS RAM role provider. Wrap in [`super::CachedProvider`] to cache (the chain does).
#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    config: EcsConfig,
    details: SourceDetails,
}

impl EcsRamRoleProvider {
    pub fn new(config: EcsConfig) -> Self {
        EcsRamRoleProvider { config, details: SourceDetails::default() }
    }

    /// From the environment: `Disabled` when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
    /// role from `ALIBABA_CLOUD_ECS_METADATA`; `base_override` replaces the service URL.
    pub fn from_env(
        env: &dyn EnvSource,
        base_override: Option<&str>,
    ) -> Result<Self, CredentialsError> {
        if flag(env, ENV_ECS_DISABLED) {
            return Err(CredentialsError::disabled(
                ECS_PROVIDER,
                format!("{ENV_ECS_DISABLED}=true"),
            ));
        }
        let mut variables = Vec::new();
        let role_name = non_empty(env, ENV_ECS_ROLE).map(|r| {
            variables.push(ENV_ECS_ROLE.to_owned());
            r.trim().to_owned()
        });
        let config = EcsConfig {
            role_name,
            base_url: base_override.unwrap_or(DEFAULT_METADATA_URL).to_owned(),
            disable_imds_v1: flag(env, ENV_IMDSV1_DISABLED),
            timeouts: Timeouts::METADATA,
        };
        let mut provider = Self::new(config);
        provider.details.variables = variables;
        Ok(provider)
    }

    pub fn config(&self) -> &EcsConfig {
        &self.config
    }

    pub fn into_arc(self) -> Arc<dyn ProvideCredentials> {
        Arc::new(self)
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, CredentialsError> {
        let base = self.config.base_url.trim_end_matches('/');
        http::parse_url(ECS_PROVIDER, "ECS metadata URL", &format!("{base}{path}"))
    }

    /// IMDSv2 token. `Ok(None)`: fall back to v1. `Err`: give up.
    async fn token(&self, client: &reqwest::Client) -> Result<Option<String>, CredentialsError> {
        let url = self.url(TOKEN_PATH)?;
        let shown = http::display_url(&url);
        let result = client.put(url).header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS).send().await;
        let failure = match result {
            Ok(resp) if resp.status().is_success() => match resp.text().await {
                Ok(token) if !token.trim().is_empty() => return Ok(Some(token.trim().to_owned())),
                Ok(_) => "empty token".to_owned(),
                Err(e) => http::describe_error(e),
            },
            Ok(resp) => format!("HTTP {}", resp.status().as_u16()),
            Err(e) if e.is_connect() || e.is_timeout() => {
                return Err(CredentialsError::transport(
                    ECS_PROVIDER,
                    format!("metadata service {shown} unreachable: {}", http::describe_error(e)),
                ));
            }
            Err(e) => http::describe_error(e),
        };
        if self.config.disable_imds_v1 {
            return Err(CredentialsError::transport(
                ECS_PROVIDER,
                format!(
                    "IMDSv2 token from {shown} failed ({failure}) and {ENV_IMDSV1_DISABLED}=true"
                ),
            ));
        }
        tracing::debug!(provider = ECS_PROVIDER, reason = %failure, "no IMDSv2 token; falling back to IMDSv1");
        Ok(None)
    }

    async fn get(
        &self,
        client: &reqwest::Client,
        path: &str,
        token: Option<&str>,
    ) -> Result<String, CredentialsError> {
        let url = self.url(path)?;
        let shown = http::display_url(&url);
        let mut request = client.get(url);
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        let fail =
            |msg: String| CredentialsError::transport(ECS_PROVIDER, format!("GET {shown}: {msg}"));
        let resp = request.send().await.map_err(|e| fail(http::describe_error(e)))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| fail(http::describe_error(e)))?;
        if !(200..300).contains(&status) {
            return Err(CredentialsError::Remote {
                provider: ECS_PROVIDER.to_owned(),
                status: Some(status),
                code: None,
                request_id: None,
                reason: format!("GET {shown} refused"),
            });
        }
        Ok(text)
    }

    async fn fetch(&self) -> Result<Sourced, CredentialsError> {
        let client = http::client(ECS_PROVIDER, self.config.timeouts, true)?;
        let token = self.token(&client).await?;
        let role = match &self.config.role_name {
            Some(role) => role.clone(),
            None => {
                let listing = self.get(&client, CREDENTIALS_PATH, token.as_deref()).await?;
                listing
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        CredentialsError::not_configured(
                            ECS_PROVIDER,
                            "no RAM role is attached to this instance",
                        )
                    })?
            }
        };
        let path = format!("{CREDENTIALS_PATH}{role}");
        let body = self.get(&client, &path, token.as_deref()).await?;
        let json: http::TemporaryCredentialsJson = serde_json::from_str(&body).map_err(|_| {
            CredentialsError::transport(
                ECS_PROVIDER,
                "metadata service answered a body that is not credentials JSON",
            )
        })?;
        let credentials = json.into_credentials(ECS_PROVIDER, "metadata service")?;
        tracing::debug!(provider = ECS_PROVIDER, role = %role, imds_v2 = token.is_some(), "ECS role credentials fetched");
        Ok(Sourced { credentials, details: self.details.clone() })
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.fetch().await.map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        ECS_PROVIDER
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        Ok(Description::remote("the ECS metadata service", self.details.clone()))
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
