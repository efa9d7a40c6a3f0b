//! Wire parameters <-> the JSON form of a request. Scalars travel as text; `style: json`
//! objects and arrays travel as one parameter holding compact JSON text.

pub use crate::keys::{keys_to_wire, recase};
use crate::meta::{Location, OperationMeta, ShapeMeta, Style, ValueType};
use crate::validate::{Rule, ValidationError, suggest};
use serde_json::{Map, Value};

/// Wire parameters of one request, already stringified, in wire-name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireParams {
    pub query: Vec<(&'static str, String)>,
    pub form: Vec<(&'static str, String)>,
}

/// Encodes a request object (wire-name keys) into query and form parameters.
/// Unset (absent or null) parameters are omitted; empty strings are kept.
pub fn encode(op: &'static OperationMeta, obj: &Value) -> Result<WireParams, ValidationError> {
    let mut out = WireParams::default();
    let Some(map) = obj.as_object() else {
        return Ok(out);
    };
    for p in op.params {
        let Some(v) = map.get(p.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let text = match p.style {
            Style::Plain => scalar_text(v),
            Style::Json => compact(v),
            Style::JsonString(_) if v.is_string() => scalar_text(v),
            Style::JsonString(case) => compact(&recase(v, p.shape, case)),
        };
        match p.location {
            Location::Query => out.query.push((p.name, text)),
            Location::FormData => out.form.push((p.name, text)),
        }
    }
    Ok(out)
}

/// Strings verbatim, numbers in decimal, booleans as `true`/`false` (not Python's `True`).
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => compact(other),
    }
}

/// Compact JSON: no spaces, raw UTF-8, `/` unescaped, floats keep their fraction.
fn compact(v: &Value) -> String {
    serde_json::to_string(v).expect("JSON values serialize")
}

/// How [`decode`] matches parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// Exactly, as a server must.
    Exact,
    /// Ignoring ASCII case, as the CLI does for `--pagenumber`.
    IgnoreCase,
}

/// Decodes text parameters (already form-decoded) into a request object keyed by wire names,
/// converting each by its declared type. JSON-style values are parsed; JSON strings are kept.
pub fn decode<'a>(
    op: &'static OperationMeta,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    names: NameMatch,
) -> Result<Value, ValidationError> {
    let mut out = Map::new();
    for (name, text) in pairs {
        let param = match names {
            NameMatch::Exact => op.param(name),
            NameMatch::IgnoreCase => op.param_ignore_case(name),
        };
        let Some(p) = param else {
            let all: Vec<&str> = op.params.iter().map(|p| p.name).collect();
            return Err(ValidationError {
                operation: op.name,
                field: name.to_string(),
                rule: Rule::Unknown { suggestion: suggest(name, &all) },
                value: None,
            });
        };
        let value = match p.style {
            Style::JsonString(_) => Value::String(text.to_string()),
            Style::Json => parse_json(op.name, p.name, text)?,
            Style::Plain => scalar_from_text(op.name, p.name, p.shape, text)?,
        };
        out.insert(p.name.to_string(), value);
    }
    Ok(Value::Object(out))
}

fn parse_json(op: &'static str, name: &str, text: &str) -> Result<Value, ValidationError> {
    serde_json::from_str(text).map_err(|e| ValidationError {
        operation: op,
        field: name.to_string(),
        rule: Rule::InvalidJson(e.to_string()),
        value: None,
    })
}

/// Converts one text value by the declared scalar type.
pub fn scalar_from_text(
    op: &'static str,
    name: &str,
    shape: &ShapeMeta,
    text: &str,
) -> Result<Value, ValidationError> {
    let bad = || ValidationError {
        operation: op,
        field: name.to_string(),
        rule: Rule::Type { expected: shape.ty.name() },
        value: Some(format!("{text:?}")),
    };
    let t = text.trim();
    Ok(match shape.ty {
        ValueType::String => Value::String(text.to_string()),
        ValueType::Int32 | ValueType::Int64 => Value::from(t.parse::<i64>().map_err(|_| bad())?),
        ValueType::Float => {
            let f = t.parse::<f64>().map_err(|_| bad())?;
            serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(bad)?
        }
        // Other SDKs send true/false, the Python SDK True/False: accept any case.
        ValueType::Boolean => match t.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad()),
        },
        ValueType::Object | ValueType::Array | ValueType::Map | ValueType::Any => {
            parse_json(op, name, text)?
        }
    })
}
