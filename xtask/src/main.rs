//! `cargo xtask regen [--from FILE]`, `cargo xtask check [--from FILE]` and `cargo xtask cycles`.

use anyhow::{Result, bail};
use api_meta::drift::{Drift, Finding};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{Origin, cycles, regenerate, tree, write_output};

const USAGE: &str = "usage: cargo xtask <regen|check|cycles> [--from FILE]
  regen   fetch (or read) the PTS metadata, rewrite the inventory and the generated code
  check   fail on import cycles between the files of a crate; compare the metadata's own
          facts with the committed inventory (naming overrides), regenerate twice into temp
          dirs; fail on nondeterminism or drift from the commit
  cycles  print every crate's import cycles (groups of files that import each other)
  --from FILE   read this api-docs.json instead of fetching (env PTS_API_DOCS does the same)";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    let cmd = args.next().unwrap_or_default();
    let mut from = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--from" => match args.next() {
                Some(p) => from = Some(PathBuf::from(p)),
                None => bail!("--from needs a file path\n{USAGE}"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let origin = Origin::resolve(from);
    match cmd.as_str() {
        "regen" => regen(&origin),
        "check" => check(&origin),
        "cycles" => print_cycles(),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

fn regen(origin: &Origin) -> Result<ExitCode> {
    let raw = origin.read()?;
    let out = regenerate(&raw)?;
    let root = api_meta::snapshot::workspace_root();
    let before = tree::read_owned(&root, &out.files)?;
    write_output(&root, &out)?;
    let changed = tree::differing(&before, &out.files);
    println!(
        "regenerated {} operations, {} files ({} changed) from {origin:?}",
        out.inventory.operations.len(),
        out.files.len(),
        changed.len()
    );
    for p in &changed {
        println!("  changed: {p}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Every crate's cycles on stdout; fails when an enforced crate has one.
fn print_cycles() -> Result<ExitCode> {
    let mut failing = Vec::new();
    for (krate, found) in cycles::scan_workspace(&api_meta::snapshot::workspace_root())? {
        print!("{}", cycles::render(&krate, &found));
        if !found.is_empty() && !cycles::NOT_YET_ENFORCED.contains(&krate.as_str()) {
            failing.push(krate);
        }
    }
    if failing.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("import cycles in {}: break them (see above)", failing.join(", "));
    Ok(ExitCode::FAILURE)
}

/// Enforced crates' cycles fail the check; the others' are listed as still to fix.
fn check_cycles() -> Result<bool> {
    let mut ok = true;
    for (krate, found) in cycles::scan_workspace(&api_meta::snapshot::workspace_root())? {
        if found.is_empty() {
            continue;
        }
        if cycles::NOT_YET_ENFORCED.contains(&krate.as_str()) {
            println!("not yet enforced: {krate} has {} import cycle(s)", found.len());
        } else {
            eprint!("{}", cycles::render(&krate, &found));
            eprintln!(
                "import cycles in {krate}: files above import each other; move what they \
                 share into a module that imports neither (`cargo xtask cycles` lists them)"
            );
            ok = false;
        }
    }
    Ok(ok)
}

fn check(origin: &Origin) -> Result<ExitCode> {
    if !check_cycles()? {
        return Ok(ExitCode::FAILURE);
    }
    let raw = origin.read()?;
    let root = api_meta::snapshot::workspace_root();
    let inventory_rel = format!("api-meta/inventory/{}", api_meta::snapshot::INVENTORY_FILE);
    let committed_inventory =
        api_meta::Inventory::from_json(&std::fs::read_to_string(root.join(&inventory_rel))?)?;
    let drift =
        api_meta::drift::check(&committed_inventory, &raw, &api_meta::overrides::committed()?)?;
    print_upstream_drift(&drift);
    if drift.findings.iter().any(|f| matches!(f, Finding::Broken(_))) {
        eprintln!("fix or remove the overrides named above in codegen/overrides.json");
        return Ok(ExitCode::FAILURE);
    }
    let mut runs = Vec::new();
    for _ in 0..2 {
        let out = regenerate(&raw)?;
        let dir = tempfile::tempdir()?;
        write_output(dir.path(), &out)?;
        runs.push((tree::read_owned(dir.path(), &out.files)?, out));
    }
    let (first, out) = &runs[0];
    let nondeterministic = tree::differing(first, &runs[1].0);
    let committed = tree::read_owned(&root, &out.files)?;
    let mut compared = first.clone();
    if drift.prose_only {
        // Only the recorded hash of the metadata may differ.
        let (new, old) = (&drift.live.source.sha256, &committed_inventory.source.sha256);
        compared.values_mut().for_each(|t| *t = t.replace(new.as_str(), old));
    }
    let files = tree::differing(&committed, &compared);
    if nondeterministic.is_empty() && files.is_empty() && !drift.is_drift() {
        println!(
            "ok: {} operations, {} files regenerate identically and match the commit",
            out.inventory.operations.len(),
            first.len()
        );
        if drift.prose_only {
            println!("no API change: only the metadata's prose changed (its sha256 differs)");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !nondeterministic.is_empty() {
        eprintln!("nondeterministic: two runs differ in {} files:", nondeterministic.len());
        nondeterministic.iter().for_each(|p| eprintln!("  {p}"));
    }
    if !files.is_empty() {
        let ops = tree::changed_operations(&files, Some(&committed_inventory), &out.inventory);
        eprintln!("drift: {} files differ from the commit:", files.len());
        files.iter().for_each(|p| eprintln!("  {p}"));
        if !ops.is_empty() {
            eprintln!("operations changed: {}", ops.join(", "));
        }
        eprintln!("run `cargo xtask regen` and commit the result");
    }
    Ok(ExitCode::FAILURE)
}

/// The upstream facts' changes (each naming the overrides over it) and override findings.
fn print_upstream_drift(drift: &Drift) {
    if !drift.upstream.is_empty() {
        eprintln!("upstream changes (the metadata's own facts):");
        drift.upstream.iter().take(100).for_each(|c| eprintln!("  {c}"));
    }
    if !drift.findings.is_empty() {
        eprintln!("overrides:");
        drift.findings.iter().for_each(|f| eprintln!("  {f}"));
    }
}
