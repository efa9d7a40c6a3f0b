//! pts-ops is layered: no module imports one that imports it back, directly or through
//! others. Read from the sources as text: every `crate::`, `super::` and `self::` path in
//! code (not comments, not `#[cfg(test)]` parts) is an arrow from the file that writes it to
//! the module file it names; a parent's `mod`/`pub use` of its children is not an arrow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

fn modules(dir: &Path, src: &Path, out: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            modules(&path, src, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap().with_extension("");
        let mut m: Module = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
        if matches!(m.last().map(String::as_str), Some("mod" | "lib")) {
            m.pop();
        }
        // Unit-test modules import what they test; they are not part of the layers.
        if matches!(m.last().map(String::as_str), Some("tests" | "testdata")) {
            continue;
        }
        out.insert(m, std::fs::read_to_string(&path).unwrap());
    }
}

/// The code of a file: comments and the `#[cfg(test)]` tail dropped.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn ident(s: &str) -> Option<(&str, &str)> {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    (end > 0).then(|| (&s[..end], &s[end..]))
}

/// Every path a file names through `crate::`, `super::` or `self::`, relative to the crate
/// root; a `{a, b::c}` group gives one path per member.
fn paths(module: &Module, text: &str) -> Vec<Module> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices("::") {
        let start =
            text[..i].rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
        if start > 0 && bytes[start - 1] == b':' {
            continue; // a later segment of a longer path
        }
        let mut base: Module = match &text[start..i] {
            "crate" => Vec::new(),
            "self" => module.clone(),
            "super" => module[..module.len().saturating_sub(1)].to_vec(),
            _ => continue,
        };
        let mut rest = &text[i + 2..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        let mut segs = Vec::new();
        while let Some((id, tail)) = ident(rest) {
            segs.push(id.to_string());
            match tail.strip_prefix("::") {
                Some(t) => rest = t,
                None => {
                    rest = tail;
                    break;
                }
            }
        }
        let mut prefix = base;
        prefix.extend(segs);
        match rest.strip_prefix('{') {
            Some(group) => {
                for member in group.split('}').next().unwrap_or("").split(',') {
                    let mut p = prefix.clone();
                    p.extend(member.split("::").map(|s| s.trim().to_string()));
                    out.push(p);
                }
            }
            None => out.push(prefix),
        }
    }
    out
}

/// The arrows of a crate: module file -> the module files it imports.
fn arrows(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = BTreeMap::new();
    modules(src, src, &mut files);
    let mut arrows = BTreeMap::new();
    for (m, text) in &files {
        let mut to = BTreeSet::new();
        for mut p in paths(m, &code(text)) {
            while !p.is_empty() && !files.contains_key(&p) {
                p.pop();
            }
            if &p != m && files.contains_key(&p) && !p.is_empty() {
                to.insert(p);
            }
        }
        arrows.insert(m.clone(), to);
    }
    arrows
}

/// A loop of arrows, if there is one.
fn cycle(arrows: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        m: &Module,
        arrows: &BTreeMap<Module, BTreeSet<Module>>,
        done: &mut BTreeSet<Module>,
        path: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut found = path[i..].to_vec();
            found.push(m.clone());
            return Some(found);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.clone());
        for next in arrows.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, arrows, done, path) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    arrows.keys().find_map(|m| visit(m, arrows, &mut done, &mut Vec::new()))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let arrows = arrows(&src);
    assert!(arrows.len() > 20, "read {} modules from {}", arrows.len(), src.display());
    if let Some(c) = cycle(&arrows) {
        let names: Vec<String> = c.iter().map(|m| m.join("::")).collect();
        panic!("import cycle in pts-ops: {}", names.join(" -> "));
    }
}

#[test]
fn the_check_sees_a_cycle() {
    let m = |s: &str| -> Module { s.split("::").map(String::from).collect() };
    let text = "use super::b::Thing;\nuse crate::{c, d::E};\n";
    assert_eq!(paths(&m("x::a"), text), vec![m("x::b::Thing"), m("c"), m("d::E")]);
    let mut arrows = BTreeMap::new();
    arrows.insert(m("a"), BTreeSet::from([m("b")]));
    arrows.insert(m("b"), BTreeSet::from([m("c")]));
    arrows.insert(m("c"), BTreeSet::from([m("a")]));
    assert_eq!(cycle(&arrows), Some(vec![m("a"), m("b"), m("c"), m("a")]));
    arrows.insert(m("c"), BTreeSet::new());
    assert_eq!(cycle(&arrows), None);
}
