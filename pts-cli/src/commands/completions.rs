//! Shell completion, dynamic: `pts completions SHELL` prints a small script that asks
//! `COMPLETE=SHELL pts -- WORDS...` for candidates at each TAB. Subcommands and options come
//! from the clap definition; operation names (`pts call <TAB>`, `pts api describe <TAB>`)
//! and an operation's parameter names (`pts call GetPtsScene --<TAB>`) come from the
//! operation metadata compiled into pts-api, read when the TAB is pressed, so a regen adds
//! new ones without any edit here.

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, CompleteEnv, EnvCompleter, Fish, Zsh};
use pts_ops::exit::{CliError, CliResult};
use std::ffi::{OsStr, OsString};

/// The shells `pts completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The environment variable the scripts set to ask for candidates.
const VAR: &str = "COMPLETE";

/// Answers a completion request and exits when `COMPLETE` is set; returns otherwise.
/// `command` is the whole command line's definition, which lives above the commands.
pub fn complete_if_asked(command: fn() -> clap::Command) {
    let words: Vec<OsString> = std::env::args_os().collect();
    CompleteEnv::with_factory(move || command_for(command(), &words)).var(VAR).complete();
}

pub fn run(shell: Shell) -> CliResult<()> {
    let target: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
    };
    let mut out = std::io::stdout().lock();
    target
        .write_registration(VAR, "pts", "pts", "pts", &mut out)
        .map_err(|e| CliError::usage(format!("cannot write the completion script: {e}")))
}

/// The command line with the completers of the words being completed: the operation names,
/// and the parameters of the operation named after `call` (found in `words`).
fn command_for(command: clap::Command, words: &[OsString]) -> clap::Command {
    let words: Vec<&str> = words.iter().filter_map(|w| w.to_str()).collect();
    let operation = words
        .iter()
        .position(|w| *w == "call")
        .and_then(|i| words.get(i + 1))
        .and_then(|name| operation(name));
    command
        .mut_subcommand("call", |c| {
            c.mut_arg("operation", |a| a.add(ArgValueCompleter::new(operation_names)))
                .mut_arg("args", |a| {
                    a.add(ArgValueCompleter::new(move |cur: &OsStr| parameters(operation, cur)))
                })
        })
        .mut_subcommand("api", |api| {
            api.mut_subcommand("describe", |d| {
                d.mut_arg("operation", |a| a.add(ArgValueCompleter::new(operation_names)))
            })
        })
}

fn operation(name: &str) -> Option<&'static pts_api::meta::OperationMeta> {
    pts_api::OPERATIONS.iter().copied().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// Operation names starting with the typed prefix (any case), with their purpose.
fn operation_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy().to_ascii_lowercase();
    pts_api::OPERATIONS
        .iter()
        .filter(|m| m.name.to_ascii_lowercase().starts_with(&prefix))
        .map(|m| CompletionCandidate::new(m.name).help(m.purpose.map(Into::into)))
        .collect()
}

/// `--Name` of each parameter of the operation, plus `call`'s own options, for a word that
/// starts with `-`; nothing for a parameter's value.
fn parameters(
    op: Option<&'static pts_api::meta::OperationMeta>,
    current: &OsStr,
) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    if !typed.starts_with('-') {
        return Vec::new();
    }
    let prefix = typed.trim_start_matches('-').to_ascii_lowercase();
    let params = op.map_or(&[][..], |m| m.params).iter().map(|p| p.name);
    params
        .chain(["input", "paginate", "max-items"])
        .filter(|n| n.to_ascii_lowercase().starts_with(&prefix))
        .map(|n| CompletionCandidate::new(format!("--{n}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: Vec<CompletionCandidate>) -> Vec<String> {
        c.iter().map(|c| c.get_value().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn operations_and_their_parameters() {
        let ops = names(operation_names(OsStr::new("getptsscene")));
        assert!(ops.contains(&"GetPtsScene".to_string()), "{ops:?}");
        assert!(ops.iter().all(|o| o.starts_with("GetPtsScene")), "{ops:?}");
        let params = names(parameters(operation("GetPtsReportDetails"), OsStr::new("--")));
        assert!(params.contains(&"--PlanId".into()) && params.contains(&"--SceneId".into()));
        assert!(names(parameters(operation("GetPtsScene"), OsStr::new("ABC"))).is_empty());
    }
}
