//! Runs across a crash. The load engine lives in this process, so a run still active in the
//! store when the service starts lost its engine when the previous process died. While runs
//! are active, what the engine has measured so far is saved every [`EVERY`]; at start-up each
//! orphaned run is ended with its last checkpoint (or no metrics), marked interrupted, and its
//! scene is startable again at once.

use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::seam::{JMeterResult, PtsResult, RunKind, RunResult};
use pts_api::ops::get_pts_report_details as prd;
use pts_api::ops::get_pts_scene_running_data as prun;
use rusqlite::Connection;
use std::sync::Arc;
use std::time::Duration;

/// How often active runs are checkpointed.
pub const EVERY: Duration = Duration::from_secs(1);

/// Active runs: (kind, id).
fn active(c: &Connection) -> Result<Vec<(RunKind, String)>, Fail> {
    let mut out = Vec::new();
    let mut s = c.prepare_cached("SELECT plan_id, debug FROM pts_plans WHERE active = 1")?;
    for r in s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))? {
        let (id, debug) = r?;
        out.push((if debug { RunKind::PtsDebug } else { RunKind::PtsTest }, id));
    }
    let mut s = c.prepare_cached("SELECT report_id, debug FROM jmeter_runs WHERE active = 1")?;
    for r in s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))? {
        let (id, debug) = r?;
        out.push((if debug { RunKind::JMeterDebug } else { RunKind::JMeterTest }, id));
    }
    Ok(out)
}

fn table(kind: RunKind) -> (&'static str, &'static str) {
    match kind {
        RunKind::PtsTest | RunKind::PtsDebug => ("pts_plans", "plan_id"),
        RunKind::JMeterTest | RunKind::JMeterDebug => ("jmeter_runs", "report_id"),
    }
}

/// Saves the live figures of every active run the engine knows. Returns how many runs are
/// active (the scheduler checkpoints again after [`EVERY`] while any is).
pub async fn save(ctx: &Arc<Ctx>) -> Result<usize, Fail> {
    let runs = ctx.store.read(active)?;
    let mut saved = Vec::new();
    for (kind, id) in &runs {
        let result = match kind {
            RunKind::PtsTest | RunKind::PtsDebug => ctx.engine.pts_live(id).map(|d| {
                RunResult::Pts(PtsResult {
                    scene_metrics: Some(scene_metrics_of(&d)),
                    vum: d.vum,
                    final_data: Some(d),
                    ..Default::default()
                })
            }),
            RunKind::JMeterTest | RunKind::JMeterDebug => ctx.engine.jmeter_live(id).map(|d| {
                RunResult::JMeter(JMeterResult { final_data: Some(d), ..Default::default() })
            }),
        };
        if let Some(r) = result {
            saved.push((*kind, id.clone(), serde_json::to_string(&r)?));
        }
    }
    if !saved.is_empty() {
        let now = crate::ids::now_ms();
        ctx.store
            .write(move |c| {
                for (kind, id, json) in &saved {
                    let (t, key) = table(*kind);
                    let sql = format!(
                        "UPDATE {t} SET checkpoint = ?2, checkpoint_ms = ?3 WHERE {key} = ?1 AND active = 1"
                    );
                    c.execute(&sql, (id, json, now))?;
                }
                Ok(())
            })
            .await?;
    }
    Ok(runs.len())
}

/// Ends every run left active by a previous process (called before the scheduler starts):
/// ended at its last checkpoint (or now, or its deadline if that came first), with the
/// checkpoint's figures as its metrics, and marked interrupted. Returns the ids closed.
pub async fn close_interrupted(ctx: &Arc<Ctx>) -> Result<Vec<String>, Fail> {
    let now = crate::ids::now_ms();
    ctx.store
        .write(move |c| {
            let mut closed = Vec::new();
            for (kind, id) in active(c)? {
                let (t, key) = table(kind);
                let sql = format!(
                    "SELECT checkpoint, checkpoint_ms, deadline_ms FROM {t} WHERE {key} = ?1"
                );
                let (cp, cp_ms, deadline): (Option<String>, Option<i64>, i64) =
                    c.query_row(&sql, [&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                let result: Option<RunResult> =
                    cp.as_deref().and_then(|j| serde_json::from_str(j).ok());
                let end = cp_ms.unwrap_or(now).min(deadline);
                crate::run_end::end_run(c, kind, &id, end, result)?;
                c.execute(&format!("UPDATE {t} SET interrupted = 1 WHERE {key} = ?1"), [&id])?;
                closed.push(id);
            }
            Ok(closed)
        })
        .await
}

/// Report figures from live counts (no percentiles: those exist only at the end of a run).
fn scene_metrics_of(d: &prun::GetPtsSceneRunningDataResponse) -> prd::SceneMetrics {
    let all = d.total_request_count.unwrap_or(0);
    let failed = d.failed_request_count.unwrap_or(0);
    let failed_biz = d.failed_business_count.unwrap_or(0);
    let rate = |bad: i64| if all > 0 { (all - bad).max(0) as f64 / all as f64 } else { 0.0 };
    pts_api::make!(prd::SceneMetrics {
        all_count: Some(all),
        fail_count_req: Some(failed),
        fail_count_biz: Some(failed_biz),
        avg_rt: d.average_rt.map(|v| v as f64),
        success_rate_req: Some(rate(failed)),
        success_rate_biz: Some(rate(failed_biz)),
    })
}

/// The `Message` of an interrupted run's report: what it holds and why.
pub fn interrupted_message(measured: bool) -> String {
    if measured {
        "Interrupted: the service stopped during this run; the figures are those measured up \
         to its last checkpoint"
            .into()
    } else {
        "Interrupted: the service stopped during this run before anything was measured; the \
         report has no metrics"
            .into()
    }
}
