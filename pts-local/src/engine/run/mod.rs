//! Running a compiled plan: worker threads, virtual users, load control, stop, reports.

mod handle;
mod notes;
mod report;
mod schedule;
mod shared;
mod worker_thread;
mod workers;

pub use super::lifecycle::RunPhase;
pub use handle::RunHandle;
pub(crate) use handle::launch;
pub use worker_thread::pin_current_thread;

pub use report::{
    AdjustTarget, ApiInfo, ApiLive, ApiReport, RunReport, RunSnapshot, Speed, StopReason,
};
