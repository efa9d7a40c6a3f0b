//! The cycle checker over the real workspace: enforced crates have no import cycles; the
//! crates still listed in `NOT_YET_ENFORCED` are printed, not judged.

use xtask::cycles::{self, NOT_YET_ENFORCED};

#[test]
fn enforced_crates_have_no_import_cycles() {
    let root = api_meta::snapshot::workspace_root();
    let report = cycles::scan_workspace(&root).unwrap();
    let names: Vec<&str> = report.iter().map(|(k, _)| k.as_str()).collect();
    for must in ["pts-api", "pts-cli", "pts-local", "pts-ops"] {
        assert!(names.contains(&must), "{must} is not a workspace member: {names:?}");
        assert!(!NOT_YET_ENFORCED.contains(&must), "{must} must stay enforced");
    }
    let mut failures = String::new();
    for (krate, found) in &report {
        let text = cycles::render(krate, found);
        if NOT_YET_ENFORCED.contains(&krate.as_str()) {
            println!("not yet enforced: {text}");
        } else if !found.is_empty() {
            failures.push_str(&text);
        }
    }
    assert!(failures.is_empty(), "import cycles:\n{failures}");
}

#[test]
fn the_checker_sees_every_crate_s_files() {
    let root = api_meta::snapshot::workspace_root();
    let cli = cycles::crate_sources(&root.join("pts-cli")).unwrap();
    assert!(cli.contains_key("lib.rs") && !cli.contains_key("main.rs"));
    // Real imports the checker must find, so an empty report is not a parse failure: the
    // top's clap tree names each command's arguments.
    let edges = cycles::edges(&cli);
    let named = |from: &str, to: &str| edges.iter().any(|e| e.from == from && e.to == to);
    assert!(named("cli.rs", "commands/scene/mod.rs"), "{edges:?}");
    assert!(named("lib.rs", "cli.rs"), "{edges:?}");
}
