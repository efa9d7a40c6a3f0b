//! JMeter runs: StartTestingJMeterScene, StopTestingJMeterScene, StartDebuggingJMeterScene,
//! StopDebuggingJMeterScene, GetJMeterSceneRunningData, AdjustJMeterSceneSpeed
//! (each JMeter scene's runs, live data and speed).
//!
//! A start commits a run record whose id is the ReportId; the run walks PREPARING, PREPARED,
//! STARTING, RUNNING and ends after `Duration` seconds (scaled; debug runs after the debug
//! window) or on the matching stop, leaving a report. PTS documents no code for a wrong
//! state here, so pts-local answers 403 `SceneNotExist` with `Scene is running` /
//! `Scene is not running` **(a pts-local convention: PTS documents no code for these)**. A scene whose plan cannot run
//! (a file gone from the store, a JMX the engine refuses) answers
//! [`crate::envelope::PLAN_INVALID`].

use super::jmeter_scenes::{active_run, check, exists, load};
use super::{from_col, to_col};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::runs::{finish, hand_to_engine, jmeter_status};
use crate::seam::{JMeterResult, RunKind};
use crate::store::fresh_id;
use pts_api::ops::{
    adjust_jmeter_scene_speed as adjust_op, get_jmeter_scene_running_data as data_op,
    start_debugging_jmeter_scene as start_debug_op, start_testing_jmeter_scene as start_op,
    stop_debugging_jmeter_scene as stop_debug_op, stop_testing_jmeter_scene as stop_op,
};
use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use rusqlite::OptionalExtension;
use std::sync::Arc;

fn scene_not_exist() -> Fail {
    Fail::service(403, "SceneNotExist", "The scene does not exist.")
}

fn state(message: &str) -> Fail {
    Fail::service(403, "SceneNotExist", message)
}

pub async fn start_testing(
    ctx: Arc<Ctx>,
    req: start_op::StartTestingJMeterSceneRequest,
) -> Result<start_op::StartTestingJMeterSceneResponse, Fail> {
    let id = begin(&ctx, req.scene_id, false).await?;
    Ok(pts_api::make!(start_op::StartTestingJMeterSceneResponse { report_id: Some(id) }))
}

pub async fn start_debugging(
    ctx: Arc<Ctx>,
    req: start_debug_op::StartDebuggingJMeterSceneRequest,
) -> Result<start_debug_op::StartDebuggingJMeterSceneResponse, Fail> {
    let id = begin(&ctx, req.scene_id, true).await?;
    Ok(pts_api::make!(start_debug_op::StartDebuggingJMeterSceneResponse { report_id: Some(id) }))
}

async fn begin(ctx: &Arc<Ctx>, scene_id: String, debug: bool) -> Result<String, Fail> {
    let scene = ctx.store.read(|c| load(c, &scene_id))?.ok_or_else(scene_not_exist)?;
    check(ctx, &scene).map_err(Fail::plan_invalid)?;
    let scene_secs = if debug { ctx.debug_window_secs } else { f64::from(scene.duration) };
    let real_ms = ctx.clock.real_ms(scene_secs);
    let (sid, tf) = (scene_id.clone(), ctx.time_fmt);
    let (report_id, snapshot) = ctx
        .store
        .write(move |c| {
            let Some(scene) = load(c, &sid)? else { return Err(scene_not_exist()) };
            if active_run(c, &sid)?.is_some() {
                return Err(state("Scene is running"));
            }
            let id = fresh_id(c, "report")?;
            let now = crate::ids::now_ms();
            let name = super::pts_runs::report_name(&scene.scene_name, now, &tf);
            c.execute(
                "INSERT INTO jmeter_runs(report_id, scene_id, scene_name, report_name, debug, active, snapshot, started_ms, deadline_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8)",
                (&id, &sid, &scene.scene_name, &name, debug, to_col(&scene)?, now, now + real_ms),
            )?;
            Ok((id, scene))
        })
        .await?;
    let kind = if debug { RunKind::JMeterDebug } else { RunKind::JMeterTest };
    let snapshot = serde_json::to_value(&snapshot)?;
    hand_to_engine(ctx, &report_id, scene_id, kind, snapshot, real_ms).await?;
    Ok(report_id)
}

async fn stop(ctx: &Arc<Ctx>, scene_id: &str, debug: bool) -> Result<(), Fail> {
    let run = ctx.store.read(|c| {
        if !exists(c, scene_id)? {
            return Err(scene_not_exist());
        }
        active_run(c, scene_id)
    })?;
    match run {
        Some((id, _, d)) if d == debug => {
            let kind = if debug { RunKind::JMeterDebug } else { RunKind::JMeterTest };
            finish(ctx, kind, &id, crate::ids::now_ms()).await?;
            Ok(())
        }
        _ => Err(state("Scene is not running")),
    }
}

pub async fn stop_testing(
    ctx: Arc<Ctx>,
    req: stop_op::StopTestingJMeterSceneRequest,
) -> Result<stop_op::StopTestingJMeterSceneResponse, Fail> {
    stop(&ctx, &req.scene_id, false).await?;
    Ok(Default::default())
}

pub async fn stop_debugging(
    ctx: Arc<Ctx>,
    req: stop_debug_op::StopDebuggingJMeterSceneRequest,
) -> Result<stop_debug_op::StopDebuggingJMeterSceneResponse, Fail> {
    stop(&ctx, &req.scene_id, true).await?;
    Ok(Default::default())
}

/// `StageName` for each phase (free text in PTS; the example is "task execution").
fn stage_name(status: &JMeterSceneStatus) -> &'static str {
    match status {
        JMeterSceneStatus::Preparing => "preparing the plan",
        JMeterSceneStatus::Prepared => "plan prepared",
        JMeterSceneStatus::Starting => "starting threads",
        JMeterSceneStatus::Running => "task execution",
        JMeterSceneStatus::Stopping => "stopping",
        _ => "stopped",
    }
}

pub async fn running_data(
    ctx: Arc<Ctx>,
    req: data_op::GetJMeterSceneRunningDataRequest,
) -> Result<data_op::GetJMeterSceneRunningDataResponse, Fail> {
    type Row = (String, bool, bool, i64, i64, Option<i64>, Option<String>);
    let (scene, latest) = ctx.store.read(|c| {
        let scene = load(c, &req.scene_id)?;
        let latest: Option<Row> = c
            .prepare_cached(
                "SELECT report_id, debug, active, started_ms, deadline_ms, ended_ms, metrics FROM jmeter_runs
                 WHERE scene_id = ?1 ORDER BY started_ms DESC, rowid DESC LIMIT 1",
            )?
            .query_row([&req.scene_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .optional()?;
        Ok((scene, latest))
    })?;
    let scene = scene.ok_or_else(|| Fail::op(&data_op::META, "The report does not exist."))?;
    let mut d = match &latest {
        Some((id, _, true, ..)) => ctx.engine.jmeter_live(id).unwrap_or_default(),
        Some((.., Some(m))) => from_col::<JMeterResult>(m)?.final_data.unwrap_or_default(),
        _ => data_op::RunningData::default(),
    };
    let status = match &latest {
        Some((id, _, active, ..)) => jmeter_status(&ctx, id, *active),
        None => JMeterSceneStatus::Stopped,
    };
    d.scene_id = Some(req.scene_id.clone());
    d.scene_name = Some(scene.scene_name.clone());
    d.stage_name = Some(stage_name(&status).to_string());
    d.status = Some(status);
    d.has_error = Some(false);
    d.agent_count = Some(scene.agent_count);
    if let Some((id, debug, active, started, deadline, ..)) = latest {
        d.report_id = Some(id);
        d.is_debugging = Some(debug);
        d.has_report = Some(!active);
        d.start_time_ts = Some(started);
        d.hold_for = Some(ctx.clock.scene_secs(deadline - started).round() as i32);
    } else {
        d.is_debugging = Some(false);
        d.has_report = Some(false);
    }
    Ok(pts_api::make!(data_op::GetJMeterSceneRunningDataResponse { running_data: Some(d) }))
}

pub async fn adjust_speed(
    ctx: Arc<Ctx>,
    req: adjust_op::AdjustJMeterSceneSpeedRequest,
) -> Result<adjust_op::AdjustJMeterSceneSpeedResponse, Fail> {
    let (id, speed) = (req.report_id.clone(), i64::from(req.speed));
    ctx.store
        .write(move |c| {
            let active: Option<bool> = c
                .query_row("SELECT active FROM jmeter_runs WHERE report_id = ?1", [&id], |r| {
                    r.get(0)
                })
                .optional()?;
            match active {
                None => Err(scene_not_exist()),
                Some(false) => Err(state("Scene is not running")),
                Some(true) => {
                    c.execute(
                        "UPDATE jmeter_runs SET speed = ?2 WHERE report_id = ?1",
                        (&id, speed),
                    )?;
                    Ok(())
                }
            }
        })
        .await?;
    ctx.engine.adjust(&req.report_id, &vec![(String::new(), speed)]).map_err(|e| state(&e))?;
    Ok(pts_api::make!(adjust_op::AdjustJMeterSceneSpeedResponse { report_id: Some(req.report_id) }))
}
