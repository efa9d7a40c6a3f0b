//! `pts scene ...`: the PTS scene lifecycle. Reads (`list`, `get`, `export`, `status`,
//! `validate`) send nothing that changes state; every mutation runs its read-only checks
//! first, then the confirmation gate, and writes an evidence directory. The work itself is
//! in [`pts_ops::lifecycle`], shared with `pts run` and the MCP server.

mod apply;
mod delete;
pub mod file_args;
mod read;
mod speed;
mod start;
mod steps;

pub use steps::{
    announce, apply_action, conclude, conclude_apply, emit_text, failed, preflight_refusal,
    show_checks, show_evidence, unchanged,
};

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Subcommand)]
pub enum SceneCommand {
    /// List scenes (all pages unless --page-number is given)
    List(read::ListArgs),
    /// Show one scene as stored (GetPtsScene)
    Get { scene_id: String },
    /// Print a scene as a file `pts scene apply -f` accepts
    Export {
        scene_id: String,
        /// yaml or json
        #[arg(long, default_value = "yaml", value_parser = ["yaml", "json"])]
        format: String,
    },
    /// Check a scene file offline: every rule, unknown keys, load sanity (nothing is sent)
    Validate { file: PathBuf },
    /// Create or update a scene from a file (SavePtsScene), after showing the diff; nothing is
    /// sent when the service already matches
    Apply(file_args::SceneFileArgs),
    /// Delete scenes; a running one is stopped first only with confirmation
    Delete(delete::DeleteArgs),
    /// Start a scene after a read-only pre-flight; prints the PlanId and checks that load flows
    Start(start::StartArgs),
    /// Stop a running scene (StopPtsScene)
    Stop {
        scene_id: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Debug a scene: start a debug, print its sample logs, stop it with its PlanId
    Debug {
        scene_id: String,
        #[command(flatten)]
        timing: DebugArgs,
    },
    /// Change a running scene's load (concurrency: per relation; RPS: per API)
    Adjust(speed::AdjustArgs),
    /// Runtime status of a scene (GetPtsSceneRunningStatus) and its scene status
    Status { scene_id: String },
    /// Live view of a running scene
    Watch(crate::commands::watch::WatchArgs),
}

/// `--wait`, `--poll-interval`, `--max-wait` of start and stop (the operator scripts'
/// flags and defaults).
#[derive(Debug, Clone, clap::Args)]
pub struct WaitArgs {
    /// Wait for the target status (start: RUNNING, stop: STOPPED)
    #[arg(long)]
    pub wait: bool,
    /// Seconds between status polls
    #[arg(long, default_value_t = 3.0, value_parser = seconds)]
    pub poll_interval: f64,
    /// Longest wait in seconds; a timeout exits 5
    #[arg(long, default_value_t = 120.0, value_parser = seconds)]
    pub max_wait: f64,
}

impl WaitArgs {
    pub fn poll(&self) -> Duration {
        poll_every(self.poll_interval)
    }
    pub fn max(&self) -> Duration {
        Duration::from_secs_f64(self.max_wait)
    }
}

/// `--poll-interval` and `--max-wait` of `debug` (PTS and JMeter scenes).
#[derive(Debug, Clone, clap::Args)]
pub struct DebugArgs {
    /// Seconds between sample-log polls
    #[arg(long, default_value_t = 1.0, value_parser = seconds)]
    pub poll_interval: f64,
    /// Longest time to collect logs, in seconds
    #[arg(long, default_value_t = 30.0, value_parser = seconds)]
    pub max_wait: f64,
}

impl DebugArgs {
    pub fn poll(&self) -> Duration {
        poll_every(self.poll_interval)
    }
    pub fn max(&self) -> Duration {
        Duration::from_secs_f64(self.max_wait)
    }
}

/// A poll interval, never below 50 ms.
fn poll_every(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds.max(0.05))
}

/// `--page-number` and `--page-size` of `scene list` and `jmeter list`.
#[derive(Debug, Clone, clap::Args)]
pub struct PageArgs {
    /// One page only: this page
    #[arg(long)]
    pub page_number: Option<i64>,
    /// Page size for --page-number (10-1000)
    #[arg(long, default_value_t = 10)]
    pub page_size: i64,
}

impl PageArgs {
    /// PTS's paging ranges, checked before anything is sent.
    pub fn check(&self) -> CliResult<()> {
        if !(10..=1000).contains(&self.page_size) {
            return Err(CliError::usage(format!(
                "--page-size must be 10-1000 (PTS's range) (got {})",
                self.page_size
            )));
        }
        if let Some(n) = self.page_number.filter(|n| *n < 1) {
            return Err(CliError::usage(format!("--page-number must be at least 1 (got {n})")));
        }
        Ok(())
    }
}

/// A non-negative number of seconds.
pub fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&v) {
        return Err(format!("must be 0-86400 seconds (got {s})"));
    }
    Ok(v)
}

/// Ids are checked before any call, with the one rule of [`pts_ops::ids`].
pub use pts_ops::ids::check_id;

pub fn run(g: &GlobalArgs, cmd: SceneCommand) -> CliResult<()> {
    match cmd {
        SceneCommand::List(args) => read::list(g, args),
        SceneCommand::Get { scene_id } => read::get(g, &scene_id),
        SceneCommand::Export { scene_id, format } => read::export(g, &scene_id, &format),
        SceneCommand::Validate { file } => read::validate(g, &file),
        SceneCommand::Status { scene_id } => read::status(g, &scene_id),
        SceneCommand::Apply(args) => apply::run(g, &args),
        SceneCommand::Delete(args) => delete::run(g, args),
        SceneCommand::Start(args) => start::start(g, args),
        SceneCommand::Stop { scene_id, wait } => start::stop(g, &scene_id, &wait),
        SceneCommand::Debug { scene_id, timing } => speed::debug(g, &scene_id, &timing),
        SceneCommand::Adjust(args) => speed::adjust(g, args),
        SceneCommand::Watch(args) => crate::commands::watch::run(g, args),
    }
}
