//! Waiters on JMeter scenes: the run just started is running, or the scene is stopped.

use super::config::WaitConfig;
use super::outcome::{WaitError, WaitOutcome};
use super::poll::{Verdict, poll_until};
use super::pts::start_verdict;
use super::start::{RunStage, StartRule};
use crate::client::{Client, Output};
use crate::error::Error;
use crate::generated::operations::get_jmeter_scene_running_data::{
    GetJMeterSceneRunningData, GetJMeterSceneRunningDataRequest, GetJMeterSceneRunningDataResponse,
};
use crate::generated::shapes::jmeter_scene_status::JMeterSceneStatus;

fn jmeter_status(r: &GetJMeterSceneRunningDataResponse) -> JMeterSceneStatus {
    r.running_data
        .as_ref()
        .and_then(|d| d.status.clone())
        .unwrap_or_else(|| JMeterSceneStatus::Unknown(String::new()))
}

impl Client {
    async fn jmeter_running_data(
        &self,
        scene_id: &str,
    ) -> Result<(JMeterSceneStatus, Output<GetJMeterSceneRunningDataResponse>), Error> {
        let req = GetJMeterSceneRunningDataRequest { scene_id: scene_id.to_string() };
        let out = self.send::<GetJMeterSceneRunningData>(req).await?;
        Ok((jmeter_status(&out.body), out))
    }

    /// Waits until the run `report_id`, just started on `scene_id` by StartTestingJMeterScene
    /// or StartDebuggingJMeterScene, is `RUNNING`. A status whose `ReportId` is another run's
    /// is the previous run's and is waited through ([`StartRule`]). Fails when `HasError` is
    /// true (with `ErrorMessage`), when the new run ended before it was seen `RUNNING`, and
    /// on `Success: false`.
    pub async fn wait_jmeter_run_started(
        &self,
        scene_id: &str,
        report_id: &str,
        config: &WaitConfig,
    ) -> Result<
        WaitOutcome<JMeterSceneStatus, GetJMeterSceneRunningDataResponse>,
        WaitError<JMeterSceneStatus>,
    > {
        let mut rule = StartRule::default();
        poll_until(
            config,
            "jmeter_run_started",
            || self.jmeter_running_data(scene_id),
            |status, out, _| {
                let data = out.body.running_data.as_ref();
                let ours = data.and_then(|d| d.report_id.as_deref()).map(|r| r == report_id);
                if ours != Some(false) && data.and_then(|d| d.has_error) == Some(true) {
                    let msg = data.and_then(|d| d.error_message.clone()).unwrap_or_default();
                    return Verdict::Fail(if msg.is_empty() {
                        "the scene reports HasError".to_string()
                    } else {
                        format!("the scene reports an error: {msg}")
                    });
                }
                // The answer names its run, so the plan never needs asking.
                start_verdict(rule.step(RunStage::from(status), ours))
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
