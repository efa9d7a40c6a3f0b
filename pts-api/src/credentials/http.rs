//! Small HTTP helpers shared by the remote providers (STS, OIDC, ECS metadata, URI):
//! client construction with short timeouts, error text that never includes a URL's query,
//! and parsing of the common temporary-credential JSON.

use std::time::{Duration, SystemTime};

use super::error::CredentialsError;
use super::secret::{Credentials, Secret};

/// Connect and read timeouts for one remote source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub read: Duration,
}

impl Timeouts {
    /// ECS metadata: connect 1 s, read 1 s (the service is on-link or absent).
    pub const METADATA: Timeouts =
        Timeouts { connect: Duration::from_secs(1), read: Duration::from_secs(1) };
    /// STS and credentials URI: connect 5 s, read 10 s (the SDK's defaults).
    pub const REMOTE: Timeouts =
        Timeouts { connect: Duration::from_secs(5), read: Duration::from_secs(10) };
}

/// Installs the ring crypto provider for rustls once; an already-installed one is kept.
fn ensure_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client with the given timeouts. `direct` disables proxies (loopback and the link-local
/// metadata service must never go through `HTTP_PROXY`).
pub(crate) fn client(
    provider: &str,
    timeouts: Timeouts,
    direct: bool,
) -> Result<reqwest::Client, CredentialsError> {
    ensure_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.read)
        .timeout(timeouts.connect + timeouts.read * 2)
        .redirect(reqwest::redirect::Policy::none());
    if direct {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| CredentialsError::transport(provider, describe_error(e)))
}

/// Parses a base URL (`http://127.0.0.1:8080`, `https://sts.aliyuncs.com`).
pub(crate) fn parse_url(
    provider: &str,
    what: &str,
    url: &str,
) -> Result<reqwest::Url, CredentialsError> {
    reqwest::Url::parse(url.trim())
        .map_err(|e| CredentialsError::invalid(provider, format!("{what} is not a valid URL: {e}")))
}

/// True when the URL's host is loopback: such calls skip any proxy.
pub(crate) fn direct(url: &reqwest::Url) -> bool {
    url.host_str().is_some_and(crate::net::is_loopback_host)
}

/// `scheme://host[:port]/path`, without user info, query or fragment: safe to show.
pub(crate) fn display_url(url: &reqwest::Url) -> String {
    let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    out
}

/// A transport error's text without its URL (a signed URL carries a signature and token).
pub(crate) fn describe_error(err: reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let err = err.without_url();
    let mut text = format!("{kind}: {err}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// Parses an RFC 3339 timestamp (`2024-06-01T12:00:00Z`).
pub(crate) fn parse_expiration(value: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(value.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(SystemTime::from)
}

/// The JSON served by the ECS metadata service and by credentials URIs.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TemporaryCredentialsJson {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub access_key_id: Option<String>,
    #[serde(default)]
    pub access_key_secret: Option<Secret>,
    #[serde(default)]
    pub security_token: Option<Secret>,
    #[serde(default)]
    pub expiration: Option<String>,
}

impl TemporaryCredentialsJson {
    /// Validates the document (`Code` must be `Success` when present) and builds credentials.
    pub(crate) fn into_credentials(
        self,
        provider: &str,
        source: &str,
    ) -> Result<Credentials, CredentialsError> {
        if let Some(code) = self.code.as_deref()
            && code != "Success"
        {
            return Err(CredentialsError::Remote {
                provider: provider.to_owned(),
                status: None,
                code: Some(code.to_owned()),
                request_id: None,
                reason: format!(
                    "{source} refused: {}",
                    self.message.as_deref().unwrap_or("no message")
                ),
            });
        }
        let missing = |field: &str| {
            CredentialsError::transport(provider, format!("{source} answered without {field}"))
        };
        let id =
            self.access_key_id.filter(|s| !s.is_empty()).ok_or_else(|| missing("AccessKeyId"))?;
        let secret = self
            .access_key_secret
            .filter(|s| !s.is_empty())
            .ok_or_else(|| missing("AccessKeySecret"))?;
        let expiration = match self.expiration.as_deref() {
            Some(text) => Some(parse_expiration(text).ok_or_else(|| {
                CredentialsError::transport(
                    provider,
                    format!("{source} answered an unreadable Expiration"),
                )
            })?),
            None => None,
        };
        Ok(Credentials::new(id, secret, self.security_token)
            .with_expiration(expiration)
            .with_provider_name(provider))
    }
}
