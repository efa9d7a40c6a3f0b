//! Waiting for a scene or a report to reach a state (pts-domain.md §2, §4).
//!
//! Each waiter polls one read operation (the client's read retries apply to every poll),
//! records every status it saw, and ends with success, a failure state, a failed call or a
//! timeout. Polls start at `poll_interval` apart and grow by `backoff` up to `max_interval`;
//! the last poll happens at the deadline.
//!
//! | Waiter | Polls | Success | Failure |
//! |---|---|---|---|
//! | [`Client::wait_pts_scene_running`] | GetPtsSceneRunningStatus | `RUNNING` | `STOPPING`/`STOPPED` before `RUNNING` was seen; `Success: false` |
//! | [`Client::wait_pts_scene_stopped`] | GetPtsSceneRunningStatus | `STOPPED` | `Success: false` |
//! | [`Client::wait_pts_report_ready`] | GetPtsSceneRunningData, then GetPtsReportDetails | the details call succeeds once `HasReport` is true | a failed call |
//! | [`Client::wait_jmeter_running`] | GetJMeterSceneRunningData | `RunningData.Status` `RUNNING` | `HasError: true`; `STOPPING`/`STOPPED` before `RUNNING`; `Success: false` |
//! | [`Client::wait_jmeter_stopped`] | GetJMeterSceneRunningData | `STOPPED` | `Success: false` |
//!
//! "Before RUNNING" is judged from the first poll on, so call a running-waiter after the
//! start call has returned: a scene that has not been started reads `STOPPED`.

use crate::client::{Client, Output};
use crate::error::Error;
use crate::ops::get_jmeter_scene_running_data::{
    GetJMeterSceneRunningData, GetJMeterSceneRunningDataRequest, GetJMeterSceneRunningDataResponse,
};
use crate::ops::get_pts_report_details::{
    GetPtsReportDetails, GetPtsReportDetailsRequest, GetPtsReportDetailsResponse,
};
use crate::ops::get_pts_scene_running_data::{
    GetPtsSceneRunningData, GetPtsSceneRunningDataRequest,
};
use crate::ops::get_pts_scene_running_status::{
    GetPtsSceneRunningStatus, GetPtsSceneRunningStatusRequest, GetPtsSceneRunningStatusResponse,
};
use crate::shapes::jmeter_scene_status::JMeterSceneStatus;
use crate::shapes::pts_runtime_status::PtsRuntimeStatus;
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// How long and how often to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitConfig {
    /// Give up after this long (default 10 minutes).
    pub timeout: Duration,
    /// The first wait between polls (default 2 s).
    pub poll_interval: Duration,
    /// Each wait is the previous one times this (default 1.5; 1.0 polls at a fixed rate).
    pub backoff: f64,
    /// The longest wait between polls (default 15 s).
    pub max_interval: Duration,
}

impl Default for WaitConfig {
    fn default() -> Self {
        WaitConfig {
            timeout: Duration::from_secs(600),
            poll_interval: Duration::from_secs(2),
            backoff: 1.5,
            max_interval: Duration::from_secs(15),
        }
    }
}

impl WaitConfig {
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = d;
        self
    }
    pub fn backoff(mut self, factor: f64) -> Self {
        self.backoff = factor;
        self
    }
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }

    fn next_interval(&self, current: Duration) -> Duration {
        let factor =
            if self.backoff.is_finite() && self.backoff >= 1.0 { self.backoff } else { 1.0 };
        current.mul_f64(factor).min(self.max_interval.max(self.poll_interval))
    }
}

/// One poll's result: when (since the wait began) and what status.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation<S> {
    pub elapsed: Duration,
    pub status: S,
}

/// A wait that reached its target.
#[derive(Debug, Clone)]
pub struct WaitOutcome<S, R> {
    pub final_status: S,
    /// Every poll's status, in order.
    pub observed: Vec<Observation<S>>,
    /// Polls made.
    pub attempts: u32,
    pub elapsed: Duration,
    /// The response of the last poll (the report details for [`Client::wait_pts_report_ready`]).
    pub response: Output<R>,
}

/// Why a wait ended without reaching its target.
#[derive(Debug)]
pub enum WaitError<S> {
    /// The deadline passed.
    Timeout { waited: Duration, observed: Vec<Observation<S>>, attempts: u32 },
    /// A failure state, or a poll answered `Success: false`.
    Failed {
        /// The status that ended the wait (the last one seen for `Success: false`).
        status: Option<S>,
        reason: String,
        observed: Vec<Observation<S>>,
        attempts: u32,
        /// The `Success: false` error, when that is what ended the wait.
        error: Option<Box<Error>>,
    },
    /// A poll failed (after the client's retries).
    Call { error: Error, observed: Vec<Observation<S>>, attempts: u32 },
}

impl<S> WaitError<S> {
    pub fn observed(&self) -> &[Observation<S>] {
        match self {
            WaitError::Timeout { observed, .. }
            | WaitError::Failed { observed, .. }
            | WaitError::Call { observed, .. } => observed,
        }
    }
    pub fn attempts(&self) -> u32 {
        match self {
            WaitError::Timeout { attempts, .. }
            | WaitError::Failed { attempts, .. }
            | WaitError::Call { attempts, .. } => *attempts,
        }
    }
}

fn fmt_observed<S: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    observed: &[Observation<S>],
) -> fmt::Result {
    if observed.is_empty() {
        return Ok(());
    }
    f.write_str("; seen: ")?;
    // Consecutive repeats are folded: `CREATED, SYNCING x3, RUNNING`.
    let mut i = 0;
    let mut first = true;
    while i < observed.len() {
        let text = observed[i].status.to_string();
        let mut j = i + 1;
        while j < observed.len() && observed[j].status.to_string() == text {
            j += 1;
        }
        if !first {
            f.write_str(", ")?;
        }
        first = false;
        f.write_str(if text.is_empty() { "<none>" } else { &text })?;
        if j - i > 1 {
            write!(f, " x{}", j - i)?;
        }
        i = j;
    }
    Ok(())
}

impl<S: fmt::Display> fmt::Display for WaitError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout { waited, observed, attempts } => {
                write!(f, "timed out after {:.1} s and {attempts} polls", waited.as_secs_f64())?;
                fmt_observed(f, observed)
            }
            WaitError::Failed { status, reason, observed, .. } => {
                match status {
                    Some(s) => write!(f, "failed in state {s}: {reason}")?,
                    None => write!(f, "failed: {reason}")?,
                }
                fmt_observed(f, observed)
            }
            WaitError::Call { error, observed, .. } => {
                write!(f, "polling failed: {error}")?;
                fmt_observed(f, observed)
            }
        }
    }
}

impl<S: fmt::Debug + fmt::Display> std::error::Error for WaitError<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call { error, .. } => Some(error),
            WaitError::Failed { error: Some(e), .. } => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// What a poll's status means for the wait.
enum Verdict {
    Done,
    Continue,
    Fail(String),
}

/// Polls until `judge` says done or fail, or the deadline passes, in a `pts_wait` span.
async fn poll_until<S, R, P, Fut, J>(
    config: &WaitConfig,
    what: &'static str,
    poll: P,
    judge: J,
) -> Result<WaitOutcome<S, R>, WaitError<S>>
where
    S: Clone + fmt::Display,
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<(S, Output<R>), Error>>,
    J: FnMut(&S, &Output<R>, &[Observation<S>]) -> Verdict,
{
    let span = tracing::info_span!("pts_wait", waiter = what);
    poll_loop(config, what, poll, judge).instrument(span).await
}

async fn poll_loop<S, R, P, Fut, J>(
    config: &WaitConfig,
    what: &'static str,
    mut poll: P,
    mut judge: J,
) -> Result<WaitOutcome<S, R>, WaitError<S>>
where
    S: Clone + fmt::Display,
    P: FnMut() -> Fut,
    Fut: Future<Output = Result<(S, Output<R>), Error>>,
    J: FnMut(&S, &Output<R>, &[Observation<S>]) -> Verdict,
{
    let start = Instant::now();
    let deadline = start + config.timeout;
    let mut interval = config.poll_interval;
    let mut observed: Vec<Observation<S>> = Vec::new();
    let mut attempts: u32 = 0;
    loop {
        attempts += 1;
        let polled = match tokio::time::timeout_at(deadline.max(Instant::now()), poll()).await {
            Ok(r) => r,
            Err(_) => {
                return Err(WaitError::Timeout { waited: start.elapsed(), observed, attempts });
            }
        };
        match polled {
            Ok((status, response)) => {
                tracing::debug!(waiter = what, attempt = attempts, status = %status, "polled");
                let verdict = judge(&status, &response, &observed);
                observed.push(Observation { elapsed: start.elapsed(), status: status.clone() });
                match verdict {
                    Verdict::Done => {
                        return Ok(WaitOutcome {
                            final_status: status,
                            observed,
                            attempts,
                            elapsed: start.elapsed(),
                            response,
                        });
                    }
                    Verdict::Fail(reason) => {
                        return Err(WaitError::Failed {
                            status: Some(status),
                            reason,
                            observed,
                            attempts,
                            error: None,
                        });
                    }
                    Verdict::Continue => {}
                }
            }
            Err(Error::Api(api)) => {
                let status = observed.last().map(|o| o.status.clone());
                let error = Error::Api(api);
                return Err(WaitError::Failed {
                    status,
                    reason: error.to_string(),
                    observed,
                    attempts,
                    error: Some(Box::new(error)),
                });
            }
            Err(error) => return Err(WaitError::Call { error, observed, attempts }),
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(WaitError::Timeout { waited: start.elapsed(), observed, attempts });
        }
        tokio::time::sleep_until((now + interval).min(deadline)).await;
        interval = config.next_interval(interval);
    }
}

/// Readiness of a PTS report, as [`Client::wait_pts_report_ready`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportStatus {
    /// Running data says `HasReport: false` (the plan is still running or being summarized).
    NoReport,
    /// `HasReport: true`, but GetPtsReportDetails failed with the given code.
    Pending(String),
    /// GetPtsReportDetails succeeded.
    Ready,
}

impl fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportStatus::NoReport => f.write_str("NO_REPORT"),
            ReportStatus::Pending(code) => write!(f, "PENDING({code})"),
            ReportStatus::Ready => f.write_str("READY"),
        }
    }
}

fn jmeter_status(r: &GetJMeterSceneRunningDataResponse) -> JMeterSceneStatus {
    r.running_data
        .as_ref()
        .and_then(|d| d.status.clone())
        .unwrap_or_else(|| JMeterSceneStatus::Unknown(String::new()))
}

impl Client {
    async fn pts_running_status(
        &self,
        scene_id: &str,
    ) -> Result<(PtsRuntimeStatus, Output<GetPtsSceneRunningStatusResponse>), Error> {
        let req = GetPtsSceneRunningStatusRequest { scene_id: scene_id.to_string() };
        let out = self.send::<GetPtsSceneRunningStatus>(req).await?;
        let status =
            out.body.status.clone().unwrap_or_else(|| PtsRuntimeStatus::Unknown(String::new()));
        Ok((status, out))
    }

    async fn jmeter_running_data(
        &self,
        scene_id: &str,
    ) -> Result<(JMeterSceneStatus, Output<GetJMeterSceneRunningDataResponse>), Error> {
        let req = GetJMeterSceneRunningDataRequest { scene_id: scene_id.to_string() };
        let out = self.send::<GetJMeterSceneRunningData>(req).await?;
        Ok((jmeter_status(&out.body), out))
    }

    /// Waits until the PTS scene's runtime phase is `RUNNING` (after StartPtsScene).
    /// Fails on `STOPPING`/`STOPPED` before `RUNNING`, and on `Success: false`.
    pub async fn wait_pts_scene_running(
        &self,
        scene_id: &str,
        config: &WaitConfig,
    ) -> Result<
        WaitOutcome<PtsRuntimeStatus, GetPtsSceneRunningStatusResponse>,
        WaitError<PtsRuntimeStatus>,
    > {
        poll_until(
            config,
            "pts_scene_running",
            || self.pts_running_status(scene_id),
            |status, _, _| match status {
                PtsRuntimeStatus::Running => Verdict::Done,
                PtsRuntimeStatus::Stopping | PtsRuntimeStatus::Stopped => {
                    Verdict::Fail("the scene stopped before it was seen RUNNING".to_string())
                }
                _ => Verdict::Continue,
            },
        )
        .await
    }

    /// Waits until the PTS scene's runtime phase is `STOPPED` (after StopPtsScene or the end
    /// of `MaxRunningTime`).
    pub async fn wait_pts_scene_stopped(
        &self,
        scene_id: &str,
        config: &WaitConfig,
    ) -> Result<
        WaitOutcome<PtsRuntimeStatus, GetPtsSceneRunningStatusResponse>,
        WaitError<PtsRuntimeStatus>,
    > {
        poll_until(
            config,
            "pts_scene_stopped",
            || self.pts_running_status(scene_id),
            |status, _, _| match status {
                PtsRuntimeStatus::Stopped => Verdict::Done,
                _ => Verdict::Continue,
            },
        )
        .await
    }

    /// Waits until the report of plan `plan_id` can be read: polls GetPtsSceneRunningData
    /// until `HasReport` is true, then GetPtsReportDetails until it succeeds, and returns the
    /// details. If the running data cannot be read (the plan has aged out of it), the details
    /// are tried directly; when they fail too, the running-data error ends the wait.
    pub async fn wait_pts_report_ready(
        &self,
        scene_id: &str,
        plan_id: &str,
        config: &WaitConfig,
    ) -> Result<WaitOutcome<ReportStatus, GetPtsReportDetailsResponse>, WaitError<ReportStatus>>
    {
        let details = || async {
            let req = GetPtsReportDetailsRequest {
                plan_id: plan_id.to_string(),
                scene_id: scene_id.to_string(),
            };
            self.send::<GetPtsReportDetails>(req).await
        };
        let poll = || async {
            let req = GetPtsSceneRunningDataRequest {
                plan_id: plan_id.to_string(),
                scene_id: scene_id.to_string(),
            };
            let has_report = match self.send::<GetPtsSceneRunningData>(req).await {
                Ok(out) => out.body.has_report == Some(true),
                Err(e @ (Error::Service(_) | Error::Api(_))) => {
                    return match details().await {
                        Ok(out) => Ok((ReportStatus::Ready, out)),
                        Err(_) => Err(e),
                    };
                }
                Err(e) => return Err(e),
            };
            if !has_report {
                return Ok((ReportStatus::NoReport, empty_output()));
            }
            match details().await {
                Ok(out) => Ok((ReportStatus::Ready, out)),
                Err(e @ (Error::Service(_) | Error::Api(_))) => {
                    let code = e.code().unwrap_or("error").to_string();
                    Ok((ReportStatus::Pending(code), empty_output()))
                }
                Err(e) => Err(e),
            }
        };
        poll_until(config, "pts_report_ready", poll, |status, _, _| match status {
            ReportStatus::Ready => Verdict::Done,
            _ => Verdict::Continue,
        })
        .await
    }

    /// Waits until the JMeter scene's `RunningData.Status` is `RUNNING` (after
    /// StartTestingJMeterScene or StartDebuggingJMeterScene). Fails when `HasError` is true
    /// (with `ErrorMessage`), on `STOPPING`/`STOPPED` before `RUNNING`, and on `Success: false`.
    pub async fn wait_jmeter_running(
        &self,
        scene_id: &str,
        config: &WaitConfig,
    ) -> Result<
        WaitOutcome<JMeterSceneStatus, GetJMeterSceneRunningDataResponse>,
        WaitError<JMeterSceneStatus>,
    > {
        poll_until(
            config,
            "jmeter_running",
            || self.jmeter_running_data(scene_id),
            |status, out, _| {
                let data = out.body.running_data.as_ref();
                if data.and_then(|d| d.has_error) == Some(true) {
                    let msg = data.and_then(|d| d.error_message.clone()).unwrap_or_default();
                    return Verdict::Fail(if msg.is_empty() {
                        "the scene reports HasError".to_string()
                    } else {
                        format!("the scene reports an error: {msg}")
                    });
                }
                match status {
                    JMeterSceneStatus::Running => Verdict::Done,
                    JMeterSceneStatus::Stopping | JMeterSceneStatus::Stopped => {
                        Verdict::Fail("the scene stopped before it was seen RUNNING".to_string())
                    }
                    _ => Verdict::Continue,
                }
            },
        )
        .await
    }

    /// Waits until the JMeter scene's `RunningData.Status` is `STOPPED`.
    pub async fn wait_jmeter_stopped(
        &self,
        scene_id: &str,
        config: &WaitConfig,
    ) -> Result<
        WaitOutcome<JMeterSceneStatus, GetJMeterSceneRunningDataResponse>,
        WaitError<JMeterSceneStatus>,
    > {
        poll_until(
            config,
            "jmeter_stopped",
            || self.jmeter_running_data(scene_id),
            |status, _, _| match status {
                JMeterSceneStatus::Stopped => Verdict::Done,
                _ => Verdict::Continue,
            },
        )
        .await
    }
}

/// A placeholder response for polls whose status came from another call.
fn empty_output() -> Output<GetPtsReportDetailsResponse> {
    Output {
        body: GetPtsReportDetailsResponse::default(),
        request_id: None,
        status: 0,
        headers: Default::default(),
        attempts: 0,
    }
}
