//! Locating the shared metadata snapshot and the committed inventory.

use std::path::{Path, PathBuf};

pub const SNAPSHOT_FILE: &str = "pts-2020-10-20.api-docs.json";
pub const INVENTORY_FILE: &str = "pts-2020-10-20.json";
pub const INVENTORY_MD: &str = "INVENTORY.md";

/// The committed inventory, compiled in so binaries can diff against it offline.
pub const COMMITTED_INVENTORY_JSON: &str = include_str!("../inventory/pts-2020-10-20.json");

pub fn committed_inventory() -> crate::Inventory {
    crate::Inventory::from_json(COMMITTED_INVENTORY_JSON).expect("committed inventory parses")
}

/// The workspace root (parent of this crate's manifest dir).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("api-meta has a parent").to_path_buf()
}

/// `api-meta/inventory/` in the workspace.
pub fn inventory_dir() -> PathBuf {
    workspace_root().join("api-meta").join("inventory")
}

/// The shared material directory: env `PTS_SHARED_DIR`, else `<workspace>/../shared`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("PTS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"))
}

/// The metadata snapshot: env `PTS_API_DOCS`, else `<shared>/api-meta/<SNAPSHOT_FILE>`.
pub fn snapshot_path() -> PathBuf {
    std::env::var_os("PTS_API_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_dir().join("api-meta").join(SNAPSHOT_FILE))
}

/// For tests that need shared material: the path if it exists; under `CI=true` a missing
/// file is a failure, elsewhere the caller skips with the printed reason.
pub fn require_shared(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    let msg = format!("shared material missing: {} (set PTS_SHARED_DIR)", path.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; CI=true requires it");
    }
    eprintln!("skipping: {msg}");
    None
}
