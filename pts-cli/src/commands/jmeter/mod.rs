//! `pts jmeter ...`: JMeter scenes, a separate id space from PTS scenes, with the same
//! safety (read-only checks, confirmation, evidence) as `pts scene`. JMX/CSV files are
//! given by path in the scene file (`FileList[].Path`): uploaded to pts-local's file store
//! when the endpoint is local, refused with what to do on the cloud (PTS needs OSS URLs).

mod apply;
mod read;
mod run;

use crate::args::GlobalArgs;
use crate::args::groups::{DebugArgs, WaitArgs, seconds};
use pts_ops::exit::CliResult;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum JmeterCommand {
    /// List JMeter scenes (all pages unless --page-number is given)
    List(read::ListArgs),
    /// Show one JMeter scene (GetOpenJMeterScene)
    Get { scene_id: String },
    /// Create or update a JMeter scene from a YAML/JSON file (local JMX/CSV files listed by
    /// `Path`), after showing the diff; nothing is sent when the service already matches
    Apply {
        #[command(flatten)]
        scene: crate::args::scene_file::SceneFileArgs,
        /// pts-local's data directory, where local JMX/CSV files are stored (local endpoint
        /// only; default: $PTS_LOCAL_DATA, else `.pts-local` as `pts local serve` uses)
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
    },
    /// Remove JMeter scenes; a running one is stopped first only with confirmation
    Delete {
        #[arg(required = true)]
        scene_ids: Vec<String>,
        /// Longest wait for a running scene to stop, in seconds
        #[arg(long, default_value_t = 120.0, value_parser = seconds)]
        max_wait: f64,
    },
    /// Start a JMeter test after a read-only pre-flight; prints the ReportId
    Start {
        scene_id: String,
        #[command(flatten)]
        wait: WaitArgs,
        /// How long to look for samples flowing after the start, in seconds
        #[arg(long, default_value_t = 15.0, value_parser = seconds)]
        verify_within: f64,
    },
    /// Stop a running JMeter test (or debug, with --debug)
    Stop {
        scene_id: String,
        #[command(flatten)]
        wait: WaitArgs,
        /// Stop a debug run (StopDebuggingJMeterScene)
        #[arg(long)]
        debug: bool,
    },
    /// Debug a JMeter scene: start a debug, print its sampling logs, stop it
    Debug {
        scene_id: String,
        #[command(flatten)]
        timing: DebugArgs,
    },
    /// Change a running JMeter test's speed (AdjustJMeterSceneSpeed)
    Adjust {
        scene_id: String,
        #[arg(long)]
        speed: i64,
    },
    /// Engine logs (GetJMeterLogs) or sampling logs (--samples) of a run
    Logs(read::LogsArgs),
    /// JMeter reports (see `pts report`)
    Report(crate::commands::report::JmeterReportArgs),
}

pub fn run(g: &GlobalArgs, cmd: JmeterCommand) -> CliResult<()> {
    match cmd {
        JmeterCommand::List(args) => read::list(g, args),
        JmeterCommand::Get { scene_id } => read::get(g, &scene_id),
        JmeterCommand::Logs(args) => read::logs(g, args),
        JmeterCommand::Apply { scene, data } => apply::run(g, &scene, data),
        JmeterCommand::Delete { scene_ids, max_wait } => run::delete(g, &scene_ids, max_wait),
        JmeterCommand::Start { scene_id, wait, verify_within } => {
            run::start(g, &scene_id, &wait, verify_within)
        }
        JmeterCommand::Stop { scene_id, wait, debug } => run::stop(g, &scene_id, &wait, debug),
        JmeterCommand::Debug { scene_id, timing } => run::debug(g, &scene_id, &timing),
        JmeterCommand::Adjust { scene_id, speed } => run::adjust(g, &scene_id, speed),
        JmeterCommand::Report(args) => crate::commands::report::jmeter(g, args),
    }
}
