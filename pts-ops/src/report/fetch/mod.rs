//! Fetching a report (or a baseline) and normalising it into a [`ReportSummary`]: PTS
//! success rates arrive as fractions 0-1, JMeter's as percentages 0-100; both leave here as
//! 0-1. An empty report is an error, never a summary of zeros (NO-DATA-NO-ANALYSIS).

/// A [`Metrics`] from one wire metrics block. PTS and JMeter reports and baselines, at
/// scene and API level, are six generated types that name these fields alike; what differs
/// (request total, rate scale, business failures, p50, max) is passed in.
macro_rules! wire_metrics {
    ($m:expr, total: $total:expr, rate: $rate:path, business: $biz:expr, p50: $p50:expr, max: $max:expr $(,)?) => {
        Metrics {
            total_requests: $total,
            failed_requests: $m.fail_count_req.unwrap_or(0),
            failed_business: $biz,
            success_rate: $rate($m.success_rate_req.unwrap_or(0.0)),
            avg_rt_ms: $m.avg_rt.unwrap_or(0.0),
            p50_rt_ms: $p50,
            p90_rt_ms: $m.seg90_rt,
            p99_rt_ms: $m.seg99_rt,
            max_rt_ms: $max,
            avg_tps: $m.avg_tps.unwrap_or(0.0),
        }
    };
}

mod baseline;
mod jmeter;
mod shared;

pub use baseline::{baseline_summary, fetch_baseline};
pub use jmeter::{fetch_jmeter, fetch_jmeter_samples, jmeter_summary, samples_from_buckets};
pub use shared::{jmeter_rate, pts_rate};

use super::model::{ApiReport, LoadTarget, Metrics, ReportKind, ReportSummary, run_times};
use crate::errors;
use crate::exit::CliResult;
use crate::session::api_err;
use pts_api::Client;
use pts_api::ops::get_pts_report_details as prd;
use pts_api::shapes::test_mode::TestMode;
use serde_json::Value;
use shared::{at_most_twice, empty, to_value};

/// GetPtsReportDetails(SceneId, PlanId), normalised, with the response as received. A
/// failure or an empty report is retried once (see `at_most_twice`).
pub async fn fetch_pts(
    client: &Client,
    scene_id: &str,
    plan_id: &str,
) -> CliResult<(ReportSummary, Value)> {
    at_most_twice(|| fetch_pts_once(client, scene_id, plan_id)).await
}

async fn fetch_pts_once(
    client: &Client,
    scene_id: &str,
    plan_id: &str,
) -> CliResult<(ReportSummary, Value)> {
    let req = prd::GetPtsReportDetailsRequest::builder()
        .scene_id(scene_id)
        .plan_id(plan_id)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let body = client.get_pts_report_details(req).await.map_err(api_err)?.into_body();
    let raw = to_value(&body);
    Ok((pts_summary(scene_id, plan_id, &body)?, raw))
}

/// A GetPtsReportDetails response as a summary; an error when it holds no metrics.
pub fn pts_summary(
    scene_id: &str,
    plan_id: &str,
    body: &prd::GetPtsReportDetailsResponse,
) -> CliResult<ReportSummary> {
    let what = format!("GetPtsReportDetails scene {scene_id} plan {plan_id}");
    let sm = body.scene_metrics.as_ref().filter(|m| m.all_count.is_some_and(|n| n > 0));
    let sm = sm.ok_or_else(|| empty(&what))?;
    let total = sm.all_count.unwrap_or(0);
    let scene = wire_metrics!(sm, total: total, rate: pts_rate, business: sm.fail_count_biz, p50: None, max: None);
    let apis = body
        .api_metrics_list
        .iter()
        .flatten()
        .map(|a| ApiReport {
            name: a.api_name.clone().unwrap_or_default(),
            metrics: wire_metrics!(a, total: a.all_count.unwrap_or(0), rate: pts_rate,
                business: a.fail_count_biz, p50: a.seg50_rt, max: a.max_rt),
        })
        .collect();
    let ov = body.report_over_view.as_ref();
    let snap = body.scene_snap_shot.as_ref();
    let (started, ended, actual_s) =
        run_times(ov.and_then(|o| o.start_time.as_deref()), ov.and_then(|o| o.end_time.as_deref()));
    let planned_minutes = snap.and_then(|s| s.load_config.as_ref()?.max_running_time);
    let summary = ReportSummary {
        kind: ReportKind::Pts,
        scene_id: scene_id.to_string(),
        plan_id: plan_id.to_string(),
        name: ov
            .and_then(|o| o.report_name.clone())
            .or_else(|| snap.and_then(|s| s.scene_name.clone()))
            .unwrap_or_default(),
        started,
        ended,
        actual_s,
        planned_s: planned_minutes.map(|m| f64::from(m) * 60.0),
        vum: ov.and_then(|o| o.vum),
        agents: ov.and_then(|o| o.agent_count).map(i64::from),
        target: snap.and_then(|s| s.load_config.as_ref()).map(pts_target).unwrap_or_default(),
        scene,
        apis,
    };
    Ok(summary)
}

/// The configured load: concurrency limit, and in TPS mode the RPS limit (the scene-wide
/// one, else the sum of the per-API limits).
fn pts_target(lc: &prd::LoadConfig) -> LoadTarget {
    let conf = lc.configuration.as_ref();
    let relations: i64 = lc
        .relation_load_config_list
        .iter()
        .flatten()
        .filter_map(|r| r.concurrency_limit.map(i64::from))
        .sum();
    let concurrency = conf
        .and_then(|c| c.all_concurrency_limit.map(i64::from))
        .or((relations > 0).then_some(relations));
    let tps_mode = lc.test_mode == Some(TestMode::TpsMode);
    let api_rps: i64 =
        lc.api_load_config_list.iter().flatten().filter_map(|a| a.rps_limit.map(i64::from)).sum();
    let tps = tps_mode
        .then(|| {
            conf.and_then(|c| c.all_rps_limit.map(f64::from))
                .or((api_rps > 0).then_some(api_rps as f64))
        })
        .flatten();
    LoadTarget { mode: lc.test_mode.as_ref().map(ToString::to_string), concurrency, tps }
}

#[cfg(test)]
mod tests;
