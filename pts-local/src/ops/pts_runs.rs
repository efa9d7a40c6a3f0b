//! PTS runs: StartPtsScene, StopPtsScene, StartDebugPtsScene, StopDebugPtsScene,
//! GetPtsSceneRunningStatus, GetPtsSceneRunningData, AdjustPtsSceneSpeed
//! (pts-domain §2.2, §4, §9.3 items 8-14).
//!
//! A start commits the plan record and the scene's new status (Running/Debugging) together,
//! then hands the run to the engine; the run ends at `MaxRunningTime` (scaled) or on stop,
//! which writes the end time and the engine's results and returns the scene to WaitStart.
//! A test plan that ended is a report (PlanId == ReportId). Debug runs end on
//! StopDebugPtsScene or after the debug window.

use super::pts_scenes::{DEBUGGING, RUNNING, WAIT_START, load};
use super::{convert, from_col, to_col};
use crate::envelope::Fail;
use crate::runs::{PTS_PHASES, check_targets, finish, hand_to_engine, pts_phase};
use crate::seam::{PtsResult, RunKind, RunResult};
use crate::server::Ctx;
use crate::store::fresh_id;
use pts_api::meta::OperationMeta;
use pts_api::ops::{
    adjust_pts_scene_speed as adjust_op, get_pts_scene_running_data as data_op,
    get_pts_scene_running_status as status_op, start_debug_pts_scene as start_debug_op,
    start_pts_scene as start_op, stop_debug_pts_scene as stop_debug_op, stop_pts_scene as stop_op,
};
use pts_api::shapes::scene::Scene;
use pts_api::shapes::test_mode::TestMode;
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
    if row.status == RUNNING || row.status == DEBUGGING {
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
            if row.status == RUNNING || row.status == DEBUGGING {
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
            let status = if debug { DEBUGGING } else { RUNNING };
            c.execute("UPDATE pts_scenes SET status = ?2 WHERE scene_id = ?1", (&sid, status))?;
            Ok((plan_id, row.scene))
        })
        .await?;
    let kind = if debug { RunKind::PtsDebug } else { RunKind::PtsTest };
    let snapshot = serde_json::to_value(&snapshot)?;
    hand_to_engine(ctx, &plan_id, scene_id, kind, snapshot, real_ms).await?;
    Ok(plan_id)
}

/// `ReportName` of a run: the scene name and the start stamp **(convention, pts-domain §9.3)**.
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
    let bindings: Vec<(String, Vec<String>)> = s
        .advance_setting
        .iter()
        .flat_map(|a| a.domain_binding_list.iter().flatten())
        .map(|b| (b.domain.clone().unwrap_or_default(), b.ips.clone().unwrap_or_default()))
        .collect();
    let urls = s.relation_list.iter().flat_map(|r| r.api_list.iter().map(|a| a.url.as_str()));
    check_targets(urls, &bindings, &ctx.allowed_targets)
}

/// Ends plan `plan_id` (if still active): end time, engine results, scene back to WaitStart.
pub fn end_plan(
    c: &Connection,
    plan_id: &str,
    end_ms: i64,
    result: Option<RunResult>,
) -> Result<bool, Fail> {
    let scene: Option<String> = c
        .query_row(
            "SELECT scene_id FROM pts_plans WHERE plan_id = ?1 AND active = 1",
            [plan_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(scene) = scene else { return Ok(false) };
    let mut metrics = match result {
        Some(RunResult::Pts(p)) => Some(p),
        _ => None,
    };
    if let Some(m) = &mut metrics {
        for (i, log) in std::mem::take(&mut m.sample_logs).iter().enumerate() {
            c.execute(
                "INSERT INTO pts_sample_logs(plan_id, seq, log) VALUES (?1, ?2, ?3)",
                (plan_id, i as i64, to_col(log)?),
            )?;
        }
    }
    let metrics = metrics.as_ref().map(to_col).transpose()?;
    c.execute(
        "UPDATE pts_plans SET active = 0, ended_ms = ?2, metrics = ?3 WHERE plan_id = ?1",
        (plan_id, end_ms, metrics),
    )?;
    c.execute(
        "UPDATE pts_scenes SET status = ?2 WHERE scene_id = ?1 AND status IN ('Running', 'Debugging')",
        (&scene, WAIT_START),
    )?;
    Ok(true)
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
        // PTS documents only this code; its message carries the scene key (pts-domain §2.2).
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
        let latest: Option<(bool, i64)> = c
            .prepare_cached(
                "SELECT active, started_ms FROM pts_plans WHERE scene_id = ?1 ORDER BY started_ms DESC, rowid DESC LIMIT 1",
            )?
            .query_row([&req.scene_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok((row, latest))
    })?;
    let row = row.ok_or_else(|| Fail::op(&status_op::META, "The scene does not exist"))?;
    // A scene that never ran reports STOPPED (pts-domain §9.3 item 12, convention).
    let phase =
        latest.map_or(9, |(active, started)| pts_phase(active, started, crate::ids::now_ms()));
    convert(&json!({
        "Status": PTS_PHASES[phase],
        "SceneName": row.name,
        "CreateTime": ctx.fmt_time(row.created_ms),
        "ModifiedTime": ctx.fmt_time(row.modified_ms),
    }))
}

/// Configured (not measured) load limits of a scene: (concurrency limit, RPS limit).
pub fn configured_limits(s: &Scene) -> (Option<i32>, Option<i32>) {
    let lc = &s.load_config;
    if lc.test_mode == TestMode::ConcurrencyMode {
        let sum = lc
            .relation_load_config_list
            .as_ref()
            .map(|l| l.iter().map(|r| r.concurrency_limit).sum());
        (lc.configuration.all_concurrency_limit.or(sum), None)
    } else {
        let sum = lc.api_load_config_list.as_ref().map(|l| l.iter().map(|a| a.rps_limit).sum());
        (None, lc.configuration.all_rps_limit.or(sum))
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
    out.status = Some(pts_phase(active, started, crate::ids::now_ms()) as i32);
    out.begin_time = Some(started);
    out.has_report = Some(!active && !debug);
    out.concurrency_limit = concurrency_limit.or(out.concurrency_limit);
    out.tps_limit = tps_limit.or(out.tps_limit);
    Ok(out)
}

/// After a run, rates drop to 0 and counts stay (pts-domain §4.2).
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
            check_speeds(&from_col(&snapshot)?, &speeds, &mut current).map_err(Fail::invalid)?;
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

/// AdjustPtsSceneSpeed rules (pts-domain §9.3 item 14): every ApiId is the scene's and every
/// Speed at least 1; concurrency mode: the ApiId is the first API of its relation (it sets the
/// relation's concurrency); RPS mode: each relation's chain stays non-increasing. Applies the
/// speeds to `current`.
fn check_speeds(
    s: &Scene,
    speeds: &[(String, i64)],
    current: &mut BTreeMap<String, i64>,
) -> Result<(), String> {
    let concurrency = s.load_config.test_mode == TestMode::ConcurrencyMode;
    for (api, speed) in speeds {
        if *speed < 1 {
            return Err(format!(
                "AdjustPtsSceneSpeed: parameter ApiSpeedList.Speed must be at least 1 (got {speed})"
            ));
        }
        let rel = s
            .relation_list
            .iter()
            .find(|r| r.api_list.iter().any(|a| a.api_id.as_deref() == Some(api)));
        let Some(rel) = rel else {
            return Err(format!("AdjustPtsSceneSpeed: ApiId {api} is not an API of the scene"));
        };
        if concurrency
            && rel.api_list.first().and_then(|a| a.api_id.as_deref()) != Some(api.as_str())
        {
            return Err(format!(
                "AdjustPtsSceneSpeed: in concurrency mode ApiId {api} must be the first API of its relation"
            ));
        }
        current.insert(api.clone(), *speed);
    }
    if !concurrency {
        for r in &s.relation_list {
            let chain: Vec<i64> = r
                .api_list
                .iter()
                .filter_map(|a| current.get(a.api_id.as_deref()?).copied())
                .collect();
            if chain.windows(2).any(|w| w[1] > w[0]) {
                return Err(format!(
                    "AdjustPtsSceneSpeed: RPS must not increase along relation {}",
                    r.relation_name
                ));
            }
        }
    }
    Ok(())
}
