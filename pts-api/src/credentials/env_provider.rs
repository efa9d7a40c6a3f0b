//! [`EnvProvider`]: AccessKey (and STS token) from environment variables.
//!
//! Families, in precedence order: `ALIBABA_CLOUD_*` (the official names), `ALIBABACLOUD_*`,
//! `ALICLOUD_*`, then the Terraform provider's `ALICLOUD_ACCESS_KEY`/`ALICLOUD_SECRET_KEY`
//! (`ENV_FAMILIES`). The id, secret and token always come from one family: the first family whose
//! id and secret are both set (and not blank) wins, and its own `*_SECURITY_TOKEN`, if set,
//! makes the credential an STS one. A family with only half a pair is skipped (and named in
//! the error if no family is complete). Provider name: `env`.

use std::sync::Arc;

use super::env::{ENV_FAMILIES, EnvSource, non_empty};
use super::error::CredentialsError;
use super::provider::{BoxFuture, Description, ProvideCredentials, SourceDetails, Sourced};
use super::secret::{Credentials, Secret};

pub const ENV_PROVIDER: &str = "env";

/// Reads `{FAMILY}_ACCESS_KEY_ID`, `{FAMILY}_ACCESS_KEY_SECRET`, `{FAMILY}_SECURITY_TOKEN`.
#[derive(Clone)]
pub struct EnvProvider {
    env: Arc<dyn EnvSource>,
}

impl EnvProvider {
    pub fn new(env: Arc<dyn EnvSource>) -> Self {
        EnvProvider { env }
    }

    /// Resolves synchronously (no I/O besides reading variables).
    pub fn resolve(&self) -> Result<Sourced, CredentialsError> {
        let env = self.env.as_ref();
        let mut partial = Vec::new();
        for names in ENV_FAMILIES {
            let id = non_empty(env, names.access_key_id);
            let secret = non_empty(env, names.access_key_secret);
            match (id, secret) {
                (Some(id), Some(secret)) => {
                    let mut variables =
                        vec![names.access_key_id.to_owned(), names.access_key_secret.to_owned()];
                    let token = non_empty(env, names.security_token);
                    if token.is_some() {
                        variables.push(names.security_token.to_owned());
                    }
                    tracing::debug!(
                        provider = ENV_PROVIDER,
                        variables = ?variables,
                        sts = token.is_some(),
                        "credentials found in environment"
                    );
                    let credentials = Credentials::new(
                        id.trim(),
                        Secret::new(secret.trim()),
                        token.map(|t| Secret::new(t.trim())),
                    )
                    .with_provider_name(ENV_PROVIDER);
                    return Ok(Sourced {
                        credentials,
                        details: SourceDetails { variables, ..SourceDetails::default() },
                    });
                }
                (Some(_), None) => partial.push(format!(
                    "{} is set but {} is not",
                    names.access_key_id, names.access_key_secret
                )),
                (None, Some(_)) => partial.push(format!(
                    "{} is set but {} is not",
                    names.access_key_secret, names.access_key_id
                )),
                (None, None) => {}
            }
        }
        let mut reason = "ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET not set \
                          (nor the ALIBABACLOUD_*, ALICLOUD_* or Terraform's \
                          ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY aliases)"
            .to_owned();
        if !partial.is_empty() {
            reason.push_str("; ");
            reason.push_str(&partial.join("; "));
        }
        Err(CredentialsError::not_configured(ENV_PROVIDER, reason))
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.resolve().map(|s| s.credentials) })
    }

    fn name(&self) -> &'static str {
        ENV_PROVIDER
    }

    fn provide_sourced(&self) -> BoxFuture<'_, Result<Sourced, CredentialsError>> {
        Box::pin(async move { self.resolve() })
    }

    fn describe(&self) -> Result<Description, CredentialsError> {
        let s = self.resolve()?;
        Ok(Description { details: s.details, ..Description::key(&s.credentials) })
    }
}
