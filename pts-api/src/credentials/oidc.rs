//! [`OidcProvider`]: STS `AssumeRoleWithOIDC` with a token file (RRSA on ACK).
//!
//! Configured by `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
//! `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (all three needed) and optionally
//! `ALIBABA_CLOUD_ROLE_SESSION_NAME`, or by an INI/CLI profile. The call is anonymous, as in
//! the SDK: no AccessKey, no signature; the OIDC token in the form body is the proof. The
//! token file is re-read on every refresh, because it is rotated. Provider name
//! `oidc_role_arn`. Wrap in [`super::CachedProvider`] to cache (the chain does).

use std::path::PathBuf;
use std::sync::Arc;

use super::env::{EnvSource, non_empty};
use super::error::CredentialsError;
use super::http;
use super::provider::{BoxFuture, Description, ProvideCredentials, SourceDetails, Sourced};
use super::secret::Credentials;
use super::sts::{self, DEFAULT_DURATION_SECONDS, STS_VERSION, StsCall, StsEndpoint};
use crate::wire::encode;

pub const OIDC_PROVIDER: &str = "oidc_role_arn";

pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

/// What `AssumeRoleWithOIDC` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    pub role_arn: String,
    pub oidc_provider_arn: String,
    pub token_file: PathBuf,
    /// Default: `pts-<unix time>`.
    pub role_session_name: Option<String>,
    pub policy: Option<String>,
    pub duration_seconds: u32,
    pub endpoint: StsEndpoint,
}

impl OidcConfig {
    pub fn new(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        OidcConfig {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            role_session_name: None,
            policy: None,
            duration_seconds: DEFAULT_DURATION_SECONDS,
            endpoint: StsEndpoint::default(),
        }
    }
}

/// `AssumeRoleWithOIDC` provider.
#[derive(Debug, Clone)]
pub struct OidcProvider {
    config: OidcConfig,
    details: SourceDetails,
}

impl OidcProvider {
    pub fn new(config: OidcConfig) -> Self {
        let details =
            SourceDetails { file: Some(config.token_file.clone()), ..SourceDetails::default() };
        OidcProvider { config, details }
    }

    /// Builds the provider from the `ALIBABA_CLOUD_*` OIDC variables; `NotConfigured` names
    /// the missing ones. `sts_override` replaces the STS endpoint (tests).
    pub fn from_env(
        env: &dyn EnvSource,
        sts_override: Option<&str>,
    ) -> Result<Self, CredentialsError> {
        let role_arn = non_empty(env, ENV_ROLE_ARN);
        let provider_arn = non_empty(env, ENV_OIDC_PROVIDER_ARN);
        let token_file = non_empty(env, ENV_OIDC_TOKEN_FILE);
        let (Some(role_arn), Some(provider_arn), Some(token_file)) =
            (role_arn.clone(), provider_arn.clone(), token_file.clone())
        else {
            let missing: Vec<&str> = [
                (ENV_OIDC_TOKEN_FILE, token_file.is_none()),
                (ENV_ROLE_ARN, role_arn.is_none()),
                (ENV_OIDC_PROVIDER_ARN, provider_arn.is_none()),
            ]
            .into_iter()
            .filter_map(|(n, m)| m.then_some(n))
            .collect();
            return Err(CredentialsError::not_configured(
                OIDC_PROVIDER,
                format!("{} not set", missing.join(", ")),
            ));
        };
        let mut config = OidcConfig::new(role_arn.trim(), provider_arn.trim(), token_file.trim());
        let mut variables = vec![
            ENV_OIDC_TOKEN_FILE.to_owned(),
            ENV_ROLE_ARN.to_owned(),
            ENV_OIDC_PROVIDER_ARN.to_owned(),
        ];
        if let Some(name) = non_empty(env, ENV_ROLE_SESSION_NAME) {
            config.role_session_name = Some(name.trim().to_owned());
            variables.push(ENV_ROLE_SESSION_NAME.to_owned());
        }
        config.endpoint = StsEndpoint::from_env(env, sts_override, None, false);
        let mut provider = Self::new(config);
        provider.details.variables = variables;
        Ok(provider)
    }

    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    pub fn into_arc(self) -> Arc<dyn ProvideCredentials> {
        Arc::new(self)
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let c = &self.config;
        let token = std::fs::read_to_string(&c.token_file).map_err(|e| {
            CredentialsError::invalid(
                OIDC_PROVIDER,
                format!("cannot read OIDC token file {}: {e}", c.token_file.display()),
            )
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::invalid(
                OIDC_PROVIDER,
                format!("OIDC token file {} is empty", c.token_file.display()),
            ));
        }
        let base = c.endpoint.base_url();
        let mut url = http::parse_url(OIDC_PROVIDER, "STS endpoint", &format!("{base}/"))?;
        let timestamp = crate::wire::format_date(std::time::SystemTime::now());
        url.set_query(Some(&encode::form_pairs([
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "JSON"),
            ("Version", STS_VERSION),
            ("Timestamp", timestamp.as_str()),
        ])));
        let mut form = vec![
            ("DurationSeconds", c.duration_seconds.to_string()),
            ("OIDCProviderArn", c.oidc_provider_arn.clone()),
            ("OIDCToken", token.to_owned()),
            ("RoleArn", c.role_arn.clone()),
            (
                "RoleSessionName",
                c.role_session_name.clone().unwrap_or_else(sts::default_session_name),
            ),
        ];
        if let Some(policy) = c.policy.as_ref().filter(|p| !p.is_empty()) {
            form.push(("Policy", policy.clone()));
        }
        let credentials = sts::send(StsCall {
            provider: OIDC_PROVIDER,
            action: "AssumeRoleWithOIDC",
            url,
            headers: vec![
                ("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
                ("accept".to_owned(), "application/json".to_owned()),
            ],
            body: encode::form_body(&form).into_bytes(),
        })
        .await?;
        Ok(credentials.with_provider_name(OIDC_PROVIDER))
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }

    fn name(&self) -> &'static str {
        OIDC_PROVIDER
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        Ok(Description::remote("STS AssumeRoleWithOIDC", self.details.clone()))
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(async move {
            let credentials = self.fetch().await?;
            Ok(Sourced { credentials, details: self.details.clone() })
        })
    }
}
