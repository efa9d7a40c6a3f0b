//! The facts-only inventory: what reviewers diff and what codegen reads.
//!
//! It holds names, types, constraints and locations, never descriptions or examples.
//! Maps are `BTreeMap` and lists are sorted by the normalizer, so the JSON is stable.

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};
use std::collections::BTreeMap;

pub const INVENTORY_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub format: u32,
    pub product: String,
    pub version: String,
    pub style: String,
    pub source: Source,
    /// region id -> endpoint host
    pub endpoints: BTreeMap<String, String>,
    pub operations: Vec<Operation>,
    /// Overrides applied on top of the metadata, in application order, each with its
    /// reason and the upstream facts it replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<AppliedOverride>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub url: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedOverride {
    pub id: String,
    pub target: String,
    pub why: String,
    /// The parameter's upstream style, when the override sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_style: Option<Style>,
    /// The target's shape as the metadata gave it, before this override.
    pub upstream: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    Read,
    Write,
    ReadAndWrite,
}

impl Access {
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub name: String,
    pub access: Access,
    pub methods: Vec<String>,
    pub schemes: Vec<String>,
    pub security: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    pub parameters: Vec<Parameter>,
    pub response: Shape,
    /// (HTTP status, error code) pairs the metadata lists; messages are not kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<ErrorCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorCode {
    pub http_status: u16,
    pub code: String,
}

/// PageNumber/PageSize paging, detected from the parameters and the response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paging {
    pub page_number: String,
    pub page_size: String,
    /// The top-level response list that holds the page's items.
    pub items: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Location {
    Query,
    FormData,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Query => "query",
            Location::FormData => "formData",
        }
    }
}

/// How a parameter's value is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A scalar as text.
    Plain,
    /// `style: json`: the object or array as one compact JSON text.
    Json,
    /// A string that carries JSON (an override gives it a typed shape).
    JsonString,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub location: Location,
    pub style: Style,
    pub schema: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    /// No type or a free-form object: kept as a JSON value.
    Any,
}

/// Key casing of a JSON text (`style: json_string` parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyCase {
    Pascal,
    LowerCamel,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    #[serde(rename = "type")]
    pub ty: Option<Type>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Shape>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Shape>,
    /// Value shape of a string-keyed map (`additionalProperties`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_values: Option<Box<Shape>>,
    /// Named value set for an open enum (set by overrides, never by the metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_name: Option<String>,
    /// Other spellings the service accepts for an enum value: canonical value -> aliases.
    /// Readers map them to the canonical value; validation still asks for the canonical one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enum_aliases: BTreeMap<String, Vec<String>>,
    /// This node takes the shape found at another path (`Op.request.Param`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_case: Option<KeyCase>,
    /// A response object read as the type made for another response path
    /// (`Op.response.Field...`): set by an override when the two describe one thing and
    /// this one reports a subset of its fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// A response object that keeps its own type even where another occurrence has the
    /// same structure (set by an override when the two mean different things).
    #[serde(default, skip_serializing_if = "is_false")]
    pub distinct: bool,
    /// Ids of the overrides that changed this node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Number>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_minimum: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive_maximum: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// The value must be less than this sibling field's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than_field: Option<String>,
    /// The value must not exceed this sibling field's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most_field: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Inventory {
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("inventory serializes");
        s.push('\n');
        s
    }

    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl Operation {
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}
