//! The api-docs.json metadata model and the facts-only inventory derived from it.
//!
//! Data flows one way: raw metadata ([`raw`]) -> [`normalize`] -> [`inventory::Inventory`]
//! (committed at `api-meta/inventory/`) -> codegen.

pub mod diff;
pub mod drift;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod inventory;
pub mod markdown;
pub mod normalize;
pub mod overrides;
pub mod raw;
pub mod snapshot;

pub use inventory::Inventory;

/// Raw metadata -> the inventory as committed: normalized, with the reviewed overrides.
/// The canonical URL is recorded whatever the bytes came from (a file is a snapshot of it).
pub fn build_inventory(raw: &[u8]) -> Result<Inventory, BuildError> {
    let mut inv = normalize::normalize_bytes(raw, normalize::PTS_API_DOCS_URL)?;
    overrides::apply_all(&mut inv, &overrides::committed()?)?;
    Ok(inv)
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Normalize(#[from] normalize::NormalizeError),
    #[error(transparent)]
    Override(#[from] overrides::OverrideError),
}
