//! The checker on small in-memory crates.

use super::*;

fn tree(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

fn groups(files: &[(&str, &str)]) -> Vec<Vec<String>> {
    find_cycles(&tree(files)).into_iter().map(|c| c.files).collect()
}

#[test]
fn a_mutual_import_is_a_cycle_with_its_edges() {
    let cycles = find_cycles(&tree(&[
        ("lib.rs", "mod a; mod b; mod c;"),
        ("a.rs", "use crate::b::B; pub struct A;"),
        ("b.rs", "pub struct B; fn f() { crate::a::A; }"),
        ("c.rs", "use crate::a::A;"),
    ]));
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].files, ["a.rs", "b.rs"]);
    let edges: Vec<(&str, &str, &str)> =
        cycles[0].edges.iter().map(|e| (&*e.from, &*e.to, &*e.via)).collect();
    assert_eq!(edges, [("a.rs", "b.rs", "crate::b::B"), ("b.rs", "a.rs", "crate::a::A")]);
}

#[test]
fn a_parent_declaring_its_child_is_not_an_import() {
    let files = [
        ("lib.rs", "pub mod cmd;"),
        ("cmd/mod.rs", "pub mod run;\nmod inner { pub fn x() {} }"),
        ("cmd/run.rs", "use super::inner::x; use crate::cmd;"),
    ];
    assert!(groups(&files).is_empty());
}

#[test]
fn a_parent_re_exporting_its_child_is_an_import() {
    let files = [
        ("lib.rs", "pub mod cmd;"),
        ("cmd/mod.rs", "mod run;\npub use run::Args;\npub fn helper() {}"),
        ("cmd/run.rs", "pub struct Args; fn f() { super::helper() }"),
    ];
    assert_eq!(groups(&files), [["cmd/mod.rs", "cmd/run.rs"]]);
}

#[test]
fn a_parent_calling_its_child_is_an_import() {
    let files = [
        ("lib.rs", "pub mod cmd; pub fn shared() {}"),
        ("cmd/mod.rs", "pub mod run;\npub fn dispatch() { run::go() }"),
        ("cmd/run.rs", "pub fn go() { crate::shared() }"),
    ];
    // run.rs -> lib.rs does not come back: lib.rs only declares `cmd`.
    assert!(groups(&files).is_empty());
    let mut back = files;
    back[0].1 = "pub mod cmd; pub fn shared() {} pub fn main() { cmd::dispatch() }";
    assert_eq!(groups(&back), [["cmd/mod.rs", "cmd/run.rs", "lib.rs"]]);
}

#[test]
fn test_modules_and_literals_do_not_import() {
    let files = [
        ("lib.rs", "pub mod a; pub mod b;"),
        ("a.rs", "use crate::b; #[cfg(test)] mod tests { use super::*; }"),
        // The string, the doc link and `$crate` name `a` without importing it.
        (
            "b.rs",
            "/// See [`crate::a`].\nfn f() { \"crate::a::X\"; }\nmacro_rules! m { () => { $crate::a::X } }",
        ),
    ];
    assert!(groups(&files).is_empty());
}

#[test]
fn super_chains_and_self_resolve_to_the_defining_file() {
    let files = [
        ("lib.rs", "pub mod x;"),
        ("x/mod.rs", "pub mod y; pub use self::y::z::Z;"),
        ("x/y/mod.rs", "pub mod z;"),
        ("x/y/z.rs", "use super::super::Helper; pub struct Z;"),
    ];
    assert_eq!(groups(&files), [["x/mod.rs", "x/y/z.rs"]]);
}
