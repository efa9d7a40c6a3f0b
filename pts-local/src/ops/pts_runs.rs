//! PTS runs: StartPtsScene, StopPtsScene, StartDebugPtsScene, StopDebugPtsScene,
//! GetPtsSceneRunningStatus, GetPtsSceneRunningData, AdjustPtsSceneSpeed
//! (each PTS scene's test and debug runs, their status, live data and speed).
//!
//! A start commits the plan record and the scene's new status (Running/Debugging) together,
//! then hands the run to the engine; the run ends at `MaxRunningTime` (scaled) or on stop,
//! which writes the end time and the engine's results and returns the scene to WaitStart.
//! A test plan that ended is a report (PlanId == ReportId). Debug runs end on
//! StopDebugPtsScene or after the debug window.

use super::pts_scenes::{busy, load};
use super::{convert, from_col, to_col};
use crate::ctx::Ctx;
use crate::engine::convert::running_status_code;
use crate::envelope::Fail;
use crate::runs::{finish, hand_to_engine, pts_status};
use crate::seam::{PtsResult, RunKind};
use crate::store::fresh_id;
use pts_api::meta::OperationMeta;
use pts_api::ops::{
    adjust_pts_scene_speed as adjust_op, get_pts_scene_running_data as data_op,
    get_pts_scene_running_status as status_op, start_debug_pts_scene as start_debug_op,
    start_pts_scene as start_op, stop_debug_pts_scene as stop_debug_op, stop_pts_scene as stop_op,
};
use pts_api::rules::TestMode;
use pts_api::shapes::pts_scene_status::PtsSceneStatus;
use pts_api::shapes::scene::Scene;
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

pub async fn start(
    ctx: Arc<Ctx>,
    req: start_op::StartPtsSceneRequest,
) -> Result<start_op::StartPtsSceneResponse, Fail> {
    let plan = begin(&ctx, &start_op::META, req.scene_id, false, "Scene not exist").await?;
    Ok(pts_api::make!(start_op::StartPtsSceneResponse { plan_id: Some(plan) }))
}

pub async fn start_debug(
    ctx: Arc<Ctx>,
    req: start_debug_op::StartDebugPtsSceneRequest,
) -> Result<start_debug_op::StartDebugPtsSceneResponse, Fail> {
    let plan =
        begin(&ctx, &start_debug_op::META, req.scene_id, true, "The scene does not exit").await?;
    Ok(pts_api::make!(start_debug_op::StartDebugPtsSceneResponse { plan_id: Some(plan) }))
}

/// Starts a test (`debug` false) or debug plan of an idle scene.
async fn begin(
    ctx: &Arc<Ctx>,
    meta: &'static OperationMeta,
    scene_id: String,
    debug: bool,
    missing: &'static str,
) -> Result<String, Fail> {
    let row = ctx.store.read(|c| load(c, &scene_id))?.ok_or_else(|| Fail::op(meta, missing))?;
    if busy(&row.status) {
        return Err(Fail::op(meta, "Scene is running"));
    }
    preflight(ctx, &row.scene).map_err(|m| Fail::op(meta, m))?;
    let scene_secs = if debug {
        ctx.debug_window_secs
    } else {
        f64::from(row.scene.load_config.max_running_time) * 60.0
    };
    let real_ms = ctx.clock.real_ms(scene_secs);
    let sid = scene_id.clone();
    let tf = ctx.time_fmt;
    let (plan_id, snapshot) = ctx
        .store
        .write(move |c| {
            let Some(row) = load(c, &sid)? else { return Err(Fail::op(meta, missing)) };
            if busy(&row.status) {
                return Err(Fail::op(meta, "Scene is running"));
            }
            let plan_id = fresh_id(c, "plan")?;
            let now = crate::ids::now_ms();
            let snapshot = to_col(&row.scene)?;
            c.execute(
                "INSERT INTO pts_plans(plan_id, scene_id, debug, active, scene_name, report_name, snapshot, started_ms, deadline_ms)
                 VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8)",
                (&plan_id, &sid, debug, &row.name, report_name(&row.name, now, &tf), &snapshot, now, now + real_ms),
            )?;
            let status = if debug { PtsSceneStatus::Debugging } else { PtsSceneStatus::Running };
            c.execute("UPDATE pts_scenes SET status = ?2 WHERE scene_id = ?1", (&sid, status.as_str()))?;
            Ok((plan_id, row.scene))
        })
        .await?;
    let kind = if debug { RunKind::PtsDebug } else { RunKind::PtsTest };
    let snapshot = serde_json::to_value(&snapshot)?;
    hand_to_engine(ctx, &plan_id, scene_id, kind, snapshot, real_ms).await?;
    Ok(plan_id)
}

/// `ReportName` of a run: the scene name and the start stamp **(a pts-local convention: PTS does not document the form)**.
pub fn report_name(scene_name: &str, start_ms: i64, tf: &crate::ids::TimeFmt) -> String {
    let stamp: String = tf.format(start_ms).chars().filter(char::is_ascii_digit).collect();
    format!("{scene_name}-{stamp}")
}

/// Checks that a scene can run here: its files are in the file store and its targets are
/// loopback (or allowed).
fn preflight(ctx: &Ctx, s: &Scene) -> Result<(), String> {
    for f in s.file_parameter_list.iter().flatten() {
        ctx.files.resolve(f.file_name.as_deref(), f.file_oss_address.as_deref())?;
    }
    match pts_api::rules::targets::not_loopback(s, &ctx.allowed_targets).into_iter().next() {
        Some(v) => Err(format!("Target must be loopback: {v}")),
        None => Ok(()),
    }
}

/// The active plan of a scene of the given kind.
fn active_plan(c: &Connection, scene_id: &str, debug: bool) -> Result<Option<String>, Fail> {
    Ok(c.query_row(
        "SELECT plan_id FROM pts_plans WHERE scene_id = ?1 AND active = 1 AND debug = ?2",
        (scene_id, debug),
        |r| r.get(0),
    )
    .optional()?)
}

pub async fn stop(
    ctx: Arc<Ctx>,
    req: stop_op::StopPtsSceneRequest,
) -> Result<stop_op::StopPtsSceneResponse, Fail> {
    let plan = ctx.store.read(|c| active_plan(c, &req.scene_id, false))?;
    let Some(plan) = plan else {
        // PTS documents only this code; its message carries the scene key (PTS puts an internal
        // numeric key there, pts-local the SceneId).
        return Err(Fail::op(&stop_op::META, format!("The scene {} has no plan", req.scene_id)));
    };
    finish(&ctx, RunKind::PtsTest, &plan, crate::ids::now_ms()).await?;
    Ok(stop_op::StopPtsSceneResponse::default())
}

pub async fn stop_debug(
    ctx: Arc<Ctx>,
    req: stop_debug_op::StopDebugPtsSceneRequest,
) -> Result<stop_debug_op::StopDebugPtsSceneResponse, Fail> {
    let row: Option<bool> = ctx.store.read(|c| {
        Ok(c.query_row(
            "SELECT active FROM pts_plans WHERE plan_id = ?1 AND scene_id = ?2 AND debug = 1",
            (&req.plan_id, &req.scene_id),
            |r| r.get(0),
        )
        .optional()?)
    })?;
    match row {
        None => Err(Fail::op(&stop_debug_op::META, "The scene does not exit")),
        Some(false) => Ok(Default::default()),
        Some(true) => {
            finish(&ctx, RunKind::PtsDebug, &req.plan_id, crate::ids::now_ms()).await?;
            Ok(Default::default())
        }
    }
}

pub async fn running_status(
    ctx: Arc<Ctx>,
    req: status_op::GetPtsSceneRunningStatusRequest,
) -> Result<status_op::GetPtsSceneRunningStatusResponse, Fail> {
    let (row, latest) = ctx.store.read(|c| {
        let row = load(c, &req.scene_id)?;
        let latest: Option<(String, bool)> = c
            .prepare_cached(
                "SELECT plan_id, active FROM pts_plans WHERE scene_id = ?1 ORDER BY started_ms DESC, rowid DESC LIMIT 1",
            )?
            .query_row([&req.scene_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok((row, latest))
    })?;
    let row = row.ok_or_else(|| Fail::op(&status_op::META, "The scene does not exist"))?;
    // A scene that never ran reports STOPPED (a pts-local convention; PTS does not document it).
    let status = latest.map_or(
        pts_api::shapes::pts_runtime_status::PtsRuntimeStatus::Stopped,
        |(plan, active)| pts_status(&ctx, &plan, active),
    );
    convert(&json!({
        "Status": status,
        "SceneName": row.name,
        "CreateTime": ctx.fmt_time(row.created_ms),
        "ModifiedTime": ctx.fmt_time(row.modified_ms),
    }))
}

/// Configured (not measured) load limits of a scene: (concurrency limit, RPS limit).
pub fn configured_limits(s: &Scene) -> (Option<i32>, Option<i32>) {
    let limit = |n: i64| i32::try_from(n).ok();
    match pts_api::rules::load::max_load(s) {
        Some((TestMode::TpsMode, n)) => (None, limit(n)),
        Some((_, n)) => (limit(n), None),
        None => (None, None),
    }
}

pub async fn running_data(
    ctx: Arc<Ctx>,
    req: data_op::GetPtsSceneRunningDataRequest,
) -> Result<data_op::GetPtsSceneRunningDataResponse, Fail> {
    type Row = (bool, bool, String, i64, Option<String>);
    let row: Option<Row> = ctx.store.read(|c| {
        if load(c, &req.scene_id)?.is_none() {
            return Ok(None);
        }
        Ok(c.query_row(
            "SELECT active, debug, snapshot, started_ms, metrics FROM pts_plans WHERE plan_id = ?1 AND scene_id = ?2",
            (&req.plan_id, &req.scene_id),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?)
    })?;
    let (active, debug, snapshot, started, metrics) =
        row.ok_or_else(|| Fail::op(&data_op::META, "The scene does not exit"))?;
    let mut out = if active {
        ctx.engine.pts_live(&req.plan_id).unwrap_or_default()
    } else {
        let m: Option<PtsResult> = metrics.as_deref().map(from_col).transpose()?;
        let mut d = m.and_then(|m| m.final_data).unwrap_or_default();
        zero_rates(&mut d);
        d
    };
    let (concurrency_limit, tps_limit) = configured_limits(&from_col(&snapshot)?);
    out.status = Some(running_status_code(&pts_status(&ctx, &req.plan_id, active)));
    out.begin_time = Some(started);
    out.has_report = Some(!active && !debug);
    out.concurrency_limit = concurrency_limit.or(out.concurrency_limit);
    out.tps_limit = tps_limit.or(out.tps_limit);
    Ok(out)
}

/// After a run, rates drop to 0 and counts stay, as PTS's running data of a finished plan.
fn zero_rates(d: &mut data_op::GetPtsSceneRunningDataResponse) {
    if d.total_real_qps.is_some() {
        d.total_real_qps = Some(0);
    }
    if d.concurrency.is_some() {
        d.concurrency = Some(0);
    }
    for c in d.chain_monitor_data_list.iter_mut().flatten() {
        for rate in [&mut c.real_qps, &mut c.qps2_xx, &mut c.failed_qps, &mut c.concurrency] {
            if rate.is_some() {
                *rate = Some(0.0);
            }
        }
    }
}

pub async fn adjust_speed(
    ctx: Arc<Ctx>,
    req: adjust_op::AdjustPtsSceneSpeedRequest,
) -> Result<adjust_op::AdjustPtsSceneSpeedResponse, Fail> {
    let meta = &adjust_op::META;
    let speeds: Vec<(String, i64)> = req
        .api_speed_list
        .iter()
        .flatten()
        .map(|s| (s.api_id.clone().unwrap_or_default(), s.speed.unwrap_or(0)))
        .collect();
    let scene_id = req.scene_id.clone();
    let (plan, change) = ctx
        .store
        .write(move |c| {
            if load(c, &scene_id)?.is_none() {
                return Err(Fail::op(meta, "The scene does not exist."));
            }
            let Some(plan) = active_plan(c, &scene_id, false)? else {
                return Err(Fail::op(meta, "Scene is not running"));
            };
            let (snapshot, stored): (String, Option<String>) = c.query_row(
                "SELECT snapshot, speeds FROM pts_plans WHERE plan_id = ?1",
                [&plan],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let mut current: BTreeMap<String, i64> =
                stored.as_deref().map(from_col).transpose()?.unwrap_or_default();
            pts_api::rules::speed::apply(&from_col(&snapshot)?, &speeds, &mut current)
                .map_err(|v| Fail::invalid(format!("AdjustPtsSceneSpeed: {v}")))?;
            c.execute(
                "UPDATE pts_plans SET speeds = ?2 WHERE plan_id = ?1",
                (&plan, to_col(&current)?),
            )?;
            Ok((plan, speeds))
        })
        .await?;
    ctx.engine.adjust(&plan, &change).map_err(|e| Fail::op(meta, e))?;
    Ok(adjust_op::AdjustPtsSceneSpeedResponse::default())
}
