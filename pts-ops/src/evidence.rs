//! The evidence directory every mutating command and every run writes:
//! `<root>/<UTC timestamp>-<action>-<id>/` with `command.json` (command line, region,
//! endpoint, profile, start time), one numbered JSON file per API call (operation,
//! parameters, request id, response or error), `params.json` (scene/plan ids, time
//! range) and `summary.md`. Secret-looking values are redacted before anything is
//! written. `--evidence-dir` moves the root, `--no-evidence` turns it off.
//!
//! The evidence policy, in one place (`Evidence::degrade`): a write that fails once the
//! directory exists never fails the command's calls. The call that succeeded stays a
//! success, load the command started is still stopped, and the failure is a loud warning
//! on stderr (redacted) at once; [`settle`] turns a command that otherwise succeeded into
//! [`ExitCode::EvidenceIncomplete`] at its end, and the MCP tools put the warnings in their
//! result ([`EvidenceHealth`]).

use crate::exit::{CliError, CliResult, ExitCode};
use crate::options::SessionOptions;
use crate::settings::{ActiveProfile, Settings};
use pts_api::time::{Timestamp, Zone};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// Where evidence goes unless `--evidence-dir` says otherwise (the operator guides' place).
pub const DEFAULT_EVIDENCE_DIR: &str = "output/aliyun-pts-manage";

use pts_api::__private::redact::{redact_command, redact_json, redact_text};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceOptions {
    pub root: PathBuf,
    pub enabled: bool,
}

impl EvidenceOptions {
    pub fn from_options(g: &SessionOptions) -> EvidenceOptions {
        EvidenceOptions {
            root: g.evidence_dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_EVIDENCE_DIR)),
            enabled: !g.no_evidence,
        }
    }
}

/// Where the action ran: shown in `command.json` and `summary.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub region: String,
    pub endpoint: String,
    pub profile: Option<String>,
}

impl Target {
    /// Where calls with these settings go.
    pub fn of(settings: &Settings) -> Target {
        let profile = match &settings.profile {
            ActiveProfile::Pts { name, .. } | ActiveProfile::AliyunCli { name, .. } => {
                Some(name.clone())
            }
            ActiveProfile::None => None,
        };
        Target {
            region: settings.region.value.clone(),
            endpoint: settings.endpoint_host(),
            profile,
        }
    }
}

/// One evidence directory being written. A disabled one accepts every call and writes
/// nothing, so commands need no `if`s.
#[derive(Debug)]
pub struct Evidence {
    dir: Option<PathBuf>,
    action: String,
    id: String,
    target: Option<Target>,
    started: SystemTime,
    params: Map<String, Value>,
    calls: Vec<Value>,
    health: EvidenceHealth,
}

/// The evidence writes of one action that failed, shared with whoever reports them after the
/// [`Evidence`] was finished (the MCP tools' results).
#[derive(Debug, Clone, Default)]
pub struct EvidenceHealth(Arc<Mutex<Vec<String>>>);

impl EvidenceHealth {
    fn failures(&self) -> MutexGuard<'_, Vec<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One line per failed write, redacted.
    pub fn warnings(&self) -> Vec<String> {
        self.failures().clone()
    }
}

/// Failed evidence writes of this process, for [`settle`] (one `pts` command per process).
static FAILED_WRITES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The end of a command under the evidence policy: a command that succeeded while an
/// evidence write failed exits [`ExitCode::EvidenceIncomplete`]; any other error keeps its
/// own code (the warnings were printed when the writes failed).
pub fn settle(result: CliResult) -> CliResult {
    let failed = std::mem::take(&mut *FAILED_WRITES.lock().unwrap_or_else(|e| e.into_inner()));
    match (result, failed.first()) {
        (Ok(()), Some(first)) => Err(CliError::new(
            ExitCode::EvidenceIncomplete,
            format!(
                "the command succeeded but {} evidence write(s) failed, the first: {first}",
                failed.len()
            ),
        )
        .with_hint("give --evidence-dir a writable directory (or --no-evidence)")),
        (r, _) => r,
    }
}

impl Evidence {
    /// Creates the directory and writes `command.json`. `command` is the command line (or
    /// the tool call) that asked for the action; secret-looking flags are redacted.
    pub fn begin(
        opts: &EvidenceOptions,
        action: &str,
        id: &str,
        target: Target,
        command: &[String],
    ) -> CliResult<Evidence> {
        let started = SystemTime::now();
        let mut ev = Evidence {
            dir: None,
            action: action.to_string(),
            id: id.to_string(),
            target: Some(target),
            started,
            params: Map::new(),
            calls: Vec::new(),
            health: EvidenceHealth::default(),
        };
        if !opts.enabled {
            return Ok(ev);
        }
        let stamp = compact_utc(started);
        let base = format!("{stamp}-{}-{}", safe_segment(action), safe_segment(id));
        let mut dir = opts.root.join(&base);
        let mut n = 2;
        while dir.exists() {
            dir = opts.root.join(format!("{base}-{n}"));
            n += 1;
        }
        std::fs::create_dir_all(&dir).map_err(|e| CliError::io("create", &dir, &e))?;
        ev.dir = Some(dir);
        let doc = json!({
            "action": action,
            "id": id,
            "command": redact_command(command),
            "target": ev.target,
            "started_at": rfc3339(started),
        });
        ev.write_json("command.json", &doc)?;
        Ok(ev)
    }

    /// Evidence that writes nothing (`--no-evidence`, dry runs).
    pub fn disabled(action: &str, id: &str) -> Evidence {
        Evidence {
            dir: None,
            action: action.to_string(),
            id: id.to_string(),
            target: None,
            started: SystemTime::now(),
            params: Map::new(),
            calls: Vec::new(),
            health: EvidenceHealth::default(),
        }
    }

    /// The failed writes of this evidence, readable after [`Evidence::finish`].
    pub fn health(&self) -> EvidenceHealth {
        self.health.clone()
    }

    /// The evidence policy: a failed write is reported, never returned. The first failure
    /// of each file is a warning on stderr (redacted); every failure is kept for the end of
    /// the command ([`settle`]) and for [`Evidence::health`].
    fn degrade(&self, name: &str, e: CliError) {
        let line = redact_text(&format!("evidence {name} not written: {}", e.message)).into_owned();
        let mut failures = self.health.failures();
        if !failures.iter().any(|f| f.starts_with(&format!("evidence {name} "))) {
            eprintln!("warning: {line}");
        }
        failures.push(line.clone());
        FAILED_WRITES.lock().unwrap_or_else(|e| e.into_inner()).push(line);
    }

    /// Applies the policy to one write.
    fn written(&self, name: &str, r: CliResult<()>) -> CliResult<()> {
        if let Err(e) = r {
            self.degrade(name, e);
        }
        Ok(())
    }

    /// The directory, when evidence is on.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// A key parameter (`scene_id`, `plan_id`, `time_range`, ...) for `params.json`.
    pub fn param(&mut self, key: &str, value: impl Serialize) {
        let v = serde_json::to_value(value).unwrap_or(Value::Null);
        self.params.insert(key.to_string(), v);
    }

    /// Records one API call: its parameters and its response (or error), redacted, as
    /// `NN-<operation>.json`. Never fails: see `Evidence::degrade`.
    pub fn call(
        &mut self,
        operation: &str,
        params: &impl Serialize,
        outcome: Result<&Value, &CliError>,
    ) -> CliResult<()> {
        let params = serde_json::to_value(params).unwrap_or(Value::Null);
        let (ok, request_id, body) = match outcome {
            Ok(v) => (true, v.get("RequestId").cloned().unwrap_or(Value::Null), v.clone()),
            Err(e) => (false, Value::Null, json!({"error": e.message, "exit_code": e.code.code()})),
        };
        let record = json!({
            "operation": operation,
            "at": rfc3339(SystemTime::now()),
            "ok": ok,
            "request_id": request_id,
            "params": params,
            "response": body,
        });
        let n = self.calls.len() + 1;
        self.calls.push(
            json!({"n": n, "operation": operation, "ok": ok, "request_id": record["request_id"]}),
        );
        self.write_json(&format!("{n:02}-{operation}.json"), &record)
    }

    /// Writes `name` (pretty JSON, redacted) in the directory. Never fails: see
    /// `Evidence::degrade`.
    pub fn write_json(&self, name: &str, value: &impl Serialize) -> CliResult<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let r = (|| {
            let mut v = serde_json::to_value(value)
                .map_err(|e| CliError::usage(format!("cannot serialize evidence {name}: {e}")))?;
            redact_json(&mut v);
            let text = serde_json::to_string_pretty(&v).expect("JSON values serialize") + "\n";
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| CliError::io("write", &path, &e))
        })();
        self.written(name, r)
    }

    /// Writes a text file (a report export, JUnit XML) in the directory, redacted as text.
    /// Never fails: see `Evidence::degrade`.
    pub fn write_text(&self, name: &str, text: &str) -> CliResult<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let path = dir.join(name);
        let r = std::fs::write(&path, redact_text(text).as_bytes())
            .map_err(|e| CliError::io("write", &path, &e));
        self.written(name, r)
    }

    /// Appends one JSON line (redacted) to `name`, e.g. the per-second `samples.jsonl`.
    /// Never fails: see `Evidence::degrade`.
    pub fn append_jsonl(&self, name: &str, value: &impl Serialize) -> CliResult<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let r = (|| {
            let mut v = serde_json::to_value(value)
                .map_err(|e| CliError::usage(format!("cannot serialize evidence {name}: {e}")))?;
            redact_json(&mut v);
            let path = dir.join(name);
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(|e| CliError::io("open", &path, &e))?;
            writeln!(f, "{v}").map_err(|e| CliError::io("write", &path, &e))
        })();
        self.written(name, r)
    }

    /// Writes `params.json` and `summary.md` (outcome, target, key parameters, calls and
    /// `notes`) and returns the directory. Never fails: see `Evidence::degrade`.
    pub fn finish(self, outcome: &str, notes: &[String]) -> CliResult<Option<PathBuf>> {
        let Some(dir) = self.dir.clone() else { return Ok(None) };
        let ended = SystemTime::now();
        let mut params = self.params.clone();
        params.insert("started_at".into(), rfc3339(self.started).into());
        params.insert("ended_at".into(), rfc3339(ended).into());
        self.write_json("params.json", &params)?;
        let mut md = format!("# {} {}\n\nOutcome: **{outcome}**\n\n", self.action, self.id);
        if let Some(t) = &self.target {
            md.push_str(&format!("- region: `{}`\n- endpoint: `{}`\n", t.region, t.endpoint));
            if let Some(p) = &t.profile {
                md.push_str(&format!("- profile: `{p}`\n"));
            }
        }
        let mut p = Value::Object(params);
        redact_json(&mut p);
        for (k, v) in p.as_object().into_iter().flatten() {
            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            md.push_str(&format!("- {k}: `{shown}`\n"));
        }
        if !self.calls.is_empty() {
            md.push_str(
                "\n## API calls\n\n| # | operation | ok | request id |\n|---|---|---|---|\n",
            );
            for c in &self.calls {
                let rid = c["request_id"].as_str().unwrap_or("-");
                md.push_str(&format!(
                    "| {} | {} | {} | {rid} |\n",
                    c["n"],
                    c["operation"].as_str().unwrap_or(""),
                    c["ok"]
                ));
            }
        }
        if !notes.is_empty() {
            md.push_str("\n## Notes\n\n");
            for n in notes {
                md.push_str(&format!("- {n}\n"));
            }
        }
        self.write_text("summary.md", &md)?;
        Ok(Some(dir))
    }
}

/// RFC 3339 in the display zone with its offset (`2026-11-25T20:01:02+08:00`, or
/// `2026-11-25T12:01:02Z` with `--utc`): the same text tables and reports show.
pub fn rfc3339(t: SystemTime) -> String {
    Timestamp::from_system_time(t).display_text()
}

/// `20261125T120102Z`: sorts by time and is safe in a file name, whatever the display zone.
fn compact_utc(t: SystemTime) -> String {
    Timestamp::from_system_time(t).rfc3339_in(Zone::Utc).replace(['-', ':'], "")
}

/// Letters, digits, `.`, `_` and `-` only, so an id cannot escape the evidence root.
fn safe_segment(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .take(64)
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '.') { "_".into() } else { out }
}

#[cfg(test)]
mod tests;
