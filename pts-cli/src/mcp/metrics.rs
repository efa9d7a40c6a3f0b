//! Running data reduced to a [`Sample`] and a one-line summary.

use crate::workflow::evidence::rfc3339;
use crate::workflow::samples::Sample;
use serde_json::Value;
use std::time::SystemTime;

/// A sample from GetPtsSceneRunningStatus and GetPtsSceneRunningData bodies.
pub fn sample(status: &Value, data: &Value) -> Sample {
    let i = |k: &str| data[k].as_i64().or_else(|| data[k].as_f64().map(|f| f as i64)).unwrap_or(0);
    let f = |k: &str| data[k].as_f64().unwrap_or(0.0);
    Sample {
        at: rfc3339(SystemTime::now()),
        elapsed_s: 0.0,
        status: status["Status"].as_str().unwrap_or("UNKNOWN").to_string(),
        concurrency: i("Concurrency"),
        tps: f("TotalRealQps"),
        avg_rt_ms: f("AverageRt"),
        p90_rt_ms: data["Seg90Rt"].as_f64(),
        total_requests: i("TotalRequestCount"),
        failed_requests: i("FailedRequestCount"),
        failed_business: i("FailedBusinessCount"),
        alive_agents: i("AliveAgents"),
        total_agents: i("TotalAgents"),
    }
}

/// `Scene X RUNNING: 10 VUs, 812.0 TPS, avg 12 ms, 0.00% errors, 4031 requests, 1/1 agents`.
pub fn line(scene_id: &str, s: &Sample) -> String {
    format!(
        "Scene {scene_id} {}: {} VUs, {:.1} TPS, avg {:.0} ms, {:.2}% errors, {} requests, {}/{} agents",
        s.status,
        s.concurrency,
        s.tps,
        s.avg_rt_ms,
        s.error_rate() * 100.0,
        s.total_requests,
        s.alive_agents,
        s.total_agents
    )
}
