//! Raw `api-docs.json` -> facts-only [`Inventory`].

use crate::inventory::*;
use crate::raw;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Where `cargo xtask regen` fetches the metadata by default.
pub const PTS_API_DOCS_URL: &str =
    "https://api.aliyun.com/meta/v1/products/PTS/versions/2020-10-20/api-docs.json";

#[derive(Debug, thiserror::Error)]
pub enum NormalizeError {
    #[error("the metadata is not valid api-docs JSON: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("operation {op}: unknown operationType {value:?}")]
    OperationType { op: String, value: String },
    #[error("operation {op}, parameter {param}: unknown location {value:?}")]
    Location { op: String, param: String, value: String },
    #[error("operation {op}, {path}: bound {value} is not a non-negative integer")]
    Bound { op: String, path: String, value: String },
}

/// Parses and normalizes a raw document. `source_url` is recorded as given.
pub fn normalize_bytes(bytes: &[u8], source_url: &str) -> Result<Inventory, NormalizeError> {
    let docs = raw::ApiDocs::parse(bytes)?;
    let sha256 = hex_lower(&Sha256::digest(bytes));
    normalize(&docs, source_url, &sha256)
}

pub fn normalize(
    docs: &raw::ApiDocs,
    source_url: &str,
    sha256: &str,
) -> Result<Inventory, NormalizeError> {
    let mut operations =
        docs.apis.iter().map(|(name, api)| operation(name, api)).collect::<Result<Vec<_>, _>>()?;
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let endpoints =
        docs.endpoints.iter().map(|e| (e.region_id.clone(), e.endpoint.clone())).collect();
    Ok(Inventory {
        format: INVENTORY_FORMAT,
        product: docs.info.product.clone(),
        version: docs.info.version.clone(),
        style: docs.info.style.clone(),
        source: Source { url: source_url.to_string(), sha256: sha256.to_string() },
        endpoints,
        operations,
        overrides: Vec::new(),
    })
}

fn operation(name: &str, api: &raw::Api) -> Result<Operation, NormalizeError> {
    let access = match api.operation_type.as_str() {
        "read" => Access::Read,
        "write" => Access::Write,
        "readAndWrite" => Access::ReadAndWrite,
        other => {
            return Err(NormalizeError::OperationType { op: name.into(), value: other.into() });
        }
    };
    let mut parameters =
        api.parameters.iter().map(|p| parameter(name, p)).collect::<Result<Vec<_>, _>>()?;
    parameters.sort_by(|a, b| a.name.cmp(&b.name));
    let response = match api.ok_schema() {
        Some(s) => shape(name, "response", s)?,
        None => Shape { ty: Some(Type::Object), ..Shape::default() },
    };
    let mut error_codes: Vec<ErrorCode> = api
        .error_codes
        .iter()
        .flat_map(|(status, codes)| {
            let http_status = status.parse().unwrap_or(0);
            codes.iter().map(move |c| ErrorCode { http_status, code: c.error_code.clone() })
        })
        .collect();
    error_codes.sort_by(|a, b| (a.http_status, &a.code).cmp(&(b.http_status, &b.code)));
    error_codes.dedup();
    let mut methods = api.methods.clone();
    methods.sort();
    let mut schemes = api.schemes.clone();
    schemes.sort();
    let mut security: Vec<String> = api.security.iter().flat_map(|m| m.keys().cloned()).collect();
    security.sort();
    security.dedup();
    let paging = detect_paging(&parameters, &response);
    Ok(Operation {
        name: name.to_string(),
        access,
        methods,
        schemes,
        security,
        deprecated: api.deprecated,
        paging,
        parameters,
        response,
        error_codes,
    })
}

fn parameter(op: &str, p: &raw::Parameter) -> Result<Parameter, NormalizeError> {
    let location = match p.location.as_str() {
        "query" => Location::Query,
        "formData" => Location::FormData,
        other => {
            return Err(NormalizeError::Location {
                op: op.into(),
                param: p.name.clone(),
                value: other.into(),
            });
        }
    };
    let style = if p.style.as_deref() == Some("json") { Style::Json } else { Style::Plain };
    Ok(Parameter { name: p.name.clone(), location, style, schema: shape(op, &p.name, &p.schema)? })
}

fn shape(op: &str, path: &str, s: &raw::Schema) -> Result<Shape, NormalizeError> {
    let mut properties = BTreeMap::new();
    for (name, child) in s.properties.iter().flatten() {
        properties.insert(name.clone(), shape(op, &format!("{path}.{name}"), child)?);
    }
    let items = match &s.items {
        Some(i) => Some(Box::new(shape(op, &format!("{path}[]"), i)?)),
        None => None,
    };
    let map_values = match &s.additional_properties {
        Some(raw::AdditionalProperties::Schema(v)) => {
            Some(Box::new(shape(op, &format!("{path}{{}}"), v)?))
        }
        _ => None,
    };
    let ty = match s.ty.as_deref() {
        Some("string") => Type::String,
        Some("integer") => Type::Integer,
        Some("number") => Type::Number,
        Some("boolean") => Type::Boolean,
        Some("array") => Type::Array,
        // An object with neither properties nor a value schema is free-form.
        Some("object") if properties.is_empty() && map_values.is_none() => Type::Any,
        Some("object") => Type::Object,
        _ => Type::Any,
    };
    let bound =
        |v: &Option<serde_json::Number>, what: &str| -> Result<Option<u64>, NormalizeError> {
            match v {
                None => Ok(None),
                Some(n) => n.as_u64().map(Some).ok_or_else(|| NormalizeError::Bound {
                    op: op.into(),
                    path: format!("{path} {what}"),
                    value: n.to_string(),
                }),
            }
        };
    let constraints = Constraints {
        minimum: s.minimum.clone(),
        maximum: s.maximum.clone(),
        exclusive_minimum: s.exclusive_minimum.unwrap_or(false),
        exclusive_maximum: s.exclusive_maximum.unwrap_or(false),
        multiple_of: None,
        min_length: bound(&s.min_length, "minLength")?,
        max_length: bound(&s.max_length, "maxLength")?,
        pattern: s.pattern.clone(),
        enum_values: s.enum_values.clone().unwrap_or_default(),
        min_items: bound(&s.min_items, "minItems")?,
        max_items: bound(&s.max_items, "maxItems")?,
        less_than_field: None,
        at_most_field: None,
    };
    Ok(Shape {
        ty: Some(ty),
        format: s.format.clone(),
        required: s.required.unwrap_or(false),
        constraints,
        default: s.default.clone(),
        items,
        properties,
        map_values,
        ..Shape::default()
    })
}

/// PageNumber + PageSize parameters and exactly one top-level response list.
fn detect_paging(params: &[Parameter], response: &Shape) -> Option<Paging> {
    let has = |n: &str| params.iter().any(|p| p.name == n);
    if !(has("PageNumber") && has("PageSize")) {
        return None;
    }
    let lists: Vec<&String> = response
        .properties
        .iter()
        .filter(|(_, s)| s.ty == Some(Type::Array))
        .map(|(n, _)| n)
        .collect();
    let [items] = lists.as_slice() else {
        return None;
    };
    Some(Paging {
        page_number: "PageNumber".into(),
        page_size: "PageSize".into(),
        items: (*items).clone(),
        total_count: response.properties.contains_key("TotalCount").then(|| "TotalCount".into()),
    })
}

pub fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}
