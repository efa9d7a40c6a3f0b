//! The evidence directory of one operation call, shared by `pts call` and the MCP server.

use pts_api::meta::OperationMeta;
use pts_ops::evidence::{Evidence, EvidenceOptions, Target};
use pts_ops::exit::CliResult;
use serde_json::Value;

/// `start_evidence` for any caller (the MCP server passes its tool call as `command`):
/// the directory is named after the first of SceneId, PlanId, ReportId, EnvId, and those
/// plus RegionId go into `params.json`.
pub fn begin_call_evidence(
    op: &OperationMeta,
    params: &Value,
    opts: &EvidenceOptions,
    target: Target,
    command: &[String],
) -> CliResult<Evidence> {
    let id = ["SceneId", "PlanId", "ReportId", "EnvId"]
        .iter()
        .find_map(|k| params.get(*k).and_then(Value::as_str))
        .unwrap_or("-");
    let mut ev = Evidence::begin(opts, op.name, id, target, command)?;
    if let Value::Object(m) = params {
        for k in ["SceneId", "PlanId", "ReportId", "EnvId", "RegionId"] {
            if let Some(v) = m.get(k) {
                ev.param(k, v);
            }
        }
    }
    Ok(ev)
}
