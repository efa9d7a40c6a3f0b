//! StartPtsScene and StopPtsScene, recorded. A start answered with `Success: false` (even
//! in an HTTP 200) is a failure, and a start without a PlanId is one too: nothing could
//! follow it.

use super::call::{recorded, refused};
use super::status::now_rfc3339;
use crate::evidence::Evidence;
use crate::exit::CliResult;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, Serialize)]
pub struct Started {
    pub scene_id: String,
    pub plan_id: String,
    pub response: Value,
    pub started_at: String,
}

pub async fn start_pts(
    client: &pts_api::Client,
    scene_id: &str,
    ev: &mut Evidence,
) -> CliResult<Started> {
    let (response, plan_id, started_at) =
        start_run(client, ev, "StartPtsScene", scene_id, "PlanId").await?;
    Ok(Started { scene_id: scene_id.to_string(), plan_id, response, started_at })
}

/// Sends the start `op` (recorded) and takes the run's id from `id_key` of the answer;
/// a start without it is refused, since nothing could follow it. Returns the response,
/// the id and when the start was sent.
pub(super) async fn start_run(
    client: &pts_api::Client,
    ev: &mut Evidence,
    op: &str,
    scene_id: &str,
    id_key: &str,
) -> CliResult<(Value, String, String)> {
    let started_at = now_rfc3339();
    let response = recorded(client, ev, op, json!({"SceneId": scene_id})).await?;
    let run_id = response.get(id_key).and_then(Value::as_str).unwrap_or("").to_string();
    if run_id.is_empty() {
        return Err(refused(format!("{op} for {scene_id} returned no {id_key}")));
    }
    ev.param("scene_id", scene_id);
    // In the evidence params as plan_id / report_id.
    let stem = id_key.strip_suffix("Id").unwrap_or(id_key).to_ascii_lowercase();
    ev.param(&format!("{stem}_id"), &run_id);
    Ok((response, run_id, started_at))
}

/// StopPtsScene; returns the response body.
pub async fn stop_pts(
    client: &pts_api::Client,
    scene_id: &str,
    ev: &mut Evidence,
) -> CliResult<Value> {
    ev.param("scene_id", scene_id);
    recorded(client, ev, "StopPtsScene", json!({"SceneId": scene_id})).await
}
