//! The one rule for "has the run I just started begun?", shared by the PTS and JMeter
//! start waiters.
//!
//! Right after a start the scene may still read the previous run's `STOPPED`: a status call
//! can be answered before the new run is visible. A status counts for the new run when the
//! service says it is the new run's (JMeter's running data carries the `ReportId`), when it
//! is a phase only a live run has (pre-run phases, `RUNNING`), or, for an ending status with
//! nothing else to go by, when the new plan has already ended (its running data says
//! `HasReport`). Anything else is the previous run's and the wait goes on.

use crate::generated::shapes::jmeter_scene_status::JMeterSceneStatus;
use crate::generated::shapes::pts_runtime_status::PtsRuntimeStatus;

/// Where a status puts a run, whatever the status set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStage {
    /// Created, syncing, preparing, starting...: the new run exists and has not begun.
    Before,
    /// Load flows.
    Running,
    /// Stopping or stopped.
    Ending,
    /// A status this client does not know.
    Unknown,
}

impl From<&PtsRuntimeStatus> for RunStage {
    fn from(s: &PtsRuntimeStatus) -> Self {
        use PtsRuntimeStatus::*;
        match s {
            Created | Syncing | SyncDone | Uploading | Uploaded | Preparing | Ready => {
                RunStage::Before
            }
            Running => RunStage::Running,
            Stopping | Stopped => RunStage::Ending,
            Unknown(_) => RunStage::Unknown,
        }
    }
}

impl From<&JMeterSceneStatus> for RunStage {
    fn from(s: &JMeterSceneStatus) -> Self {
        use JMeterSceneStatus::*;
        match s {
            Preparing | Prepared | Starting => RunStage::Before,
            Running => RunStage::Running,
            Stopping | Stopped => RunStage::Ending,
            Unknown(_) => RunStage::Unknown,
        }
    }
}

/// What one poll means for a start wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartStep {
    /// The new run is `RUNNING`.
    Running,
    /// The new run ended before it was seen running.
    Ended,
    /// Not yet (the new run is preparing, or the status is the previous run's).
    Wait,
    /// An ending status that may be the previous run's: ask whether the new plan has ended
    /// and pass the answer to [`StartRule::plan_ended`].
    AskPlan,
}

/// The start rule's memory across polls.
#[derive(Debug, Clone, Default)]
pub struct StartRule {
    new_run_seen: bool,
}

impl StartRule {
    /// Judges one poll. `ours`: whether the service says the status is the new run's
    /// (`None` when the answer names no run).
    pub fn step(&mut self, stage: RunStage, ours: Option<bool>) -> StartStep {
        if ours == Some(false) {
            return StartStep::Wait;
        }
        match stage {
            RunStage::Running => StartStep::Running,
            RunStage::Before => {
                self.new_run_seen = true;
                StartStep::Wait
            }
            RunStage::Ending if self.new_run_seen || ours == Some(true) => StartStep::Ended,
            RunStage::Ending => StartStep::AskPlan,
            RunStage::Unknown => StartStep::Wait,
        }
    }

    /// The answer to [`StartStep::AskPlan`]: the new plan has ended (its end is what the
    /// status showed), or not (the status was the previous run's).
    pub fn plan_ended(&mut self, ended: bool) -> StartStep {
        if ended {
            self.new_run_seen = true;
            StartStep::Ended
        } else {
            StartStep::Wait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PtsRuntimeStatus as S;

    /// Feeds `(status, the plan's HasReport when asked)` polls through the rule; returns the
    /// step that ended the wait and how many polls it took.
    fn script(polls: &[(PtsRuntimeStatus, bool)]) -> (StartStep, usize) {
        let mut rule = StartRule::default();
        for (i, (status, has_report)) in polls.iter().enumerate() {
            let step = match rule.step(RunStage::from(status), None) {
                StartStep::AskPlan => rule.plan_ended(*has_report),
                s => s,
            };
            if step != StartStep::Wait {
                return (step, i + 1);
            }
        }
        (StartStep::Wait, polls.len())
    }

    #[test]
    fn a_stale_stopped_is_never_the_new_run() {
        // The previous run's STOPPED (the new plan has no report), then the new run.
        let polls =
            [(S::Stopped, false), (S::Stopped, false), (S::Preparing, false), (S::Running, false)];
        assert_eq!(script(&polls), (StartStep::Running, 4));
        // Only ever the old STOPPED: the wait goes on (and times out), never "ended".
        let stale = vec![(S::Stopped, false); 5];
        assert_eq!(script(&stale), (StartStep::Wait, 5));
    }

    #[test]
    fn the_new_runs_end_is_recognised() {
        // Seen preparing, then stopping: the new run ended before RUNNING.
        let polls = [(S::Created, false), (S::Preparing, false), (S::Stopping, false)];
        assert_eq!(script(&polls), (StartStep::Ended, 3));
        // A run so short that only its STOPPED is seen: its plan has a report.
        assert_eq!(script(&[(S::Stopped, true)]), (StartStep::Ended, 1));
        // Unknown statuses are waited through.
        let polls = [(S::Unknown("WARMING".into()), false), (S::Running, false)];
        assert_eq!(script(&polls), (StartStep::Running, 2));
    }

    #[test]
    fn a_status_named_for_another_run_is_ignored() {
        let mut rule = StartRule::default();
        let stopped = RunStage::from(&JMeterSceneStatus::Stopped);
        assert_eq!(rule.step(stopped, Some(false)), StartStep::Wait, "the previous report");
        assert_eq!(rule.step(RunStage::Running, Some(false)), StartStep::Wait);
        assert_eq!(rule.step(stopped, Some(true)), StartStep::Ended, "this report");
    }
}
