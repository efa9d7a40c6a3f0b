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

pub use baseline::{baseline_summary, fetch_baseline};
pub use jmeter::{fetch_jmeter, fetch_jmeter_samples, jmeter_summary, samples_from_buckets};

use super::{ApiReport, LoadTarget, Metrics, ReportKind, ReportSummary};
use crate::errors;
use crate::exit::{CliError, CliResult, ExitCode};
use crate::session::api_err;
use pts_api::Client;
use pts_api::ops::get_pts_report_details as prd;
use pts_api::shapes::test_mode::TestMode;
use serde_json::Value;

/// A PTS success rate as 0-1. The API sends fractions; a value above 1 can only be a
/// percentage, so it is scaled rather than trusted.
pub fn pts_rate(wire: f64) -> f64 {
    if wire > 1.0 { wire / 100.0 } else { wire }
}

/// A JMeter success rate (0-100 on the wire) as 0-1.
pub fn jmeter_rate(wire: f64) -> f64 {
    wire / 100.0
}

pub(super) fn to_value<T: serde::Serialize>(body: &T) -> Value {
    serde_json::to_value(body).unwrap_or(Value::Null)
}

pub(super) fn empty(what: &str) -> CliError {
    CliError::new(ExitCode::Service, format!("{what}: the report has no metrics (empty report)"))
        .with_hint("no data, no analysis: wait until the report is generated, or pick another run")
}

/// Pause before the second attempt at a report that failed or came back empty.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs `attempt` up to twice: a report can lag the end of its run by a moment, so a
/// service error or an empty report gets one more try; then the error stands (the
/// reporter guide's NO-DATA-NO-ANALYSIS, after at most two attempts).
pub(super) async fn at_most_twice<T, F, Fut>(mut attempt: F) -> CliResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = CliResult<T>>,
{
    match attempt().await {
        Err(e) if e.code == ExitCode::Service => {
            tracing::debug!(error = %e.message, "report not readable yet; one more attempt");
            tokio::time::sleep(RETRY_AFTER).await;
            attempt().await
        }
        other => other,
    }
}

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
    let summary = ReportSummary {
        kind: ReportKind::Pts,
        scene_id: scene_id.to_string(),
        plan_id: plan_id.to_string(),
        name: ov
            .and_then(|o| o.report_name.clone())
            .or_else(|| snap.and_then(|s| s.scene_name.clone()))
            .unwrap_or_default(),
        started: ov.and_then(|o| o.start_time.clone()),
        ended: ov.and_then(|o| o.end_time.clone()),
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
