//! The terminal side of what pts-ops asks its front-end: the confirmation prompt before a
//! mutation ([`Prompt`]) and the progress of a paged call ([`Spinner`]).

use crate::progress::Waiting;
use pts_ops::exit::{CliError, CliResult};
use pts_ops::options::Ask;
use pts_ops::paginate::Progress;
use std::io::{BufRead, IsTerminal, Write};

/// Asks `proceed? [y/N]` on stderr and reads the answer from stdin; refuses when stdin is
/// not a terminal.
#[derive(Debug)]
pub struct Prompt;

impl Ask for Prompt {
    fn ask(&self, action: &str, context: &str) -> CliResult<()> {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::usage(format!(
                "{action} changes state; refusing without --yes because stdin is not a terminal"
            ))
            .with_hint("pass --yes to confirm, or --dry-run to see what would be sent"));
        }
        eprintln!("{}", context.trim_end());
        eprint!("{action}: proceed? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            Ok(())
        } else {
            Err(CliError::usage(format!("aborted: {action} was not sent")))
        }
    }
}

/// The progress of a paged call, on the one wait indicator ([`Waiting`]).
pub struct Spinner(Waiting);

impl Spinner {
    pub fn new(op: &str) -> Self {
        Spinner(Waiting::new(format!("{op}: fetching page 1")))
    }
}

impl Progress for Spinner {
    fn update(&self, pages: u64, items: usize) {
        self.0.set_message(format!("{pages} page(s), {items} item(s)"));
    }

    fn clear(&self) {
        self.0.clear();
    }
}
