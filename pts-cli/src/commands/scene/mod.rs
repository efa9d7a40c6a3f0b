//! `pts scene ...`: the PTS scene lifecycle. Reads (`list`, `get`, `export`, `status`,
//! `validate`) send nothing that changes state; every mutation runs its read-only checks
//! first, then the confirmation gate, and writes an evidence directory. The work itself is
//! in [`pts_ops::lifecycle`], shared with `pts run` and the MCP server.

mod apply;
mod delete;
mod read;
mod speed;
mod start;

use crate::args::GlobalArgs;
use crate::args::groups::{DebugArgs, WaitArgs};
use pts_ops::exit::CliResult;
use std::path::PathBuf;

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
    Apply(crate::args::scene_file::SceneFileArgs),
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
