//! Code generator: inventory -> intermediate model ([`model`]) -> Rust ([`emit`]).
//!
//! Reads only the facts-only inventory, never the raw metadata. Service quirks are fixed
//! by the reviewed entries of `overrides.json` ([`overrides`]), never in emit code.

pub mod docs;
pub mod emit;
pub mod enums;
pub mod model;
pub mod naming;
pub mod purposes;
pub mod shared;

/// Overrides are applied to the inventory by api-meta; the reviewed file lives here.
pub use api_meta::overrides;

use api_meta::Inventory;
use std::collections::BTreeMap;

/// Generated files (relative to `pts-api/src/generated/`) for an inventory.
pub fn generate(inv: &Inventory) -> BTreeMap<String, String> {
    emit::emit(&model::build(inv))
}
