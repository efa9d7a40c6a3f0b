//! The api-docs.json metadata model and the facts-only inventory derived from it.
//!
//! Data flows one way: raw metadata ([`raw`]) -> [`normalize`] -> [`inventory::Inventory`]
//! (committed at `api-meta/inventory/`) -> codegen.

pub mod inventory;
pub mod markdown;
pub mod normalize;
pub mod raw;
pub mod snapshot;

pub use inventory::Inventory;
