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

/// Read as the typed shape when the value is an object, as raw text otherwise (the order
/// serde's untagged reading tries them in).
impl<T: crate::json::FromJson> crate::json::FromJson for JsonText<T> {
    fn from_json(v: serde_json::Value) -> Result<Self, crate::json::ReadError> {
        match v {
            serde_json::Value::String(text) => Ok(JsonText::Raw(text)),
            v => T::from_json(v).map(JsonText::Typed),
        }
    }
}

impl<T: crate::json::ToJson> crate::json::ToJson for JsonText<T> {
    fn to_json(&self) -> serde_json::Value {
        match self {
            JsonText::Typed(t) => t.to_json(),
            JsonText::Raw(text) => serde_json::Value::String(text.clone()),
        }
    }
}
