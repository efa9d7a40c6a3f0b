//! JSON key casing by declared shape: wire names (PascalCase) to the casing a JSON-string
//! parameter travels in, and any ASCII casing back to wire names. A leaf below both
//! encoding (`params`) and validation (`validate`).

use crate::meta::{KeyCase, ShapeMeta};
use serde_json::{Map, Value};

/// Rewrites the declared keys of `v` (PascalCase wire names) into `case`.
pub fn recase(v: &Value, shape: &ShapeMeta, case: KeyCase) -> Value {
    match v {
        Value::Object(map) if !shape.fields.is_empty() => {
            let mut out = Map::with_capacity(map.len());
            for (k, val) in map {
                let (key, sub) = match shape.fields.iter().find(|f| f.name == k) {
                    Some(f) => (apply_case(f.name, case), Some(f.shape)),
                    None => (k.clone(), None),
                };
                out.insert(key, sub.map_or_else(|| val.clone(), |s| recase(val, s, case)));
            }
            Value::Object(out)
        }
        Value::Array(items) => match shape.items {
            Some(item) => Value::Array(items.iter().map(|i| recase(i, item, case)).collect()),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}

fn apply_case(name: &str, case: KeyCase) -> String {
    match case {
        KeyCase::Pascal => name.to_string(),
        KeyCase::LowerCamel => {
            let mut c = name.chars();
            match c.next() {
                Some(first) => first.to_lowercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

/// Maps keys that match a declared field ignoring ASCII case onto the wire name, so JSON in
/// either casing (PascalCase or lowerCamel, both seen in PTS examples) reads the same.
pub fn keys_to_wire(v: &Value, shape: &ShapeMeta) -> Value {
    match v {
        Value::Object(map) if !shape.fields.is_empty() => {
            let mut out = Map::with_capacity(map.len());
            for (k, val) in map {
                match shape.fields.iter().find(|f| f.name.eq_ignore_ascii_case(k)) {
                    Some(f) => out.insert(f.name.to_string(), keys_to_wire(val, f.shape)),
                    None => out.insert(k.clone(), val.clone()),
                };
            }
            Value::Object(out)
        }
        Value::Array(items) => match shape.items {
            Some(item) => Value::Array(items.iter().map(|i| keys_to_wire(i, item)).collect()),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}
