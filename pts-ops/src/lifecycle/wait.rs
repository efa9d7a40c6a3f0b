//! Waiting for a PTS scene to run or stop, on pts-api's waiters, as the `status_polling`
//! object operators' scripts parse: `{timed_out, final_status, attempts, polls}`.

use crate::exit::{CliError, CliResult, ExitCode};
use crate::session::api_err;
use pts_api::shapes::pts_runtime_status::PtsRuntimeStatus;
use pts_api::waiter::{Observation, RunStage, WaitConfig, WaitError, WaitOutcome};
use serde::Serialize;
use serde_json::{Value, json};
use std::fmt::Display;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until<'a> {
    /// The run just started, named by the PlanId or ReportId its start returned, is
    /// `RUNNING` (pts-api's start rule: a previous run's `STOPPED` is waited through; the new
    /// run ending first is a failure).
    Started(&'a str),
    /// Runtime phase `STOPPED`.
    Stopped,
}

impl Until<'_> {
    /// The runtime status waited for.
    pub fn status(self) -> PtsRuntimeStatus {
        match self {
            Until::Started(_) => PtsRuntimeStatus::Running,
            Until::Stopped => PtsRuntimeStatus::Stopped,
        }
    }
}

/// The wait's record. A timeout is not an error here: `timed_out` says it, and the
/// command turns it into exit 5 after printing this.
#[derive(Debug, Clone, Serialize)]
pub struct StatusPolling {
    pub timed_out: bool,
    pub final_status: Option<String>,
    pub attempts: u32,
    /// One `{elapsed_s, status}` per poll, in order.
    pub polls: Vec<Value>,
}

/// How often a workflow without a `--poll-interval` of its own (`pts run`, `pts demo`, the
/// MCP tools) polls a run's status while it starts or stops.
pub const POLL: Duration = Duration::from_millis(250);

/// The waiters' settings for a fixed poll rate: the operator scripts poll every
/// `--poll-interval` seconds, without backoff.
pub fn config(poll_interval: Duration, max_wait: Duration) -> WaitConfig {
    WaitConfig::default()
        .timeout(max_wait)
        .poll_interval(poll_interval)
        .backoff(1.0)
        .max_interval(poll_interval)
}

/// Polls GetPtsSceneRunningStatus until `until`. `Err` on a failed poll or a failure state
/// (exit 1 naming the state); a timeout is `Ok` with `timed_out: true`.
pub async fn wait_pts(
    client: &pts_api::Client,
    scene_id: &str,
    until: Until<'_>,
    poll_interval: Duration,
    max_wait: Duration,
) -> CliResult<StatusPolling> {
    let cfg = config(poll_interval, max_wait);
    let context = format!("scene {scene_id} did not reach {}", until.status());
    let result = match until {
        Until::Started(plan_id) => client.wait_pts_run_started(scene_id, plan_id, &cfg).await,
        Until::Stopped => client.wait_pts_scene_stopped(scene_id, &cfg).await,
    };
    polling(result, &context)
}

/// Waits until the run of `plan_id` has begun, for the commands that watch it afterwards
/// (`pts run`, `pts demo`, the MCP `sla_run`): `RUNNING`, or a run so short it already
/// ended (the watch and the report take it from there). A timeout is exit 5.
pub async fn wait_begun(
    client: &pts_api::Client,
    scene_id: &str,
    plan_id: &str,
    poll_interval: Duration,
    max_wait: Duration,
) -> CliResult<StatusPolling> {
    let cfg = config(poll_interval, max_wait);
    let result = match client.wait_pts_run_started(scene_id, plan_id, &cfg).await {
        Err(WaitError::Failed {
            status: Some(status), observed, attempts, error: None, ..
        }) if RunStage::from(&status) == RunStage::Ending => {
            let polls = polls(&observed);
            return Ok(StatusPolling {
                timed_out: false,
                final_status: Some(status.to_string()),
                attempts,
                polls,
            });
        }
        other => other,
    };
    let p = polling(result, &format!("scene {scene_id} did not reach RUNNING"))?;
    if p.timed_out {
        return Err(timeout_error(scene_id, &p, max_wait));
    }
    Ok(p)
}

/// A waiter's result as [`StatusPolling`] (shared with the JMeter waits).
pub fn polling<S: Display, R>(
    result: Result<WaitOutcome<S, R>, WaitError<S>>,
    context: &str,
) -> CliResult<StatusPolling> {
    match result {
        Ok(out) => Ok(StatusPolling {
            timed_out: false,
            final_status: Some(out.final_status.to_string()),
            attempts: out.attempts,
            polls: polls(&out.observed),
        }),
        Err(WaitError::Timeout { observed, attempts, .. }) => Ok(StatusPolling {
            timed_out: true,
            final_status: observed.last().map(|o| o.status.to_string()),
            attempts,
            polls: polls(&observed),
        }),
        Err(e @ WaitError::Failed { .. }) => {
            Err(CliError::new(ExitCode::Service, format!("{context}: {e}")))
        }
        Err(WaitError::Call { error, .. }) => Err(api_err(error)),
    }
}

fn polls<S: Display>(observed: &[Observation<S>]) -> Vec<Value> {
    observed
        .iter()
        .map(|o| json!({"elapsed_s": (o.elapsed.as_secs_f64() * 10.0).round() / 10.0, "status": o.status.to_string()}))
        .collect()
}

/// Puts a finished wait into `doc["status_polling"]` and returns the error to report once
/// the document was printed: the wait's own failure, or exit 5 when it timed out.
pub fn record_wait(
    doc: &mut Value,
    scene_id: &str,
    waited: CliResult<StatusPolling>,
    max_wait: Duration,
) -> Option<CliError> {
    match waited {
        Ok(p) => {
            doc["status_polling"] = serde_json::to_value(&p).unwrap_or(Value::Null);
            p.timed_out.then(|| timeout_error(scene_id, &p, max_wait))
        }
        Err(e) => Some(e),
    }
}

/// Exit 5 for a wait that timed out, after the result was printed.
pub fn timeout_error(scene_id: &str, p: &StatusPolling, max_wait: Duration) -> CliError {
    CliError::new(
        ExitCode::WaitTimeout,
        format!(
            "scene {scene_id}: wait timed out after {} s and {} polls (last status {})",
            max_wait.as_secs_f64(),
            p.attempts,
            p.final_status.as_deref().unwrap_or("none")
        ),
    )
    .with_hint("raise --max-wait, or check the scene with `pts scene status ID`")
}
