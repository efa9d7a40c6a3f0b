//! A parameter that travels as a JSON string: either built from a typed shape or given
//! as raw text by a caller who already holds the JSON.

use serde::{Deserialize, Serialize};

/// Serialized untagged: `Typed` as a JSON object with wire (PascalCase) keys, `Raw` as a
/// string. The wire encoder rewrites the keys to the casing the operation expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum JsonText<T> {
    Typed(T),
    Raw(String),
}

impl<T> From<T> for JsonText<T> {
    fn from(v: T) -> Self {
        JsonText::Typed(v)
    }
}

impl<T> JsonText<T> {
    pub fn raw(text: impl Into<String>) -> Self {
        JsonText::Raw(text.into())
    }
}
