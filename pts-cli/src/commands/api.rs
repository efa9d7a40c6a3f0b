//! `pts api list [--kind read|mutating] [--output-dir DIR [--live]]` and
//! `pts api describe OP`.

mod discovery;

use super::find_operation;
use crate::cli::{ApiCommand, GlobalArgs, Kind};
use crate::exit::CliResult;
use crate::output::Output;
use pts_api::OPERATIONS;
use pts_ops::describe;

pub fn run(g: &GlobalArgs, cmd: ApiCommand) -> CliResult<()> {
    let out = Output::new(g)?;
    match cmd {
        ApiCommand::List { kind, output_dir, live } => {
            if let Some(dir) = &output_dir {
                for path in discovery::write(dir, live)? {
                    eprintln!("wrote {}", path.display());
                }
            }
            let ops: Vec<describe::Summary> = OPERATIONS
                .iter()
                .filter(|op| match kind {
                    None => true,
                    Some(Kind::Read) => !op.is_mutating(),
                    Some(Kind::Mutating) => op.is_mutating(),
                })
                .map(|op| describe::summary(op))
                .collect();
            out.emit(&ops)
        }
        ApiCommand::Describe { operation } => {
            out.emit(&describe::operation(find_operation(&operation)?))
        }
    }
}
