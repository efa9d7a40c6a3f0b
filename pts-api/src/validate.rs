//! Validation of request parameters against the generated static metadata.
//!
//! Works on the JSON form of a request (wire names as keys), so typed requests, CLI input
//! and pts-local's decoded parameters are all checked by the same rules.

use crate::meta::{
    Constraint, EnumValue, FieldMeta, Num, OperationMeta, ShapeMeta, Style, ValueType,
};
use serde_json::Value;
use std::fmt;

/// Which rule a value broke.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    Required,
    Unknown { suggestion: Option<String> },
    Type { expected: &'static str },
    Constraint(Constraint),
    InvalidJson(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    pub operation: &'static str,
    /// Wire path, e.g. `Scene.RelationList[0].ApiList[1].Url`.
    pub field: String,
    pub rule: Rule,
    /// The offending value as text, truncated; absent for missing fields.
    pub value: Option<String>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: parameter {} ", self.operation, self.field)?;
        match &self.rule {
            Rule::Required => f.write_str("is required")?,
            Rule::Unknown { suggestion: Some(s) } => {
                write!(f, "is not a parameter of this operation (did you mean {s}?)")?
            }
            Rule::Unknown { suggestion: None } => {
                f.write_str("is not a parameter of this operation")?
            }
            Rule::Type { expected } => write!(f, "must be of type {expected}")?,
            Rule::InvalidJson(e) => write!(f, "must be valid JSON: {e}")?,
            Rule::Constraint(c) => f.write_str(&describe(c))?,
        }
        if let Some(v) = &self.value {
            write!(f, " (got {v})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The rule in words, e.g. `must be at most 1440`.
pub fn describe(c: &Constraint) -> String {
    match c {
        Constraint::Minimum(n) => format!("must be at least {n}"),
        Constraint::ExclusiveMinimum(n) => format!("must be greater than {n}"),
        Constraint::Maximum(n) => format!("must be at most {n}"),
        Constraint::ExclusiveMaximum(n) => format!("must be less than {n}"),
        Constraint::MultipleOf(n) => format!("must be a multiple of {n}"),
        Constraint::MinLength(n) => format!("must be at least {n} characters long"),
        Constraint::MaxLength(n) => format!("must be at most {n} characters long"),
        Constraint::Pattern(p) => format!("must match the pattern {p}"),
        Constraint::OneOf(vals) => {
            let v: Vec<String> = vals.iter().map(ToString::to_string).collect();
            format!("must be one of {}", v.join(", "))
        }
        Constraint::MinItems(n) => format!("must have at least {n} items"),
        Constraint::MaxItems(n) => format!("must have at most {n} items"),
        Constraint::LessThanField(other) => format!("must be less than {other}"),
        Constraint::AtMostField(other) => format!("must not exceed {other}"),
    }
}

/// Validates a request object keyed by wire names; the first problem found.
pub fn validate_params(op: &'static OperationMeta, obj: &Value) -> Result<(), ValidationError> {
    match validate_all(op, obj).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Every problem of a request object keyed by wire names, in the order of the parameters
/// (children of a value of the wrong type are not looked at).
pub fn validate_all(op: &'static OperationMeta, obj: &Value) -> Vec<ValidationError> {
    let mut ctx = Ctx { op: op.name, out: Vec::new() };
    let empty = serde_json::Map::new();
    let map = obj.as_object().unwrap_or(&empty);
    for key in map.keys() {
        if op.param(key).is_none() {
            let names: Vec<&str> = op.params.iter().map(|p| p.name).collect();
            ctx.fail(key, Rule::Unknown { suggestion: suggest(key, &names) }, None);
        }
    }
    for p in op.params {
        let v = map.get(p.name).filter(|v| !v.is_null());
        match (v, p.style) {
            (None, _) if p.shape.required => ctx.fail(p.name, Rule::Required, None),
            (None, _) => {}
            (Some(Value::String(text)), Style::JsonString(_)) if !p.shape.fields.is_empty() => {
                match serde_json::from_str::<Value>(text) {
                    Ok(parsed) => {
                        let normalized = crate::keys::keys_to_wire(&parsed, p.shape);
                        ctx.check(p.name, p.shape, &normalized, None);
                    }
                    Err(e) => ctx.fail(p.name, Rule::InvalidJson(e.to_string()), None),
                }
            }
            (Some(v), _) => ctx.check(p.name, p.shape, v, None),
        }
    }
    ctx.out
}

struct Ctx {
    op: &'static str,
    out: Vec<ValidationError>,
}

impl Ctx {
    fn fail(&mut self, field: &str, rule: Rule, value: Option<&Value>) {
        self.out.push(ValidationError {
            operation: self.op,
            field: field.to_string(),
            rule,
            value: value.map(show),
        });
    }

    /// Checks one value; `parent` is the enclosing object, for sibling-field rules.
    fn check(
        &mut self,
        path: &str,
        s: &ShapeMeta,
        v: &Value,
        parent: Option<&serde_json::Map<String, Value>>,
    ) {
        if !type_ok(s.ty, v) {
            return self.fail(path, Rule::Type { expected: s.ty.name() }, Some(v));
        }
        for c in s.constraints {
            if !constraint_ok(c, v, parent) {
                self.fail(path, Rule::Constraint(*c), Some(v));
            }
        }
        match v {
            Value::Object(map) if !s.fields.is_empty() => self.check_fields(path, s.fields, map),
            Value::Object(map) if s.ty == ValueType::Map => {
                if let Some(item) = s.items {
                    for (k, v) in map {
                        self.check(&format!("{path}.{k}"), item, v, None);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = s.items {
                    for (i, v) in items.iter().enumerate() {
                        self.check(&format!("{path}[{i}]"), item, v, None);
                    }
                }
            }
            _ => {}
        }
    }

    fn check_fields(
        &mut self,
        path: &str,
        fields: &[FieldMeta],
        map: &serde_json::Map<String, Value>,
    ) {
        for key in map.keys() {
            if !fields.iter().any(|f| f.name == key) {
                let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                let rule = Rule::Unknown { suggestion: suggest(key, &names) };
                self.fail(&format!("{path}.{key}"), rule, None);
            }
        }
        for f in fields {
            let sub = format!("{path}.{}", f.name);
            match map.get(f.name).filter(|v| !v.is_null()) {
                None if f.shape.required => self.fail(&sub, Rule::Required, None),
                None => {}
                Some(v) => self.check(&sub, f.shape, v, Some(map)),
            }
        }
    }
}

fn type_ok(ty: ValueType, v: &Value) -> bool {
    match ty {
        ValueType::String => v.is_string(),
        ValueType::Int32 => v.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        ValueType::Int64 => v.is_i64() || v.is_u64(),
        ValueType::Float => v.is_number(),
        ValueType::Boolean => v.is_boolean(),
        ValueType::Object | ValueType::Map => v.is_object(),
        ValueType::Array => v.is_array(),
        ValueType::Any => true,
    }
}

fn num_of(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn cmp_num(v: &Value, n: Num, ok: impl Fn(std::cmp::Ordering) -> bool) -> bool {
    // Integers compare exactly; floats compare as f64.
    let ord = match (v.as_i64(), n) {
        (Some(i), Num::Int(b)) => i.cmp(&b),
        _ => match num_of(v).and_then(|x| x.partial_cmp(&n.as_f64())) {
            Some(o) => o,
            None => return true,
        },
    };
    ok(ord)
}

fn constraint_ok(
    c: &Constraint,
    v: &Value,
    parent: Option<&serde_json::Map<String, Value>>,
) -> bool {
    use std::cmp::Ordering::*;
    let chars = || v.as_str().map(|s| s.chars().count() as u64);
    let items = || v.as_array().map(|a| a.len() as u64);
    match c {
        Constraint::Minimum(n) => cmp_num(v, *n, |o| o != Less),
        Constraint::ExclusiveMinimum(n) => cmp_num(v, *n, |o| o == Greater),
        Constraint::Maximum(n) => cmp_num(v, *n, |o| o != Greater),
        Constraint::ExclusiveMaximum(n) => cmp_num(v, *n, |o| o == Less),
        Constraint::MultipleOf(m) => v.as_i64().is_none_or(|i| *m == 0 || i % m == 0),
        Constraint::MinLength(n) => chars().is_none_or(|l| l >= *n),
        Constraint::MaxLength(n) => chars().is_none_or(|l| l <= *n),
        Constraint::Pattern(p) => v.as_str().is_none_or(|s| crate::patterns::matches(p, s)),
        Constraint::OneOf(vals) => vals.iter().any(|e| match (e, v) {
            (EnumValue::Str(s), Value::String(x)) => s == x,
            (EnumValue::Int(i), x) => x.as_i64() == Some(*i),
            _ => false,
        }),
        Constraint::MinItems(n) => items().is_none_or(|l| l >= *n),
        Constraint::MaxItems(n) => items().is_none_or(|l| l <= *n),
        Constraint::LessThanField(other) | Constraint::AtMostField(other) => {
            let Some(o) = parent.and_then(|m| m.get(*other)).and_then(num_of) else {
                return true;
            };
            let Some(x) = num_of(v) else { return true };
            if matches!(c, Constraint::LessThanField(_)) { x < o } else { x <= o }
        }
    }
}

fn show(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The closest known name (case-insensitive edit distance), for "did you mean".
pub fn suggest(given: &str, names: &[&str]) -> Option<String> {
    let g = given.to_ascii_lowercase();
    names
        .iter()
        .map(|n| (edit_distance(&g, &n.to_ascii_lowercase()), *n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The error for a required field left unset in a builder.
pub fn missing(operation: &'static str, field: &str) -> ValidationError {
    ValidationError { operation, field: field.to_string(), rule: Rule::Required, value: None }
}
