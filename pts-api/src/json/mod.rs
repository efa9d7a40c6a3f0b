//! JSON for the generated requests, response objects and open enums. The generated code
//! names each field's wire key once (`object!` for responses, `request!` for requests);
//! reading and writing are done here, by one generic function per field type. serde's derive
//! writes a visitor, a field enum, a wrapper per lenient field and a serializer for every
//! struct instead, which was over a third of this crate's build time. The serde impls stay,
//! routed through [`read::deserialize`] and [`write::serialize`].

pub(crate) mod lenient;
pub(crate) mod read;
pub(crate) mod write;

pub(crate) use read::{FromJson, ReadError};
pub(crate) use write::ToJson;

/// JSON for a struct whose fields are all `Option`s, from its field names and their wire
/// keys in key order: `FromJson`, `ToJson` and serde's `Deserialize` and `Serialize`.
macro_rules! object {
    ($ty:ident { $($field:ident: $wire:literal),* $(,)? }) => {
        impl crate::json::FromJson for $ty {
            fn from_json(v: serde_json::Value) -> Result<Self, crate::json::ReadError> {
                let mut _fields = crate::json::read::Fields::new(v)?;
                let read = Self { $($field: _fields.take($wire),)* };
                _fields.finish()?;
                Ok(read)
            }
        }
        impl crate::json::ToJson for $ty {
            fn to_json(&self) -> serde_json::Value {
                let mut _members = crate::json::write::Members::default();
                $(_members.put($wire, &self.$field);)*
                _members.done()
            }
        }
        crate::json::serde_impls!($ty);
    };
}

/// JSON for a request struct, from its field names and their wire keys in key order, each
/// marked `required` or not (then an `Option`): `FromJson`, `ToJson` and serde's
/// `Deserialize` and `Serialize`. Reading is strict: a value that cannot be read, a missing
/// required field and an unknown member are errors.
macro_rules! request {
    ($ty:ident { $($field:ident: $wire:literal $($required:ident)?),* $(,)? }) => {
        impl crate::json::FromJson for $ty {
            fn from_json(v: serde_json::Value) -> Result<Self, crate::json::ReadError> {
                let mut _fields = crate::json::read::Fields::strict(v)?;
                // A closure, so that `?` on a missing required field stops the reading; the
                // error is kept in `_fields`.
                #[allow(clippy::redundant_closure_call)]
                let read = (|| {
                    Some(Self { $($field: crate::json::request!(@take _fields $($required)? $wire),)* })
                })();
                _fields.finish()?;
                Ok(read.expect("a field that stopped the reading left its error"))
            }
        }
        impl crate::json::ToJson for $ty {
            fn to_json(&self) -> serde_json::Value {
                let mut _members = crate::json::write::Members::default();
                $(crate::json::request!(@put _members $($required)? $wire self.$field);)*
                _members.done()
            }
        }
        crate::json::serde_impls!($ty);
    };
    (@take $fields:ident required $wire:literal) => { $fields.require($wire)? };
    (@take $fields:ident $wire:literal) => { $fields.take($wire) };
    (@put $members:ident required $wire:literal $value:expr) => { $members.set($wire, &$value) };
    (@put $members:ident $wire:literal $value:expr) => { $members.put($wire, &$value) };
}

/// JSON for a generated open enum of text values (`From<String>`, `as_str`). A number or
/// boolean reads as its JSON text, so an unexpected value is kept (as `Unknown`).
macro_rules! text_enum {
    ($ty:ident) => {
        impl crate::json::FromJson for $ty {
            fn from_json(v: serde_json::Value) -> Result<Self, crate::json::ReadError> {
                Ok(Self::from(crate::json::lenient::str(v)))
            }
        }
        impl crate::json::ToJson for $ty {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::from(self.as_str())
            }
        }
        crate::json::serde_impls!($ty);
    };
}

/// JSON for a generated open enum of integers (`From<i64>`, `as_i64`).
macro_rules! int_enum {
    ($ty:ident) => {
        impl crate::json::FromJson for $ty {
            fn from_json(v: serde_json::Value) -> Result<Self, crate::json::ReadError> {
                crate::json::read::int_enum_value(v).map(Self::from)
            }
        }
        impl crate::json::ToJson for $ty {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::from(self.as_i64())
            }
        }
        crate::json::serde_impls!($ty);
    };
}

macro_rules! serde_impls {
    ($ty:ident) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::json::read::deserialize(d)
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::json::write::serialize(self, s)
            }
        }
    };
}

pub(crate) use {int_enum, object, request, serde_impls, text_enum};

#[cfg(test)]
mod tests;
