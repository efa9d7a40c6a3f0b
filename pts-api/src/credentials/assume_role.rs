//! [`AssumeRoleProvider`]: STS `AssumeRole` (2015-04-01, RPC style, signed with the source
//! credentials through [`crate::wire::build_signed_request`]).
//!
//! Used by CLI profiles `RamRoleArn` / `ChainableRamRoleArn` and INI `ram_role_arn`. The
//! role parameters travel in the form body; the common and auth params in the query (v1,
//! HMAC-SHA1, as the credentials SDK signs STS calls) or in headers (v3, opt-in). The
//! provider name is `ram_role_arn/<source provider>`, e.g. `ram_role_arn/static_ak`. Wrap in
//! [`super::CachedProvider`] to cache (profiles and the chain do).

use std::sync::Arc;
use std::time::SystemTime;

use super::error::CredentialsError;
use super::http;
use super::provider::{BoxFuture, Description, ProvideCredentials, Sourced};
use super::secret::Credentials;
use super::sts::{self, DEFAULT_DURATION_SECONDS, STS_VERSION, StsCall, StsEndpoint};
use crate::wire::{
    RpcRequestParts, SignatureVersion, SigningKey, build_signed_request, format_date, new_nonce,
};

pub const RAM_ROLE_ARN_PROVIDER: &str = "ram_role_arn";

/// What `AssumeRole` needs besides the source credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleConfig {
    pub role_arn: String,
    /// Default: `pts-<unix time>`.
    pub role_session_name: Option<String>,
    /// Default 3600.
    pub duration_seconds: u32,
    pub policy: Option<String>,
    pub external_id: Option<String>,
    pub endpoint: StsEndpoint,
    /// Default v1 (HMAC-SHA1), like the credentials SDK.
    pub signature: SignatureVersion,
}

impl AssumeRoleConfig {
    pub fn new(role_arn: impl Into<String>) -> Self {
        AssumeRoleConfig {
            role_arn: role_arn.into(),
            role_session_name: None,
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
            external_id: None,
            endpoint: StsEndpoint::default(),
            signature: SignatureVersion::V1,
        }
    }
}

/// The `user-agent` of STS calls.
fn user_agent() -> String {
    format!(
        "AlibabaCloud ({}; {}) Rust pts/{} TeaDSL/2 credentials",
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("CARGO_PKG_VERSION")
    )
}

/// Assumes a RAM role with credentials from `source`.
pub struct AssumeRoleProvider {
    source: Arc<dyn ProvideCredentials>,
    config: AssumeRoleConfig,
}

impl AssumeRoleProvider {
    pub fn new(source: Arc<dyn ProvideCredentials>, config: AssumeRoleConfig) -> Self {
        AssumeRoleProvider { source, config }
    }

    pub fn config(&self) -> &AssumeRoleConfig {
        &self.config
    }

    pub fn into_arc(self) -> Arc<dyn ProvideCredentials> {
        Arc::new(self)
    }

    async fn fetch(&self) -> Result<Sourced, CredentialsError> {
        let source = self.source.provide_sourced().await?;
        let src = &source.credentials;
        let c = &self.config;
        let base = c.endpoint.base_url();
        let mut url = http::parse_url(RAM_ROLE_ARN_PROVIDER, "STS endpoint", &format!("{base}/"))?;
        let mut host = url.host_str().unwrap_or_default().to_owned();
        if let Some(port) = url.port() {
            host.push_str(&format!(":{port}"));
        }
        let mut form = vec![
            ("DurationSeconds", c.duration_seconds.to_string()),
            ("RoleArn", c.role_arn.clone()),
            (
                "RoleSessionName",
                c.role_session_name
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(sts::default_session_name),
            ),
        ];
        if let Some(policy) = c.policy.as_ref().filter(|p| !p.is_empty()) {
            form.push(("Policy", policy.clone()));
        }
        if let Some(external_id) = c.external_id.as_ref().filter(|p| !p.is_empty()) {
            form.push(("ExternalId", external_id.clone()));
        }
        let user_agent = user_agent();
        let wire = build_signed_request(
            &RpcRequestParts {
                host: &host,
                action: "AssumeRole",
                version: STS_VERSION,
                query: &[],
                form: &form,
                user_agent: &user_agent,
                credentials_provider: &src.provider_name,
                retry: None,
            },
            &SigningKey {
                access_key_id: &src.access_key_id,
                access_key_secret: src.access_key_secret.expose(),
                security_token: src.security_token.as_ref().map(|t| t.expose()),
            },
            c.signature,
            &new_nonce(),
            &format_date(SystemTime::now()),
        );
        if !wire.query_string.is_empty() {
            url.set_query(Some(&wire.query_string));
        }
        tracing::debug!(
            provider = RAM_ROLE_ARN_PROVIDER,
            source = %src.provider_name,
            role_arn = %c.role_arn,
            "assuming RAM role"
        );
        let credentials = sts::send(StsCall {
            provider: RAM_ROLE_ARN_PROVIDER,
            action: "AssumeRole",
            url,
            headers: wire.headers,
            body: wire.body,
        })
        .await?
        .with_provider_name(format!("{RAM_ROLE_ARN_PROVIDER}/{}", src.provider_name));
        Ok(Sourced { credentials, details: source.details })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.fetch().await.map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        RAM_ROLE_ARN_PROVIDER
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        let source = self.source.describe()?;
        Ok(Description::remote("STS AssumeRole", source.details))
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
