//! Walks a metadata example against the re-serialized typed value: every field the
//! schema declares and the example carries must survive with an equal value.

use api_meta::inventory::{Shape, Type};
use serde_json::Value;

/// Paths where the typed value lost or changed a declared field.
pub fn lost_fields(schema: &Shape, example: &Value, typed: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk(schema, example, typed, path, &mut out);
    out
}

fn walk(s: &Shape, ex: &Value, ty: &Value, path: &str, out: &mut Vec<String>) {
    match (s.ty, ex) {
        (Some(Type::Object), Value::Object(map)) if !s.properties.is_empty() => {
            for (k, v) in map {
                let Some(child) = s.properties.get(k) else { continue };
                let sub = format!("{path}.{k}");
                match ty.get(k) {
                    None if !v.is_null() => out.push(format!("{sub}: missing")),
                    None => {}
                    Some(t) => walk(child, v, t, &sub, out),
                }
            }
        }
        (Some(Type::Array), Value::Array(items)) => {
            let Some(item) = s.items.as_deref() else { return };
            let typed = ty.as_array().cloned().unwrap_or_default();
            if typed.len() != items.len() {
                out.push(format!("{path}: {} items became {}", items.len(), typed.len()));
                return;
            }
            for (i, (e, t)) in items.iter().zip(&typed).enumerate() {
                walk(item, e, t, &format!("{path}[{i}]"), out);
            }
        }
        _ => {
            if !same_scalar(ex, ty) {
                out.push(format!("{path}: {ex} became {ty}"));
            }
        }
    }
}

/// Equal, or equal once a numeric or boolean string is read as what it spells.
pub fn same_scalar(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let boolean = |v: &Value| match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse::<bool>().ok(),
        _ => None,
    };
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return x == y;
    }
    matches!((boolean(a), boolean(b)), (Some(x), Some(y)) if x == y)
}
