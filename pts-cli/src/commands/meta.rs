//! `pts meta check [--from FILE]`: the live metadata (or a saved copy) against the inventory
//! compiled into this binary. Exit 0 without drift, 1 on drift, 4 when the fetch fails,
//! 2 when the file cannot be read or is not api-docs metadata.

use crate::cli::{GlobalArgs, MetaCommand};
use crate::exit::{CliError, CliResult, ExitCode};
use crate::output::Output;
use api_meta::diff::{Change, diff};
use api_meta::normalize::PTS_API_DOCS_URL;
use serde::Serialize;
use std::collections::BTreeSet;

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
    changes: &'a [String],
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
    let live = api_meta::build_inventory(&raw)
        .map_err(|e| CliError::usage(format!("{source}: not usable PTS metadata: {e}")))?;
    let compiled = api_meta::snapshot::committed_inventory();
    let changes = diff(&compiled, &live);

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

    if g.output.is_some() || g.query.is_some() || g.output_file.is_some() {
        out.emit(&Report {
            source: &source,
            compiled_operations: compiled.operations.len(),
            live_operations: live.operations.len(),
            drift: !changes.is_empty(),
            added_operations: &added,
            removed_operations: &removed,
            changed_operations: &changed,
            changes: &lines,
        })?;
    } else {
        println!("source: {source}");
        println!(
            "operations: {} compiled in, {} in the metadata",
            compiled.operations.len(),
            live.operations.len()
        );
        if changes.is_empty() {
            println!("no drift");
        } else {
            println!(
                "drift: {} change(s): {} operation(s) added, {} removed, {} changed",
                changes.len(),
                added.len(),
                removed.len(),
                changed.len()
            );
            for l in &lines {
                println!("{l}");
            }
        }
    }
    if changes.is_empty() {
        Ok(())
    } else {
        Err(CliError::new(
            ExitCode::Service,
            format!(
                "the metadata differs from the compiled-in inventory ({} change(s))",
                changes.len()
            ),
        )
        .with_hint("regenerate the client (`cargo xtask regen`) and review the changes"))
    }
}
