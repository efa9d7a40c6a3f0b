//! PTS reports and debug logs: ListPtsReports, GetPtsReportsBySceneId, GetPtsReportDetails,
//! GetPtsDebugSampleLogs.
//!
//! A report is a PTS test plan that has ended (PlanId == ReportId). What pts-local knows by
//! itself is filled in (ids, names, start/end, duration in scene minutes, the scene snapshot
//! taken at start); measured figures (metrics, VUM, agents) come only from the load engine's
//! results stored with the plan, and stay absent when nothing was measured.

use super::{from_col, like_pattern, page};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::seam::PtsResult;
use pts_api::ops::{
    get_pts_debug_sample_logs as logs_op, get_pts_report_details as details_op,
    get_pts_reports_by_scene_id as by_scene_op, list_pts_reports as list_op,
};
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_api::shapes::{report::Report as Listed, report_over_view::ReportOverView};
use rusqlite::{OptionalExtension, Row};
use serde_json::{Value, json};
use std::sync::Arc;

/// One ended test plan.
struct Report {
    id: String,
    name: String,
    started: i64,
    ended: i64,
    snapshot: String,
    metrics: Option<PtsResult>,
    /// Ended because the service died during the run (see [`crate::checkpoint`]).
    interrupted: bool,
}

const COLUMNS: &str = "plan_id, report_name, started_ms, ended_ms, snapshot, metrics, interrupted";

type ReportRow = (String, String, i64, i64, String, Option<String>, bool);

fn report(r: &Row<'_>) -> rusqlite::Result<ReportRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn to_report(t: ReportRow) -> Result<Report, Fail> {
    let metrics = t.5.as_deref().map(from_col).transpose()?;
    Ok(Report {
        id: t.0,
        name: t.1,
        started: t.2,
        ended: t.3,
        snapshot: t.4,
        metrics,
        interrupted: t.6,
    })
}

pub async fn list(
    ctx: Arc<Ctx>,
    req: list_op::ListPtsReportsRequest,
) -> Result<list_op::ListPtsReportsResponse, Fail> {
    let (limit, offset) = page(req.page_number, req.page_size);
    let kw = req.keyword.as_deref().filter(|k| !k.is_empty()).map(like_pattern);
    let filter = "debug = 0 AND active = 0 AND (?1 IS NULL OR scene_id = ?1) AND (?2 IS NULL OR plan_id = ?2)
        AND (?3 IS NULL OR report_name LIKE ?3 ESCAPE '\\') AND (?4 IS NULL OR started_ms >= ?4)
        AND (?5 IS NULL OR started_ms <= ?5)";
    let args = (&req.scene_id, &req.report_id, &kw, req.begin_time, req.end_time);
    let (total, rows) = ctx.store.read(|c| {
        let total: i64 = c.prepare_cached(&format!("SELECT COUNT(*) FROM pts_plans WHERE {filter}"))?.query_row(args, |r| r.get(0))?;
        let sql = format!("SELECT {COLUMNS} FROM pts_plans WHERE {filter} ORDER BY started_ms DESC, rowid DESC LIMIT ?6 OFFSET ?7");
        let rows = c
            .prepare_cached(&sql)?
            .query_map((args.0, args.1, args.2, args.3, args.4, limit, offset), report)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((total, rows))
    })?;
    let reports = rows
        .into_iter()
        .map(|t| {
            let r = to_report(t)?;
            let vum = r.metrics.as_ref().and_then(|m| m.vum);
            Ok(listed(&ctx, r.id, r.name, r.started, r.ended, vum))
        })
        .collect::<Result<Vec<_>, Fail>>()?;
    Ok(pts_api::make!(list_op::ListPtsReportsResponse {
        reports: Some(reports),
        total_count: Some(total),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

/// A row of ListPtsReports and ListJMeterReports (both report this one shape).
pub(super) fn listed(
    ctx: &Ctx,
    id: String,
    name: String,
    started: i64,
    ended: i64,
    vum: Option<i64>,
) -> Listed {
    pts_api::make!(Listed {
        report_id: Some(id),
        report_name: Some(name),
        actual_start_time: Some(started),
        duration: Some(crate::ops::minutes_text(ctx.clock.scene_secs(ended - started))),
        vum: vum,
    })
}

/// The overview of GetPtsReportsBySceneId, GetPtsReportDetails and GetJMeterReportDetails.
pub(super) fn overview(
    ctx: &Ctx,
    id: String,
    name: String,
    (started, ended): (i64, i64),
    agent_count: Option<i32>,
    vum: Option<i64>,
) -> ReportOverView {
    pts_api::make!(ReportOverView {
        report_id: Some(id),
        report_name: Some(name),
        start_time: Some(ctx.fmt_time(started)),
        end_time: Some(ctx.fmt_time(ended)),
        agent_count: agent_count,
        vum: vum,
    })
}

fn pts_overview(ctx: &Ctx, r: &Report) -> ReportOverView {
    let m = r.metrics.as_ref();
    let (agents, vum) = (m.and_then(|m| m.agent_count), m.and_then(|m| m.vum));
    overview(ctx, r.id.clone(), r.name.clone(), (r.started, r.ended), agents, vum)
}

pub async fn by_scene(
    ctx: Arc<Ctx>,
    req: by_scene_op::GetPtsReportsBySceneIdRequest,
) -> Result<by_scene_op::GetPtsReportsBySceneIdResponse, Fail> {
    let (limit, offset) = page(req.page_number, req.page_size);
    let (started_any, rows) = ctx.store.read(|c| {
        let exists = super::pts_scenes::load(c, &req.scene_id)?.is_some();
        let started: i64 = c.query_row(
            "SELECT COUNT(*) FROM pts_plans WHERE scene_id = ?1 AND debug = 0",
            [&req.scene_id],
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {COLUMNS} FROM pts_plans WHERE scene_id = ?1 AND debug = 0 AND active = 0
             ORDER BY started_ms DESC, rowid DESC LIMIT ?2 OFFSET ?3"
        );
        let rows = c
            .prepare_cached(&sql)?
            .query_map((&req.scene_id, limit, offset), report)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((exists && started > 0, rows))
    })?;
    if !started_any {
        return Err(Fail::op(&by_scene_op::META, "The scene has not started"));
    }
    let list = rows
        .into_iter()
        .map(|t| Ok(pts_overview(&ctx, &to_report(t)?)))
        .collect::<Result<Vec<_>, Fail>>()?;
    Ok(pts_api::make!(by_scene_op::GetPtsReportsBySceneIdResponse {
        report_over_view_list: Some(list),
    }))
}

pub async fn details(
    ctx: Arc<Ctx>,
    req: details_op::GetPtsReportDetailsRequest,
) -> Result<details_op::GetPtsReportDetailsResponse, Fail> {
    let row = ctx.store.read(|c| {
        let sql = format!("SELECT {COLUMNS} FROM pts_plans WHERE plan_id = ?1 AND scene_id = ?2 AND debug = 0 AND active = 0");
        Ok(c.prepare_cached(&sql)?.query_row((&req.plan_id, &req.scene_id), report).optional()?)
    })?;
    let r = to_report(row.ok_or_else(|| Fail::op(&details_op::META, "Report does not exist"))?)?;
    let mut snapshot: Value = serde_json::from_str(&r.snapshot)?;
    snapshot["Status"] = json!(PtsRuntimeStatus::Stopped.as_str());
    let m = r.metrics.clone().unwrap_or_default();
    Ok(pts_api::make!(details_op::GetPtsReportDetailsResponse {
        report_over_view: Some(pts_overview(&ctx, &r)),
        scene_snap_shot: Some(serde_json::from_value(snapshot)?),
        scene_metrics: m.scene_metrics,
        api_metrics_list: (!m.api_metrics.is_empty()).then_some(m.api_metrics),
        message: r.interrupted.then(|| crate::checkpoint::interrupted_message(r.metrics.is_some())),
    }))
}

pub async fn debug_sample_logs(
    ctx: Arc<Ctx>,
    req: logs_op::GetPtsDebugSampleLogsRequest,
) -> Result<logs_op::GetPtsDebugSampleLogsResponse, Fail> {
    let plan = req.plan_id.clone().unwrap_or_default();
    let (number, size) = (req.page_number.unwrap_or(1).max(1), req.page_size.unwrap_or(10).max(1));
    let (limit, offset) = page(number, size);
    let found = ctx.store.read(|c| {
        let active: Option<bool> = c.query_row("SELECT active FROM pts_plans WHERE plan_id = ?1", [&plan], |r| r.get(0)).optional()?;
        let Some(active) = active else { return Ok(None) };
        let total: i64 = c.query_row("SELECT COUNT(*) FROM pts_sample_logs WHERE plan_id = ?1", [&plan], |r| r.get(0))?;
        let logs = c
            .prepare_cached("SELECT log FROM pts_sample_logs WHERE plan_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3")?
            .query_map((&plan, limit, offset), |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some((active, total, logs)))
    })?;
    let (active, total, logs) =
        found.ok_or_else(|| Fail::op(&logs_op::META, "planId not exist"))?;
    // A running plan's samples are read from the engine as they are recorded.
    let (total, logs) = match active.then(|| ctx.engine.pts_samples(&plan)).flatten() {
        Some(live) => {
            let n = live.len() as i64;
            (n, live.into_iter().skip(offset as usize).take(limit as usize).collect())
        }
        None => (
            total,
            logs.iter()
                .map(|l| from_col(l))
                .collect::<Result<Vec<logs_op::SamplingLog>, Fail>>()?,
        ),
    };
    Ok(pts_api::make!(logs_op::GetPtsDebugSampleLogsResponse {
        sampling_logs: Some(logs),
        total_count: Some(total),
        page_number: Some(number),
        page_size: Some(size),
    }))
}
