//! Static operation metadata, emitted by codegen from the inventory and read by the
//! validator, the wire encoder, the CLI and pts-local alike.

/// The operation's `operationType` in the metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    ReadAndWrite,
}

impl Access {
    /// Write and readAndWrite operations change state; only `read` ones are safe to repeat.
    pub fn is_mutating(self) -> bool {
        !matches!(self, Access::Read)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::ReadAndWrite => "readAndWrite",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Query,
    FormData,
}

/// How a parameter travels: plain text, compact JSON (`style: json`), or a string that
/// carries JSON in a given key casing (overrides give it a typed shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Json,
    JsonString(KeyCase),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCase {
    Pascal,
    LowerCamel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Int32,
    Int64,
    Float,
    Boolean,
    Object,
    Array,
    Map,
    Any,
}

impl ValueType {
    pub fn name(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::Int32 => "int32",
            ValueType::Int64 => "int64",
            ValueType::Float => "number",
            ValueType::Boolean => "boolean",
            ValueType::Object => "object",
            ValueType::Array => "array",
            ValueType::Map => "map",
            ValueType::Any => "any",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EnumValue {
    Str(&'static str),
    Int(i64),
}

impl std::fmt::Display for EnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnumValue::Str(s) => f.write_str(s),
            EnumValue::Int(i) => write!(f, "{i}"),
        }
    }
}

/// One rule from the inventory (metadata or a reviewed override).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constraint {
    Minimum(Num),
    ExclusiveMinimum(Num),
    Maximum(Num),
    ExclusiveMaximum(Num),
    MultipleOf(i64),
    MinLength(u64),
    MaxLength(u64),
    Pattern(&'static str),
    OneOf(&'static [EnumValue]),
    MinItems(u64),
    MaxItems(u64),
    /// Less than the named sibling field.
    LessThanField(&'static str),
    /// At most the named sibling field.
    AtMostField(&'static str),
}

#[derive(Debug)]
pub struct ShapeMeta {
    pub ty: ValueType,
    pub required: bool,
    pub constraints: &'static [Constraint],
    /// Object fields, sorted by wire name.
    pub fields: &'static [FieldMeta],
    /// List items or map values.
    pub items: Option<&'static ShapeMeta>,
    /// Strings holding JSON text (`format: json-text` override).
    pub json_text: bool,
}

#[derive(Debug)]
pub struct FieldMeta {
    pub name: &'static str,
    pub shape: &'static ShapeMeta,
}

impl FieldMeta {
    /// A field in one expression (keeps the generated tables one line per plain field).
    pub const fn of(name: &'static str, shape: &'static ShapeMeta) -> FieldMeta {
        FieldMeta { name, shape }
    }
}

#[derive(Debug)]
pub struct ParamMeta {
    pub name: &'static str,
    pub location: Location,
    pub style: Style,
    pub shape: &'static ShapeMeta,
}

#[derive(Debug)]
pub struct PagingMeta {
    pub page_number: &'static str,
    pub page_size: &'static str,
    pub items: &'static str,
    pub total_count: Option<&'static str>,
}

#[derive(Debug)]
pub struct OperationMeta {
    pub name: &'static str,
    /// What the operation does, in one line of our own words (not the metadata's prose);
    /// `None` when no purpose has been written for it yet.
    pub purpose: Option<&'static str>,
    pub access: Access,
    pub paging: Option<PagingMeta>,
    /// Sorted by wire name.
    pub params: &'static [ParamMeta],
    pub response: &'static ShapeMeta,
    /// (HTTP status, error code) pairs listed in the metadata.
    pub error_codes: &'static [(u16, &'static str)],
}

impl OperationMeta {
    pub fn is_mutating(&self) -> bool {
        self.access.is_mutating()
    }

    pub fn param(&self, name: &str) -> Option<&'static ParamMeta> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Case-insensitive lookup, for callers that accept `--pagenumber` as well.
    pub fn param_ignore_case(&self, name: &str) -> Option<&'static ParamMeta> {
        self.params.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }
}

impl ShapeMeta {
    pub fn field(&self, name: &str) -> Option<&'static ShapeMeta> {
        self.fields.iter().find(|f| f.name == name).map(|f| f.shape)
    }
}

/// Building blocks the generated metadata refers to, so that each unconstrained node is a
/// single reference instead of a full literal.
impl ShapeMeta {
    const fn plain(ty: ValueType, required: bool) -> ShapeMeta {
        ShapeMeta { ty, required, constraints: &[], fields: &[], items: None, json_text: false }
    }
    pub const STRING: ShapeMeta = ShapeMeta::plain(ValueType::String, false);
    pub const INT32: ShapeMeta = ShapeMeta::plain(ValueType::Int32, false);
    pub const INT64: ShapeMeta = ShapeMeta::plain(ValueType::Int64, false);
    pub const FLOAT: ShapeMeta = ShapeMeta::plain(ValueType::Float, false);
    pub const BOOLEAN: ShapeMeta = ShapeMeta::plain(ValueType::Boolean, false);
    pub const OBJECT: ShapeMeta = ShapeMeta::plain(ValueType::Object, false);
    pub const ARRAY: ShapeMeta = ShapeMeta::plain(ValueType::Array, false);
    pub const MAP: ShapeMeta = ShapeMeta::plain(ValueType::Map, false);
    pub const ANY: ShapeMeta = ShapeMeta::plain(ValueType::Any, false);
}
