//! `pts mcp ...`: the Model Context Protocol server (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Subcommand)]
pub enum McpCommand {
    /// Not yet available
    Pending,
}

pub fn run(_g: &GlobalArgs, _cmd: McpCommand) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
