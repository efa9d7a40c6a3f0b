//! `pts report ...`: reports, exports and diffs (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Not yet available
    Pending,
}

pub fn run(_g: &GlobalArgs, _cmd: ReportCommand) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
