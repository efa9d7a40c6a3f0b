//! Which credential source a call would use, found without contacting anything.
//!
//! pts-api's chain (`CredentialChain::resolve`) calls remote providers (STS for role
//! profiles and OIDC, the ECS metadata service, a credentials URI) to decide, so `pts
//! whoami` walks the same order here using configuration only: environment variables,
//! pts's config file, `~/.aliyun/config.json` and the INI credentials file. Remote sources
//! are reported by configuration, with a note that they were not contacted.

use crate::settings::{ActiveProfile, Settings};
use pts_api::credentials::ini::IniFile;
use pts_api::credentials::{
    CliConfig, EcsRamRoleProvider, EnvProvider, EnvSource, OidcProvider, ProcessEnv, UriProvider,
    cli_config_path, ini_credentials_path, mask_access_key_id, read_cli_profile,
};
use std::path::PathBuf;
use std::sync::Arc;

const CLI_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";

/// What `whoami` reports about credentials. Names and masked ids only.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Probe {
    pub source: String,
    pub variables: Vec<String>,
    pub profile: Option<String>,
    pub file: Option<PathBuf>,
    pub mode: Option<String>,
    pub access_key_id: Option<String>,
    pub security_token: bool,
    pub note: Option<String>,
    pub skipped: Vec<String>,
}

fn not_contacted(what: &str) -> Option<String> {
    Some(format!("temporary credentials from {what}; not contacted by whoami"))
}

pub fn probe(settings: &Settings) -> Probe {
    let env: Arc<dyn EnvSource> = Arc::new(ProcessEnv);
    match &settings.profile {
        ActiveProfile::Pts { name, .. } => {
            let p = &settings.config.profiles[name];
            if p.has_credentials() {
                return Probe {
                    source: "pts_profile".into(),
                    profile: Some(name.clone()),
                    file: settings.config_path.clone(),
                    access_key_id: Some(mask_access_key_id(&p.access_key_id)),
                    security_token: p.security_token.as_deref().is_some_and(|t| !t.is_empty()),
                    ..Probe::default()
                };
            }
            let mut pr = default_chain(env.as_ref());
            pr.skipped.insert(0, format!("pts_profile: profile {name} has no AccessKey"));
            pr
        }
        ActiveProfile::AliyunCli { name, .. } => {
            let mut pr = Probe {
                source: "cli_profile".into(),
                profile: Some(name.clone()),
                file: cli_config_path(env.as_ref()),
                ..Probe::default()
            };
            match read_cli_profile(env.as_ref(), Some(name)) {
                Ok(p) => cli_profile_details(&mut pr, &p),
                Err(e) => {
                    pr.note = Some(format!("not usable: {e} (not in pts's config file either)"))
                }
            }
            pr
        }
        ActiveProfile::None => default_chain(env.as_ref()),
    }
}

fn cli_profile_details(pr: &mut Probe, p: &pts_api::credentials::CliProfile) {
    pr.mode = Some(p.mode.clone());
    match p.mode.as_str() {
        "AK" | "StsToken" => {
            pr.access_key_id = p.access_key_id.as_deref().map(mask_access_key_id);
            pr.security_token = p.mode == "StsToken";
        }
        "RamRoleArn" | "ChainableRamRoleArn" | "OIDC" => pr.note = not_contacted("STS AssumeRole"),
        "EcsRamRole" => pr.note = not_contacted("the ECS metadata service"),
        other => pr.note = Some(format!("mode {other} is not supported by pts")),
    }
}

/// The default chain's order: env, OIDC, aliyun CLI profile, INI file, ECS role, URI.
fn default_chain(env: &dyn EnvSource) -> Probe {
    let mut skipped = Vec::new();
    let arc_env: Arc<dyn EnvSource> = Arc::new(ProcessEnv);
    match EnvProvider::new(arc_env).resolve() {
        Ok(s) => {
            let c = &s.credentials;
            return Probe {
                source: "env".into(),
                variables: s.details.variables.clone(),
                access_key_id: Some(c.masked_access_key_id()),
                security_token: c.security_token.is_some(),
                skipped,
                ..Probe::default()
            };
        }
        Err(e) => skipped.push(format!("env: {}", e.reason())),
    }
    match OidcProvider::from_env(env, None) {
        Ok(_) => {
            return Probe {
                source: "oidc_role_arn".into(),
                variables: vec![
                    "ALIBABA_CLOUD_OIDC_TOKEN_FILE".into(),
                    "ALIBABA_CLOUD_ROLE_ARN".into(),
                    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN".into(),
                ],
                note: not_contacted("STS AssumeRoleWithOIDC"),
                skipped,
                ..Probe::default()
            };
        }
        Err(e) => skipped.push(format!("oidc_role_arn: {}", e.reason())),
    }
    if let Some(pr) = cli_step(env, &mut skipped) {
        return Probe { skipped, ..pr };
    }
    if let Some(pr) = ini_step(env, &mut skipped) {
        return Probe { skipped, ..pr };
    }
    match EcsRamRoleProvider::from_env(env, None) {
        Ok(p) => {
            let mut variables = Vec::new();
            if p.config().role_name.is_some() {
                variables.push("ALIBABA_CLOUD_ECS_METADATA".into());
            }
            return Probe {
                source: "ecs_ram_role".into(),
                variables,
                note: Some(
                    "would ask the ECS metadata service (not contacted by whoami); off an ECS \
                     instance this fails: set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
                        .into(),
                ),
                skipped,
                ..Probe::default()
            };
        }
        Err(e) => skipped.push(format!("ecs_ram_role: {}", e.reason())),
    }
    match UriProvider::from_env(env) {
        Ok(_) => Probe {
            source: "credentials_uri".into(),
            variables: vec!["ALIBABA_CLOUD_CREDENTIALS_URI".into()],
            note: not_contacted("the credentials URI"),
            skipped,
            ..Probe::default()
        },
        Err(e) => {
            skipped.push(format!("credentials_uri: {}", e.reason()));
            Probe { source: "none".into(), skipped, ..Probe::default() }
        }
    }
}

fn cli_step(env: &dyn EnvSource, skipped: &mut Vec<String>) -> Option<Probe> {
    if env.var(CLI_DISABLED).is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        skipped.push(format!("cli_profile: {CLI_DISABLED}=true"));
        return None;
    }
    let Some(path) = cli_config_path(env) else {
        skipped.push("cli_profile: no home directory".into());
        return None;
    };
    let config = match CliConfig::load(&path) {
        Ok(c) => c,
        Err(e) => {
            skipped.push(format!("cli_profile: {}", e.reason()));
            return None;
        }
    };
    let (name, var) = config.selected_name(env, None);
    let Some(p) = config.profile(&name) else {
        skipped.push(format!("cli_profile: profile {name} not found in {}", path.display()));
        return None;
    };
    let mut pr = Probe {
        source: "cli_profile".into(),
        variables: var.map(|v| vec![v.to_string()]).unwrap_or_default(),
        profile: Some(name),
        file: Some(path),
        ..Probe::default()
    };
    cli_profile_details(&mut pr, p);
    Some(pr)
}

fn ini_step(env: &dyn EnvSource, skipped: &mut Vec<String>) -> Option<Probe> {
    let (path, var) = match ini_credentials_path(env) {
        Ok(Some(found)) => found,
        Ok(None) => {
            skipped.push("ini_profile: no ~/.alibabacloud/credentials.ini".into());
            return None;
        }
        Err(e) => {
            skipped.push(format!("ini_profile: {}", e.reason()));
            return None;
        }
    };
    let text = std::fs::read_to_string(&path).ok()?;
    let ini = match IniFile::parse(&text) {
        Ok(i) => i,
        Err(e) => {
            skipped.push(format!("ini_profile: {}: {e}", path.display()));
            return None;
        }
    };
    let section_var = env.var(ENV_PROFILE).filter(|v| !v.trim().is_empty());
    let section = section_var.clone().unwrap_or_else(|| "default".into());
    let Some(s) = ini.section(section.trim()) else {
        skipped.push(format!("ini_profile: no [{section}] in {}", path.display()));
        return None;
    };
    let mut variables: Vec<String> = var.map(|v| vec![v.to_string()]).unwrap_or_default();
    if section_var.is_some() {
        variables.push(ENV_PROFILE.into());
    }
    let ty = s.get("type").unwrap_or("").to_string();
    let mut pr = Probe {
        source: "ini_profile".into(),
        variables,
        profile: Some(section),
        file: Some(path),
        mode: Some(ty.clone()),
        ..Probe::default()
    };
    match ty.as_str() {
        "access_key" => pr.access_key_id = s.get("access_key_id").map(mask_access_key_id),
        "ecs_ram_role" => pr.note = not_contacted("the ECS metadata service"),
        _ => pr.note = not_contacted("STS"),
    }
    Some(pr)
}
