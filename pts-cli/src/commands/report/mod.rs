//! `pts report ...`: list PTS reports with their scene and plan ids, show one as a pilot
//! summary with findings, export it (JSON, CSV, Markdown, self-contained HTML with charts),
//! and diff two runs or a run and the scene's baseline. `pts jmeter report` is [`jmeter`].
//!
//! GetPtsReportDetails needs both SceneId and PlanId (PlanId == ReportId), so every command
//! on one report takes `--scene S --plan P`.

mod diff;
mod export;
mod jmeter;
mod list;
mod sampling;
mod show;
mod trend;

pub use jmeter::{JmeterReportArgs, jmeter};

use crate::cli::GlobalArgs;
use crate::exit::CliResult;
use pts_ops::report::{ExportFormat, check_id};

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// List PTS reports with SceneId and PlanId (ListPtsReports, or GetPtsReportsBySceneId with --scene)
    List(list::ListArgs),
    /// A run's summary: QPS, mean RT, P99 RT, success %, concurrency, total requests, findings
    Show(ShowArgs),
    /// Export a report: json, csv, md, or one self-contained html file with SVG charts
    Export(ExportArgs),
    /// Compare a run with another run (--against-plan) or with the scene's baseline
    Diff(DiffArgs),
    /// A scene's runs side by side: TPS, mean and P99 RT, success, length; regressions
    /// flagged against the baseline or the median of the runs before
    Trend(trend::TrendArgs),
}

/// One PTS run: GetPtsReportDetails takes both ids.
#[derive(Debug, Clone, clap::Args)]
pub struct RunRef {
    /// SceneId of the run
    #[arg(long, value_name = "SCENE_ID")]
    pub scene: String,
    /// PlanId of the run (== its ReportId)
    #[arg(long, value_name = "PLAN_ID")]
    pub plan: String,
}

impl RunRef {
    pub fn check(&self) -> CliResult<()> {
        check_id("--scene", &self.scene)?;
        check_id("--plan", &self.plan)
    }
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub run: RunRef,
    /// Judge the findings without the scene's baseline (one call fewer)
    #[arg(long)]
    pub no_baseline: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub run: RunRef,
    /// Export format
    #[arg(long, value_parser = crate::cli::export_format())]
    pub format: ExportFormat,
    /// The run's samples.jsonl (default: found in the evidence directories by scene and plan)
    #[arg(long, value_name = "FILE")]
    pub samples: Option<std::path::PathBuf>,
    /// Judge the findings against the scene's baseline
    #[arg(long)]
    pub against_baseline: bool,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("reference").required(true).args(["against_plan", "against_baseline"]))]
pub struct DiffArgs {
    #[command(flatten)]
    pub run: RunRef,
    /// The other run of the same scene (its PlanId)
    #[arg(long, value_name = "PLAN_ID")]
    pub against_plan: Option<String>,
    /// Compare with the scene's baseline (GetPtsSceneBaseLine)
    #[arg(long)]
    pub against_baseline: bool,
    /// The scene of --against-plan when it is another scene
    #[arg(long, value_name = "SCENE_ID", requires = "against_plan")]
    pub against_scene: Option<String>,
}

pub fn run(g: &GlobalArgs, cmd: ReportCommand) -> CliResult<()> {
    match cmd {
        ReportCommand::List(args) => list::run(g, args),
        ReportCommand::Show(args) => show::run(g, args),
        ReportCommand::Export(args) => export::run(g, args),
        ReportCommand::Diff(args) => diff::run(g, args),
        ReportCommand::Trend(args) => trend::run(g, args),
    }
}

/// Text for stdout, or for `--output-file` (parent directories created).
pub(crate) use crate::commands::scene::emit_text as write_text;
