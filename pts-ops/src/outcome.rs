//! The end of a workflow action, the same for the command line and the MCP tools: the result
//! document gets `ended_at` and goes to `result.json`, and the evidence is closed with the
//! outcome.

use crate::evidence::Evidence;
use crate::exit::{CliError, CliResult};
use crate::lifecycle::now_rfc3339;
use serde_json::{Value, json};
use std::path::PathBuf;

/// How an action ended, as its evidence records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concluded {
    /// `done`, or `failed: MESSAGE`.
    pub outcome: String,
    /// `None` when evidence is off.
    pub evidence_dir: Option<PathBuf>,
}

/// Ends an action that produced `doc`: `failure` (a wait that timed out, a failure state)
/// makes the outcome `failed: MESSAGE`, else it is `done`. The evidence is closed even when
/// `result.json` cannot be written; that error is returned after.
pub fn conclude(
    ev: Evidence,
    doc: &mut Value,
    failure: Option<&CliError>,
    done: &str,
    notes: &[String],
) -> CliResult<Concluded> {
    doc["ended_at"] = json!(now_rfc3339());
    let written = ev.write_json("result.json", doc);
    let outcome = failure.map_or(done.to_string(), |e| format!("failed: {}", e.message));
    let evidence_dir = ev.finish(&outcome, notes)?;
    written?;
    Ok(Concluded { outcome, evidence_dir })
}

/// Ends an action that failed before it had a result: the evidence closed as
/// `failed: MESSAGE`.
pub fn conclude_failed(ev: Evidence, e: &CliError) -> CliResult<Option<PathBuf>> {
    ev.finish(&format!("failed: {}", e.message), &[])
}
