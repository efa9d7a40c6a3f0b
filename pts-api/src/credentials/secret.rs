//! Secret-holding values: [`Secret`] and [`Credentials`], both with redacting `Debug`.

use std::fmt;
use std::time::SystemTime;

/// A secret string (AccessKey secret, STS token). `Debug` and `Display` print `***`;
/// read the value only with [`Secret::expose`], at the point where it is really needed.
#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Never log or format it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Reads a secret from the first line of `reader` (stdin for `--access-key-secret-stdin`),
/// without its line ending.
pub fn read_secret_line(mut reader: impl std::io::BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Shows enough of an AccessKey id to tell two keys apart and never the whole id: the first
/// four characters, `****`, and for ids of 12 characters or more the last three
/// (`LTAI5tABCDEFGH` → `LTAI****FGH`; real ids have 24). Shorter ids keep only the first four;
/// ids of four characters or fewer become `****`.
pub fn mask_access_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 4 {
        return "****".to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String =
        if chars.len() >= 12 { chars[chars.len() - 3..].iter().collect() } else { String::new() };
    format!("{head}****{tail}")
}

/// One resolved credential.
///
/// `provider_name` is the value for the `x-acs-credentials-provider` header, e.g. `static_ak`,
/// `static_sts`, `env`, `default/env`, `profile/static_ak`, `cli_profile/static_ak`,
/// `cli_profile/ram_role_arn/static_ak`, `oidc_role_arn`, `ecs_ram_role`, `credential_uri`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
    /// When temporary credentials stop working; `None` for long-term AccessKeys.
    pub expiration: Option<SystemTime>,
    pub provider_name: String,
}

impl Credentials {
    /// Long-term AccessKey credentials (`static_ak`) or, with a token, STS credentials
    /// (`static_sts`). An empty token counts as none.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<Secret>,
        security_token: Option<Secret>,
    ) -> Self {
        let security_token = security_token.filter(|t| !t.is_empty());
        let provider_name = if security_token.is_some() { "static_sts" } else { "static_ak" };
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token,
            expiration: None,
            provider_name: provider_name.to_owned(),
        }
    }

    pub fn with_provider_name(mut self, name: impl Into<String>) -> Self {
        self.provider_name = name.into();
        self
    }

    pub fn with_expiration(mut self, expiration: Option<SystemTime>) -> Self {
        self.expiration = expiration;
        self
    }

    /// Prepends `prefix/` to the provider name (`env` → `default/env`).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.provider_name = format!("{prefix}/{}", self.provider_name);
        self
    }

    /// The AccessKey id masked for display (`LTAI****FGH`).
    pub fn masked_access_key_id(&self) -> String {
        mask_access_key_id(&self.access_key_id)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.masked_access_key_id())
            .field("access_key_secret", &"***")
            .field("security_token", &self.security_token.as_ref().map(|_| "***"))
            .field("expiration", &self.expiration)
            .field("provider_name", &self.provider_name)
            .finish()
    }
}
