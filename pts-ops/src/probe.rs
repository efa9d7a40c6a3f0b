//! Which credential source a call would use, found without contacting anything: pts's own
//! profile, else the aliyun CLI profile named by `--profile`, else pts-api's default chain
//! described step by step (`CredentialChain::describe`: environment and local files only;
//! remote sources are reported by configuration, with a note that they were not contacted).

use crate::settings::{ActiveProfile, Settings};
use pts_api::credentials::ecs::ENV_ECS_ROLE;
use pts_api::credentials::{
    CliProfileProvider, CredentialChain, Description, ProcessEnv, ProvideCredentials,
    mask_access_key_id,
};
use std::path::PathBuf;
use std::sync::Arc;

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

impl Probe {
    /// Whether a credential source was found (`whoami` exits 3 and `doctor` fails otherwise).
    pub fn found(&self) -> bool {
        self.source != NONE
    }

    fn from_description(source: &str, d: Description, skipped: Vec<String>) -> Probe {
        let note = d.remote.map(|r| match source {
            "ecs_ram_role" => format!(
                "would ask {r} (not contacted by whoami); off an ECS instance this fails: set \
                 ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"
            ),
            _ => format!("temporary credentials from {r}; not contacted by whoami"),
        });
        Probe {
            source: source.to_string(),
            variables: d.details.variables,
            profile: d.details.profile,
            file: d.details.file,
            mode: d.mode,
            access_key_id: d.access_key_id,
            security_token: d.security_token,
            note,
            skipped,
        }
    }
}

pub fn probe(settings: &Settings) -> Probe {
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
            let mut pr = default_chain();
            pr.skipped.insert(0, format!("pts_profile: profile {name} has no AccessKey"));
            pr
        }
        ActiveProfile::AliyunCli { name, .. } => {
            let provider = CliProfileProvider::new(Arc::new(ProcessEnv)).with_profile(name);
            match provider.describe() {
                Ok(d) => Probe::from_description("cli_profile", d, Vec::new()),
                Err(e) => Probe {
                    source: NONE.into(),
                    profile: Some(name.clone()),
                    skipped: vec![format!(
                        "cli_profile: profile {name} is not usable: {}",
                        e.reason()
                    )],
                    ..Probe::default()
                },
            }
        }
        ActiveProfile::None => default_chain(),
    }
}

/// The default chain's order: env, OIDC, aliyun CLI profile, INI file, ECS role, URI.
fn default_chain() -> Probe {
    let d = CredentialChain::new().describe();
    // Explicit keys are not part of pts's default chain use; their step is always skipped.
    let skipped: Vec<String> = d
        .tried
        .iter()
        .filter(|(step, _)| step != "static")
        .map(|(step, why)| format!("{step}: {why}"))
        .collect();
    match d.source {
        Some(source) if source == ECS_STEP && !ecs_role_named() => {
            let mut skipped = skipped;
            skipped.push(format!(
                "{ECS_STEP}: no role named ({ENV_ECS_ROLE} unset) and the metadata service is not \
                 contacted to discover one; on an ECS instance set {ENV_ECS_ROLE}=<role>"
            ));
            Probe { source: NONE.into(), skipped, ..Probe::default() }
        }
        Some(source) => Probe::from_description(&source, d.description, skipped),
        None => Probe { source: NONE.into(), skipped, ..Probe::default() },
    }
}

/// The default chain's last resort, the ECS RAM role, is always "available" on paper. It
/// counts as a source only when a role is named: claiming it on a laptop with no credentials
/// at all would make `whoami` and `doctor` report success for calls that will fail.
const ECS_STEP: &str = "ecs_ram_role";
/// The source of a probe that found nothing.
pub const NONE: &str = "none";

fn ecs_role_named() -> bool {
    std::env::var(ENV_ECS_ROLE).is_ok_and(|v| !v.trim().is_empty())
}
