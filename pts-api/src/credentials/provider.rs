//! The [`ProvideCredentials`] trait, the [`SourceDetails`] a provider reports, and the
//! [`StaticProvider`] for explicit AccessKeys.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use super::{Credentials, CredentialsError, Secret};

/// A boxed, `Send` future, so that providers can live behind `dyn ProvideCredentials`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a credential came from, for `pts whoami`. Names only, never values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDetails {
    /// Environment variable names that were used.
    pub variables: Vec<String>,
    /// The CLI or INI profile (section) name.
    pub profile: Option<String>,
    /// The file the credential was read from.
    pub file: Option<PathBuf>,
}

/// A credential together with where it came from.
#[derive(Debug, Clone)]
pub struct Sourced {
    pub credentials: Credentials,
    pub details: SourceDetails,
}

/// Something that can produce [`Credentials`]. Object safe: providers are used as
/// `Arc<dyn ProvideCredentials>`.
pub trait ProvideCredentials: Send + Sync {
    /// Produces credentials (from cache where the provider caches).
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// The provider's short name (`env`, `cli_profile`, `ecs_ram_role`, ...).
    fn name(&self) -> &'static str;

    /// Like [`provide`](Self::provide), also saying which variables/profile/file were used.
    /// The default reports nothing beyond the credential.
    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(async move {
            let credentials = self.provide().await?;
            Ok(Sourced { credentials, details: SourceDetails::default() })
        })
    }
}

/// Explicit credentials: provider name `static_ak`, or `static_sts` with a security token.
#[derive(Clone, Debug)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// A long-term AccessKey (`static_ak`).
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        StaticProvider { credentials: Credentials::new(access_key_id, access_key_secret, None) }
    }

    /// An AccessKey with an STS security token (`static_sts`).
    pub fn with_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<Secret>,
        security_token: impl Into<Secret>,
    ) -> Self {
        StaticProvider {
            credentials: Credentials::new(
                access_key_id,
                access_key_secret,
                Some(security_token.into()),
            ),
        }
    }

    /// Wraps ready-made credentials as they are (name included).
    pub fn from_credentials(credentials: Credentials) -> Self {
        StaticProvider { credentials }
    }

    /// `Some` when both the id and the secret are non-empty (the SDK's rule 1); an empty
    /// token means an AK credential.
    pub fn from_parts(
        access_key_id: Option<&str>,
        access_key_secret: Option<&Secret>,
        security_token: Option<&Secret>,
    ) -> Option<Self> {
        let id = access_key_id.filter(|s| !s.is_empty())?;
        let secret = access_key_secret.filter(|s| !s.is_empty())?;
        Some(StaticProvider {
            credentials: Credentials::new(id, secret.clone(), security_token.cloned()),
        })
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.credentials.clone();
        Box::pin(async move {
            tracing::debug!(
                provider = %credentials.provider_name,
                "static credentials provided"
            );
            Ok(credentials)
        })
    }

    fn name(&self) -> &'static str {
        "static"
    }
}

/// Overrides of remote endpoints, for tests and special networks. Each is a base URL such
/// as `http://127.0.0.1:8080`. `None` means the real service (STS per region rules,
/// `http://100.100.100.200` for ECS metadata).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub sts: Option<String>,
    pub ecs_metadata: Option<String>,
}

/// A provider built from a profile (CLI or INI), kept so that its cache survives calls.
#[derive(Clone)]
pub(crate) struct Built {
    pub provider: std::sync::Arc<dyn ProvideCredentials>,
    pub details: SourceDetails,
}

impl Built {
    /// Builds the profile's provider on first use (kept in `slot` so its cache survives),
    /// asks it for credentials, and adds what the profile contributed to the report.
    pub(crate) async fn fetch(
        slot: &tokio::sync::Mutex<Option<Built>>,
        build: impl FnOnce() -> Result<Built, CredentialsError>,
        prefix: &str,
    ) -> Result<Sourced, CredentialsError> {
        let built = {
            let mut slot = slot.lock().await;
            match slot.as_ref() {
                Some(b) => b.clone(),
                None => {
                    let b = build()?;
                    *slot = Some(b.clone());
                    b
                }
            }
        };
        let inner = built.provider.provide_sourced().await?;
        let mut details = built.details;
        details.variables.extend(inner.details.variables);
        Ok(Sourced { credentials: inner.credentials.prefixed(prefix), details })
    }
}
