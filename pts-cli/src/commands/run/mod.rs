//! `pts run FILE --sla ...`: a load test as a CI gate (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Args)]
pub struct RunArgs {}

pub fn run(_g: &GlobalArgs, _args: RunArgs) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
