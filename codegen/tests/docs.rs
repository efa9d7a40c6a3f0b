//! Generated docs come from facts and our own words: every operation has a purpose, and no
//! prose of the metadata (descriptions, titles, summaries, examples) reaches generated code.

use std::collections::BTreeSet;

#[test]
fn purposes_cover_exactly_the_operations() {
    let inv = api_meta::snapshot::committed_inventory();
    let ops: BTreeSet<String> = inv.operations.iter().map(|o| o.name.clone()).collect();
    let purposes = codegen::purposes::committed();
    let named: BTreeSet<String> = purposes.keys().cloned().collect();
    assert_eq!(named, ops, "codegen/purposes.json must name every operation, and only those");
    for (op, line) in &purposes {
        assert!(!line.contains('\n') && line.len() < 120 && line.ends_with('.'), "{op}: {line}");
    }
}

/// Every prose string of the raw metadata that is long enough to be recognisable and is
/// prose: has a space or non-ASCII text (a bare token such as a type name or an example
/// value `BODY_JSON` is a fact, not prose).
fn prose(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let is_prose =
                    matches!(k.as_str(), "description" | "title" | "summary" | "example");
                match v.as_str() {
                    Some(s)
                        if is_prose
                            && s.trim().chars().count() >= 8
                            && s.trim().chars().any(|c| c.is_whitespace() || !c.is_ascii()) =>
                    {
                        out.insert(s.trim().to_string());
                    }
                    _ => prose(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| prose(v, out)),
        _ => {}
    }
}

#[test]
fn no_metadata_prose_in_generated_code() {
    let Some(path) = api_meta::snapshot::require_shared(&api_meta::snapshot::snapshot_path())
    else {
        return;
    };
    let raw: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut strings = BTreeSet::new();
    prose(&raw, &mut strings);
    assert!(strings.len() > 100, "the snapshot has prose to look for");
    let files = codegen::generate(&api_meta::snapshot::committed_inventory());
    for (file, text) in &files {
        for s in &strings {
            assert!(!text.contains(s.as_str()), "{file} contains metadata prose {s:?}");
        }
    }
}

#[test]
fn every_generated_field_states_its_wire_name_and_requiredness() {
    let m = codegen::model::build(&api_meta::snapshot::committed_inventory());
    let structs = m
        .ops
        .iter()
        .flat_map(|o| [&o.request, &o.response].into_iter().chain(&o.structs).collect::<Vec<_>>());
    let structs = structs.chain(m.shared.iter().flat_map(|s| &s.structs));
    let mut n = 0;
    for s in structs {
        assert!(!s.doc.trim().is_empty(), "{} has no doc", s.name);
        for f in &s.fields {
            n += 1;
            let d = &f.doc;
            assert!(d.contains(&format!("Wire name `{}`", f.wire)), "{}.{}: {d}", s.name, f.wire);
            assert!(d.contains("required") || d.contains("optional"), "{}.{}: {d}", s.name, f.wire);
        }
    }
    assert!(n > 500, "only {n} fields");
}
