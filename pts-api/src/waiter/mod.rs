//! Waiting for a scene or a report to reach a state.
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

mod config;
mod jmeter;
mod outcome;
mod poll;
mod pts;

pub use config::WaitConfig;
pub use outcome::{Observation, WaitError, WaitOutcome};
pub use pts::ReportStatus;

#[cfg(doc)]
use crate::client::Client;
