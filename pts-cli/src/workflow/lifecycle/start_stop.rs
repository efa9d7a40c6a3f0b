//! StartPtsScene and StopPtsScene, recorded. A start answered with `Success: false` (even
//! in an HTTP 200) is a failure, and a start without a PlanId is one too: nothing could
//! follow it.

use super::call::{recorded, refused};
use super::now_rfc3339;
use crate::exit::CliResult;
use crate::workflow::evidence::Evidence;
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
    let started_at = now_rfc3339();
    let response = recorded(client, ev, "StartPtsScene", json!({"SceneId": scene_id})).await?;
    let plan_id = response.get("PlanId").and_then(Value::as_str).unwrap_or("").to_string();
    if plan_id.is_empty() {
        return Err(refused(format!("StartPtsScene for {scene_id} returned no PlanId")));
    }
    ev.param("scene_id", scene_id);
    ev.param("plan_id", &plan_id);
    Ok(Started { scene_id: scene_id.to_string(), plan_id, response, started_at })
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
