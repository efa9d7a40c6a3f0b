//! Engine data -> `pts_api` response shapes (envelope fields are left for the service).

use super::plan::LoadMode;
use super::run::{RunPhase, RunReport, RunSnapshot};
use super::stats::{ApiPoint, Counters, Latency, vum_of};
use pts_api::ops::get_jmeter_report_details as jrd;
use pts_api::ops::get_jmeter_scene_running_data as jrun;
use pts_api::ops::get_pts_report_details as prd;
use pts_api::ops::get_pts_scene_running_data as rd;
use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use serde_json::{Value, json};

mod live;
mod report;

/// The PTS runtime status of a run the engine has (`None`: the service has committed the run
/// but the engine is still compiling it, or has not been handed it yet). A finished engine
/// run whose records are not yet written is still `STOPPING`: `STOPPED` is the service's to
/// say once the final figures are stored.
pub fn pts_runtime_status(phase: Option<RunPhase>) -> PtsRuntimeStatus {
    match phase {
        None | Some(RunPhase::Preparing) => PtsRuntimeStatus::Preparing,
        Some(RunPhase::Running) => PtsRuntimeStatus::Running,
        Some(RunPhase::Stopping | RunPhase::Finished) => PtsRuntimeStatus::Stopping,
    }
}

/// The JMeter status of a run the engine has, as [`pts_runtime_status`]: compiling is
/// `PREPARING`, threads starting and connections opening `STARTING`.
pub fn jmeter_status(phase: Option<RunPhase>) -> JMeterSceneStatus {
    match phase {
        None => JMeterSceneStatus::Preparing,
        Some(RunPhase::Preparing) => JMeterSceneStatus::Starting,
        Some(RunPhase::Running) => JMeterSceneStatus::Running,
        Some(RunPhase::Stopping | RunPhase::Finished) => JMeterSceneStatus::Stopping,
    }
}

/// Running-data `Status` integer of a runtime status. PTS publishes no mapping; by pts-local
/// convention it is the 0-based index in the GetPtsSceneRunningStatus list (`CREATED`=0 …
/// `RUNNING`=7, `STOPPING`=8, `STOPPED`=9), so the documented default 7 means RUNNING.
pub fn running_status_code(status: &PtsRuntimeStatus) -> i32 {
    PtsRuntimeStatus::VALUES.iter().position(|v| *v == status.as_str()).map_or(-1, |i| i as i32)
}

/// Running-data `Status` integer of an engine phase (a finished run is `STOPPED`).
fn phase_code(phase: RunPhase) -> i32 {
    match phase {
        RunPhase::Finished => running_status_code(&PtsRuntimeStatus::Stopped),
        p => running_status_code(&pts_runtime_status(Some(p))),
    }
}

/// Human-formatted byte rate like PTS's `89kb` (bytes per second; `b`, `kb`, `mb`, `gb`).
pub fn format_bps(bytes_per_sec: f64) -> String {
    let units = ["b", "kb", "mb", "gb"];
    let mut v = bytes_per_sec.max(0.0);
    let mut i = 0;
    while v >= 1024.0 && i + 1 < units.len() {
        v /= 1024.0;
        i += 1;
    }
    if v >= 100.0 || i == 0 { format!("{v:.0}{}", units[i]) } else { format!("{v:.1}{}", units[i]) }
}

fn ratio(part: u64, all: u64) -> f64 {
    if all == 0 { 0.0 } else { part as f64 / all as f64 }
}

fn ms_i32(v: f64) -> i32 {
    v.round().clamp(0.0, i32::MAX as f64) as i32
}

fn stat_json(
    sampler: i64,
    c: &Counters,
    lat: &Latency,
    last: Option<(u32, u32)>,
    concurrency: f64,
    duration_ms: u64,
) -> Value {
    let fails = c.failed_requests + c.failed_business;
    let ok = c.fully_ok();
    let tps = last.map(|(n, span)| n as f64 * 1000.0 / span.max(1) as f64).unwrap_or(0.0);
    let secs = (duration_ms as f64 / 1000.0).max(1e-3);
    let us = |v: u64| if v == u64::MAX { 0.0 } else { v as f64 / 1000.0 };
    json!({
        "samplerId": sampler,
        "count": c.count,
        "successCount": ok,
        "failCount": fails,
        "tps": tps,
        "successTps": ok as f64 / secs,
        "failTps": fails as f64 / secs,
        "rtAvg": lat.avg_ms,
        "rtMin": lat.min_ms,
        "rtMax": lat.max_ms,
        "successRtAvg": if ok == 0 { 0.0 } else { c.ok_rt_sum_us as f64 / ok as f64 / 1000.0 },
        "successRtMin": us(c.ok_rt_min_us),
        "successRtMax": us(c.ok_rt_max_us),
        "successRtSum": c.ok_rt_sum_us as f64 / 1000.0,
        "failRtAvg": if fails == 0 { 0.0 } else { c.fail_rt_sum_us as f64 / fails as f64 / 1000.0 },
        "failRtMin": us(c.fail_rt_min_us),
        "failRtMax": us(c.fail_rt_max_us),
        "failRtSum": c.fail_rt_sum_us as f64 / 1000.0,
        "duration": duration_ms,
        "concurrency": concurrency,
        "fullStat": {
            "count": c.count,
            "successCount": ok,
            "tps": c.count as f64 / secs,
            "rtSeg50": lat.p50_ms,
            "rtSeg90": lat.p90_ms,
            "rtSeg99": lat.p99_ms,
            "requestBytesSum": c.bytes_out,
            "rtSegStatCount": c.count,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bps() {
        assert_eq!(format_bps(0.0), "0b");
        assert_eq!(format_bps(91136.0), "89.0kb");
        assert_eq!(format_bps(5.0 * 1024.0 * 1024.0), "5.0mb");
    }
}
