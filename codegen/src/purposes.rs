//! The one-line purpose of each operation, in our own words (the metadata's prose is never
//! copied). Codegen puts them into the generated docs and metadata; the MCP tools read them
//! from there.

use std::collections::BTreeMap;

/// The committed purposes: operation name -> one line.
pub const PURPOSES_JSON: &str = include_str!("../purposes.json");

pub fn committed() -> BTreeMap<String, String> {
    serde_json::from_str(PURPOSES_JSON).expect("codegen/purposes.json is a map of strings")
}
