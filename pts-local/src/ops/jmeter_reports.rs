//! JMeter reports: ListJMeterReports, GetJMeterReportDetails, GetJMeterSampleMetrics,
//! GetJMeterSamplingLogs, GetJMeterLogs.
//!
//! The report id is the run id. Buckets, sample results and engine logs are whatever the load
//! engine stored for the run (none with the null engine): lists are empty, never invented.

use super::{from_col, like_pattern, page};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::seam::JMeterResult;
use pts_api::ops::save_open_jmeter_scene::OpenJMeterScene;
use pts_api::ops::{
    get_jmeter_logs as logs_op, get_jmeter_report_details as details_op,
    get_jmeter_sample_metrics as metrics_op, get_jmeter_sampling_logs as sampling_op,
    list_jmeter_reports as list_op,
};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};
use std::sync::Arc;

fn report_not_exist() -> Fail {
    Fail::service(403, "ReportNotExist", "The report does not exist.")
}

pub async fn list(
    ctx: Arc<Ctx>,
    req: list_op::ListJMeterReportsRequest,
) -> Result<list_op::ListJMeterReportsResponse, Fail> {
    let (limit, offset) = page(req.page_number, req.page_size);
    let kw = req.keyword.as_deref().filter(|k| !k.is_empty()).map(like_pattern);
    let filter = "active = 0 AND (?1 IS NULL OR scene_id = ?1) AND (?2 IS NULL OR report_id = ?2)
        AND (?3 IS NULL OR report_name LIKE ?3 ESCAPE '\\') AND (?4 IS NULL OR started_ms >= ?4)
        AND (?5 IS NULL OR started_ms <= ?5)";
    let args = (&req.scene_id, &req.report_id, &kw, req.begin_time, req.end_time);
    type Row = (String, String, i64, i64, Option<String>);
    let (total, rows) = ctx.store.read(|c| {
        let total: i64 = c.prepare_cached(&format!("SELECT COUNT(*) FROM jmeter_runs WHERE {filter}"))?.query_row(args, |r| r.get(0))?;
        let sql = format!(
            "SELECT report_id, report_name, started_ms, ended_ms, metrics FROM jmeter_runs WHERE {filter}
             ORDER BY started_ms DESC, rowid DESC LIMIT ?6 OFFSET ?7"
        );
        let rows: Vec<Row> = c
            .prepare_cached(&sql)?
            .query_map((args.0, args.1, args.2, args.3, args.4, limit, offset), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((total, rows))
    })?;
    let reports = rows
        .into_iter()
        .map(|(id, name, started, ended, metrics)| {
            let m: Option<JMeterResult> = metrics.as_deref().map(from_col).transpose()?;
            Ok(super::reports::listed(&ctx, id, name, started, ended, m.and_then(|m| m.vum)))
        })
        .collect::<Result<Vec<_>, Fail>>()?;
    Ok(pts_api::make!(list_op::ListJMeterReportsResponse {
        reports: Some(reports),
        total_count: Some(total),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

/// A run: (active, started, ended, name, snapshot, metrics, interrupted).
type Run = (bool, i64, Option<i64>, String, String, Option<String>, bool);

fn run(c: &Connection, id: &str) -> Result<Option<Run>, Fail> {
    Ok(c
        .prepare_cached(
            "SELECT active, started_ms, ended_ms, report_name, snapshot, metrics, interrupted FROM jmeter_runs WHERE report_id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .optional()?)
}

pub async fn details(
    ctx: Arc<Ctx>,
    req: details_op::GetJMeterReportDetailsRequest,
) -> Result<details_op::GetJMeterReportDetailsResponse, Fail> {
    let (active, started, ended, name, _, metrics, interrupted) =
        ctx.store.read(|c| run(c, &req.report_id))?.ok_or_else(report_not_exist)?;
    if active {
        return Err(report_not_exist());
    }
    let m: JMeterResult = metrics.as_deref().map(from_col).transpose()?.unwrap_or_default();
    let times = (started, ended.unwrap_or(started));
    let overview = super::reports::overview(&ctx, req.report_id, name, times, m.agent_count, None);
    Ok(pts_api::make!(details_op::GetJMeterReportDetailsResponse {
        report_over_view: Some(overview),
        scene_metrics: m.scene_metrics,
        sampler_metrics_list: (!m.sampler_metrics.is_empty()).then_some(m.sampler_metrics),
        document_url: Some(String::new()),
        code_key: Some(String::new()),
        dynamic_ctx: Some(String::new()),
        message: interrupted.then(|| crate::checkpoint::interrupted_message(metrics.is_some())),
    }))
}

/// PTS documents Begin/End times as seconds but its examples are ms: values above 10^11 are
/// taken as ms, smaller ones as seconds.
fn to_ms(t: Option<i64>) -> Option<i64> {
    t.map(|v| if v > 100_000_000_000 { v } else { v * 1000 })
}

pub async fn sample_metrics(
    ctx: Arc<Ctx>,
    req: metrics_op::GetJMeterSampleMetricsRequest,
) -> Result<metrics_op::GetJMeterSampleMetricsResponse, Fail> {
    let (begin, end) = (to_ms(req.begin_time), to_ms(req.end_time));
    let (found, buckets) = ctx.store.read(|c| {
        let found = run(c, &req.report_id)?;
        let buckets = c
            .prepare_cached(
                "SELECT bucket FROM jmeter_sample_metrics WHERE report_id = ?1
                 AND (?2 IS NULL OR ts_ms >= ?2) AND (?3 IS NULL OR ts_ms <= ?3) ORDER BY ts_ms",
            )?
            .query_map((&req.report_id, begin, end), |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((found, buckets))
    })?;
    let (.., metrics, _) = found.ok_or_else(report_not_exist)?;
    let m: Option<JMeterResult> = metrics.as_deref().map(from_col).transpose()?;
    Ok(pts_api::make!(metrics_op::GetJMeterSampleMetricsResponse {
        sample_metric_list: Some(buckets),
        sampler_map: m.and_then(|m| m.sampler_map),
    }))
}

/// Whether a sample result (JSON text) passes GetJMeterSamplingLogs' filters.
fn sample_matches(req: &sampling_op::GetJMeterSamplingLogsRequest, text: &str) -> bool {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let num = |k: &str| v.get(k).and_then(Value::as_i64);
    req.success.is_none_or(|s| v.get("success").and_then(Value::as_bool) == Some(s))
        && req
            .response_code
            .as_deref()
            .is_none_or(|c| v.get("responseCode").and_then(Value::as_str) == Some(c))
        && req.sampler_id.is_none_or(|id| num("samplerId") == Some(i64::from(id)))
        && req.min_rt.is_none_or(|m| num("elapsedTime").is_some_and(|e| e >= i64::from(m)))
        && req.max_rt.is_none_or(|m| num("elapsedTime").is_some_and(|e| e <= i64::from(m)))
        && req.keyword.as_deref().is_none_or(|k| text.contains(k))
        && req.thread.as_deref().is_none_or(|t| {
            let name = v.get("threadName").and_then(Value::as_str).unwrap_or("");
            t.split_whitespace().any(|part| name.contains(part))
        })
}

pub async fn sampling_logs(
    ctx: Arc<Ctx>,
    req: sampling_op::GetJMeterSamplingLogsRequest,
) -> Result<sampling_op::GetJMeterSamplingLogsResponse, Fail> {
    let (begin, end) = (to_ms(req.begin_time), to_ms(req.end_time));
    let (found, all) = ctx.store.read(|c| {
        let found = run(c, &req.report_id)?.map(|r| r.0);
        let all = c
            .prepare_cached(
                "SELECT log FROM jmeter_sampling_logs WHERE report_id = ?1
                 AND (?2 IS NULL OR ts_ms >= ?2) AND (?3 IS NULL OR ts_ms <= ?3) ORDER BY seq",
            )?
            .query_map((&req.report_id, begin, end), |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((found, all))
    })?;
    let Some(active) = found else { return Err(report_not_exist()) };
    // An active run's samples come from the engine as they are recorded.
    let all = match active.then(|| ctx.engine.jmeter_samples(&req.report_id)).flatten() {
        Some(live) => live
            .into_iter()
            .filter(|(ts, _)| begin.is_none_or(|b| *ts >= b) && end.is_none_or(|e| *ts <= e))
            .map(|(_, t)| t)
            .collect(),
        None => all,
    };
    let matching: Vec<String> = all.into_iter().filter(|t| sample_matches(&req, t)).collect();
    let (limit, offset) = page(req.page_number, req.page_size);
    let page_items = matching.iter().skip(offset as usize).take(limit as usize).cloned().collect();
    Ok(pts_api::make!(sampling_op::GetJMeterSamplingLogsResponse {
        sample_results: Some(page_items),
        total_count: Some(matching.len() as i64),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

const LEVELS: [&str; 5] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

pub async fn logs(
    ctx: Arc<Ctx>,
    req: logs_op::GetJMeterLogsRequest,
) -> Result<logs_op::GetJMeterLogsResponse, Fail> {
    let (found, rows) = ctx.store.read(|c| {
        let found = run(c, &req.report_id)?;
        let rows = c
            .prepare_cached(
                "SELECT agent_index, ts_ms, log FROM jmeter_logs WHERE report_id = ?1 ORDER BY seq",
            )?
            .query_map([&req.report_id], |r| {
                Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((found, rows))
    })?;
    let (active, .., snapshot, _, _) = found.ok_or_else(report_not_exist)?;
    // An active run's log comes from the engine as it is written.
    let rows: Vec<(i32, i64, String)> =
        match active.then(|| ctx.engine.jmeter_logs(&req.report_id)).flatten() {
            Some(live) => live.into_iter().map(|(a, ts, v)| (a, ts, v.to_string())).collect(),
            None => rows,
        };
    // Agents of the run: one per 500 virtual users, the most one JMeter agent carries (a
    // pts-local convention).
    let scene: OpenJMeterScene = from_col(&snapshot)?;
    let agents = scene.concurrency.map_or(scene.agent_count, |c| (c + 499) / 500).max(1);
    let agent = req.agent_index.filter(|a| (0..agents).contains(a)).unwrap_or(0);
    let min_level = LEVELS
        .iter()
        .position(|l| req.level.as_ref().map_or("INFO", |l| l.as_str()).eq_ignore_ascii_case(l))
        .unwrap_or(2);
    let (begin, end) = (to_ms(req.begin_time), to_ms(req.end_time));
    let matching: Vec<Value> = rows
        .into_iter()
        .filter(|(a, ts, _)| {
            *a == agent && begin.is_none_or(|b| *ts >= b) && end.is_none_or(|e| *ts <= e)
        })
        .filter_map(|(_, ts, text)| {
            let mut v = serde_json::from_str::<Value>(&text).ok()?;
            if let Some(o) = v.as_object_mut() {
                o.entry("time").or_insert_with(|| json!(ctx.fmt_time(ts)));
            }
            Some(v)
        })
        .filter(|v| {
            let level = v.get("level").and_then(Value::as_str).unwrap_or("INFO");
            LEVELS.iter().position(|l| l.eq_ignore_ascii_case(level)).unwrap_or(2) >= min_level
        })
        .filter(|v| {
            req.thread.as_deref().is_none_or(|t| {
                v.get("thread").and_then(Value::as_str).is_some_and(|x| x.contains(t))
            })
        })
        .filter(|v| req.keyword.as_deref().is_none_or(|k| v.to_string().contains(k)))
        .collect();
    let (limit, offset) = page(req.page_number, req.page_size);
    Ok(pts_api::make!(logs_op::GetJMeterLogsResponse {
        logs: Some(matching.iter().skip(offset as usize).take(limit as usize).cloned().collect()),
        total_count: Some(matching.len() as i64),
        agent_count: Some(agents),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}
