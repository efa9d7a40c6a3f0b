//! The file graph of one crate: which file each path names, resolved to the file that
//! defines the longest existing module prefix of it.

use super::lexer::tokens;
use super::uses::{PathUse, path_uses};
use std::collections::BTreeMap;

/// `from` names `to`; `via` is the first path that did, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub via: String,
}

/// The module a file under `src/` defines: `lib.rs` and `main.rs` the root, `a/mod.rs`
/// and `a.rs` the module `a`, `a/b.rs` the module `a::b`. `None` for a non-Rust file.
pub fn module_path(rel: &str) -> Option<Vec<String>> {
    let stem = rel.strip_suffix(".rs")?;
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    Some(parts)
}

/// The edges between the files of one crate, given as path under `src/` -> text.
/// Each pair of files appears once, with the first path that joined them.
pub fn edges(sources: &BTreeMap<String, String>) -> Vec<Edge> {
    let modules: BTreeMap<Vec<String>, &str> =
        sources.keys().filter_map(|rel| Some((module_path(rel)?, rel.as_str()))).collect();
    let mut found: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for (rel, text) in sources {
        let Some(module) = module_path(rel) else { continue };
        for u in path_uses(&tokens(text), &module) {
            let Some(target) = resolve(&u, &modules) else { continue };
            let to = modules[&target];
            if to != rel {
                found.entry((rel.as_str(), to)).or_insert_with(|| u.path.join("::"));
            }
        }
    }
    found
        .into_iter()
        .map(|((from, to), via)| Edge { from: from.into(), to: to.into(), via })
        .collect()
}

/// The module of the file a path names, or `None` for a path outside the crate (an extern
/// crate, a local item, `super` past the root).
fn resolve(u: &PathUse, modules: &BTreeMap<Vec<String>, &str>) -> Option<Vec<String>> {
    let (first, rest) = u.path.split_first()?;
    let mut full = match first.as_str() {
        "crate" => Vec::new(),
        "super" | "self" => {
            let mut base = u.scope.clone();
            if first == "super" {
                base.pop()?;
            }
            base
        }
        child => {
            let mut m = u.scope.clone();
            m.push(child.to_string());
            if !modules.contains_key(&m) {
                return None;
            }
            u.scope.clone()
        }
    };
    let rest =
        if matches!(first.as_str(), "crate" | "super" | "self") { rest } else { &u.path[..] };
    let mut rest = rest.iter().peekable();
    while rest.peek().is_some_and(|s| *s == "super") {
        full.pop()?;
        rest.next();
    }
    full.extend(rest.cloned());
    (0..=full.len()).rev().map(|n| full[..n].to_vec()).find(|m| modules.contains_key(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_to_modules() {
        let m = |rel: &str| module_path(rel).map(|p| p.join("::"));
        assert_eq!(m("lib.rs").as_deref(), Some(""));
        assert_eq!(m("a/mod.rs").as_deref(), Some("a"));
        assert_eq!(m("a/b.rs").as_deref(), Some("a::b"));
        assert_eq!(m("a/lib.rs").as_deref(), Some("a::lib"));
        assert_eq!(m("notes.md"), None);
    }
}
