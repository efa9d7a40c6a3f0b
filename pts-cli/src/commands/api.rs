//! `pts api list [--kind read|mutating] [--output-dir DIR [--live]]` and
//! `pts api describe OP`.

mod discovery;

use crate::args::GlobalArgs;
use crate::lookup::find_operation;
use crate::output::Output;
use pts_api::OPERATIONS;
use pts_ops::describe;
use pts_ops::exit::CliResult;

#[derive(Debug, clap::Subcommand)]
pub enum ApiCommand {
    /// Every operation with its access level and paging
    List {
        /// Only read-only or only mutating (write, readAndWrite) operations
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Also write PTS_2020-10-20_api_list.md (and, with --live, the raw
        /// PTS_2020-10-20_api_docs.json) into this directory
        #[arg(long, value_name = "DIR")]
        output_dir: Option<std::path::PathBuf>,
        /// Fetch the live metadata for those files (bounded timeouts) instead of using the
        /// inventory compiled into pts (the default; needs no network)
        #[arg(long, requires = "output_dir")]
        live: bool,
    },
    /// Parameters (type, location, required, constraints), response shape and an example
    Describe {
        /// Operation name (case-insensitive)
        operation: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Read,
    Mutating,
}

pub fn run(g: &GlobalArgs, cmd: ApiCommand) -> CliResult<()> {
    match cmd {
        ApiCommand::List { kind, output_dir, live } => {
            let out = Output::listing(g)?;
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
            Output::new(g)?.emit(&describe::operation(find_operation(&operation)?))
        }
    }
}
