//! JSON Schema (draft 2020-12) for the operation tools, derived from the same static
//! metadata `pts api describe` walks and `validate_params` enforces: types, required
//! fields, numeric bounds, lengths, patterns, enums, item counts and the nested shapes of
//! JSON-style parameters such as `Scene`. Rules JSON Schema cannot say (`KeepTime` less
//! than `MaxRunningTime`) go into the property's description, worded as the validator
//! words them.

use pts_api::__private::validate::describe as describe_rule;
use pts_api::meta::{Constraint, EnumValue, Num, OperationMeta, ShapeMeta, Style, ValueType};
use serde_json::{Map, Value, json};

/// The argument that carries a confirmation token; never an operation parameter (those
/// are PascalCase), and excluded from the arguments a token is bound to.
pub const TOKEN_FIELD: &str = "confirm_token";

/// The input schema of the tool for `op`: one property per parameter, wire names.
pub fn input_schema(op: &OperationMeta) -> Map<String, Value> {
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in op.params {
        let mut s = shape(p.shape);
        if let Style::JsonString(_) = p.style {
            // Typed JSON object, or the same JSON as text (both are validated alike).
            s = json!({"anyOf": [s, {"type": "string", "description": "the same object as JSON text"}]});
        }
        props.insert(p.name.to_string(), s);
        if p.shape.required {
            required.push(Value::from(p.name));
        }
    }
    if op.is_mutating() {
        props.insert(TOKEN_FIELD.into(), token_property());
    }
    object(props, required)
}

/// `confirm_token`: absent on the first call (which returns the plan), the token of the
/// plan on the second.
pub fn token_property() -> Value {
    json!({
        "type": "string",
        "description": "token from this tool's plan; omit it to get the plan first",
    })
}

/// A closed object schema (unknown keys are refused, as the validator refuses them).
pub fn object(props: Map<String, Value>, required: Vec<Value>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), "object".into());
    m.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        m.insert("required".into(), Value::Array(required));
    }
    m.insert("additionalProperties".into(), false.into());
    m
}

/// The schema of one shape, recursively.
pub fn shape(s: &ShapeMeta) -> Value {
    let mut m = Map::new();
    match s.ty {
        // A typed JSON string (CreatePtsScene's Scene) has fields: its schema is the object.
        _ if !s.fields.is_empty() => m = fields_object(s),
        ValueType::String => {
            m.insert("type".into(), "string".into());
        }
        ValueType::Int32 | ValueType::Int64 => {
            m.insert("type".into(), "integer".into());
            let fmt = if s.ty == ValueType::Int32 { "int32" } else { "int64" };
            m.insert("format".into(), fmt.into());
        }
        ValueType::Float => {
            m.insert("type".into(), "number".into());
        }
        ValueType::Boolean => {
            m.insert("type".into(), "boolean".into());
        }
        ValueType::Object => {
            m.insert("type".into(), "object".into());
        }
        ValueType::Map => {
            m.insert("type".into(), "object".into());
            if let Some(item) = s.items {
                m.insert("additionalProperties".into(), shape(item));
            }
        }
        ValueType::Array => {
            m.insert("type".into(), "array".into());
            if let Some(item) = s.items {
                m.insert("items".into(), shape(item));
            }
        }
        ValueType::Any => {}
    }
    let mut notes = Vec::new();
    for c in s.constraints {
        if let Some((key, value)) = keyword(c) {
            m.insert(key.into(), value);
        } else {
            notes.push(describe_rule(c));
        }
    }
    if s.json_text && s.fields.is_empty() {
        notes.push("JSON text".into());
    }
    if !notes.is_empty() {
        m.insert("description".into(), notes.join("; ").into());
    }
    Value::Object(m)
}

fn fields_object(s: &ShapeMeta) -> Map<String, Value> {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in s.fields {
        props.insert(f.name.to_string(), shape(f.shape));
        if f.shape.required {
            required.push(Value::from(f.name));
        }
    }
    object(props, required)
}

/// The JSON Schema keyword for a rule, when there is one.
fn keyword(c: &Constraint) -> Option<(&'static str, Value)> {
    Some(match c {
        Constraint::Minimum(n) => ("minimum", num(*n)),
        Constraint::ExclusiveMinimum(n) => ("exclusiveMinimum", num(*n)),
        Constraint::Maximum(n) => ("maximum", num(*n)),
        Constraint::ExclusiveMaximum(n) => ("exclusiveMaximum", num(*n)),
        Constraint::MultipleOf(n) => ("multipleOf", (*n).into()),
        Constraint::MinLength(n) => ("minLength", (*n).into()),
        Constraint::MaxLength(n) => ("maxLength", (*n).into()),
        Constraint::Pattern(p) => ("pattern", (*p).into()),
        Constraint::OneOf(vals) => ("enum", vals.iter().map(enum_value).collect()),
        Constraint::MinItems(n) => ("minItems", (*n).into()),
        Constraint::MaxItems(n) => ("maxItems", (*n).into()),
        Constraint::LessThanField(_) | Constraint::AtMostField(_) => return None,
    })
}

fn num(n: Num) -> Value {
    match n {
        Num::Int(i) => i.into(),
        Num::Float(f) => f.into(),
    }
}

fn enum_value(e: &EnumValue) -> Value {
    match e {
        EnumValue::Str(s) => (*s).into(),
        EnumValue::Int(i) => (*i).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_scene_has_paging_bounds() {
        let op = pts_api::operation_meta("ListPtsScene").unwrap();
        let s = Value::Object(input_schema(op));
        assert_eq!(s["properties"]["PageSize"]["minimum"], 10);
        assert_eq!(s["properties"]["PageSize"]["maximum"], 1000);
        assert!(s["required"].as_array().unwrap().contains(&"PageNumber".into()));
        assert!(s["properties"].get(TOKEN_FIELD).is_none());
    }

    #[test]
    fn scene_is_nested_and_closed() {
        for name in ["SavePtsScene", "CreatePtsScene"] {
            let op = pts_api::operation_meta(name).unwrap();
            let s = Value::Object(input_schema(op));
            let scene = &s["properties"]["Scene"];
            let typed = if scene.get("anyOf").is_some() { &scene["anyOf"][0] } else { scene };
            let load = &typed["properties"]["LoadConfig"];
            assert_eq!(load["properties"]["MaxRunningTime"]["maximum"], 1440, "{name}");
            assert_eq!(load["additionalProperties"], false);
            assert!(s["properties"].get(TOKEN_FIELD).is_some());
        }
    }
}
