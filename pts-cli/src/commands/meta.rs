//! `pts meta check [--from FILE]`: the live metadata (or a saved copy) against the inventory
//! compiled into this binary, judged on the upstream facts so overrides cannot hide a change.
//! Exit 0 without drift (a prose-only change is none), 1 on drift (including an override
//! whose target is gone, or one that now equals upstream), 4 when the fetch fails, 2 when
//! the file cannot be read or is not api-docs metadata.

use crate::args::GlobalArgs;
use crate::output::Output;
use api_meta::diff::Change;
use api_meta::drift::{DriftError, check};
use api_meta::normalize::PTS_API_DOCS_URL;
use pts_ops::exit::{CliError, CliResult, ExitCode};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, clap::Subcommand)]
pub enum MetaCommand {
    /// Diff the live metadata (or --from FILE) against the compiled-in inventory; exit 1 on drift
    Check {
        /// Read a saved api-docs.json instead of fetching it
        #[arg(long, value_name = "FILE")]
        from: Option<std::path::PathBuf>,
    },
}

/// `pts meta check --output json|yaml|table`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Report<'a> {
    source: &'a str,
    compiled_operations: usize,
    live_operations: usize,
    drift: bool,
    added_operations: &'a [&'a str],
    removed_operations: &'a [&'a str],
    changed_operations: &'a BTreeSet<&'a str>,
    /// Changes after overrides: what a regeneration would change.
    changes: &'a [String],
    /// Changes of the metadata's own facts, each naming the overrides over it.
    upstream_changes: &'a [String],
    /// Overrides whose target is gone or that now equal upstream.
    override_findings: &'a [String],
    /// The metadata's bytes changed, its facts did not.
    prose_only: bool,
}

pub fn run(g: &GlobalArgs, cmd: MetaCommand) -> CliResult<()> {
    let MetaCommand::Check { from } = cmd;
    let out = Output::new(g)?;
    let (raw, source) = match &from {
        Some(path) => (
            std::fs::read(path).map_err(|e| CliError::io("read", path, &e))?,
            path.display().to_string(),
        ),
        None => {
            let raw = api_meta::fetch::fetch(
                PTS_API_DOCS_URL,
                &api_meta::fetch::FetchOptions::new(concat!("pts/", env!("CARGO_PKG_VERSION"))),
            )
            .map_err(|e| {
                CliError::new(ExitCode::Network, format!("{e:#}"))
                    .with_hint("offline? pass --from FILE with a saved api-docs.json")
            })?;
            (raw, PTS_API_DOCS_URL.to_string())
        }
    };
    let compiled = api_meta::snapshot::committed_inventory();
    // The overrides and the inventory are compiled in together, so they always fit.
    let overrides = api_meta::overrides::committed().expect("compiled-in overrides parse");
    let drift = check(&compiled, &raw, &overrides).map_err(|e| match e {
        DriftError::Normalize(e) => {
            CliError::usage(format!("{source}: not usable PTS metadata: {e}"))
        }
        e @ DriftError::Committed(_) => panic!("{e}"),
    })?;
    let (live, changes) = (&drift.live, &drift.changes);

    let added: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AddedOperation(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let removed: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::RemovedOperation(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let changed: BTreeSet<&str> = changes
        .iter()
        .filter(|c| !matches!(c, Change::AddedOperation(_) | Change::RemovedOperation(_)))
        .map(Change::operation)
        .collect();
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    let upstream: Vec<String> = drift.upstream.iter().map(ToString::to_string).collect();
    let findings: Vec<String> = drift.findings.iter().map(ToString::to_string).collect();

    if g.output.is_some() || g.query.is_some() || g.output_file.is_some() {
        out.emit(&Report {
            source: &source,
            compiled_operations: compiled.operations.len(),
            live_operations: live.operations.len(),
            drift: drift.is_drift(),
            added_operations: &added,
            removed_operations: &removed,
            changed_operations: &changed,
            changes: &lines,
            upstream_changes: &upstream,
            override_findings: &findings,
            prose_only: drift.prose_only,
        })?;
    } else {
        println!("source: {source}");
        println!(
            "operations: {} compiled in, {} in the metadata",
            compiled.operations.len(),
            live.operations.len()
        );
        if !drift.is_drift() {
            println!("no drift");
            if drift.prose_only {
                println!(
                    "no API change: only the metadata's prose (descriptions, examples) changed"
                );
            }
        } else {
            println!(
                "drift: {} upstream change(s), {} override finding(s); after overrides {} change(s): {} operation(s) added, {} removed, {} changed",
                upstream.len(),
                findings.len(),
                changes.len(),
                added.len(),
                removed.len(),
                changed.len()
            );
            for (title, list) in [
                ("upstream (the metadata's own facts):", &upstream),
                ("overrides:", &findings),
                ("after overrides (what regeneration changes):", &lines),
            ] {
                if !list.is_empty() {
                    println!("{title}");
                    list.iter().for_each(|l| println!("{l}"));
                }
            }
        }
    }
    if !drift.is_drift() {
        Ok(())
    } else {
        Err(CliError::new(
            ExitCode::Service,
            format!(
                "the metadata differs from the compiled-in inventory ({} upstream change(s), {} override finding(s))",
                upstream.len(),
                findings.len()
            ),
        )
        .with_hint("regenerate the client (`cargo xtask regen`) and review the changes"))
    }
}
