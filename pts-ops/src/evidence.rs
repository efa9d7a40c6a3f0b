//! The evidence directory every mutating command and every run writes:
//! `<root>/<UTC timestamp>-<action>-<id>/` with `command.json` (command line, region,
//! endpoint, profile, start time), one numbered JSON file per API call (operation,
//! parameters, request id, response or error), `params.json` (scene/plan ids, time
//! range) and `summary.md`. Secret-looking values are redacted before anything is
//! written. `--evidence-dir` moves the root, `--no-evidence` turns it off.

use crate::exit::{CliError, CliResult};
use crate::options::SessionOptions;
use crate::settings::{ActiveProfile, Settings};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
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
        }
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
    /// `NN-<operation>.json`.
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

    /// Writes `name` (pretty JSON, redacted) in the directory.
    pub fn write_json(&self, name: &str, value: &impl Serialize) -> CliResult<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let mut v = serde_json::to_value(value)
            .map_err(|e| CliError::usage(format!("cannot serialize evidence {name}: {e}")))?;
        redact_json(&mut v);
        let text = serde_json::to_string_pretty(&v).expect("JSON values serialize") + "\n";
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| CliError::io("write", &path, &e))
    }

    /// Writes a text file (a report export, JUnit XML) in the directory, redacted as text.
    pub fn write_text(&self, name: &str, text: &str) -> CliResult<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let path = dir.join(name);
        std::fs::write(&path, redact_text(text).as_bytes())
            .map_err(|e| CliError::io("write", &path, &e))
    }

    /// Appends one JSON line (redacted) to `name`, e.g. the per-second `samples.jsonl`.
    pub fn append_jsonl(&self, name: &str, value: &impl Serialize) -> CliResult<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
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
    }

    /// Writes `params.json` and `summary.md` (outcome, target, key parameters, calls and
    /// `notes`) and returns the directory.
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

/// `2026-11-25T12:01:02Z`.
pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// `20261125T120102Z`: sorts by time and is safe in a file name.
fn compact_utc(t: SystemTime) -> String {
    rfc3339(t).replace(['-', ':'], "")
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
