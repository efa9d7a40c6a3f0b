//! The scene lifecycle as library functions, shared by `pts scene`, `pts jmeter`, `pts run`
//! and the MCP server: read-only pre-flight, start/stop with the plan id, waits built on
//! pts-api's waiters, proof that load flows, and check-then-act create/modify.
//!
//! Every call a mutating function makes is recorded in the caller's [`Evidence`]; the
//! confirmation gate stays with the caller (it knows the terminal and the flags).
//!
//! [`Evidence`]: crate::evidence::Evidence

mod apply;
mod call;
mod debug;
mod delete;
mod identify;
mod jmeter;
mod jmeter_debug;
mod jmeter_files;
mod kind;
mod listing;
mod preflight;
mod speed;
mod start_stop;
mod status;
mod verify;
mod wait;

pub use apply::{Applied, apply_pts, get_pts, invalid, plan_apply_pts};
pub use call::{raw as call_raw, read, recorded};
pub use identify::{Match, MatchedBy};

/// Local JMX/CSV files of JMeter scenes.
pub mod files {
    pub use super::jmeter_files::resolve;
}
pub use debug::{DebugRun, debug_pts};
pub use delete::{Deleted, delete_after_run, delete_scene};
pub use jmeter::{
    JmeterApplied, JmeterStarted, apply_jmeter, get_jmeter, jmeter_status, plan_apply_jmeter,
    preflight_jmeter, start_jmeter, stop_jmeter, verify_jmeter_flowing, wait_jmeter,
};
pub use jmeter_debug::{JmeterDebugRun, debug_jmeter, latest_report, sampling_logs};
pub use jmeter_files::{FileTarget, LocalFile, local_address};
pub use kind::Kind as SceneKind;
pub use listing::{all_jmeter, all_pts, jmeter_page, latest_plan_id, pts_page};
pub use preflight::{Check, Preflight, preflight_pts, stoppable_pts, vum_estimate};
pub use speed::{SpeedChange, adjust_jmeter, adjust_pts, plan_adjust_pts};
pub use start_stop::{Started, start_pts, stop_pts};
pub use status::{busy_jmeter, busy_runtime, busy_scene, now_rfc3339};
pub use verify::{Verification, verify_flowing};
pub use wait::{POLL, StatusPolling, Until, record_wait, timeout_error, wait_begun, wait_pts};
