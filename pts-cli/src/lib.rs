//! The `pts` command line, over the workflows of pts-ops, in layers that only import
//! downwards:
//! - [`run`] and [`cli`] at the top: the clap tree and the dispatch to the command chosen;
//! - [`commands`] (one module per command, owning its arguments and its `run`) and the MCP
//!   front-end [`mcp`]; neither imports `cli` or the other;
//! - shared front-end helpers no command owns: [`steps`] (confirmation, evidence, the end of
//!   a command), [`live_view`], [`lookup`], [`call_evidence`];
//! - leaves: the options every command accepts ([`args`]), output formatting ([`output`],
//!   [`table`], [`ordered`]), the terminal's prompt and spinner ([`terminal`], [`progress`])
//!   and logging ([`log_writer`]).
//!
//! Settings ([`settings`]), the exit-code table ([`exit`]) and error mapping ([`errors`])
//! live in pts-ops and are re-exported here under their usual paths; modules of this crate
//! name them in pts-ops, so nothing imports this root back.
//!
//! [`write_profile`] is the library entry other tools (pts-local) use to write a profile.

pub mod args;
pub mod call_evidence;
pub mod cli;
pub mod commands;
pub mod live_view;
pub mod log_writer;
pub mod lookup;
pub mod mcp;
pub mod ordered;
pub mod output;
pub mod progress;
pub mod steps;
pub mod table;
pub mod terminal;

pub use pts_ops::{errors, exit, settings};

pub use log_writer::init_logging;
/// pts's config file lives in pts-api, so pts-local writes its profile with the same code.
pub use pts_api::config;
pub use pts_api::config::{Profile, write_profile, write_profile_at};
pub use pts_ops::exit::{CliError, ExitCode};

use clap::{CommandFactory, Parser};
use std::ffi::OsString;

/// Runs `pts` with these arguments (the first is the program name) and returns the exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version exit 0; usage errors exit 2, as in the table.
            let _ = e.print();
            return e.exit_code();
        }
    };
    use pts_api::time::{Zone, set_display_zone};
    set_display_zone(if cli.global.utc { Zone::Utc } else { Zone::Local });
    match pts_ops::evidence::settle(cli::dispatch(cli)) {
        Ok(()) => ExitCode::Success.code(),
        Err(e) => {
            e.report();
            e.code.code()
        }
    }
}

/// Answers a shell's completion request (`COMPLETE=SHELL pts -- WORDS`) and exits when one
/// is asked; returns otherwise.
pub fn complete_if_asked() {
    commands::completions::complete_if_asked(cli::Cli::command);
}
