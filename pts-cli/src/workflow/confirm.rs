//! The one gate every mutation passes: read-only mode refuses it; otherwise it needs
//! `--yes`, `--dry-run` (nothing is sent), or a `y` at the prompt on a terminal.

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};
use crate::settings::Settings;
use std::io::{BufRead, IsTerminal, Write};

/// `action` names what would change ("StartPtsScene", "start scene 1A2B3C4D"); `summary`
/// (may be empty) is printed to stderr before the question, so the user sees what they
/// confirm.
pub fn gate(settings: &Settings, g: &GlobalArgs, action: &str, summary: &str) -> CliResult<()> {
    if settings.read_only.value {
        return Err(CliError::usage(format!(
            "{action} changes state and read-only mode is on (from {})",
            settings.read_only.origin
        ))
        .with_hint(
            "read-only mode blocks every write; use --read-only=false to lift it for one call",
        ));
    }
    if g.dry_run || g.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "{action} changes state; refusing without --yes because stdin is not a terminal"
        ))
        .with_hint("pass --yes to confirm, or --dry-run to see what would be sent"));
    }
    if !summary.is_empty() {
        eprintln!("{}", summary.trim_end());
    }
    // The operator guides' rule: be sure of the region/environment before any mutation.
    eprintln!(
        "target: {} (endpoint from {}), region {} (from {})",
        settings.endpoint_host(),
        settings.endpoint.origin,
        settings.region.value,
        settings.region.origin
    );
    if settings.endpoint.origin == "default" && settings.region.origin == "default" {
        eprintln!("note: neither endpoint nor region was set explicitly; defaults apply");
    }
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
