//! Operation metadata as JSON for `pts api list` / `pts api describe`: parameters (nested
//! fields flattened into dotted paths), the response shape and an example command.

use pts_api::__private::validate::describe as describe_rule;
use pts_api::meta::{
    Constraint, EnumValue, Location, Num, OperationMeta, ParamMeta, ShapeMeta, Style, ValueType,
};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// One line of `pts api list`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Summary {
    pub operation: &'static str,
    pub access: &'static str,
    pub mutating: bool,
    /// The item list of a paged operation.
    pub paging: Option<&'static str>,
    pub parameters: usize,
    pub required: String,
}

pub fn summary(op: &OperationMeta) -> Summary {
    let required: Vec<&str> =
        op.params.iter().filter(|p| p.shape.required).map(|p| p.name).collect();
    Summary {
        operation: op.name,
        access: op.access.as_str(),
        mutating: op.is_mutating(),
        paging: op.paging.as_ref().map(|p| p.items),
        parameters: op.params.len(),
        required: required.join(", "),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Paging {
    pub page_number: &'static str,
    pub page_size: &'static str,
    pub items: &'static str,
    pub total_count: Option<&'static str>,
}

/// One parameter, or one field inside a JSON-style parameter (dotted `Name`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParamRow {
    pub name: String,
    #[serde(rename = "Type")]
    pub ty: String,
    pub required: bool,
    pub location: &'static str,
    pub style: &'static str,
    pub constraints: Vec<String>,
}

/// `pts api describe OP`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Description {
    pub operation: &'static str,
    pub access: &'static str,
    pub mutating: bool,
    pub paging: Option<Paging>,
    pub parameters: Vec<ParamRow>,
    pub example: String,
    /// The response as a skeleton of type names.
    pub response: Value,
}

pub fn operation(op: &'static OperationMeta) -> Description {
    let mut params = Vec::new();
    for p in op.params {
        params.push(param_row(p));
        nested_rows(p.name, p.shape, &mut params);
    }
    Description {
        operation: op.name,
        access: op.access.as_str(),
        mutating: op.is_mutating(),
        paging: op.paging.as_ref().map(|p| Paging {
            page_number: p.page_number,
            page_size: p.page_size,
            items: p.items,
            total_count: p.total_count,
        }),
        parameters: params,
        example: example(op),
        response: skeleton(op.response),
    }
}

fn type_name(s: &ShapeMeta) -> String {
    match (s.ty, s.items) {
        (ValueType::Array, Some(item)) => format!("array<{}>", type_name(item)),
        (ValueType::Map, Some(item)) => format!("map<string,{}>", type_name(item)),
        (ty, _) if s.json_text => format!("{} (JSON text)", ty.name()),
        (ty, _) => ty.name().to_string(),
    }
}

fn constraints(s: &ShapeMeta) -> Vec<String> {
    s.constraints.iter().map(describe_rule).collect()
}

fn param_row(p: &ParamMeta) -> ParamRow {
    let style = match p.style {
        Style::Plain => "plain",
        Style::Json => "json",
        Style::JsonString(_) => "json-string",
    };
    let location = match p.location {
        Location::Query => "query",
        Location::FormData => "formData",
    };
    ParamRow {
        name: p.name.to_string(),
        ty: type_name(p.shape),
        required: p.shape.required,
        location,
        style,
        constraints: constraints(p.shape),
    }
}

/// Rows for the fields inside JSON-style parameters: `Scene.LoadConfig.MaxRunningTime`,
/// `Scene.RelationList[].ApiList[].Url`.
fn nested_rows(path: &str, s: &ShapeMeta, out: &mut Vec<ParamRow>) {
    let (s, path) = match (s.ty, s.items) {
        (ValueType::Array | ValueType::Map, Some(item)) => (item, format!("{path}[]")),
        _ => (s, path.to_string()),
    };
    for f in s.fields {
        let sub = format!("{path}.{}", f.name);
        out.push(ParamRow {
            name: sub.clone(),
            ty: type_name(f.shape),
            required: f.shape.required,
            location: "",
            style: "field",
            constraints: constraints(f.shape),
        });
        nested_rows(&sub, f.shape, out);
    }
}

/// The response as a JSON skeleton: each field maps to its type name.
pub fn skeleton(s: &ShapeMeta) -> Value {
    if !s.fields.is_empty() {
        let mut m = Map::new();
        for f in s.fields {
            m.insert(f.name.to_string(), skeleton(f.shape));
        }
        return Value::Object(m);
    }
    match (s.ty, s.items) {
        (ValueType::Array, Some(item)) => Value::Array(vec![skeleton(item)]),
        (ValueType::Map, Some(item)) => json!({ "<key>": skeleton(item) }),
        (ty, _) => Value::String(ty.name().to_string()),
    }
}

/// An example `pts call` with every required parameter set to a value its rules accept.
pub fn example(op: &OperationMeta) -> String {
    let mut cmd = format!("pts call {}", op.name);
    for p in op.params.iter().filter(|p| p.shape.required) {
        cmd.push_str(&format!(" --{} {}", p.name, quote(&example_value(p))));
    }
    if op.is_mutating() {
        cmd.push_str(" --yes");
    }
    cmd
}

fn example_value(p: &ParamMeta) -> String {
    let s = p.shape;
    let json_style = p.style != Style::Plain
        || matches!(s.ty, ValueType::Object | ValueType::Array | ValueType::Map);
    if json_style {
        return format!("@{}.json", p.name);
    }
    for c in s.constraints {
        match c {
            Constraint::OneOf(vals) if !vals.is_empty() => {
                return match vals[0] {
                    EnumValue::Str(v) => v.to_string(),
                    EnumValue::Int(i) => i.to_string(),
                };
            }
            Constraint::Minimum(n) if matches!(s.ty, ValueType::Int32 | ValueType::Int64) => {
                return match n {
                    Num::Int(i) => i.max(&1).to_string(),
                    Num::Float(f) => (f.ceil() as i64).max(1).to_string(),
                };
            }
            _ => {}
        }
    }
    match s.ty {
        ValueType::Int32 | ValueType::Int64 => "1".into(),
        ValueType::Float => "1.0".into(),
        ValueType::Boolean => "true".into(),
        _ if p.name == "RegionId" => "cn-hangzhou".into(),
        _ => format!("<{}>", p.name),
    }
}

fn quote(v: &str) -> String {
    if v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.@/:".contains(c)) {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_is_valid_for_plain_operations() {
        let op = pts_api::operation_meta("ListPtsScene").unwrap();
        assert_eq!(example(op), "pts call ListPtsScene --PageNumber 1 --PageSize 10");
        let op = pts_api::operation_meta("StartPtsScene").unwrap();
        assert_eq!(example(op), "pts call StartPtsScene --SceneId '<SceneId>' --yes");
    }

    #[test]
    fn nested_fields_are_listed() {
        let op = pts_api::operation_meta("SavePtsScene").unwrap();
        let d = operation(op);
        assert!(
            d.parameters.iter().any(|r| r.name == "Scene.LoadConfig.MaxRunningTime"),
            "{:?}",
            d.parameters
        );
    }
}
