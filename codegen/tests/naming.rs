//! Names generated for the committed inventory: no collisions, no keywords, valid
//! identifiers, and wire names kept exactly.

use codegen::model::{self, StructModel};
use codegen::naming::is_keyword;
use std::collections::BTreeSet;

fn valid_ident(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

fn check_struct(module: &str, s: &StructModel, problems: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut wires = BTreeSet::new();
    for f in &s.fields {
        if !seen.insert(f.rust.clone()) {
            problems.push(format!("{module}::{}: field name {} repeats", s.name, f.rust));
        }
        if !wires.insert(f.wire.clone()) {
            problems.push(format!("{module}::{}: wire name {} repeats", s.name, f.wire));
        }
        if is_keyword(&f.rust) || !valid_ident(&f.rust) {
            problems.push(format!("{module}::{}: bad field name {}", s.name, f.rust));
        }
    }
}

#[test]
fn names_are_unique_valid_and_not_keywords() {
    let inv = api_meta::snapshot::committed_inventory();
    let m = model::build(&inv);
    let mut problems = Vec::new();
    let mut modules = BTreeSet::new();
    for op in &m.ops {
        if !modules.insert(op.module.clone()) || is_keyword(&op.module) {
            problems.push(format!("module {} collides or is a keyword", op.module));
        }
        let mut types = BTreeSet::from([op.wire.clone(), format!("{}Builder", op.request.name)]);
        for s in std::iter::once(&op.request).chain([&op.response]).chain(&op.structs) {
            if !types.insert(s.name.clone()) || !valid_ident(&s.name) {
                problems.push(format!("{}: type {} collides or is invalid", op.module, s.name));
            }
            check_struct(&op.module, s, &mut problems);
        }
    }
    for s in &m.shared {
        let mut types = BTreeSet::new();
        for st in &s.structs {
            if !types.insert(st.name.clone()) {
                problems.push(format!("shapes::{}: type {} collides", s.module, st.name));
            }
            check_struct(&s.module, st, &mut problems);
        }
    }
    for e in &m.enums {
        let variants: BTreeSet<_> = e.values.iter().map(|(v, _)| v.clone()).collect();
        if variants.len() != e.values.len() || variants.contains("Unknown") {
            problems.push(format!("enum {} has colliding variants", e.name));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(m.ops.len(), 44);
}

#[test]
fn the_naming_of_known_obstacles() {
    let inv = api_meta::snapshot::committed_inventory();
    let m = model::build(&inv);
    let modules: BTreeSet<_> = m.ops.iter().map(|o| o.module.as_str()).collect();
    for expected in ["get_jmeter_logs", "get_user_vpc_vswitch", "list_open_jmeter_scenes"] {
        assert!(modules.contains(expected), "{expected} missing");
    }
    let sampling = m.ops.iter().find(|o| o.wire == "GetJMeterSamplingLogs").unwrap();
    let max_rt = sampling.request.fields.iter().find(|f| f.wire == "MaxRT").unwrap();
    assert_eq!(max_rt.rust, "max_rt");
}
