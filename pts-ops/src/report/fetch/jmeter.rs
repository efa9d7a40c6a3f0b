//! JMeter reports: GetJMeterReportDetails (success rates 0-100 on the wire) and the
//! per-second GetJMeterSampleMetrics buckets the charts are drawn from.

use super::shared::{at_most_twice, empty, jmeter_rate, to_value};
use crate::errors;
use crate::exit::CliResult;
use crate::report::model::{ApiReport, LoadTarget, Metrics, ReportKind, ReportSummary, run_times};
use crate::samples::Sample;
use crate::session::api_err;
use pts_api::Client;
use pts_api::ops::{get_jmeter_report_details as jrd, get_jmeter_sample_metrics as jsm};
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use serde_json::Value;

/// GetJMeterReportDetails(ReportId), normalised (`scene_id` is empty: the report does not
/// name its scene). A failure or an empty report is retried once.
pub async fn fetch_jmeter(client: &Client, report_id: &str) -> CliResult<(ReportSummary, Value)> {
    at_most_twice(|| fetch_jmeter_once(client, report_id)).await
}

async fn fetch_jmeter_once(client: &Client, report_id: &str) -> CliResult<(ReportSummary, Value)> {
    let req = jrd::GetJMeterReportDetailsRequest::builder()
        .report_id(report_id)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let body = client.get_jmeter_report_details(req).await.map_err(api_err)?.into_body();
    let raw = to_value(&body);
    Ok((jmeter_summary(report_id, &body)?, raw))
}

/// A GetJMeterReportDetails response as a summary; an error when it holds no metrics.
pub fn jmeter_summary(
    report_id: &str,
    body: &jrd::GetJMeterReportDetailsResponse,
) -> CliResult<ReportSummary> {
    let what = format!("GetJMeterReportDetails report {report_id}");
    let sm = body.scene_metrics.as_ref().filter(|m| m.all_count.is_some_and(|n| n > 0));
    let sm = sm.ok_or_else(|| empty(&what))?;
    let total = sm.all_count.unwrap_or(0);
    let scene =
        wire_metrics!(sm, total: total, rate: jmeter_rate, business: None, p50: None, max: None);
    let apis = body
        .sampler_metrics_list
        .iter()
        .flatten()
        .map(|a| ApiReport {
            name: a.api_name.clone().unwrap_or_default(),
            metrics: wire_metrics!(a, total: a.all_count.unwrap_or(0), rate: jmeter_rate,
                business: None, p50: None, max: a.max_rt),
        })
        .collect();
    let ov = body.report_over_view.as_ref();
    let (started, ended, actual_s) =
        run_times(ov.and_then(|o| o.start_time.as_deref()), ov.and_then(|o| o.end_time.as_deref()));
    let summary = ReportSummary {
        kind: ReportKind::JMeter,
        scene_id: String::new(),
        plan_id: report_id.to_string(),
        name: ov.and_then(|o| o.report_name.clone()).unwrap_or_default(),
        started,
        ended,
        actual_s,
        // The JMeter report does not say how long the scene was configured to run.
        planned_s: None,
        vum: ov.and_then(|o| o.vum),
        agents: ov.and_then(|o| o.agent_count).map(i64::from),
        target: LoadTarget::default(),
        scene,
        apis,
    };
    Ok(summary)
}

/// GetJMeterSampleMetrics for the whole scene (SamplerId -1), one [`Sample`] per second.
/// Counts are made cumulative, as a watch records them.
pub async fn fetch_jmeter_samples(client: &Client, report_id: &str) -> CliResult<Vec<Sample>> {
    let req = jsm::GetJMeterSampleMetricsRequest::builder()
        .report_id(report_id)
        .sampler_id(-1)
        .build()
        .map_err(|e| errors::validation(&e))?;
    let body = client.get_jmeter_sample_metrics(req).await.map_err(api_err)?.into_body();
    let buckets: Vec<Value> = body
        .sample_metric_list
        .iter()
        .flatten()
        .filter_map(|s| serde_json::from_str(s).ok())
        .collect();
    Ok(samples_from_buckets(&buckets))
}

/// JMeter per-second buckets (`timestamp` ms, `tps`, `rtAvg`, `totalCount`,
/// `reqFailureCount`, `concurrency`) as samples, in time order.
pub fn samples_from_buckets(buckets: &[Value]) -> Vec<Sample> {
    let num = |b: &Value, k: &str| b.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let mut sorted: Vec<&Value> = buckets.iter().collect();
    sorted.sort_by_key(|b| b.get("timestamp").and_then(Value::as_i64).unwrap_or(0));
    let first = sorted.first().map_or(0, |b| b["timestamp"].as_i64().unwrap_or(0));
    let (mut total, mut failed) = (0i64, 0i64);
    sorted
        .into_iter()
        .map(|b| {
            let ts = b.get("timestamp").and_then(Value::as_i64).unwrap_or(0);
            total += num(b, "totalCount") as i64;
            failed += num(b, "reqFailureCount") as i64;
            Sample {
                at: pts_api::time::Timestamp::from_epoch_ms(ts).display_text(),
                elapsed_s: (ts - first) as f64 / 1000.0,
                status: PtsRuntimeStatus::Running,
                concurrency: num(b, "concurrency") as i64,
                tps: num(b, "tps"),
                avg_rt_ms: num(b, "rtAvg"),
                p90_rt_ms: None,
                total_requests: total,
                failed_requests: failed,
                failed_business: 0,
                alive_agents: 0,
                total_agents: 0,
            }
        })
        .collect()
}
