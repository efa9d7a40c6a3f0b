//! The terminal side of what pts-ops asks its front-end: the confirmation prompt before a
//! mutation ([`Prompt`]) and the spinner of a paged call ([`Spinner`]).

use crate::exit::{CliError, CliResult};
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

/// A spinner on stderr, only when stderr is a terminal.
pub struct Spinner(Option<indicatif::ProgressBar>);

impl Spinner {
    pub fn new(op: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("{op}: fetching page 1"));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Spinner(Some(bar))
    }
}

impl Progress for Spinner {
    fn update(&self, pages: u64, items: usize) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!("{pages} page(s), {items} item(s)"));
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Spinner {
    /// Also on Ctrl-C, when the pagination future is dropped mid-page.
    fn drop(&mut self) {
        Progress::clear(self);
    }
}
