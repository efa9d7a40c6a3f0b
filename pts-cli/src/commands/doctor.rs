//! `pts doctor`: a self-check of everything a call needs, in order: the configuration
//! loads, a credential source is found (names and a masked key id only; see `pts whoami`),
//! the compiled inventory has the 44 operations, and the endpoint answers a cheap read
//! (ListPtsScene, first page) within a bounded time. The result goes to stdout and to the
//! evidence directory (`doctor.json`, and `validate.txt` holding `ok` when every check
//! passed, else one `fail` line per failed check). A failed check exits with its code:
//! configuration 2, credentials 3, endpoint by the error (4 network, 3 authorization,
//! 1 service), inventory 1.

use crate::args::GlobalArgs;
use crate::output::Output;
use pts_ops::evidence::{Evidence, EvidenceOptions, Target};
use pts_ops::exit::{CliError, CliResult, ExitCode};
use pts_ops::lifecycle;
use pts_ops::probe::probe;
use pts_ops::settings::Settings;
use serde::Serialize;
use serde_json::json;
use std::time::{Duration, Instant};

/// Operations the 2020-10-20 API has.
pub const EXPECTED_OPERATIONS: usize = 44;

/// The longest the endpoint check may take, retries included.
pub const ENDPOINT_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Skip the endpoint check (no network)
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoctorCheck {
    pub name: &'static str,
    /// `ok`, `fail` or `skipped`.
    pub result: &'static str,
    pub detail: String,
    #[serde(skip)]
    code: ExitCode,
}

impl DoctorCheck {
    fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        DoctorCheck { name, result: "ok", detail: detail.into(), code: ExitCode::Success }
    }
    fn fail(name: &'static str, code: ExitCode, detail: impl Into<String>) -> Self {
        DoctorCheck { name, result: "fail", detail: detail.into(), code }
    }
    fn skipped(name: &'static str, detail: impl Into<String>) -> Self {
        DoctorCheck { name, result: "skipped", detail: detail.into(), code: ExitCode::Success }
    }
}

pub fn run(g: &GlobalArgs, args: DoctorArgs) -> CliResult<()> {
    let out = Output::new(g)?;
    let mut checks = Vec::new();
    let settings = Settings::load(&g.into());
    let target = match &settings {
        Ok(s) => {
            checks.push(configuration(s));
            Target { region: s.region.value.clone(), endpoint: s.endpoint_host(), profile: None }
        }
        Err(e) => {
            checks.push(DoctorCheck::fail("configuration", e.code, e.message.clone()));
            Target { region: String::new(), endpoint: String::new(), profile: None }
        }
    };
    checks.push(match &settings {
        Ok(s) => credentials(s),
        Err(_) => DoctorCheck::skipped("credentials", "no configuration"),
    });
    checks.push(inventory());
    checks.push(match (&settings, args.offline) {
        (_, true) => DoctorCheck::skipped("endpoint", "--offline"),
        (Ok(s), false) if checks[1].result == "ok" => endpoint(s),
        _ => DoctorCheck::skipped("endpoint", "needs configuration and credentials"),
    });
    let passed = checks.iter().all(|c| c.result != "fail");
    let command: Vec<String> = std::env::args().collect();
    let ev = Evidence::begin(
        &EvidenceOptions::from_options(&g.into()),
        "doctor",
        "self-check",
        target,
        &command,
    )?;
    ev.write_json("doctor.json", &json!({"passed": passed, "checks": checks}))?;
    let validate = if passed {
        "ok\n".to_string()
    } else {
        checks
            .iter()
            .filter(|c| c.result == "fail")
            .map(|c| format!("fail {}: {}\n", c.name, c.detail))
            .collect()
    };
    ev.write_text("validate.txt", &validate)?;
    let notes: Vec<String> =
        checks.iter().map(|c| format!("{} {}: {}", c.result, c.name, c.detail)).collect();
    let dir = ev.finish(if passed { "all checks passed" } else { "a check failed" }, &notes)?;
    out.emit(&json!({"passed": passed, "checks": checks, "evidence": dir}))?;
    match checks.iter().find(|c| c.result == "fail") {
        None => Ok(()),
        Some(c) => {
            Err(CliError::new(c.code, format!("doctor: {} check failed: {}", c.name, c.detail)))
        }
    }
}

fn configuration(s: &Settings) -> DoctorCheck {
    let file = s.config_path.as_ref().map_or("none".to_string(), |p| p.display().to_string());
    DoctorCheck::ok(
        "configuration",
        format!(
            "region {} ({}), endpoint {} ({}), config file {file}, read-only {}",
            s.region.value,
            s.region.origin,
            s.endpoint_host(),
            s.endpoint.origin,
            s.read_only.value
        ),
    )
}

fn credentials(s: &Settings) -> DoctorCheck {
    let p = probe(s);
    if !p.found() {
        return DoctorCheck::fail(
            "credentials",
            ExitCode::Auth,
            format!("no credential source found ({})", p.skipped.join("; ")),
        );
    }
    let mut detail = format!("source {}", p.source);
    if let Some(profile) = &p.profile {
        detail.push_str(&format!(", profile {profile}"));
    }
    if let Some(id) = &p.access_key_id {
        detail.push_str(&format!(", AccessKey id {id}"));
    }
    if let Some(note) = &p.note {
        detail.push_str(&format!(" ({note})"));
    }
    DoctorCheck::ok("credentials", detail)
}

fn inventory() -> DoctorCheck {
    let compiled = pts_api::OPERATIONS.len();
    let inv = api_meta::snapshot::committed_inventory();
    let missing: Vec<&str> = inv
        .operations
        .iter()
        .filter(|o| pts_api::operation_meta(&o.name).is_none())
        .map(|o| o.name.as_str())
        .collect();
    if compiled == EXPECTED_OPERATIONS && inv.operations.len() == compiled && missing.is_empty() {
        DoctorCheck::ok("inventory", format!("{compiled} operations compiled in (PTS 2020-10-20)"))
    } else {
        DoctorCheck::fail(
            "inventory",
            ExitCode::Service,
            format!(
                "expected {EXPECTED_OPERATIONS} operations: client {compiled}, inventory {}, \
                 without a client method: {missing:?}",
                inv.operations.len()
            ),
        )
    }
}

/// ListPtsScene (page 1, 10 items): read-only and cheap, bounded by [`ENDPOINT_TIMEOUT`].
fn endpoint(s: &Settings) -> DoctorCheck {
    let client = match s.client() {
        Ok(c) => c,
        Err(e) => return DoctorCheck::fail("endpoint", e.code, e.message),
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return DoctorCheck::fail("endpoint", ExitCode::Network, e.to_string()),
    };
    let host = s.endpoint_host();
    let started = Instant::now();
    let params = json!({"PageNumber": 1, "PageSize": 10});
    let call = lifecycle::read(&client, "ListPtsScene", params);
    match rt.block_on(async { tokio::time::timeout(ENDPOINT_TIMEOUT, call).await }) {
        Ok(Ok(_)) => DoctorCheck::ok(
            "endpoint",
            format!("{host} answered ListPtsScene in {} ms", started.elapsed().as_millis()),
        ),
        Ok(Err(e)) => DoctorCheck::fail("endpoint", e.code, format!("{host}: {}", e.message)),
        Err(_) => DoctorCheck::fail(
            "endpoint",
            ExitCode::Network,
            format!("{host}: no answer within {} s", ENDPOINT_TIMEOUT.as_secs()),
        ),
    }
}
