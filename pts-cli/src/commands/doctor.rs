//! `pts doctor`: configuration and reachability self-check (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {}

pub fn run(_g: &GlobalArgs, _args: DoctorArgs) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
