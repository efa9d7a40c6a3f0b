//! Serde model of the `api-docs.json` metadata format, as published at
//! `api.aliyun.com/meta/v1/products/<P>/versions/<V>/api-docs.json`.
//!
//! The model is tolerant: unknown keys are ignored, and numbers that the format
//! writes as strings (`"maximum": "1000"`) are accepted as either strings or numbers.
//! Prose fields are parsed (so tests can read examples) but never reach the inventory.

use serde::{Deserialize, Deserializer};
use serde_json::Number;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct ApiDocs {
    #[serde(default)]
    pub info: Info,
    #[serde(default)]
    pub apis: BTreeMap<String, Api>,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub style: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub region_id: String,
    pub endpoint: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Api {
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub schemes: Vec<String>,
    #[serde(default)]
    pub security: Vec<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub operation_type: String,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    #[serde(default)]
    pub error_codes: BTreeMap<String, Vec<ErrorCode>>,
    /// A JSON string holding a list of `{type, example}`; see [`Api::json_examples`].
    #[serde(default)]
    pub response_demo: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub allow_empty_value: Option<bool>,
    pub schema: Schema,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Response {
    #[serde(default)]
    pub schema: Option<Schema>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCode {
    pub error_code: String,
    #[serde(default)]
    pub error_message: Option<String>,
}

/// One schema node. `required` is a per-node boolean in this format, not a list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default, deserialize_with = "loose_number")]
    pub minimum: Option<Number>,
    #[serde(default, deserialize_with = "loose_number")]
    pub maximum: Option<Number>,
    #[serde(default)]
    pub exclusive_minimum: Option<bool>,
    #[serde(default)]
    pub exclusive_maximum: Option<bool>,
    #[serde(default, deserialize_with = "loose_number")]
    pub min_length: Option<Number>,
    #[serde(default, deserialize_with = "loose_number")]
    pub max_length: Option<Number>,
    #[serde(default, deserialize_with = "loose_number")]
    pub min_items: Option<Number>,
    #[serde(default, deserialize_with = "loose_number")]
    pub max_items: Option<Number>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// Kept in declaration order: the order is a fact of the document, but the
    /// inventory sorts it anyway so that reordering upstream is not a diff.
    #[serde(default)]
    pub properties: Option<BTreeMap<String, Schema>>,
    #[serde(default)]
    pub additional_properties: Option<AdditionalProperties>,
    #[serde(default)]
    pub example: Option<serde_json::Value>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Box<Schema>),
}

/// Accepts `12`, `12.5`, `"12"` or `null`, keeping integers exact (`"9223372036854775807"`).
fn loose_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Number>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => Ok(Some(n)),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => parse_number(s.trim())
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("not a number: {s:?}"))),
        Some(other) => Err(serde::de::Error::custom(format!("not a number: {other}"))),
    }
}

fn parse_number(s: &str) -> Option<Number> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(i.into());
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some(u.into());
    }
    s.parse::<f64>().ok().and_then(Number::from_f64)
}

impl Api {
    /// The JSON examples of the 200 response, parsed from `responseDemo`.
    pub fn json_examples(&self) -> Vec<serde_json::Value> {
        #[derive(Deserialize)]
        struct Demo {
            #[serde(rename = "type")]
            kind: String,
            #[serde(default)]
            example: String,
        }
        let Some(demo) = &self.response_demo else {
            return Vec::new();
        };
        let demos: Vec<Demo> = serde_json::from_str(demo).unwrap_or_default();
        demos
            .into_iter()
            .filter(|d| d.kind == "json" && !d.example.trim().is_empty())
            .filter_map(|d| serde_json::from_str(&d.example).ok())
            .collect()
    }

    /// The schema of the 200 response, if the document has one.
    pub fn ok_schema(&self) -> Option<&Schema> {
        self.responses.get("200").and_then(|r| r.schema.as_ref())
    }
}

impl ApiDocs {
    pub fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
