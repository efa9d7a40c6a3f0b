//! Inventories made of read operations whose responses a test writes out.

use serde_json::{Value, json};

/// A read operation with no parameters and the given response properties.
pub fn op(name: &str, response: Value) -> Value {
    json!({
        "name": name, "access": "read", "methods": ["post"], "schemes": ["https"],
        "security": ["AK"], "parameters": [],
        "response": { "type": "object", "properties": response }
    })
}

/// An inventory of the given operations.
pub fn inventory(ops: Vec<Value>) -> api_meta::Inventory {
    let inv = json!({
        "format": 1, "product": "FIXTURE", "version": "2020-10-20", "style": "RPC",
        "source": { "url": "fixture", "sha256": "0" }, "endpoints": {}, "operations": ops
    });
    api_meta::Inventory::from_json(&inv.to_string()).expect("fixture parses")
}
