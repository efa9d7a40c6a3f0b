//! Waiting for a PTS scene to run or stop, on pts-api's waiters, as the `status_polling`
//! object operators' scripts parse: `{timed_out, final_status, attempts, polls}`.

use crate::exit::{CliError, CliResult, ExitCode};
use crate::session::api_err;
use pts_api::waiter::{Observation, WaitConfig, WaitError, WaitOutcome};
use serde::Serialize;
use serde_json::{Value, json};
use std::fmt::Display;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Runtime phase `RUNNING` (fails fast on `STOPPING`/`STOPPED` after the start).
    Running,
    /// Runtime phase `STOPPED`.
    Stopped,
}

impl Until {
    /// The runtime status waited for.
    pub fn status(self) -> &'static str {
        match self {
            Until::Running => "RUNNING",
            Until::Stopped => "STOPPED",
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
    until: Until,
    poll_interval: Duration,
    max_wait: Duration,
) -> CliResult<StatusPolling> {
    let cfg = config(poll_interval, max_wait);
    let context = format!("scene {scene_id} did not reach {}", until.status());
    if until == Until::Stopped {
        return polling(client.wait_pts_scene_stopped(scene_id, &cfg).await, &context);
    }
    // The waiter fails on STOPPED from its first poll. Right after a start the service may
    // still show the previous run's STOPPED; fail fast only once a pre-run phase was seen
    // or after a few polls that never showed the new run.
    let began = Instant::now();
    let mut earlier: Vec<Value> = Vec::new();
    let mut attempts = 0;
    loop {
        let offset = began.elapsed();
        let left = max_wait.saturating_sub(offset);
        let r = client.wait_pts_scene_running(scene_id, &config(poll_interval, left)).await;
        if let Err(WaitError::Failed { observed, error: None, attempts: n, .. }) = &r
            && observed.iter().all(|o| is_idle(&o.status.to_string()))
            && attempts + n < START_GRACE_POLLS
            && began.elapsed() + poll_interval < max_wait
        {
            attempts += n;
            earlier.extend(polls_at(observed, offset));
            tokio::time::sleep(poll_interval).await;
            continue;
        }
        let mut p = polling(r, &context)?;
        p.attempts += attempts;
        let later = std::mem::take(&mut p.polls);
        p.polls = earlier;
        p.polls.extend(later.into_iter().map(|mut v| {
            let e = v["elapsed_s"].as_f64().unwrap_or(0.0) + offset.as_secs_f64();
            v["elapsed_s"] = json!((e * 10.0).round() / 10.0);
            v
        }));
        return Ok(p);
    }
}

/// Polls of STOPPED without a pre-run phase tolerated after a start (see [`wait_pts`]).
const START_GRACE_POLLS: u32 = 3;

fn is_idle(status: &str) -> bool {
    matches!(status, "STOPPED" | "STOPPING" | "")
}

fn polls_at<S: Display>(observed: &[Observation<S>], offset: Duration) -> Vec<Value> {
    let mut v = polls(observed);
    for p in &mut v {
        let e = p["elapsed_s"].as_f64().unwrap_or(0.0) + offset.as_secs_f64();
        p["elapsed_s"] = json!((e * 10.0).round() / 10.0);
    }
    v
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
