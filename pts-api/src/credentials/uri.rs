//! [`UriProvider`]: credentials from an HTTP endpoint (`ALIBABA_CLOUD_CREDENTIALS_URI`).
//!
//! `GET <uri>` must answer JSON with `Code` (`Success`), `AccessKeyId`, `AccessKeySecret`,
//! `SecurityToken` and `Expiration`. Only the URI's scheme, host and path are ever shown
//! (its query may hold a secret). Provider name `credential_uri`.

use std::sync::Arc;

use super::env::{EnvSource, non_empty};
use super::error::CredentialsError;
use super::http::{self, Timeouts};
use super::provider::{BoxFuture, Description, ProvideCredentials, SourceDetails, Sourced};
use super::secret::Credentials;

pub const URI_PROVIDER: &str = "credential_uri";
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// Credentials-URI provider. Wrap in [`super::CachedProvider`] to cache (the chain does).
#[derive(Debug, Clone)]
pub struct UriProvider {
    uri: String,
    timeouts: Timeouts,
    details: SourceDetails,
}

impl UriProvider {
    pub fn new(uri: impl Into<String>) -> Self {
        UriProvider {
            uri: uri.into(),
            timeouts: Timeouts::REMOTE,
            details: SourceDetails::default(),
        }
    }

    /// `NotConfigured` unless `ALIBABA_CLOUD_CREDENTIALS_URI` is set.
    pub fn from_env(env: &dyn EnvSource) -> Result<Self, CredentialsError> {
        let uri = non_empty(env, ENV_CREDENTIALS_URI).ok_or_else(|| {
            CredentialsError::not_configured(URI_PROVIDER, format!("{ENV_CREDENTIALS_URI} not set"))
        })?;
        let mut provider = Self::new(uri.trim());
        provider.details.variables = vec![ENV_CREDENTIALS_URI.to_owned()];
        Ok(provider)
    }

    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    pub fn into_arc(self) -> Arc<dyn ProvideCredentials> {
        Arc::new(self)
    }

    async fn fetch(&self) -> Result<Sourced, CredentialsError> {
        let url = http::parse_url(URI_PROVIDER, ENV_CREDENTIALS_URI, &self.uri)?;
        let shown = http::display_url(&url);
        let client = http::client(URI_PROVIDER, self.timeouts, http::direct(&url))?;
        let fail =
            |msg: String| CredentialsError::transport(URI_PROVIDER, format!("GET {shown}: {msg}"));
        tracing::debug!(provider = URI_PROVIDER, endpoint = %shown, "fetching credentials URI");
        let resp = client.get(url).send().await.map_err(|e| fail(http::describe_error(e)))?;
        let status = resp.status().as_u16();
        let body = resp.text().await.map_err(|e| fail(http::describe_error(e)))?;
        if !(200..300).contains(&status) {
            return Err(CredentialsError::Remote {
                provider: URI_PROVIDER.to_owned(),
                status: Some(status),
                code: None,
                request_id: None,
                reason: format!("GET {shown} refused"),
            });
        }
        let json: http::TemporaryCredentialsJson = serde_json::from_str(&body)
            .map_err(|_| fail("the body is not credentials JSON".to_owned()))?;
        let credentials = json.into_credentials(URI_PROVIDER, &shown)?;
        Ok(Sourced { credentials, details: self.details.clone() })
    }
}

impl ProvideCredentials for UriProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.fetch().await.map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        URI_PROVIDER
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        Ok(Description::remote("the credentials URI", self.details.clone()))
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
