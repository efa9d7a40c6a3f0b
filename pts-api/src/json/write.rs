//! Writing: a response object into a JSON value, absent fields left out.

use serde_json::{Map, Value};

/// A type written as a JSON value.
pub(crate) trait ToJson {
    fn to_json(&self) -> Value;
}

/// serde's entry point for a [`ToJson`] type.
pub(crate) fn serialize<T: ToJson, S: serde::Serializer>(t: &T, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&t.to_json(), s)
}

/// The members of a JSON object being written, in key order.
#[derive(Default)]
pub(crate) struct Members(Map<String, Value>);

impl Members {
    /// Writes `key` when the field is set; an absent field is left out, not written as null.
    pub(crate) fn put<T: ToJson>(&mut self, key: &str, field: &Option<T>) {
        if let Some(v) = field {
            self.insert(key, v.to_json());
        }
    }

    /// Writes a required field.
    pub(crate) fn set<T: ToJson>(&mut self, key: &str, field: &T) {
        self.insert(key, field.to_json());
    }

    fn insert(&mut self, key: &str, v: Value) {
        self.0.insert(key.to_string(), v);
    }

    pub(crate) fn done(self) -> Value {
        Value::Object(self.0)
    }
}

// Loops, not iterator chains: these are compiled once per element type.
impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        let mut out = Vec::with_capacity(self.len());
        for item in self {
            out.push(item.to_json());
        }
        Value::Array(out)
    }
}

impl<T: ToJson> ToJson for std::collections::BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (k, item) in self {
            out.insert(k.clone(), item.to_json());
        }
        Value::Object(out)
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

/// Numbers and booleans: serde_json's own conversion (a non-finite float becomes null, as
/// serde_json writes it).
macro_rules! scalar {
    ($($ty:ty),*) => {
        $(impl ToJson for $ty {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        })*
    };
}

scalar!(i32, i64, f64, bool);
