//! Live view of a running scene (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Args)]
pub struct WatchArgs {}

pub fn run(_g: &GlobalArgs, _args: WatchArgs) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
