//! Helpers shared by the end-to-end tests.

pub mod json_walk;

use std::path::PathBuf;

/// The raw metadata snapshot, or `None` (with a printed reason) outside CI when missing.
pub fn snapshot() -> Option<api_meta::raw::ApiDocs> {
    let path: PathBuf = api_meta::snapshot::require_shared(&api_meta::snapshot::snapshot_path())?;
    let bytes = std::fs::read(&path).expect("read snapshot");
    Some(api_meta::raw::ApiDocs::parse(&bytes).expect("snapshot parses"))
}
