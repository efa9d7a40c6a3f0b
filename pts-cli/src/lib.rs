//! The `pts` command line: argument parsing ([`cli`]), one module per command
//! ([`commands`]), output formatting ([`output`]), the terminal's prompt and spinner
//! ([`terminal`]) and the MCP front-end ([`mcp`]), over the workflows of pts-ops. Settings
//! ([`settings`]), the exit-code table ([`exit`]) and error mapping ([`errors`]) live in
//! pts-ops and are re-exported here under their usual paths.
//!
//! [`write_profile`] is the library entry other tools (pts-local) use to write a profile.

pub mod cli;
pub mod commands;
pub mod log_writer;
pub mod mcp;
pub mod ordered;
pub mod output;
mod table;
pub mod terminal;

pub use pts_ops::{errors, exit, settings};

pub use exit::{CliError, ExitCode};
/// pts's config file lives in pts-api, so pts-local writes its profile with the same code.
pub use pts_api::config;
pub use pts_api::config::{Profile, write_profile, write_profile_at};

use clap::Parser;
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
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::Success.code(),
        Err(e) => {
            e.report();
            e.code.code()
        }
    }
}

/// Debug logs of pts and pts-api on stderr, for `--verbose`. Idempotent.
pub fn init_logging(verbose: bool) {
    if !verbose {
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(log_writer::RedactedStderr)
        .with_max_level(tracing::Level::DEBUG)
        .with_target(false)
        .without_time()
        .try_init();
}
