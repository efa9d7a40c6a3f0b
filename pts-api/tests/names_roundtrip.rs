//! Every wire name round-trips: a request or response carrying every declared field, at
//! every depth, comes back from the typed model with the same keys and values.

use pts_api::meta::{ShapeMeta, ValueType};
use pts_api::{OperationVisitor, visit_operation};
use serde_json::{Value, json};

/// A value for every declared field of a shape, recursively.
fn sample(s: &ShapeMeta) -> Value {
    match s.ty {
        ValueType::String => json!("s"),
        ValueType::Int32 | ValueType::Int64 => json!(7),
        ValueType::Float => json!(1.5),
        ValueType::Boolean => json!(true),
        ValueType::Any => json!({"free": ["form", 1]}),
        ValueType::Map => json!({"key": s.items.map_or(json!("v"), sample)}),
        ValueType::Array => json!([s.items.map_or(json!("v"), sample)]),
        ValueType::Object => {
            Value::Object(s.fields.iter().map(|f| (f.name.to_string(), sample(f.shape))).collect())
        }
    }
}

struct Roundtrip;

impl OperationVisitor for Roundtrip {
    type Output = Vec<String>;
    fn visit<O: pts_api::Operation>(self) -> Vec<String> {
        let meta = O::meta();
        let mut problems = Vec::new();
        let request = Value::Object(
            meta.params.iter().map(|p| (p.name.to_string(), sample(p.shape))).collect(),
        );
        match serde_json::from_value::<O::Request>(request.clone()) {
            Ok(typed) => {
                if serde_json::to_value(&typed).unwrap() != request {
                    problems.push(format!("{}: request changed on the way", meta.name));
                }
            }
            Err(e) => problems.push(format!("{}: request does not deserialize: {e}", meta.name)),
        }
        let response = sample(meta.response);
        match serde_json::from_value::<O::Response>(response.clone()) {
            Ok(typed) => {
                let back = serde_json::to_value(&typed).unwrap();
                if back != response {
                    problems.push(format!("{}: response changed: {back} vs {response}", meta.name));
                }
            }
            Err(e) => problems.push(format!("{}: response does not deserialize: {e}", meta.name)),
        }
        problems
    }
}

#[test]
fn every_wire_name_round_trips() {
    assert_eq!(pts_api::OPERATIONS.len(), 44);
    let problems: Vec<String> = pts_api::OPERATIONS
        .iter()
        .flat_map(|m| visit_operation(m.name, Roundtrip).expect("every meta has a type"))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_undeclared_request_field_is_refused() {
    let v = json!({"SceneId": "A", "Bogus": 1});
    let r = serde_json::from_value::<pts_api::ops::get_pts_scene::GetPtsSceneRequest>(v);
    assert!(r.is_err());
}

#[test]
fn every_pattern_compiles() {
    fn walk(s: &ShapeMeta, out: &mut Vec<&'static str>) {
        for c in s.constraints {
            if let pts_api::meta::Constraint::Pattern(p) = c {
                out.push(p);
            }
        }
        s.fields.iter().for_each(|f| walk(f.shape, out));
        if let Some(i) = s.items {
            walk(i, out);
        }
    }
    let mut patterns = Vec::new();
    for m in pts_api::OPERATIONS {
        m.params.iter().for_each(|p| walk(p.shape, &mut patterns));
    }
    assert!(!patterns.is_empty());
    for p in patterns {
        assert!(pts_api::__private::patterns::is_valid(p), "pattern {p} does not compile");
    }
}
