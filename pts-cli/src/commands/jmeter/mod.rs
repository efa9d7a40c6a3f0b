//! `pts jmeter ...`: JMeter scene lifecycle (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Subcommand)]
pub enum JmeterCommand {
    /// Not yet available
    Pending,
}

pub fn run(_g: &GlobalArgs, _cmd: JmeterCommand) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
