//! Field limits, required fields, types and value sets: the metadata's own constraints on
//! SavePtsScene's `Scene` (ranges, lengths, patterns, enumerations, sibling comparisons such as
//! `KeepTime < MaxRunningTime` and `Begin ≤ Limit`), every problem reported.

use super::violation::Violation;
use crate::validate::{Rule, describe, validate_all};
use serde_json::{Value, json};

/// Every metadata problem of a scene document (wire keys).
pub fn check(doc: &Value) -> Vec<Violation> {
    let op = crate::operation_meta("SavePtsScene").expect("SavePtsScene exists");
    validate_all(op, &json!({ "Scene": doc }))
        .into_iter()
        .map(|e| {
            let rule = match &e.rule {
                Rule::Required => "is required".to_string(),
                Rule::Unknown { suggestion: Some(s) } => {
                    format!("is not a field of this object (did you mean {s}?)")
                }
                Rule::Unknown { suggestion: None } => "is not a field of this object".into(),
                Rule::Type { expected } => type_rule(expected).to_string(),
                Rule::InvalidJson(m) => format!("must be valid JSON: {m}"),
                Rule::Constraint(c) => describe(c),
            };
            let rule = match &e.value {
                Some(v) => format!("{rule} (got {v})"),
                None => rule,
            };
            Violation::new(e.field, rule)
        })
        .collect()
}

/// A type in words.
fn type_rule(expected: &str) -> &'static str {
    match expected {
        "int32" | "int64" => "must be an integer",
        "number" => "must be a number",
        "string" => "must be a string",
        "boolean" => "must be true or false",
        "array" => "must be a list",
        "object" | "map" => "must be an object",
        _ => "has the wrong type",
    }
}
