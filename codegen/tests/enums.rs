//! Every closed value set of the inventory becomes an open enum in the generated code, so
//! a field that gains an enum constraint cannot silently stay a `String`.

use api_meta::inventory::{Inventory, Shape};
use codegen::model::{Model, RustType, StructModel};

/// Walks an inventory shape and the Rust type generated for it side by side; returns the
/// paths of constrained nodes whose type is not a known enum with the same values.
fn check(
    model: &Model,
    local: &[StructModel],
    s: &Shape,
    ty: &RustType,
    path: &str,
) -> Vec<String> {
    let mut bad = Vec::new();
    let ty = match ty {
        RustType::JsonText(inner) => inner,
        other => other,
    };
    if !s.constraints.enum_values.is_empty() {
        let wanted: Vec<String> = s
            .constraints
            .enum_values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
            .collect();
        let found = match ty {
            RustType::Shared { name, .. } => model.enums.iter().find(|e| e.name == *name),
            _ => None,
        };
        match found {
            Some(e) if wanted.iter().all(|w| e.values.iter().any(|(_, v)| v == w)) => {}
            Some(e) => bad.push(format!("{path}: enum {} lacks some of {wanted:?}", e.name)),
            None => bad.push(format!("{path}: {ty:?} is not an enum")),
        }
        return bad;
    }
    match ty {
        RustType::Vec(inner) => {
            if let Some(items) = &s.items {
                bad.extend(check(model, local, items, inner, &format!("{path}[]")));
            }
        }
        RustType::Map(inner) => {
            if let Some(values) = &s.map_values {
                bad.extend(check(model, local, values, inner, &format!("{path}{{}}")));
            }
        }
        RustType::Local(name) => {
            let st = local.iter().find(|st| st.name == *name).expect("local struct");
            bad.extend(fields(model, local, st, s, path));
        }
        RustType::Shared { module, name } => {
            if let Some(shared) = model.shared.iter().find(|m| m.module == *module) {
                let st = shared.structs.iter().find(|st| st.name == *name).expect("shared struct");
                bad.extend(fields(model, &shared.structs, st, s, path));
            }
        }
        _ => {}
    }
    bad
}

fn fields(
    model: &Model,
    local: &[StructModel],
    st: &StructModel,
    s: &Shape,
    path: &str,
) -> Vec<String> {
    let mut bad = Vec::new();
    for (wire, child) in &s.properties {
        let f = st.fields.iter().find(|f| f.wire == *wire).expect("field of the shape");
        bad.extend(check(model, local, child, &f.ty, &format!("{path}.{wire}")));
    }
    bad
}

/// Paths of constrained nodes that did not become enums.
fn not_enums(inv: &Inventory) -> (Vec<String>, usize) {
    let model = codegen::model::build(inv);
    let mut bad = Vec::new();
    let mut constrained = 0;
    fn count(s: &Shape) -> usize {
        usize::from(!s.constraints.enum_values.is_empty())
            + s.properties.values().map(count).sum::<usize>()
            + s.items.as_deref().map_or(0, count)
            + s.map_values.as_deref().map_or(0, count)
    }
    for (op, om) in inv.operations.iter().zip(&model.ops) {
        assert_eq!(op.name, om.wire);
        for p in &op.parameters {
            constrained += count(&p.schema);
            let f = om.request.fields.iter().find(|f| f.wire == p.name).expect("parameter field");
            let path = format!("{}.request.{}", op.name, p.name);
            bad.extend(check(&model, &om.structs, &p.schema, &f.ty, &path));
        }
        constrained += count(&op.response);
        bad.extend(fields(&model, &om.structs, &om.response, &op.response, &op.name));
    }
    (bad, constrained)
}

#[test]
fn every_closed_value_set_is_an_enum() {
    let inv = api_meta::snapshot::committed_inventory();
    let (bad, constrained) = not_enums(&inv);
    assert!(constrained >= 30, "the inventory has {constrained} closed value sets");
    assert!(bad.is_empty(), "closed value sets generated as plain types:\n{}", bad.join("\n"));
}

#[test]
fn a_newly_closed_field_becomes_an_enum_named_after_it() {
    let mut inv = api_meta::snapshot::committed_inventory();
    let op = inv.operations.iter_mut().find(|o| o.name == "ListPtsScene").expect("op");
    let item = op.response.properties.get_mut("SceneViewList").and_then(|l| l.items.as_deref_mut());
    let name = item.and_then(|i| i.properties.get_mut("SceneName")).expect("SceneName");
    name.constraints.enum_values = vec!["a".into(), "b".into()];
    let (bad, _) = not_enums(&inv);
    assert!(bad.is_empty(), "{bad:?}");
    let model = codegen::model::build(&inv);
    let e = model.enums.iter().find(|e| e.name == "SceneName").expect("derived name");
    assert_eq!(e.values, vec![("A".into(), "a".into()), ("B".into(), "b".into())]);
}

#[test]
fn a_derived_name_taken_by_another_value_set_gets_the_parent_in_front() {
    let mut inv = api_meta::snapshot::committed_inventory();
    let op = inv.operations.iter_mut().find(|o| o.name == "ListPtsScene").expect("op");
    let item = op.response.properties.get_mut("SceneViewList").and_then(|l| l.items.as_deref_mut());
    // `CheckType` is taken by the checkpoint types; this one differs.
    let mut field = Shape { ty: Some(api_meta::inventory::Type::String), ..Default::default() };
    field.constraints.enum_values = vec!["X".into()];
    item.expect("item").properties.insert("CheckType".into(), field);
    let model = codegen::model::build(&inv);
    let names: Vec<&str> = model.enums.iter().map(|e| e.name.as_str()).collect();
    assert!(names.contains(&"CheckType") && names.contains(&"SceneViewCheckType"), "{names:?}");
}
