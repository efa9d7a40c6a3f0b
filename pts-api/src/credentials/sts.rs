//! STS plumbing shared by role assumption ([`super::assume_role`]) and OIDC
//! ([`super::oidc`]): endpoint resolution, sending, and reading STS answers.

use std::time::{SystemTime, UNIX_EPOCH};

use super::env::{EnvSource, flag, non_empty};
use super::error::CredentialsError;
use super::http;
use super::secret::{Credentials, Secret};

/// STS API version.
pub const STS_VERSION: &str = "2015-04-01";
/// Default `DurationSeconds` of assumed-role credentials.
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// Which STS endpoint to call.
///
/// Default `https://sts.aliyuncs.com`; with a region `https://sts.<region>.aliyuncs.com`;
/// with VPC and a region `https://sts-vpc.<region>.aliyuncs.com`. An override (a base URL
/// such as `http://127.0.0.1:8080`) replaces all of that; tests use it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StsEndpoint {
    pub override_url: Option<String>,
    pub region: Option<String>,
    pub vpc: bool,
}

impl StsEndpoint {
    /// An explicit base URL (`http://127.0.0.1:PORT` in tests).
    pub fn at(url: impl Into<String>) -> Self {
        StsEndpoint { override_url: Some(url.into()), ..Self::default() }
    }

    /// Region and VPC switch from a profile (when given) or the environment
    /// (`ALIBABA_CLOUD_STS_REGION`, `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`).
    pub fn from_env(
        env: &dyn EnvSource,
        override_url: Option<&str>,
        profile_region: Option<&str>,
        profile_vpc: bool,
    ) -> Self {
        let region = profile_region
            .filter(|r| !r.trim().is_empty())
            .map(|r| r.trim().to_owned())
            .or_else(|| non_empty(env, "ALIBABA_CLOUD_STS_REGION").map(|r| r.trim().to_owned()));
        StsEndpoint {
            override_url: override_url.map(str::to_owned),
            region,
            vpc: profile_vpc || flag(env, "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"),
        }
    }

    /// The base URL to call.
    pub fn base_url(&self) -> String {
        if let Some(url) = &self.override_url {
            return url.trim_end_matches('/').to_owned();
        }
        match &self.region {
            Some(region) => {
                let prefix = if self.vpc { "sts-vpc" } else { "sts" };
                format!("https://{prefix}.{region}.aliyuncs.com")
            }
            None => "https://sts.aliyuncs.com".to_owned(),
        }
    }
}

/// A generated role session name, `pts-<unix time>` (the SDK writes `…-<unix time>` too).
pub(crate) fn default_session_name() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("pts-{secs}")
}

/// One prepared STS call.
pub(crate) struct StsCall<'a> {
    pub provider: &'a str,
    pub action: &'a str,
    pub url: reqwest::Url,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Sends a POST to STS and reads the credentials from the answer.
pub(crate) async fn send(call: StsCall<'_>) -> Result<Credentials, CredentialsError> {
    let StsCall { provider, action, url, headers, body } = call;
    let shown = http::display_url(&url);
    let client = http::client(provider, http::Timeouts::REMOTE, http::direct(&url))?;
    let mut request = client.post(url);
    for (name, value) in &headers {
        // `host` is derived by the HTTP stack from the URL, which carries the same value.
        if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        request = request.header(name.as_str(), value.as_str());
    }
    tracing::debug!(provider, action, endpoint = %shown, "calling STS");
    let response = request.body(body).send().await.map_err(|e| {
        CredentialsError::transport(
            provider,
            format!("STS {action} at {shown}: {}", http::describe_error(e)),
        )
    })?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| {
        CredentialsError::transport(
            provider,
            format!("STS {action} at {shown}: {}", http::describe_error(e)),
        )
    })?;
    parse_response(provider, action, status, &text)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsAnswer {
    request_id: Option<String>,
    code: Option<String>,
    message: Option<String>,
    credentials: Option<StsCredentials>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials {
    access_key_id: Option<String>,
    access_key_secret: Option<Secret>,
    security_token: Option<Secret>,
    expiration: Option<String>,
}

/// Reads an STS answer: `Credentials{AccessKeyId,AccessKeySecret,SecurityToken,Expiration}`
/// on success, `Code`/`Message`/`RequestId` on error.
pub(crate) fn parse_response(
    provider: &str,
    action: &str,
    status: u16,
    body: &str,
) -> Result<Credentials, CredentialsError> {
    let answer: Option<StsAnswer> = serde_json::from_str(body).ok();
    let ok = (200..300).contains(&status);
    let Some(answer) = answer else {
        return Err(CredentialsError::Remote {
            provider: provider.to_owned(),
            status: Some(status),
            code: None,
            request_id: None,
            reason: format!("STS {action} answered a body that is not STS JSON"),
        });
    };
    match answer.credentials {
        Some(c) if ok => {
            let bad = |what: &str| CredentialsError::Remote {
                provider: provider.to_owned(),
                status: Some(status),
                code: None,
                request_id: answer.request_id.clone(),
                reason: format!("STS {action} answered without {what}"),
            };
            let id = c.access_key_id.filter(|s| !s.is_empty()).ok_or_else(|| bad("AccessKeyId"))?;
            let secret = c
                .access_key_secret
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad("AccessKeySecret"))?;
            let token =
                c.security_token.filter(|s| !s.is_empty()).ok_or_else(|| bad("SecurityToken"))?;
            let expiration = c
                .expiration
                .as_deref()
                .and_then(http::parse_expiration)
                .ok_or_else(|| bad("a readable Expiration"))?;
            Ok(Credentials::new(id, secret, Some(token)).with_expiration(Some(expiration)))
        }
        _ => Err(CredentialsError::Remote {
            provider: provider.to_owned(),
            status: Some(status),
            code: answer.code,
            request_id: answer.request_id,
            reason: format!(
                "STS {action} failed: {}",
                sanitize_message(answer.message.as_deref().unwrap_or("no message"))
            ),
        }),
    }
}

/// An STS error message made safe to show: `SignatureDoesNotMatch` messages quote the
/// server's string to sign, which for v1 contains the `SecurityToken`; cut it off there, and
/// keep at most 300 characters.
pub(crate) fn sanitize_message(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    let Some(cut) = lower.find("string to sign") else {
        return message.trim().chars().take(300).collect();
    };
    let head = message[..cut].trim_end();
    let head = head.strip_suffix("server").unwrap_or(head);
    let head = head.trim_end_matches([' ', ':', '.']).trim();
    let mut out: String = head.chars().take(300).collect();
    out.push_str(" (string to sign omitted)");
    out
}
