//! `pts completions bash|zsh|fish`.

use crate::cli::{Cli, Shell};
use crate::exit::CliResult;
use clap::CommandFactory;
use clap_complete::Shell as Target;

pub fn run(shell: Shell) -> CliResult<()> {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut cmd = Cli::command();
    clap_complete::generate(target, &mut cmd, "pts", &mut std::io::stdout());
    Ok(())
}
