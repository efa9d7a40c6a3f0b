//! How a response scalar reads: PTS examples and services sometimes send numbers as strings
//! ("230") or strings as numbers. Each function is named after the Rust type it reads and
//! gives `None` for a value it cannot read (only null, for text); `from_json` turns that into an absent field, so
//! one odd value never fails the whole body.

use serde_json::Value;

pub fn i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

pub fn i32(v: &Value) -> Option<i32> {
    i64(v).and_then(|i| i32::try_from(i).ok())
}

pub fn f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

pub fn bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}

/// Any value but null reads as text: a number or boolean as its JSON text.
pub fn str(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// An open integer enum's value: a number, or text holding one.
pub fn enum_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
