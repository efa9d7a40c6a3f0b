//! `cargo xtask regen [--from FILE]` and `cargo xtask check [--from FILE]`.

use anyhow::{Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{Origin, regenerate, tree, write_output};

const USAGE: &str = "usage: cargo xtask <regen|check> [--from FILE]
  regen   fetch (or read) the PTS metadata, rewrite the inventory and the generated code
  check   regenerate twice into temp dirs; fail on nondeterminism or drift from the commit
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

fn check(origin: &Origin) -> Result<ExitCode> {
    let raw = origin.read()?;
    let mut runs = Vec::new();
    for _ in 0..2 {
        let out = regenerate(&raw)?;
        let dir = tempfile::tempdir()?;
        write_output(dir.path(), &out)?;
        runs.push((tree::read_owned(dir.path(), &out.files)?, out));
    }
    let (first, out) = &runs[0];
    let nondeterministic = tree::differing(first, &runs[1].0);
    let root = api_meta::snapshot::workspace_root();
    let committed = tree::read_owned(&root, &out.files)?;
    let drift = tree::differing(&committed, first);
    if nondeterministic.is_empty() && drift.is_empty() {
        println!(
            "ok: {} operations, {} files regenerate identically and match the commit",
            out.inventory.operations.len(),
            first.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !nondeterministic.is_empty() {
        eprintln!("nondeterministic: two runs differ in {} files:", nondeterministic.len());
        nondeterministic.iter().for_each(|p| eprintln!("  {p}"));
    }
    if !drift.is_empty() {
        let old = committed
            .get(&format!("api-meta/inventory/{}", api_meta::snapshot::INVENTORY_FILE))
            .and_then(|t| api_meta::Inventory::from_json(t).ok());
        let ops = tree::changed_operations(&drift, old.as_ref(), &out.inventory);
        eprintln!("drift: {} files differ from the commit:", drift.len());
        drift.iter().for_each(|p| eprintln!("  {p}"));
        if !ops.is_empty() {
            eprintln!("operations changed: {}", ops.join(", "));
        }
        if let Some(old) = &old {
            for change in api_meta::diff::diff(old, &out.inventory).iter().take(100) {
                eprintln!("  {change}");
            }
        }
        eprintln!("run `cargo xtask regen` and commit the result");
    }
    Ok(ExitCode::FAILURE)
}
