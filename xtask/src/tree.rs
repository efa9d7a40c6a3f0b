//! Comparing generated trees: what `check` reports as drift or nondeterminism.

use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Files under `dir`, as `/`-separated relative paths, sorted. A missing dir is empty.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root)?.components();
            let parts: Vec<String> =
                rel.map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Reads the files a generation owns, as found under `root`: the inventory files and
/// everything under the generated dir.
pub fn read_owned(
    root: &Path,
    expected: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let mut found = BTreeMap::new();
    for rel in expected.keys().filter(|k| !k.starts_with(crate::GENERATED_DIR)) {
        if let Ok(text) = std::fs::read_to_string(root.join(rel)) {
            found.insert(rel.clone(), text);
        }
    }
    let gen_dir = root.join(crate::GENERATED_DIR);
    for rel in list_files(&gen_dir)? {
        let text = std::fs::read_to_string(gen_dir.join(&rel))?;
        found.insert(format!("{}/{rel}", crate::GENERATED_DIR), text);
    }
    Ok(found)
}

/// Paths that are added, removed or changed between two trees.
pub fn differing(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

/// Operations whose generated file or inventory entry differ.
pub fn changed_operations(
    paths: &[String],
    old: Option<&api_meta::Inventory>,
    new: &api_meta::Inventory,
) -> Vec<String> {
    let mut ops = BTreeSet::new();
    for p in paths {
        if let Some(module) = p.strip_prefix(&format!("{}/operations/", crate::GENERATED_DIR)) {
            let module = module.trim_end_matches(".rs");
            if let Some(op) =
                new.operations.iter().find(|o| codegen::naming::snake(&o.name) == module)
            {
                ops.insert(op.name.clone());
            } else if module != "mod" {
                ops.insert(format!("{module} (removed)"));
            }
        }
    }
    if let Some(old) = old {
        for op in &new.operations {
            if old.operation(&op.name) != Some(op) {
                ops.insert(op.name.clone());
            }
        }
        for op in &old.operations {
            if new.operation(&op.name).is_none() {
                ops.insert(format!("{} (removed)", op.name));
            }
        }
    }
    ops.into_iter().collect()
}
