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
mod run_ref;
mod sampling;
mod show;
mod trend;

pub use jmeter::{JmeterReportArgs, jmeter};

use crate::args::GlobalArgs;
use pts_ops::exit::CliResult;

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// List PTS reports with SceneId and PlanId (ListPtsReports, or GetPtsReportsBySceneId with --scene)
    List(list::ListArgs),
    /// A run's summary: QPS, mean RT, P99 RT, success %, concurrency, total requests, findings
    Show(show::ShowArgs),
    /// Export a report: json, csv, md, or one self-contained html file with SVG charts
    Export(export::ExportArgs),
    /// Compare a run with another run (--against-plan) or with the scene's baseline
    Diff(diff::DiffArgs),
    /// A scene's runs side by side: TPS, mean and P99 RT, success, length; regressions
    /// flagged against the baseline or the median of the runs before
    Trend(trend::TrendArgs),
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
