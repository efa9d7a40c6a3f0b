//! Run lifecycle shared by PTS plans and JMeter reports: the runtime status, the scheduler
//! that ends runs at their deadline, and ending a run (its record's transaction is
//! [`crate::run_end`]).
//!
//! A run record is `active` from its start until its result is stored (it was stopped or its
//! deadline passed). While it is active its status is the engine's phase for it
//! ([`crate::seam::RunEngine::phase`]): preparing until the first request is sent, running
//! while load flows, stopping while requests in flight drain and until the final figures are
//! written; an ended run is `STOPPED`. The time scale stretches scene time only.
//!
//! While runs are active the scheduler also checkpoints what they measured (see
//! [`crate::checkpoint`], which ends runs orphaned by a crash at the next start).

use crate::ctx::Ctx;
use crate::engine::convert;
use crate::envelope::Fail;
use crate::seam::{Refusal, RunKind};
use pts_api::shapes::jmeter_scene_status::JMeterSceneStatus;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The runtime status of PTS plan `plan_id`: the engine's phase while the record is active.
pub fn pts_status(ctx: &Ctx, plan_id: &str, active: bool) -> PtsRuntimeStatus {
    if !active {
        return PtsRuntimeStatus::Stopped;
    }
    convert::pts_runtime_status(ctx.engine.phase(plan_id))
}

/// The status of JMeter run `report_id`: the engine's phase while the record is active.
pub fn jmeter_status(ctx: &Ctx, report_id: &str, active: bool) -> JMeterSceneStatus {
    if !active {
        return JMeterSceneStatus::Stopped;
    }
    convert::jmeter_status(ctx.engine.phase(report_id))
}

/// Ends an active run: asks the engine to stop, then in one transaction marks the record
/// ended at `end_ms` with what the engine measured, and returns the scene to idle; the engine
/// then forgets the run. Returns false if the run had already ended.
pub async fn finish(
    ctx: &Arc<Ctx>,
    kind: RunKind,
    run_id: &str,
    end_ms: i64,
) -> Result<bool, Fail> {
    let result = ctx.engine.stop(run_id).await;
    let id = run_id.to_string();
    let ended =
        ctx.store.write(move |c| crate::run_end::end_run(c, kind, &id, end_ms, result)).await;
    ctx.engine.release(run_id);
    ended
}

/// Active runs whose deadline is at or before `now`: (kind, id, deadline).
fn due(ctx: &Ctx, now: i64) -> Result<Vec<(RunKind, String, i64)>, Fail> {
    ctx.store.read(|c| {
        let mut out = Vec::new();
        let mut s = c.prepare_cached("SELECT plan_id, debug, deadline_ms FROM pts_plans WHERE active = 1 AND deadline_ms <= ?1")?;
        for r in s.query_map([now], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?)))? {
            let (id, debug, d) = r?;
            out.push((if debug { RunKind::PtsDebug } else { RunKind::PtsTest }, id, d));
        }
        let mut s =
            c.prepare_cached("SELECT report_id, debug, deadline_ms FROM jmeter_runs WHERE active = 1 AND deadline_ms <= ?1")?;
        for r in s.query_map([now], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?)))? {
            let (id, debug, d) = r?;
            out.push((if debug { RunKind::JMeterDebug } else { RunKind::JMeterTest }, id, d));
        }
        Ok(out)
    })
}

fn next_deadline(ctx: &Ctx) -> Result<Option<i64>, Fail> {
    ctx.store.read(|c| {
        let v: Option<i64> = c.query_row(
            "SELECT MIN(d) FROM (SELECT MIN(deadline_ms) AS d FROM pts_plans WHERE active = 1
             UNION ALL SELECT MIN(deadline_ms) FROM jmeter_runs WHERE active = 1)",
            [],
            |r| r.get(0),
        )?;
        Ok(v)
    })
}

/// The scheduler: ends runs at their deadline; woken early by `ctx.wake` when a run starts.
pub async fn scheduler(ctx: Arc<Ctx>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let now = crate::ids::now_ms();
        match due(&ctx, now) {
            Ok(runs) => {
                for (kind, id, deadline) in runs {
                    if let Err(e) = finish(&ctx, kind, &id, deadline).await {
                        eprintln!("pts-local: could not end run {id}: {e:?}");
                    }
                }
            }
            Err(e) => eprintln!("pts-local: scheduler: {e:?}"),
        }
        let running = match crate::checkpoint::save(&ctx).await {
            Ok(n) => n,
            Err(e) => {
                eprintln!("pts-local: checkpoint: {e:?}");
                1
            }
        };
        let wait = match next_deadline(&ctx) {
            Ok(Some(d)) => {
                Duration::from_millis((d - crate::ids::now_ms()).clamp(0, 60_000) as u64)
            }
            _ => Duration::from_secs(60),
        };
        let wait = if running > 0 { wait.min(crate::checkpoint::EVERY) } else { wait };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.wake.notified() => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Hands a run whose record is committed to the engine and wakes the scheduler. If the
/// engine refuses it, the record is ended at once (the scene is startable again) and the
/// refusal is the error: [`Fail::plan_invalid`] when the plan cannot run, an internal error
/// when the engine could not start.
pub async fn hand_to_engine(
    ctx: &Arc<Ctx>,
    run_id: &str,
    scene_id: String,
    kind: RunKind,
    snapshot: serde_json::Value,
    real_ms: i64,
) -> Result<(), Fail> {
    let run = crate::seam::RunStart {
        run_id: run_id.to_string(),
        scene_id,
        kind,
        snapshot,
        real_duration: std::time::Duration::from_millis(real_ms as u64),
        clock: ctx.clock,
        files_dir: ctx.files.dir().to_path_buf(),
        allowed_targets: ctx.allowed_targets.clone(),
    };
    if let Err(refusal) = ctx.engine.start(&run) {
        finish(ctx, kind, run_id, crate::ids::now_ms()).await?;
        return Err(match refusal {
            Refusal::Plan(m) => Fail::plan_invalid(m),
            Refusal::Engine(m) => Fail::internal(m),
        });
    }
    ctx.wake.notify_one();
    Ok(())
}
