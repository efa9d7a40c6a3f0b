//! `pts whoami`: which credential source, variables and profile a call would use, the
//! AccessKey id masked, and the endpoint settings. Calls nothing; never prints a secret.

use crate::args::GlobalArgs;
use crate::output::Output;
use pts_api::__private::wire::SignatureVersion;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::probe::probe;
use pts_ops::settings::{ActiveProfile, Settings};
use serde::Serialize;

/// What `pts whoami` prints: names, origins and a masked key id; never a secret.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Whoami {
    credential_source: String,
    variables: Vec<String>,
    profile: Option<String>,
    profile_kind: Option<&'static str>,
    profile_selected_by: Option<String>,
    file: Option<String>,
    mode: Option<String>,
    access_key_id: Option<String>,
    security_token: bool,
    note: Option<String>,
    skipped: Vec<String>,
    region: String,
    region_from: String,
    endpoint: String,
    endpoint_from: String,
    protocol: &'static str,
    protocol_from: String,
    signature: &'static str,
    signature_from: String,
    read_only: bool,
    read_only_from: String,
    config_file: Option<String>,
}

pub fn run(g: &GlobalArgs) -> CliResult<()> {
    let out = Output::new(g)?;
    let s = Settings::load(&g.into())?;
    let p = probe(&s);
    let (profile_kind, selected_by) = match &s.profile {
        ActiveProfile::None => (None, None),
        ActiveProfile::Pts { origin, .. } => (Some("pts"), Some(origin.clone())),
        ActiveProfile::AliyunCli { origin, .. } => (Some("aliyun-cli"), Some(origin.clone())),
    };
    let signature = match s.signature.value {
        SignatureVersion::V3 => "v3 (ACS3-HMAC-SHA256)",
        SignatureVersion::V1 => "v1 (HMAC-SHA1)",
    };
    let value = Whoami {
        credential_source: p.source,
        variables: p.variables,
        profile: p.profile,
        profile_kind,
        profile_selected_by: selected_by,
        file: p.file.as_ref().map(|f| f.display().to_string()),
        mode: p.mode,
        access_key_id: p.access_key_id,
        security_token: p.security_token,
        note: p.note,
        skipped: p.skipped,
        region: s.region.value.clone(),
        region_from: s.region.origin.clone(),
        endpoint: s.endpoint_host(),
        endpoint_from: s.endpoint.origin.clone(),
        protocol: s.effective_protocol().as_str(),
        protocol_from: s.protocol.origin.clone(),
        signature,
        signature_from: s.signature.origin.clone(),
        read_only: s.read_only.value,
        read_only_from: s.read_only.origin.clone(),
        config_file: s.config_path.as_ref().map(|f| f.display().to_string()),
    };
    out.emit(&value)?;
    if value.credential_source == pts_ops::probe::NONE {
        let tried = value.skipped.join("; ");
        return Err(CliError::new(ExitCode::Auth, format!("no credentials resolved: {tried}"))
            .with_hint(
                "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, run \
                 `pts configure`, or pass --profile",
            ));
    }
    Ok(())
}
