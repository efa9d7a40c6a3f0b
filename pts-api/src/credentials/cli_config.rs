//! The aliyun CLI configuration file `~/.aliyun/config.json` (a `current` profile name and a
//! `profiles` list, each with a `mode`): parsing, listing profiles and reading one.
//! [`super::cli_profile`] turns a profile into credentials.

use std::fmt;
use std::path::{Path, PathBuf};

use super::env::{EnvSource, home_path};
use super::error::CredentialsError;
use super::secret::Secret;

pub const CLI_PROVIDER: &str = "cli_profile";
/// `true` skips the CLI profile provider.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// One profile of `config.json`. Fields the CLI writes but credentials do not use are
/// ignored. `Debug` never shows the secret or token.
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CliProfile {
    pub name: String,
    /// `AK`, `StsToken`, `RamRoleArn`, `ChainableRamRoleArn`, `EcsRamRole`, `OIDC`, ...
    pub mode: String,
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<Secret>,
    pub sts_token: Option<Secret>,
    pub ram_role_name: Option<String>,
    pub ram_role_arn: Option<String>,
    pub ram_session_name: Option<String>,
    pub source_profile: Option<String>,
    pub expired_seconds: Option<u32>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
    pub sts_region: Option<String>,
    pub enable_vpc: Option<bool>,
    pub region_id: Option<String>,
    pub oidc_provider_arn: Option<String>,
    pub oidc_token_file: Option<String>,
    pub role_session_name: Option<String>,
}

impl CliProfile {
    /// A string field, `None` when absent or blank.
    pub(crate) fn field(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// The profile's default region (`region_id`), if set.
    pub fn region_id(&self) -> Option<&str> {
        Self::field(&self.region_id)
    }
}

impl fmt::Debug for CliProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfile")
            .field("name", &self.name)
            .field("mode", &self.mode)
            .field(
                "access_key_id",
                &self.access_key_id.as_deref().map(super::secret::mask_access_key_id),
            )
            .field("access_key_secret", &self.access_key_secret)
            .field("sts_token", &self.sts_token)
            .field("ram_role_arn", &self.ram_role_arn)
            .field("ram_role_name", &self.ram_role_name)
            .field("source_profile", &self.source_profile)
            .field("region_id", &self.region_id)
            .finish_non_exhaustive()
    }
}

/// The whole `config.json`.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CliConfig {
    pub current: String,
    pub profiles: Vec<CliProfile>,
}

/// One line of `pts profile list`: names, never keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliProfileSummary {
    pub name: String,
    pub mode: String,
    pub region_id: Option<String>,
    /// The profile the CLI would use now (`ALIBABA_CLOUD_PROFILE` or `current`).
    pub selected: bool,
}

/// `~/.aliyun/config.json` under the environment's home.
pub fn cli_config_path(env: &dyn EnvSource) -> Option<PathBuf> {
    home_path(env, &[".aliyun", "config.json"])
}

impl CliConfig {
    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<CliConfig, CredentialsError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                CredentialsError::not_configured(
                    CLI_PROVIDER,
                    format!("{} not found", path.display()),
                )
            } else {
                CredentialsError::invalid(
                    CLI_PROVIDER,
                    format!("cannot read {}: {e}", path.display()),
                )
            }
        })?;
        Self::parse(&text).map_err(|reason| {
            CredentialsError::invalid(CLI_PROVIDER, format!("{}: {reason}", path.display()))
        })
    }

    /// Parses config text. The error names the line and column, never a value.
    pub fn parse(text: &str) -> Result<CliConfig, String> {
        serde_json::from_str(text).map_err(|e| {
            format!("not a valid aliyun CLI config (line {}, column {})", e.line(), e.column())
        })
    }

    /// The profile called `name`.
    pub fn profile(&self, name: &str) -> Option<&CliProfile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The profile to use: `explicit`, else the environment's (`ENV_PROFILES`), else `current`, else
    /// `default`. Also returns the variable name when the environment chose it.
    pub fn selected_name(
        &self,
        env: &dyn EnvSource,
        explicit: Option<&str>,
    ) -> (String, Option<&'static str>) {
        if let Some(name) = explicit.map(str::trim).filter(|n| !n.is_empty()) {
            return (name.to_owned(), None);
        }
        if let Some((name, var)) = super::env::profile_from_env(env) {
            return (name, Some(var));
        }
        let current = self.current.trim();
        let name = if current.is_empty() { "default" } else { current };
        (name.to_owned(), None)
    }

    pub fn summaries(&self, env: &dyn EnvSource) -> Vec<CliProfileSummary> {
        let (selected, _) = self.selected_name(env, None);
        self.profiles
            .iter()
            .map(|p| CliProfileSummary {
                name: p.name.clone(),
                mode: p.mode.clone(),
                region_id: p.region_id().map(str::to_owned),
                selected: p.name == selected,
            })
            .collect()
    }
}

fn load_from_env(env: &dyn EnvSource) -> Result<(PathBuf, CliConfig), CredentialsError> {
    let path = cli_config_path(env).ok_or_else(|| {
        CredentialsError::not_configured(
            CLI_PROVIDER,
            "no home directory to find ~/.aliyun/config.json",
        )
    })?;
    let config = CliConfig::load(&path)?;
    Ok((path, config))
}

/// Lists the profiles of `~/.aliyun/config.json`, with the file's path.
pub fn list_cli_profiles(
    env: &dyn EnvSource,
) -> Result<(PathBuf, Vec<CliProfileSummary>), CredentialsError> {
    let (path, config) = load_from_env(env)?;
    let summaries = config.summaries(env);
    Ok((path, summaries))
}

/// Reads one profile of `~/.aliyun/config.json`: `name`, else the selected one
/// (`ALIBABA_CLOUD_PROFILE`, else `current`). A missing profile is an error.
pub fn read_cli_profile(
    env: &dyn EnvSource,
    name: Option<&str>,
) -> Result<CliProfile, CredentialsError> {
    let (path, config) = load_from_env(env)?;
    let (name, _) = config.selected_name(env, name);
    config.profile(&name).cloned().ok_or_else(|| {
        CredentialsError::invalid(
            CLI_PROVIDER,
            format!("profile `{name}` not found in {}", path.display()),
        )
    })
}
