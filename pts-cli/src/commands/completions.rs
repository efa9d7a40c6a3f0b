//! `pts completions bash|zsh|fish`. Operation names (`pts call <TAB>`, `pts api describe
//! <TAB>`) come from the operations compiled in, so a regen adds new ones without any edit
//! here.

use crate::cli::{Cli, Shell};
use crate::exit::CliResult;
use clap::CommandFactory;
use clap::builder::PossibleValuesParser;
use clap_complete::Shell as Target;

pub fn run(shell: Shell) -> CliResult<()> {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut cmd = with_operation_names(Cli::command());
    clap_complete::generate(target, &mut cmd, "pts", &mut std::io::stdout());
    Ok(())
}

/// The command line with every operation name as the candidates of `call OPERATION` and
/// `api describe OPERATION`. Only the completion scripts see these values: parsing stays
/// case-insensitive with "did you mean" (`find_operation`).
fn with_operation_names(cmd: clap::Command) -> clap::Command {
    let names = || PossibleValuesParser::new(pts_api::OPERATIONS.iter().map(|m| m.name));
    // `mut_arg` moves an argument to the end: the positions are set again so `call`'s
    // trailing parameters stay last.
    cmd.mut_subcommand("call", |c| {
        c.mut_arg("operation", |a| a.value_parser(names()).index(1)).mut_arg("args", |a| a.index(2))
    })
    .mut_subcommand("api", |api| {
        api.mut_subcommand("describe", |d| d.mut_arg("operation", |a| a.value_parser(names())))
    })
}
