//! `pts scene ...`: PTS scene lifecycle (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Subcommand)]
pub enum SceneCommand {
    /// Not yet available
    Pending,
}

pub fn run(_g: &GlobalArgs, _cmd: SceneCommand) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
