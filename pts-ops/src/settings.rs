//! Effective settings: command-line flags > environment > profile > defaults, each value
//! with where it came from (`pts whoami` shows both).
//!
//! Which profile applies:
//! 1. `--profile NAME`, else `PTS_PROFILE`: pts's profile of that name, else the aliyun CLI
//!    profile of that name (`~/.aliyun/config.json`).
//! 2. Neither set: when AccessKey variables are in the environment, no profile (the default
//!    chain picks them up); otherwise the `current` profile of pts's config file, if any.
//! 3. No profile: the default credential chain (env, OIDC, aliyun CLI, INI file, ECS role,
//!    credentials URI) with its defaults.

use crate::exit::{CliError, CliResult, ExitCode};
use crate::options::SessionOptions;
use pts_api::__private::wire::SignatureVersion;
use pts_api::client::{DEFAULT_REGION, Protocol};
use pts_api::config::{Config, Profile, config_path};
use pts_api::credentials::{
    CliProfileProvider, EnvProvider, EnvSource, ProcessEnv, read_cli_profile, region_from_env,
};
use std::path::PathBuf;
use std::sync::Arc;

pub const ENV_PROFILE: &str = "PTS_PROFILE";
pub const ENV_ENDPOINT: &str = "PTS_ENDPOINT";
pub const ENV_PROTOCOL: &str = "PTS_PROTOCOL";
pub const ENV_SIGNATURE: &str = "PTS_SIGNATURE";
pub const ENV_READ_ONLY: &str = "PTS_READ_ONLY";

/// A setting and where it came from (`--region`, `ALICLOUD_REGION_ID`, `profile local`, `default`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valued<T> {
    pub value: T,
    pub origin: String,
}

fn valued<T>(value: T, origin: impl Into<String>) -> Valued<T> {
    Valued { value, origin: origin.into() }
}

/// The profile that applies, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActiveProfile {
    None,
    /// A profile of pts's config file; `origin` says what selected it.
    Pts {
        name: String,
        origin: String,
    },
    /// A profile of the aliyun CLI config, selected by name.
    AliyunCli {
        name: String,
        origin: String,
    },
}

#[derive(Debug)]
pub struct Settings {
    pub config_path: Option<PathBuf>,
    pub config: Config,
    pub profile: ActiveProfile,
    pub region: Valued<String>,
    pub endpoint: Valued<Option<String>>,
    pub protocol: Valued<Option<Protocol>>,
    pub signature: Valued<SignatureVersion>,
    pub read_only: Valued<bool>,
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn parse_bool(text: &str, what: &str) -> CliResult<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(CliError::usage(format!("{what}: expected true or false, got {text:?}"))),
    }
}

/// A profile name that is in neither pts's config file nor the aliyun CLI's is a usage
/// error (exit 2) listing the names that exist, with the closest one.
fn known_cli_profile(
    env: &dyn EnvSource,
    config: &Config,
    name: &str,
    origin: &str,
) -> CliResult<()> {
    let cli = pts_api::credentials::list_cli_profiles(env).ok();
    if cli.as_ref().is_some_and(|(_, list)| list.iter().any(|p| p.name == name)) {
        return Ok(());
    }
    let mut names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
    if let Some((_, list)) = &cli {
        names.extend(list.iter().map(|p| p.name.as_str()));
    }
    names.sort_unstable();
    names.dedup();
    let mut message = format!("unknown profile {name:?} (from {origin})");
    if let Some(s) = pts_api::__private::validate::suggest(name, &names) {
        message.push_str(&format!(": did you mean {s}?"));
    }
    let known = if names.is_empty() { "none".to_string() } else { names.join(", ") };
    let hint = format!(
        "profiles that exist: {known} (pts's config file{}); `pts configure --profile NAME` \
         creates one",
        if cli.is_some() { " and the aliyun CLI's config.json" } else { "" }
    );
    Err(CliError::usage(message).with_hint(hint))
}

fn parse_protocol(text: &str, what: &str) -> CliResult<Protocol> {
    text.parse().map_err(|e: String| CliError::usage(format!("{what}: {e}")))
}

fn parse_signature(text: &str, what: &str) -> CliResult<SignatureVersion> {
    match text.trim().to_ascii_lowercase().as_str() {
        "v3" | "acs3-hmac-sha256" => Ok(SignatureVersion::V3),
        "v1" | "hmac-sha1" => Ok(SignatureVersion::V1),
        _ => Err(CliError::usage(format!("{what}: expected v3 or v1, got {text:?}"))),
    }
}

impl Settings {
    /// Reads the config file and the environment; fails (exit 2) on a malformed file or value.
    pub fn load(g: &SessionOptions) -> CliResult<Settings> {
        let config_path = config_path();
        let config = match &config_path {
            Some(p) => Config::load(p).map_err(|e| CliError::usage(e.to_string()))?,
            None => Config::default(),
        };
        let env: Arc<dyn EnvSource> = Arc::new(ProcessEnv);
        let named = match (&g.profile, env_var(ENV_PROFILE)) {
            (Some(n), _) => Some((n.clone(), "--profile")),
            (None, Some(n)) => Some((n, ENV_PROFILE)),
            (None, None) => None,
        };
        let profile = match named {
            Some((name, origin)) if config.profiles.contains_key(&name) => {
                ActiveProfile::Pts { name, origin: origin.into() }
            }
            Some((name, origin)) => {
                known_cli_profile(env.as_ref(), &config, &name, origin)?;
                ActiveProfile::AliyunCli { name, origin: origin.into() }
            }
            None if EnvProvider::new(env.clone()).resolve().is_ok() => ActiveProfile::None,
            None => match config.current_profile() {
                Some((name, _)) => ActiveProfile::Pts {
                    name: name.to_string(),
                    origin: "current profile of the config file".into(),
                },
                None => ActiveProfile::None,
            },
        };
        let empty = Profile::default();
        let (prof, prof_origin) = match &profile {
            ActiveProfile::Pts { name, .. } => (&config.profiles[name], format!("profile {name}")),
            _ => (&empty, String::new()),
        };
        let cli_region = match &profile {
            ActiveProfile::AliyunCli { name, .. } => read_cli_profile(env.as_ref(), Some(name))
                .ok()
                .and_then(|p| p.region_id().map(str::to_string)),
            _ => None,
        };

        let region = if let Some(r) = &g.region {
            valued(r.clone(), "--region")
        } else if let Some((r, var)) = region_from_env(env.as_ref()) {
            valued(r, var)
        } else if let Some(r) = &prof.region {
            valued(r.clone(), prof_origin.clone())
        } else if let Some(r) = cli_region {
            valued(r, "aliyun CLI profile")
        } else {
            valued(DEFAULT_REGION.to_string(), "default")
        };

        let endpoint = if let Some(e) = &g.endpoint {
            valued(Some(e.clone()), "--endpoint")
        } else if let Some(e) = env_var(ENV_ENDPOINT) {
            valued(Some(e), ENV_ENDPOINT)
        } else if let Some(e) = &prof.endpoint {
            valued(Some(e.clone()), prof_origin.clone())
        } else {
            valued(None, "default")
        };

        let protocol = if let Some(p) = g.protocol {
            valued(Some(p), "--protocol")
        } else if let Some(p) = env_var(ENV_PROTOCOL) {
            valued(Some(parse_protocol(&p, ENV_PROTOCOL)?), ENV_PROTOCOL)
        } else if let Some(p) = &prof.protocol {
            valued(Some(parse_protocol(p, &prof_origin)?), prof_origin.clone())
        } else {
            valued(None, "default")
        };

        let signature = if let Some(s) = g.signature {
            valued(s, "--signature")
        } else if let Some(s) = env_var(ENV_SIGNATURE) {
            valued(parse_signature(&s, ENV_SIGNATURE)?, ENV_SIGNATURE)
        } else if let Some(s) = &prof.signature {
            valued(parse_signature(s, &prof_origin)?, prof_origin.clone())
        } else {
            valued(SignatureVersion::V3, "default")
        };

        let read_only = if let Some(r) = g.read_only {
            valued(r, "--read-only")
        } else if let Some(r) = env_var(ENV_READ_ONLY) {
            valued(parse_bool(&r, ENV_READ_ONLY)?, ENV_READ_ONLY)
        } else if let Some(r) = prof.read_only {
            valued(r, prof_origin.clone())
        } else {
            valued(false, "default")
        };

        Ok(Settings {
            config_path,
            config,
            profile,
            region,
            endpoint,
            protocol,
            signature,
            read_only,
        })
    }

    /// The pts profile in effect, if any.
    pub fn pts_profile(&self) -> Option<(&str, &Profile)> {
        match &self.profile {
            ActiveProfile::Pts { name, .. } => {
                self.config.profiles.get(name).map(|p| (name.as_str(), p))
            }
            _ => None,
        }
    }

    /// The host requests go to (`host[:port]`), as the client will resolve it.
    pub fn endpoint_host(&self) -> String {
        match self.endpoint.value.as_deref() {
            Some(e) => {
                let e = e.trim();
                let e =
                    e.strip_prefix("https://").or_else(|| e.strip_prefix("http://")).unwrap_or(e);
                e.trim_end_matches('/').to_string()
            }
            None => pts_api::client::resolve_endpoint(None, None),
        }
    }

    /// The protocol requests will use.
    pub fn effective_protocol(&self) -> Protocol {
        if let Some(p) = self.protocol.value {
            return p;
        }
        match self.endpoint.value.as_deref() {
            Some(e) if e.trim().starts_with("http://") => Protocol::Http,
            _ => Protocol::Https,
        }
    }

    /// A client with these settings and the credentials of the active profile (or the
    /// default chain). Nothing is resolved or sent yet.
    pub fn client(&self) -> CliResult<pts_api::Client> {
        let mut b = pts_api::Client::builder()
            .region(self.region.value.clone())
            .signature_version(self.signature.value);
        if let Some(e) = &self.endpoint.value {
            b = b.endpoint(e.clone());
        }
        if let Some(p) = self.protocol.value {
            b = b.protocol(p);
        }
        match &self.profile {
            ActiveProfile::Pts { .. } => {
                if let Some((_, p)) = self.pts_profile().filter(|(_, p)| p.has_credentials()) {
                    let token = p.security_token.clone().filter(|t| !t.is_empty());
                    b = b.static_credentials(
                        p.access_key_id.clone(),
                        p.access_key_secret.clone(),
                        token,
                    );
                }
            }
            ActiveProfile::AliyunCli { name, .. } => {
                let provider = CliProfileProvider::new(Arc::new(ProcessEnv)).with_profile(name);
                b = b.credentials_provider(Arc::new(provider));
            }
            ActiveProfile::None => {}
        }
        b.build().map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))
    }
}
