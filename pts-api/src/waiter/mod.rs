//! Waiting for a scene or a report to reach a state.
//!
//! Each waiter polls one read operation (the client's read retries apply to every poll),
//! records every status it saw, and ends with success, a failure state, a failed call or a
//! timeout. Polls start at `poll_interval` apart and grow by `backoff` up to `max_interval`;
//! the last poll happens at the deadline.
//!
//! | Waiter | Polls | Success | Failure |
//! |---|---|---|---|
//! | [`Client::wait_pts_run_started`] | GetPtsSceneRunningStatus (and the plan's GetPtsSceneRunningData when a status may be stale) | `RUNNING` | the new run ended before `RUNNING` was seen; `Success: false` |
//! | [`Client::wait_pts_scene_stopped`] | GetPtsSceneRunningStatus | `STOPPED` | `Success: false` |
//! | [`Client::wait_pts_report_ready`] | GetPtsSceneRunningData, then GetPtsReportDetails | the details call succeeds once `HasReport` is true | a failed call |
//! | [`Client::wait_jmeter_run_started`] | GetJMeterSceneRunningData | `RunningData.Status` `RUNNING` of the new `ReportId` | `HasError: true`; the new run ended before `RUNNING`; `Success: false` |
//! | [`Client::wait_jmeter_stopped`] | GetJMeterSceneRunningData | `STOPPED` | `Success: false` |
//!
//! The start waiters take the id the start returned and share one rule ([`StartRule`]): a
//! `STOPPED` left by the previous run is never taken for the end of the new one.

mod config;
mod jmeter;
mod outcome;
mod poll;
mod pts;
mod start;

pub use config::WaitConfig;
pub use outcome::{Observation, WaitError, WaitOutcome};
pub use pts::ReportStatus;
pub use start::{RunStage, StartRule, StartStep};

#[cfg(doc)]
use crate::client::Client;
