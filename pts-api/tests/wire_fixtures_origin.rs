//! The committed vector fixtures are byte-for-byte the shared originals they were copied
//! from, so a re-recorded vector set cannot silently diverge from the repository's copy.

#[path = "wire_support.rs"]
mod support;

use support::{fixtures_dir, shared_dir};

#[test]
fn fixtures_equal_the_shared_originals() {
    let Some(shared) = shared_dir() else { return };
    for name in ["signature.json", "wire-requests.json"] {
        let ours = fixtures_dir().join(name);
        let theirs = shared.join("vectors").join(name);
        let read = |p: &std::path::Path| {
            std::fs::read(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
        };
        assert!(
            read(&ours) == read(&theirs),
            "{} differs from {}: copy the shared file into tests/fixtures/",
            ours.display(),
            theirs.display()
        );
    }
}
