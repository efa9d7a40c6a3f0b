//! A broken rule and the field paths rules name.

use serde::Serialize;

/// One broken rule: where, and what the rule says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Wire path, e.g. `Scene.RelationList[0].ApiList[1].Url`.
    pub field: String,
    /// The rule in words, with the offending value where it helps.
    pub rule: String,
}

impl Violation {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Violation {
        Violation { field: field.into(), rule: rule.into() }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.rule)
    }
}

impl std::error::Error for Violation {}

/// `Scene.RelationList[i]`.
pub(crate) fn rel_path(i: usize) -> String {
    format!("Scene.RelationList[{i}]")
}

/// `Scene.RelationList[i].ApiList[j]`.
pub(crate) fn api_path(i: usize, j: usize) -> String {
    format!("Scene.RelationList[{i}].ApiList[{j}]")
}
