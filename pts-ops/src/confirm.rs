//! The one gate every mutation passes: read-only mode refuses it; otherwise it needs
//! `--yes`, `--dry-run` (nothing is sent), or a yes from the front-end's [`crate::options::Ask`] (the
//! command line prompts on a terminal).

use crate::exit::{CliError, CliResult};
use crate::options::SessionOptions;
use crate::settings::Settings;

/// `action` names what would change ("StartPtsScene", "start scene 1A2B3C4D"); `summary`
/// (may be empty) is shown before the question, with the target, so the person sees what
/// they confirm.
pub fn gate(settings: &Settings, g: &SessionOptions, action: &str, summary: &str) -> CliResult<()> {
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
    let Some(ask) = &g.ask else {
        return Err(CliError::usage(format!(
            "{action} changes state; refusing without --yes because there is no one to ask"
        ))
        .with_hint("pass --yes to confirm, or --dry-run to see what would be sent"));
    };
    let mut context = String::new();
    if !summary.is_empty() {
        context.push_str(summary.trim_end());
        context.push('\n');
    }
    // The operator guides' rule: be sure of the region/environment before any mutation.
    context.push_str(&format!(
        "target: {} (endpoint from {}), region {} (from {})",
        settings.endpoint_host(),
        settings.endpoint.origin,
        settings.region.value,
        settings.region.origin
    ));
    if settings.endpoint.origin == "default" && settings.region.origin == "default" {
        context.push_str("\nnote: neither endpoint nor region was set explicitly; defaults apply");
    }
    ask.ask(action, &context)
}
