//! Final run reports -> `pts_api` report shapes.

use super::*;

impl RunReport {
    /// `GetPtsReportDetails.SceneMetrics` (success rates 0-1, RT ms).
    pub fn pts_scene_metrics(&self) -> prd::SceneMetrics {
        let c = &self.scene;
        pts_api::make!(prd::SceneMetrics {
            all_count: Some(c.count as i64),
            avg_rt: Some(self.latency.avg_ms),
            avg_tps: Some(self.avg_tps),
            fail_count_biz: Some(c.failed_business as i64),
            fail_count_req: Some(c.failed_requests as i64),
            seg90_rt: Some(self.latency.p90_ms),
            seg99_rt: Some(self.latency.p99_ms),
            success_rate_biz: Some(ratio(c.fully_ok(), c.count)),
            success_rate_req: Some(ratio(c.ok, c.count)),
        })
    }

    /// `GetPtsReportDetails.ApiMetricsList`.
    pub fn pts_api_metrics(&self) -> Vec<prd::ApiMetrics> {
        self.apis
            .iter()
            .map(|a| {
                let c = &a.counters;
                pts_api::make!(prd::ApiMetrics {
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
                })
            })
            .collect()
    }

    /// `GetJMeterReportDetails.SceneMetrics` (success rate 0-100; a failed assertion fails the
    /// sample, as in JMeter).
    pub fn jmeter_scene_metrics(&self) -> jrd::SceneMetrics {
        let c = &self.scene;
        pts_api::make!(jrd::SceneMetrics {
            all_count: Some(c.count as i64),
            avg_rt: Some(self.latency.avg_ms),
            avg_tps: Some(self.avg_tps),
            fail_count_req: Some((c.failed_requests + c.failed_business) as i64),
            seg90_rt: Some(self.latency.p90_ms),
            seg99_rt: Some(self.latency.p99_ms),
            success_rate_req: Some(ratio(c.fully_ok(), c.count) * 100.0),
        })
    }

    /// `GetJMeterReportDetails.SamplerMetricsList`.
    pub fn jmeter_sampler_metrics(&self) -> Vec<jrd::SamplerMetrics> {
        self.apis
            .iter()
            .map(|a| {
                let c = &a.counters;
                pts_api::make!(jrd::SamplerMetrics {
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
                })
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
        // Cumulative scene-time VU seconds at the end of each timeline second.
        let mut acc = 0.0;
        let vu_until: Vec<(u32, f64)> = self
            .timeline
            .iter()
            .map(|t| {
                acc += t.vu_seconds as f64;
                (t.second, acc)
            })
            .collect();
        let total_vum = |sec: u32| {
            let i = vu_until.partition_point(|(s, _)| *s <= sec);
            vum_of(if i == 0 { 0.0 } else { vu_until[i - 1].1 })
        };
        points
            .iter()
            .filter(|p| in_range(p.second))
            .map(|p| {
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
                    "totalVum": total_vum(p.second),
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
