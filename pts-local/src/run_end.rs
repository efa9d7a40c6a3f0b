//! The transaction that ends a run record: end time, what the engine measured, the scene back
//! to idle. Shared by the operations that stop runs, the scheduler and the crash recovery.

use crate::envelope::Fail;
use crate::ops::to_col;
use crate::seam::{JMeterResult, RunKind, RunResult};
use pts_api::shapes::pts_scene_status::PtsSceneStatus;
use rusqlite::{Connection, OptionalExtension};

/// Ends run `id` of `kind` (if still active) at `end_ms` with `result`. Returns false if it
/// had already ended.
pub fn end_run(
    c: &Connection,
    kind: RunKind,
    id: &str,
    end_ms: i64,
    result: Option<RunResult>,
) -> Result<bool, Fail> {
    match kind {
        RunKind::PtsTest | RunKind::PtsDebug => end_plan(c, id, end_ms, result),
        RunKind::JMeterTest | RunKind::JMeterDebug => {
            let r = match result {
                Some(RunResult::JMeter(j)) => Some(j),
                _ => None,
            };
            end_report(c, id, end_ms, r)
        }
    }
}

/// Ends plan `plan_id` (if still active): end time, engine results, scene back to WaitStart.
fn end_plan(
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
        "UPDATE pts_scenes SET status = ?2 WHERE scene_id = ?1 AND status IN (?3, ?4)",
        (
            &scene,
            PtsSceneStatus::WaitStart.as_str(),
            PtsSceneStatus::Running.as_str(),
            PtsSceneStatus::Debugging.as_str(),
        ),
    )?;
    Ok(true)
}

/// Ends report `id` (if still active) with the engine's results.
fn end_report(
    c: &Connection,
    id: &str,
    end_ms: i64,
    result: Option<JMeterResult>,
) -> Result<bool, Fail> {
    let active: Option<bool> = c
        .query_row("SELECT active FROM jmeter_runs WHERE report_id = ?1", [id], |r| r.get(0))
        .optional()?;
    if active != Some(true) {
        return Ok(false);
    }
    let mut result = result;
    if let Some(r) = &mut result {
        for (i, (ts, log)) in std::mem::take(&mut r.sampling_logs).into_iter().enumerate() {
            c.execute("INSERT INTO jmeter_sampling_logs(report_id, seq, ts_ms, log) VALUES (?1, ?2, ?3, ?4)", (id, i as i64, ts, log))?;
        }
        for (i, (agent, ts, log)) in std::mem::take(&mut r.logs).into_iter().enumerate() {
            c.execute(
                "INSERT INTO jmeter_logs(report_id, agent_index, seq, ts_ms, log) VALUES (?1, ?2, ?3, ?4, ?5)",
                (id, agent, i as i64, ts, to_col(&log)?),
            )?;
        }
        for (ts, bucket) in std::mem::take(&mut r.sample_metrics) {
            c.execute(
                "INSERT OR REPLACE INTO jmeter_sample_metrics(report_id, ts_ms, bucket) VALUES (?1, ?2, ?3)",
                (id, ts, bucket),
            )?;
        }
    }
    let metrics = result.as_ref().map(to_col).transpose()?;
    c.execute(
        "UPDATE jmeter_runs SET active = 0, ended_ms = ?2, metrics = ?3 WHERE report_id = ?1",
        (id, end_ms, metrics),
    )?;
    Ok(true)
}
