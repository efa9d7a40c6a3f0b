//! [`CredentialsError`]: why a provider produced no credentials. No variant ever holds a
//! secret, a token or a signed URL; reasons are written by this module from names, paths and
//! the service's own error code and message.

use std::fmt;

/// Why credentials could not be obtained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider does not apply: its variables, file or profile are absent.
    #[error("{provider}: {reason}")]
    NotConfigured { provider: String, reason: String },
    /// The provider was switched off (e.g. `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`).
    #[error("{provider}: {reason}")]
    Disabled { provider: String, reason: String },
    /// The provider's configuration exists but cannot be used (bad JSON, unknown mode,
    /// missing key, profile cycle, unreadable file).
    #[error("{provider}: {reason}")]
    InvalidConfig { provider: String, reason: String },
    /// A remote source could not be reached or answered something unreadable.
    #[error("{provider}: {reason}")]
    Transport { provider: String, reason: String },
    /// A remote source answered with an error.
    #[error("{provider}: {reason}{}", fmt_remote(*status, code, request_id))]
    Remote {
        provider: String,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        reason: String,
    },
    /// Every provider of a chain was tried and none gave credentials.
    #[error("{}", NotFoundList(tried))]
    NotFound {
        /// `(provider, why it was skipped)` in chain order.
        tried: Vec<(String, String)>,
    },
}

fn fmt_remote(status: Option<u16>, code: &Option<String>, request_id: &Option<String>) -> String {
    let mut parts = Vec::new();
    if let Some(s) = status {
        parts.push(format!("HTTP {s}"));
    }
    if let Some(c) = code {
        parts.push(format!("code {c}"));
    }
    if let Some(r) = request_id {
        parts.push(format!("request id {r}"));
    }
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
}

struct NotFoundList<'a>(&'a [(String, String)]);

impl fmt::Display for NotFoundList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials found; tried {} provider(s):", self.0.len())?;
        for (provider, why) in self.0 {
            write!(f, "\n  - {provider}: {why}")?;
        }
        Ok(())
    }
}

impl CredentialsError {
    pub(crate) fn not_configured(provider: &str, reason: impl Into<String>) -> Self {
        CredentialsError::NotConfigured { provider: provider.to_owned(), reason: reason.into() }
    }

    pub(crate) fn disabled(provider: &str, reason: impl Into<String>) -> Self {
        CredentialsError::Disabled { provider: provider.to_owned(), reason: reason.into() }
    }

    pub(crate) fn invalid(provider: &str, reason: impl Into<String>) -> Self {
        CredentialsError::InvalidConfig { provider: provider.to_owned(), reason: reason.into() }
    }

    pub(crate) fn transport(provider: &str, reason: impl Into<String>) -> Self {
        CredentialsError::Transport { provider: provider.to_owned(), reason: reason.into() }
    }

    /// The provider that failed (`"chain"` for [`CredentialsError::NotFound`]).
    pub fn provider(&self) -> &str {
        match self {
            CredentialsError::NotConfigured { provider, .. }
            | CredentialsError::Disabled { provider, .. }
            | CredentialsError::InvalidConfig { provider, .. }
            | CredentialsError::Transport { provider, .. }
            | CredentialsError::Remote { provider, .. } => provider,
            CredentialsError::NotFound { .. } => "chain",
        }
    }

    /// The message without the leading `provider: `.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        let prefix = format!("{}: ", self.provider());
        match full.strip_prefix(&prefix) {
            Some(rest) => rest.to_owned(),
            None => full,
        }
    }
}
