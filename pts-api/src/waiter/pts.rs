//! Waiters on PTS scenes: runtime status and report readiness.

use super::config::WaitConfig;
use super::outcome::{WaitError, WaitOutcome};
use super::poll::{Verdict, poll_until};
use super::start::{RunStage, StartRule, StartStep};
use crate::client::{Client, Output};
use crate::error::Error;
use crate::generated::operations::get_pts_report_details::{
    GetPtsReportDetails, GetPtsReportDetailsRequest, GetPtsReportDetailsResponse,
};
use crate::generated::operations::get_pts_scene_running_data::{
    GetPtsSceneRunningData, GetPtsSceneRunningDataRequest,
};
use crate::generated::operations::get_pts_scene_running_status::{
    GetPtsSceneRunningStatus, GetPtsSceneRunningStatusRequest, GetPtsSceneRunningStatusResponse,
};
use crate::generated::shapes::pts_runtime_status::PtsRuntimeStatus;
use std::fmt;
use std::sync::{Mutex, MutexGuard};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A start wait's verdict on a [`StartStep`].
pub(super) fn start_verdict(step: StartStep) -> Verdict {
    match step {
        StartStep::Running => Verdict::Done,
        StartStep::Ended => Verdict::Fail("the run ended before it was seen RUNNING".to_string()),
        StartStep::Wait | StartStep::AskPlan => Verdict::Continue,
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

    /// Waits until the run of plan `plan_id`, just started on `scene_id` by StartPtsScene, is
    /// `RUNNING`. Polls GetPtsSceneRunningStatus; an ending status that may be the previous
    /// run's is checked against the plan's running data (see [`StartRule`]), so a stale
    /// `STOPPED` is waited through. Fails when the new run ended before it was seen
    /// `RUNNING`, and on `Success: false`.
    pub async fn wait_pts_run_started(
        &self,
        scene_id: &str,
        plan_id: &str,
        config: &WaitConfig,
    ) -> Result<
        WaitOutcome<PtsRuntimeStatus, GetPtsSceneRunningStatusResponse>,
        WaitError<PtsRuntimeStatus>,
    > {
        let rule = Mutex::new(StartRule::default());
        let step = Mutex::new(StartStep::Wait);
        let poll = || async {
            let (status, out) = self.pts_running_status(scene_id).await?;
            let mut s = lock(&rule).step(RunStage::from(&status), None);
            if s == StartStep::AskPlan {
                let ended = self.pts_plan_has_report(scene_id, plan_id).await?;
                s = lock(&rule).plan_ended(ended);
            }
            *lock(&step) = s;
            Ok((status, out))
        };
        poll_until(config, "pts_run_started", poll, |_, _, _| start_verdict(*lock(&step))).await
    }

    /// Whether plan `plan_id` has ended with a report. A plan the service does not show yet
    /// has not.
    async fn pts_plan_has_report(&self, scene_id: &str, plan_id: &str) -> Result<bool, Error> {
        let req = GetPtsSceneRunningDataRequest {
            plan_id: plan_id.to_string(),
            scene_id: scene_id.to_string(),
        };
        match self.send::<GetPtsSceneRunningData>(req).await {
            Ok(out) => Ok(out.body.has_report == Some(true)),
            Err(Error::Service(_) | Error::Api(_)) => Ok(false),
            Err(e) => Err(e),
        }
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
