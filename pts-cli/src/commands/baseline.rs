//! `pts baseline ...`: scene baselines (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Subcommand)]
pub enum BaselineCommand {
    /// Not yet available
    Pending,
}

pub fn run(_g: &GlobalArgs, _cmd: BaselineCommand) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
