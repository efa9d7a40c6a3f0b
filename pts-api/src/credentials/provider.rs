//! The [`ProvideCredentials`] trait, the [`SourceDetails`] a provider reports, and the
//! [`StaticProvider`] for explicit AccessKeys.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use super::error::CredentialsError;
use super::secret::{Credentials, Secret};

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

/// What a provider would use, found from the environment and local files only: no network
/// call (`pts whoami`). Names and a masked key id; never a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Description {
    pub details: SourceDetails,
    /// The CLI profile mode (`AK`, `RamRoleArn`, ...) or INI `type`.
    pub mode: Option<String>,
    /// The AccessKey id, masked, when it is known without contacting anything.
    pub access_key_id: Option<String>,
    pub security_token: bool,
    /// What would be contacted for temporary credentials (`STS AssumeRole`, ...).
    pub remote: Option<String>,
}

impl Description {
    /// A key known locally.
    pub fn key(credentials: &Credentials) -> Description {
        Description {
            access_key_id: Some(credentials.masked_access_key_id()),
            security_token: credentials.security_token.is_some(),
            ..Description::default()
        }
    }

    /// Temporary credentials from `remote`.
    pub fn remote(remote: &str, details: SourceDetails) -> Description {
        Description { details, remote: Some(remote.to_owned()), ..Description::default() }
    }
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

    /// What this provider would use, without any network call; `Err` says why it would be
    /// skipped. The default cannot tell without contacting it.
    fn describe(&self) -> Result<Description, CredentialsError> {
        Err(CredentialsError::not_configured(self.name(), "cannot tell without contacting it"))
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

    fn describe(&self) -> Result<Description, CredentialsError> {
        Ok(Description::key(&self.credentials))
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
    /// The profile's mode or type, for [`Description::mode`].
    pub mode: String,
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

    /// Describes the profile's provider with what the profile contributed (no network).
    pub(crate) fn describe(
        build: impl FnOnce() -> Result<Built, CredentialsError>,
    ) -> Result<Description, CredentialsError> {
        let built = build()?;
        let mut d = built.provider.describe()?;
        let mut details = built.details;
        details.variables.extend(std::mem::take(&mut d.details.variables));
        d.details = details;
        d.mode = Some(built.mode);
        Ok(d)
    }
}
