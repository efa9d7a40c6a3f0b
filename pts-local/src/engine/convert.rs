//! Engine data -> `pts_api` response shapes (envelope fields are left for the service).

use super::plan::LoadMode;
use super::run::{RunPhase, RunReport, RunSnapshot};
use super::stats::{ApiPoint, Counters, Latency};
use pts_api::ops::get_jmeter_report_details as jrd;
use pts_api::ops::get_jmeter_scene_running_data as jrun;
use pts_api::ops::get_pts_report_details as prd;
use pts_api::ops::get_pts_scene_running_data as rd;
use serde_json::{Value, json};

/// Running-data `Status` integer (pts-domain §2.1 convention: index in the runtime phase list).
pub fn running_status_code(phase: RunPhase) -> i32 {
    match phase {
        RunPhase::Running => 7,
        RunPhase::Stopping => 8,
        RunPhase::Finished => 9,
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

impl RunSnapshot {
    /// `GetPtsSceneRunningData` body (envelope fields None). Rates come from the last complete
    /// second and are 0 once the run finished; `HasReport` is true once finished.
    pub fn to_pts_running_data(&self) -> rd::GetPtsSceneRunningDataResponse {
        let live = self.phase != RunPhase::Finished;
        let last = self.last_second.filter(|_| live);
        let per_sec =
            |b: u64| last.map(|p| b as f64 * 1000.0 / p.span_ms.max(1) as f64).unwrap_or(0.0);
        let chain = self
            .apis
            .iter()
            .map(|a| {
                let p: Option<ApiPoint> = a.last_second.filter(|_| live);
                let rate =
                    |n: u32| p.map(|p| n as f64 * 1000.0 / p.span_ms.max(1) as f64).unwrap_or(0.0);
                let c = &a.counters;
                rd::ChainMonitorData {
                    api_id: a.info.api_id.clone(),
                    api_name: Some(a.info.api_name.clone()),
                    average_rt: Some(ms_i32(a.latency.avg_ms)),
                    check_point_result: Some(rd::CheckPointResult {
                        failed_business_count: Some(c.failed_business as i64),
                        failed_business_qps: Some(rate(p.map(|p| p.failed_business).unwrap_or(0))),
                        succeed_business_count: Some(c.fully_ok() as i64),
                        succeed_business_qps: Some(rate(
                            p.map(|p| p.count - p.failed_requests - p.failed_business).unwrap_or(0),
                        )),
                    }),
                    concurrency: Some(if live { a.concurrency } else { 0.0 }),
                    config_qps: Some(a.config_qps as i32),
                    count2_xx: Some(c.ok as i64),
                    failed_count: Some(c.failed_requests as i64),
                    failed_qps: Some(rate(p.map(|p| p.failed_requests).unwrap_or(0))),
                    max_rt: Some(ms_i32(a.latency.max_ms)),
                    min_rt: Some(ms_i32(a.latency.min_ms)),
                    node_id: Some(a.info.index as i64),
                    qps2_xx: Some(rate(p.map(|p| p.ok).unwrap_or(0))),
                    real_qps: Some(rate(p.map(|p| p.count).unwrap_or(0))),
                    time_point: Some(
                        self.begin_epoch_ms + p.map(|p| p.second as i64 * 1000).unwrap_or(0),
                    ),
                }
            })
            .collect();
        rd::GetPtsSceneRunningDataResponse {
            agent_location: Some(vec![rd::AgentLocation {
                count: Some(1),
                isp: Some("loopback".into()),
                province: Some("local".into()),
                region: Some("local".into()),
            }]),
            alive_agents: Some(if live { 1 } else { 0 }),
            average_rt: Some(self.latency.avg_ms.round() as i64),
            begin_time: Some(self.begin_epoch_ms),
            chain_monitor_data_list: Some(chain),
            concurrency: Some(if live { self.concurrency as i32 } else { 0 }),
            concurrency_limit: Some(self.concurrency_limit as i32),
            failed_business_count: Some(self.totals.failed_business as i64),
            failed_request_count: Some(self.totals.failed_requests as i64),
            has_report: Some(!live),
            request_bps: Some(format_bps(per_sec(last.map(|p| p.bytes_out).unwrap_or(0)))),
            response_bps: Some(format_bps(per_sec(last.map(|p| p.bytes_in).unwrap_or(0)))),
            seg90_rt: Some(self.latency.p90_ms.round() as i64),
            status: Some(running_status_code(self.phase)),
            total_agents: Some(1),
            total_real_qps: Some(last.map(|p| p.tps().round() as i32).unwrap_or(0)),
            total_request_count: Some(self.totals.count as i64),
            tps_limit: Some(self.tps_limit as i32),
            vum: Some(self.vum),
            ..Default::default()
        }
    }

    /// The measured part of `GetJMeterSceneRunningData.RunningData` (ids, status and stage
    /// names are the service's to fill).
    pub fn to_jmeter_running_data(&self) -> jrun::RunningData {
        let live = self.phase != RunPhase::Finished;
        jrun::RunningData {
            agent_count: Some(1),
            agent_id_list: Some(vec![format!("127.0.0.1_{}", std::process::id())]),
            all_sample_stat: Some(self.jmeter_all_sample_stat()),
            concurrency: Some(if live { self.concurrency as i32 } else { 0 }),
            has_report: Some(!live),
            hold_for: Some(self.planned.as_secs() as i32),
            is_debugging: Some(self.debug),
            sample_stat_list: Some(self.jmeter_sample_stat_list()),
            start_time_ts: Some(self.begin_epoch_ms),
            vum: Some(self.vum),
            ..Default::default()
        }
    }

    /// `GetJMeterSceneRunningData.RunningData.AllSampleStat` (samplerId -1).
    pub fn jmeter_all_sample_stat(&self) -> Value {
        let lat = self.latency;
        stat_json(
            -1,
            &self.totals,
            &lat,
            self.last_second.map(|p| (p.requests, p.span_ms)),
            self.concurrency as f64,
            self.elapsed.as_millis() as u64,
        )
    }

    /// `GetJMeterSceneRunningData.RunningData.SampleStatList` (one per sampler).
    pub fn jmeter_sample_stat_list(&self) -> Vec<Value> {
        self.apis
            .iter()
            .map(|a| {
                stat_json(
                    a.info.index as i64,
                    &a.counters,
                    &a.latency,
                    a.last_second.map(|p| (p.count, p.span_ms)),
                    a.concurrency,
                    self.elapsed.as_millis() as u64,
                )
            })
            .collect()
    }
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

impl RunReport {
    /// `GetPtsReportDetails.SceneMetrics` (success rates 0-1, RT ms).
    pub fn pts_scene_metrics(&self) -> prd::SceneMetrics {
        let c = &self.scene;
        prd::SceneMetrics {
            all_count: Some(c.count as i64),
            avg_rt: Some(self.latency.avg_ms),
            avg_tps: Some(self.avg_tps),
            fail_count_biz: Some(c.failed_business as i64),
            fail_count_req: Some(c.failed_requests as i64),
            seg90_rt: Some(self.latency.p90_ms),
            seg99_rt: Some(self.latency.p99_ms),
            success_rate_biz: Some(ratio(c.fully_ok(), c.count)),
            success_rate_req: Some(ratio(c.ok, c.count)),
        }
    }

    /// `GetPtsReportDetails.ApiMetricsList`.
    pub fn pts_api_metrics(&self) -> Vec<prd::ApiMetrics> {
        self.apis
            .iter()
            .map(|a| {
                let c = &a.counters;
                prd::ApiMetrics {
                    all_count: Some(c.count as i64),
                    api_name: Some(a.info.api_name.clone()),
                    avg_rt: Some(a.latency.avg_ms),
                    avg_tps: Some(a.avg_tps),
                    fail_count_biz: Some(c.failed_business as i64),
                    fail_count_req: Some(c.failed_requests as i64),
                    max_rt: Some(a.latency.max_ms),
                    min_rt: Some(a.latency.min_ms),
                    seg50_rt: Some(a.latency.p50_ms),
                    seg75_rt: Some(a.latency.p75_ms),
                    seg90_rt: Some(a.latency.p90_ms),
                    seg99_rt: Some(a.latency.p99_ms),
                    success_rate_biz: Some(ratio(c.fully_ok(), c.count)),
                    success_rate_req: Some(ratio(c.ok, c.count)),
                }
            })
            .collect()
    }

    /// `GetJMeterReportDetails.SceneMetrics` (success rate 0-100; a failed assertion fails the
    /// sample, as in JMeter).
    pub fn jmeter_scene_metrics(&self) -> jrd::SceneMetrics {
        let c = &self.scene;
        jrd::SceneMetrics {
            all_count: Some(c.count as i64),
            avg_rt: Some(self.latency.avg_ms),
            avg_tps: Some(self.avg_tps),
            fail_count_req: Some((c.failed_requests + c.failed_business) as i64),
            seg90_rt: Some(self.latency.p90_ms),
            seg99_rt: Some(self.latency.p99_ms),
            success_rate_req: Some(ratio(c.fully_ok(), c.count) * 100.0),
        }
    }

    /// `GetJMeterReportDetails.SamplerMetricsList`.
    pub fn jmeter_sampler_metrics(&self) -> Vec<jrd::SamplerMetrics> {
        self.apis
            .iter()
            .map(|a| {
                let c = &a.counters;
                jrd::SamplerMetrics {
                    all_count: Some(c.count as i64),
                    api_name: Some(a.info.api_name.clone()),
                    avg_rt: Some(a.latency.avg_ms),
                    avg_tps: Some(a.avg_tps),
                    fail_count_req: Some((c.failed_requests + c.failed_business) as i64),
                    max_rt: Some(a.latency.max_ms),
                    min_rt: Some(a.latency.min_ms),
                    seg75_rt: Some(a.latency.p75_ms),
                    seg90_rt: Some(a.latency.p90_ms),
                    seg99_rt: Some(a.latency.p99_ms),
                    success_rate_req: Some(ratio(c.fully_ok(), c.count) * 100.0),
                }
            })
            .collect()
    }

    /// `GetJMeterSampleMetrics.SamplerMap`: `{"0": "name", ...}`.
    pub fn jmeter_sampler_map(&self) -> Value {
        Value::Object(
            self.apis
                .iter()
                .map(|a| (a.info.index.to_string(), Value::String(a.info.api_name.clone())))
                .collect(),
        )
    }

    /// `GetJMeterSampleMetrics.SampleMetricList`: one JSON string per second in
    /// `[begin_ms, end_ms]` (epoch ms), for one sampler or (`None`/-1) the whole scene.
    /// `statusCodes` are not tracked per second (always `[]`).
    pub fn jmeter_sample_metrics(
        &self,
        begin_ms: Option<i64>,
        end_ms: Option<i64>,
        sampler: Option<i32>,
    ) -> Vec<String> {
        let in_range = |sec: u32| {
            let ts = self.begin_epoch_ms + sec as i64 * 1000;
            begin_ms.is_none_or(|b| ts >= b) && end_ms.is_none_or(|e| ts <= e)
        };
        let points: Vec<ApiPoint> = match sampler {
            Some(i) if i >= 0 => self.api_timelines.get(i as usize).cloned().unwrap_or_default(),
            _ => merge_points(&self.api_timelines),
        };
        let mut vum_secs = 0.0;
        points
            .iter()
            .filter(|p| in_range(p.second))
            .map(|p| {
                vum_secs += p.concurrency as f64 * p.span_ms as f64 / 1000.0;
                let span = p.span_ms.max(1) as f64 / 1000.0;
                let fails = p.failed_requests + p.failed_business;
                let ok = p.count - fails;
                let avg =
                    |sum: u64, n: u32| if n == 0 { 0.0 } else { sum as f64 / n as f64 / 1000.0 };
                json!({
                    "timestamp": self.begin_epoch_ms + p.second as i64 * 1000,
                    "totalCount": p.count,
                    "tps": p.count as f64 / span,
                    "reqSuccessCount": ok,
                    "reqSuccessTps": ok as f64 / span,
                    "reqSuccessRtAvg": avg(p.ok_rt_sum_us, ok),
                    "reqSuccessRtMin": p.ok_rt_min_us as f64 / 1000.0,
                    "reqSuccessRtMax": p.ok_rt_max_us as f64 / 1000.0,
                    "reqFailureCount": fails,
                    "reqFailureTps": fails as f64 / span,
                    "reqFailureRtMax": p.fail_rt_max_us as f64 / 1000.0,
                    "reqFailureRtMin": p.fail_rt_min_us as f64 / 1000.0,
                    "rtAvg": avg(p.ok_rt_sum_us + p.fail_rt_sum_us, p.count),
                    "rtMin": min_nonzero(p) as f64 / 1000.0,
                    "rtMax": p.ok_rt_max_us.max(p.fail_rt_max_us) as f64 / 1000.0,
                    "concurrency": p.concurrency,
                    "requestBytes": p.bytes_out,
                    "responseBytes": p.bytes_in,
                    "requestBps": p.bytes_out as f64 / span,
                    "responseBps": p.bytes_in as f64 / span,
                    "statusCodes": [],
                    "totalVum": (vum_secs / 60.0).ceil() as i64,
                    "taskId": 0,
                    "bucket": p.second,
                })
                .to_string()
            })
            .collect()
    }

    /// Like [`RunReport::jmeter_sample_metrics`] for the whole run, keyed by epoch ms (all
    /// samplers, then the scene as sampler -1 under key `samplerId`): `(epoch ms, JSON text)`.
    pub fn jmeter_sample_metrics_timed(&self) -> Vec<(i64, String)> {
        let mut out = Vec::new();
        for i in std::iter::once(-1).chain(0..self.apis.len() as i32) {
            for js in self.jmeter_sample_metrics(None, None, Some(i)) {
                let mut v: Value = serde_json::from_str(&js).unwrap_or(Value::Null);
                let ts = v.get("timestamp").and_then(Value::as_i64).unwrap_or(0);
                if let Some(o) = v.as_object_mut() {
                    o.insert("samplerId".into(), json!(i));
                }
                out.push((ts, v.to_string()));
            }
        }
        out
    }

    /// Sample logs as `(epoch ms, JMeter sample JSON)` (GetJMeterSamplingLogs).
    pub fn jmeter_sampling_logs(&self) -> Vec<(i64, String)> {
        self.samples.iter().map(|s| (s.timestamp_ms, s.to_jmeter_sample_json())).collect()
    }

    /// Sample logs in the `GetPtsDebugSampleLogs` item shape.
    pub fn pts_sampling_logs(&self) -> Vec<pts_api::ops::get_pts_debug_sample_logs::SamplingLog> {
        self.samples.iter().map(|s| s.to_sampling_log()).collect()
    }

    /// `GetJMeterSceneRunningData` stats of the finished run (samplerId -1).
    pub fn jmeter_all_sample_stat(&self) -> Value {
        stat_json(-1, &self.scene, &self.latency, None, 0.0, self.duration.as_millis() as u64)
    }

    /// Per-sampler stats of the finished run.
    pub fn jmeter_sample_stat_list(&self) -> Vec<Value> {
        self.apis
            .iter()
            .map(|a| {
                stat_json(
                    a.info.index as i64,
                    &a.counters,
                    &a.latency,
                    None,
                    0.0,
                    self.duration.as_millis() as u64,
                )
            })
            .collect()
    }

    /// Configured maximum: virtual users or requests/s, whichever the mode uses.
    pub fn configured_limit(&self) -> u32 {
        match self.mode {
            LoadMode::Concurrency => self.concurrency_limit,
            LoadMode::Rps => self.tps_limit,
        }
    }
}

fn min_nonzero(p: &ApiPoint) -> u32 {
    match (p.ok_rt_min_us, p.fail_rt_min_us) {
        (0, f) => f,
        (o, 0) => o,
        (o, f) => o.min(f),
    }
}

/// Sums per-API points second by second (the scene as one "sampler").
fn merge_points(tls: &[Vec<ApiPoint>]) -> Vec<ApiPoint> {
    let mut out: Vec<ApiPoint> = Vec::new();
    for tl in tls {
        for p in tl {
            let pos = out.binary_search_by_key(&p.second, |q| q.second);
            match pos {
                Ok(i) => {
                    let q = &mut out[i];
                    q.count += p.count;
                    q.ok += p.ok;
                    q.failed_requests += p.failed_requests;
                    q.failed_business += p.failed_business;
                    q.ok_rt_sum_us += p.ok_rt_sum_us;
                    q.fail_rt_sum_us += p.fail_rt_sum_us;
                    q.ok_rt_min_us = match (q.ok_rt_min_us, p.ok_rt_min_us) {
                        (0, b) => b,
                        (a, 0) => a,
                        (a, b) => a.min(b),
                    };
                    q.fail_rt_min_us = match (q.fail_rt_min_us, p.fail_rt_min_us) {
                        (0, b) => b,
                        (a, 0) => a,
                        (a, b) => a.min(b),
                    };
                    q.ok_rt_max_us = q.ok_rt_max_us.max(p.ok_rt_max_us);
                    q.fail_rt_max_us = q.fail_rt_max_us.max(p.fail_rt_max_us);
                    q.bytes_in += p.bytes_in;
                    q.bytes_out += p.bytes_out;
                    q.concurrency = q.concurrency.max(p.concurrency);
                }
                Err(i) => out.insert(i, *p),
            }
        }
    }
    out
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
