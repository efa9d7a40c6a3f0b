//! `pts demo`: the offline demo on an embedded pts-local (being written).

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {}

pub fn run(_g: &GlobalArgs, _args: DemoArgs) -> CliResult<()> {
    Err(CliError::usage("not available yet"))
}
