//! Live run data (snapshots) -> `pts_api` running-data shapes.

use super::*;

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
                pts_api::make!(rd::ChainMonitorData {
                    api_id: a.info.api_id.clone(),
                    api_name: Some(a.info.api_name.clone()),
                    average_rt: Some(ms_i32(a.latency.avg_ms)),
                    check_point_result: Some(pts_api::make!(rd::CheckPointResult {
                        failed_business_count: Some(c.failed_business as i64),
                        failed_business_qps: Some(rate(p.map(|p| p.failed_business).unwrap_or(0))),
                        succeed_business_count: Some(c.fully_ok() as i64),
                        succeed_business_qps: Some(rate(
                            p.map(|p| p.count - p.failed_requests - p.failed_business).unwrap_or(0),
                        )),
                    })),
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
                })
            })
            .collect();
        pts_api::make!(rd::GetPtsSceneRunningDataResponse {
            agent_location: Some(vec![pts_api::make!(rd::AgentLocation {
                count: Some(1),
                isp: Some("loopback".into()),
                province: Some("local".into()),
                region: Some("local".into()),
            })]),
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
            status: Some(phase_code(self.phase)),
            total_agents: Some(1),
            total_real_qps: Some(last.map(|p| p.tps().round() as i32).unwrap_or(0)),
            total_request_count: Some(self.totals.count as i64),
            tps_limit: Some(self.tps_limit as i32),
            vum: Some(self.vum),
        })
    }

    /// The measured part of `GetJMeterSceneRunningData.RunningData` (ids, status and stage
    /// names are the service's to fill).
    pub fn to_jmeter_running_data(&self) -> jrun::RunningData {
        let live = self.phase != RunPhase::Finished;
        pts_api::make!(jrun::RunningData {
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
        })
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
