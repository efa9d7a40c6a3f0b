//! `cargo xtask cycles`: import cycles between the files of each workspace crate. A file
//! imports another when it names a path inside it (`use`, `pub use`, `crate::…`,
//! `super::…`, a child module's path); a parent's `mod child;` alone is not an import.
//! Every strongly connected group of more than one file is a cycle to break.

mod graph;
mod lexer;
mod scc;
mod uses;

pub use graph::{Edge, edges, module_path};

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Crates (by directory) whose cycles are printed but do not fail `cargo xtask check` yet.
/// Empty: every crate is enforced; list one here only while a branch untangles it.
pub const NOT_YET_ENFORCED: &[&str] = &[];

/// One cycle: its files (paths under the crate) and the imports between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub files: Vec<String>,
    pub edges: Vec<Edge>,
}

/// The cycles of one crate, given as path under `src/` -> text; paths in the result are
/// the same relative paths.
pub fn find_cycles(sources: &BTreeMap<String, String>) -> Vec<Component> {
    let files: Vec<&String> = sources.keys().collect();
    let index: BTreeMap<&str, usize> =
        files.iter().enumerate().map(|(i, f)| (f.as_str(), i)).collect();
    let all = edges(sources);
    let mut adj = vec![Vec::new(); files.len()];
    for e in &all {
        adj[index[e.from.as_str()]].push(index[e.to.as_str()]);
    }
    let mut out: Vec<Component> = scc::components(&adj)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let names: Vec<String> = c.iter().map(|&i| files[i].clone()).collect();
            let inside = |f: &String| names.contains(f);
            let edges = all.iter().filter(|e| inside(&e.from) && inside(&e.to)).cloned().collect();
            Component { files: names, edges }
        })
        .collect();
    out.sort_by(|a, b| a.files.cmp(&b.files));
    out
}

/// The workspace's members (directories), as the root `Cargo.toml` lists them.
pub fn workspace_members(root: &Path) -> Result<Vec<String>> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let list = manifest
        .split_once("members")
        .and_then(|(_, rest)| rest.split_once('['))
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .context("no `members = [...]` in the workspace Cargo.toml")?;
    Ok(list
        .split(',')
        .map(|m| m.trim().trim_matches('"').to_string())
        .filter(|m| !m.is_empty())
        .collect())
}

/// The `.rs` files of a crate's library (or, without one, its binary), as path under
/// `src/` -> text. `main.rs` beside `lib.rs` and `src/bin/` are crates of their own that
/// reach the library only by its name, so they cannot close a cycle in it.
pub fn crate_sources(crate_dir: &Path) -> Result<BTreeMap<String, String>> {
    let src = crate_dir.join("src");
    let mut out = BTreeMap::new();
    let has_lib = src.join("lib.rs").exists();
    for rel in crate::tree::list_files(&src)? {
        let separate = rel.starts_with("bin/") || (has_lib && rel == "main.rs");
        if rel.ends_with(".rs") && !separate {
            let text = std::fs::read_to_string(src.join(&rel))
                .with_context(|| format!("cannot read {}", src.join(&rel).display()))?;
            out.insert(rel, text);
        }
    }
    Ok(out)
}

/// Every member's cycles, in the order the workspace lists them.
pub fn scan_workspace(root: &Path) -> Result<Vec<(String, Vec<Component>)>> {
    workspace_members(root)?
        .into_iter()
        .map(|m| {
            let cycles = find_cycles(&crate_sources(&root.join(&m))?);
            Ok((m, cycles))
        })
        .collect()
}

/// A crate's cycles for people: each group's files, then the imports that close it.
pub fn render(krate: &str, cycles: &[Component]) -> String {
    let mut s = String::new();
    if cycles.is_empty() {
        let _ = writeln!(s, "{krate}: no import cycles");
        return s;
    }
    let _ = writeln!(s, "{krate}: {} import cycle(s)", cycles.len());
    for (n, c) in cycles.iter().enumerate() {
        let files: Vec<String> = c.files.iter().map(|f| format!("src/{f}")).collect();
        let _ = writeln!(s, "  cycle {} ({} files): {}", n + 1, files.len(), files.join(", "));
        for e in &c.edges {
            let _ = writeln!(s, "    src/{} -> src/{}  ({})", e.from, e.to, e.via);
        }
    }
    s
}

#[cfg(test)]
mod tests;
