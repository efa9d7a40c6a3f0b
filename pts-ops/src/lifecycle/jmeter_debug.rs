//! JMeter debug runs and logs: StartDebuggingJMeterScene, the sampling logs of its report,
//! StopDebuggingJMeterScene (always sent once the debug started); and the report id a
//! `logs` command reads when none is given.

use super::call::{read, recorded, refused};
use super::debug::until_steady;
use crate::evidence::Evidence;
use crate::exit::{CliError, CliResult};
use serde::Serialize;
use serde_json::{Value, json};
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct JmeterDebugRun {
    pub scene_id: String,
    pub report_id: String,
    /// `SampleResults`, each parsed from its JSON text when it is one.
    pub logs: Vec<Value>,
    pub start_response: Value,
    pub stop_response: Value,
}

pub async fn debug_jmeter(
    client: &pts_api::Client,
    scene_id: &str,
    poll_interval: Duration,
    max_wait: Duration,
    ev: &mut Evidence,
) -> CliResult<JmeterDebugRun> {
    ev.param("scene_id", scene_id);
    let start =
        recorded(client, ev, "StartDebuggingJMeterScene", json!({"SceneId": scene_id})).await?;
    let report_id = start.get("ReportId").and_then(Value::as_str).unwrap_or("").to_string();
    if report_id.is_empty() {
        return Err(refused(format!(
            "StartDebuggingJMeterScene for {scene_id} returned no ReportId"
        )));
    }
    ev.param("report_id", &report_id);
    let logs = collect(client, &report_id, poll_interval, max_wait).await;
    let stop = recorded(client, ev, "StopDebuggingJMeterScene", json!({"SceneId": scene_id})).await;
    // A debug that ended by itself is already stopped; that is not a failure.
    let stop = match stop {
        Ok(v) => v,
        Err(e) if e.message.contains("not running") => json!({"note": e.message}),
        Err(e) => return Err(e),
    };
    let logs = logs?;
    ev.write_json("debug-sampling-logs.json", &logs)?;
    Ok(JmeterDebugRun {
        scene_id: scene_id.into(),
        report_id,
        logs,
        start_response: start,
        stop_response: stop,
    })
}

/// One page of GetJMeterSamplingLogs, entries parsed from their JSON text.
pub async fn sampling_logs(
    client: &pts_api::Client,
    report_id: &str,
    page_size: i64,
) -> CliResult<Vec<Value>> {
    let body = read(
        client,
        "GetJMeterSamplingLogs",
        json!({"ReportId": report_id, "PageNumber": 1, "PageSize": page_size}),
    )
    .await?;
    Ok(body
        .get("SampleResults")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| s.as_str().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_else(|| s.clone()))
        .collect())
}

async fn collect(
    client: &pts_api::Client,
    report_id: &str,
    poll: Duration,
    max_wait: Duration,
) -> CliResult<Vec<Value>> {
    until_steady(poll, max_wait, || sampling_logs(client, report_id, 50)).await
}

/// The report id of the scene's current run, else of its latest report.
pub async fn latest_report(client: &pts_api::Client, scene_id: &str) -> CliResult<String> {
    let data = read(client, "GetJMeterSceneRunningData", json!({"SceneId": scene_id})).await?;
    if let Some(r) =
        data.pointer("/RunningData/ReportId").and_then(Value::as_str).filter(|r| !r.is_empty())
    {
        return Ok(r.to_string());
    }
    let list = read(
        client,
        "ListJMeterReports",
        json!({"SceneId": scene_id, "PageNumber": 1, "PageSize": 50}),
    )
    .await?;
    list.get("Reports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .max_by_key(|r| r.get("ActualStartTime").and_then(Value::as_i64).unwrap_or(0))
        .and_then(|r| r.get("ReportId").and_then(Value::as_str))
        .map(str::to_string)
        .ok_or_else(|| {
            CliError::usage(format!("JMeter scene {scene_id} has no run yet; pass --report-id"))
        })
}
