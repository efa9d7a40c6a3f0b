//! A PTS debug run: StartDebugPtsScene, poll the sample logs until they stop growing, then
//! StopDebugPtsScene with both ids (a debug run ends through the debug API only, never
//! StopPtsScene).
//! The stop is sent whatever happened while polling.

use super::call::{read, recorded, refused};
use crate::evidence::Evidence;
use crate::exit::CliResult;
use serde::Serialize;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize)]
pub struct DebugRun {
    pub scene_id: String,
    pub plan_id: String,
    /// `SamplingLogs` entries (one per request sent).
    pub logs: Vec<Value>,
    pub start_response: Value,
    pub stop_response: Value,
}

/// Logs read per page (enough for one pass over a scene's chains).
const LOG_PAGE: i64 = 100;

pub async fn debug_pts(
    client: &pts_api::Client,
    scene_id: &str,
    poll_interval: Duration,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<DebugRun> {
    ev.param("scene_id", scene_id);
    let start = recorded(client, ev, "StartDebugPtsScene", json!({"SceneId": scene_id})).await?;
    let plan_id = start.get("PlanId").and_then(Value::as_str).unwrap_or("").to_string();
    if plan_id.is_empty() {
        return Err(refused(format!("StartDebugPtsScene for {scene_id} returned no PlanId")));
    }
    ev.param("plan_id", &plan_id);
    let logs = collect_logs(client, &plan_id, poll_interval, max_wait).await;
    let stop =
        recorded(client, ev, "StopDebugPtsScene", json!({"SceneId": scene_id, "PlanId": plan_id}))
            .await?;
    let logs = logs?;
    ev.write_json("debug-sample-logs.json", &logs)?;
    Ok(DebugRun {
        scene_id: scene_id.to_string(),
        plan_id,
        logs,
        start_response: start,
        stop_response: stop,
    })
}

/// Polls until the log count is non-zero and unchanged between two polls, or `max_wait`.
async fn collect_logs(
    client: &pts_api::Client,
    plan_id: &str,
    poll_interval: Duration,
    max_wait: Duration,
) -> CliResult<Vec<Value>> {
    until_steady(poll_interval, max_wait, || async {
        let params = json!({"PlanId": plan_id, "PageNumber": 1, "PageSize": LOG_PAGE});
        let body = read(client, "GetPtsDebugSampleLogs", params).await?;
        Ok(body.get("SamplingLogs").and_then(Value::as_array).cloned().unwrap_or_default())
    })
    .await
}

fn redacted(mut logs: Vec<Value>) -> Vec<Value> {
    logs.iter_mut().for_each(pts_api::__private::redact::redact_json);
    logs
}

/// Reads logs every `poll` until a read is non-empty and as long as the one before (the
/// debug sent all it will), or until `max_wait` (then the last read). Shared by PTS and
/// JMeter debugs. The logs come back redacted: they hold the requests as sent (headers,
/// URLs, bodies) and are printed and stored.
pub(super) async fn until_steady<F, Fut>(
    poll: Duration,
    max_wait: Duration,
    mut read_logs: F,
) -> CliResult<Vec<Value>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = CliResult<Vec<Value>>>,
{
    let deadline = Instant::now() + max_wait;
    let mut last: Vec<Value> = Vec::new();
    loop {
        let logs = read_logs().await?;
        if !logs.is_empty() && logs.len() == last.len() {
            return Ok(redacted(logs));
        }
        last = logs;
        if Instant::now() + poll > deadline {
            return Ok(redacted(last));
        }
        tokio::time::sleep(poll).await;
    }
}
