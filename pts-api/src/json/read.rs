//! Reading: a JSON value into a response object, field by field, leniently for scalars.

use super::lenient;
use serde_json::{Map, Value};
use std::fmt;

/// A type read from a JSON value.
pub(crate) trait FromJson: Sized {
    /// Whether a value that cannot be read leaves an optional field absent instead of
    /// failing the body: true for the lenient scalars.
    const ABSENT_IF_UNREADABLE: bool = false;

    fn from_json(v: Value) -> Result<Self, ReadError>;
}

/// Why a value could not be read, and where: the path of wire keys and indices from the
/// value being read down to the one that failed.
#[derive(Debug)]
pub(crate) struct ReadError {
    /// Innermost segment first (segments are added while the error travels outwards).
    path: Vec<String>,
    message: String,
}

impl ReadError {
    fn expected(what: &str, got: &Value) -> Self {
        let got = match got {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "text",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        ReadError { path: Vec::new(), message: format!("expected {what}, got {got}") }
    }

    fn at(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return f.write_str(&self.message);
        }
        let mut path = String::new();
        for segment in self.path.iter().rev() {
            if !path.is_empty() && !segment.starts_with('[') {
                path.push('.');
            }
            path.push_str(segment);
        }
        write!(f, "`{path}`: {}", self.message)
    }
}

/// serde's entry point for a [`FromJson`] type.
pub(crate) fn deserialize<'de, T: FromJson, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    T::from_json(serde::Deserialize::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// The members of one JSON object, taken out field by field. Taking never fails, so a
/// generated reader is one plain struct literal; the first error is kept for [`finish`].
///
/// [`finish`]: Fields::finish
pub(crate) struct Fields {
    members: Map<String, Value>,
    error: Option<ReadError>,
    /// A request's rules: every value must read, and no member may be left over.
    strict: bool,
}

impl Fields {
    /// A response: lenient scalars, and members nobody takes are ignored, as a response
    /// may carry fields newer than this client.
    pub(crate) fn new(v: Value) -> Result<Self, ReadError> {
        Ok(Fields { members: object(v)?, error: None, strict: false })
    }

    /// A request: a value that cannot be read and a member nobody takes are errors.
    pub(crate) fn strict(v: Value) -> Result<Self, ReadError> {
        Ok(Fields { strict: true, ..Self::new(v)? })
    }

    /// The member `key`; absent and null both read as `None`, and so does a lenient scalar
    /// that cannot be read in a response.
    pub(crate) fn take<T: FromJson>(&mut self, key: &str) -> Option<T> {
        match T::from_json(self.present(key)?) {
            Ok(t) => Some(t),
            Err(e) => {
                if self.strict || !T::ABSENT_IF_UNREADABLE {
                    self.fail(key, e);
                }
                None
            }
        }
    }

    /// A required member: absent or null is an error (and `None`, to stop the reading).
    pub(crate) fn require<T: FromJson>(&mut self, key: &str) -> Option<T> {
        if self.members.get(key).is_none_or(Value::is_null) {
            self.fail_missing(key);
            return None;
        }
        self.take(key)
    }

    fn fail_missing(&mut self, key: &str) {
        let missing = ReadError { path: Vec::new(), message: format!("missing field `{key}`") };
        self.error.get_or_insert(missing);
    }

    fn present(&mut self, key: &str) -> Option<Value> {
        self.members.remove(key).filter(|v| !v.is_null())
    }

    fn fail(&mut self, key: &str, e: ReadError) {
        self.error.get_or_insert(e.at(key.to_string()));
    }

    /// The first member that could not be read, if any; then, for a request, the first
    /// member nobody took.
    pub(crate) fn finish(self) -> Result<(), ReadError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.members.keys().next() {
            Some(key) if self.strict => {
                Err(ReadError { path: Vec::new(), message: format!("unknown field `{key}`") })
            }
            _ => Ok(()),
        }
    }
}

fn array(v: Value) -> Result<Vec<Value>, ReadError> {
    match v {
        Value::Array(items) => Ok(items),
        other => Err(ReadError::expected("an array", &other)),
    }
}

fn object(v: Value) -> Result<Map<String, Value>, ReadError> {
    match v {
        Value::Object(members) => Ok(members),
        other => Err(ReadError::expected("an object", &other)),
    }
}

// The containers are compiled once per element type: the walk over the items is written
// once (not generic), and each element type adds only its small closure.
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: Value) -> Result<Self, ReadError> {
        let mut out = Vec::new();
        each_item(v, &mut |item| T::from_json(item).map(|t| out.push(t)))?;
        Ok(out)
    }
}

impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
    fn from_json(v: Value) -> Result<Self, ReadError> {
        let mut out = Self::new();
        each_member(v, &mut |k, item| T::from_json(item).map(|t| drop(out.insert(k, t))))?;
        Ok(out)
    }
}

type Each<'a> = &'a mut dyn FnMut(Value) -> Result<(), ReadError>;
type EachMember<'a> = &'a mut dyn FnMut(String, Value) -> Result<(), ReadError>;

fn each_item(v: Value, read: Each<'_>) -> Result<(), ReadError> {
    for (i, item) in array(v)?.into_iter().enumerate() {
        read(item).map_err(|e| e.at(format!("[{i}]")))?;
    }
    Ok(())
}

fn each_member(v: Value, read: EachMember<'_>) -> Result<(), ReadError> {
    for (k, item) in object(v)? {
        let at = k.clone();
        read(k, item).map_err(|e| e.at(at))?;
    }
    Ok(())
}

impl FromJson for Value {
    fn from_json(v: Value) -> Result<Self, ReadError> {
        Ok(v)
    }
}

/// A lenient scalar: read by its `lenient` function, absent when that cannot read it.
macro_rules! lenient_scalar {
    ($ty:ty, $what:literal, $read:path) => {
        impl FromJson for $ty {
            const ABSENT_IF_UNREADABLE: bool = true;
            fn from_json(v: Value) -> Result<Self, ReadError> {
                $read(&v).ok_or_else(|| ReadError::expected($what, &v))
            }
        }
    };
}

lenient_scalar!(i64, "an integer", lenient::i64);
lenient_scalar!(i32, "a 32-bit integer", lenient::i32);
lenient_scalar!(f64, "a number", lenient::f64);
lenient_scalar!(bool, "a boolean", lenient::bool);

impl FromJson for String {
    const ABSENT_IF_UNREADABLE: bool = true;
    fn from_json(v: Value) -> Result<Self, ReadError> {
        match v {
            Value::Null => Err(ReadError::expected("text", &v)),
            v => Ok(lenient::str(v)),
        }
    }
}

pub(crate) fn int_enum_value(v: Value) -> Result<i64, ReadError> {
    lenient::enum_int(&v).ok_or_else(|| ReadError::expected("an integer", &v))
}
