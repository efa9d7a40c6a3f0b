//! Static metadata field lists shared by structure: a list that occurs in two operations is
//! one constant in `meta_fields.rs`, referenced from both; a list that differs in one rule
//! stays inline; a response that carries the whole envelope uses `envelope!`.

mod fixture_ops;

use fixture_ops::{inventory, op};
use serde_json::{Value, json};

fn pair() -> Value {
    json!({ "type": "object", "properties": {
        "Name": { "type": "string" }, "Value": { "type": "string" }
    }})
}

fn envelope(extra: Value) -> Value {
    let mut p = json!({
        "Code": { "type": "string" }, "HttpStatusCode": { "type": "integer", "format": "int32" },
        "Message": { "type": "string" }, "RequestId": { "type": "string" },
        "Success": { "type": "boolean" }
    });
    p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    p
}

#[test]
fn equal_lists_are_one_constant_and_a_different_rule_stays_inline() {
    let mut ruled = pair();
    ruled["properties"]["Name"]["constraints"] = json!({ "max_length": 8 });
    let list = |items: Value| json!({ "type": "array", "items": items });
    let inv = inventory(vec![
        op("GetA", envelope(json!({ "HeaderList": list(pair()) }))),
        op("GetB", envelope(json!({ "HeaderList": list(pair()) }))),
        op("GetC", envelope(json!({ "HeaderList": list(ruled) }))),
        op("GetD", envelope(json!({ "HeaderList": list(pair()), "Total": { "type": "integer" } }))),
    ]);
    let files = codegen::generate(&inv);
    let shared = &files["meta_fields.rs"];
    // A's and B's responses are equal as a whole: one constant; D's differs but holds the
    // same header list, so that list is a constant too, named by both users.
    for f in ["operations/get_a.rs", "operations/get_b.rs"] {
        assert!(files[f].contains("meta_fields::RESPONSE_WITH_HEADER_LIST_FIELDS"), "{}", files[f]);
    }
    assert_eq!(shared.matches("pub(crate) const HEADER_LIST_FIELDS").count(), 1, "{shared}");
    assert!(shared.contains("fields: crate::generated::meta_fields::HEADER_LIST_FIELDS"));
    assert!(files["operations/get_d.rs"].contains("meta_fields::HEADER_LIST_FIELDS"));
    // C's list differs in one rule: it stays inline, with its rule.
    let c = &files["operations/get_c.rs"];
    assert!(!c.contains("meta_fields::"), "{c}");
    assert!(c.contains("MaxLength(8u64)"), "{c}");
    assert!(!shared.contains("MaxLength"), "{shared}");
    assert!(files["mod.rs"].contains("mod meta_fields;"));
    // Without D, the header list only ever sits inside A's and B's one shared response: it is
    // written once there, so it gets no constant of its own.
    let inv = inventory(vec![
        op("GetA", envelope(json!({ "HeaderList": list(pair()) }))),
        op("GetB", envelope(json!({ "HeaderList": list(pair()) }))),
    ]);
    let shared = &codegen::generate(&inv)["meta_fields.rs"];
    assert!(!shared.contains("const HEADER_LIST_FIELDS"), "{shared}");
    assert!(shared.contains("const RESPONSE_WITH_HEADER_LIST_FIELDS"), "{shared}");
}

#[test]
fn a_whole_envelope_uses_the_macro_and_a_partial_one_is_written_out() {
    let partial = json!({ "RequestId": { "type": "string" }, "Total": { "type": "integer" } });
    let inv = inventory(vec![op("GetA", envelope(json!({}))), op("GetB", partial)]);
    let files = codegen::generate(&inv);
    assert!(files["operations/get_a.rs"].contains("crate::envelope::envelope!(GetAResponse);"));
    let b = &files["operations/get_b.rs"];
    assert!(
        b.contains("impl Response for GetBResponse")
            && b.contains("use crate::operation::{Operation, Request, Response};"),
        "{b}"
    );
    assert!(b.contains("fn success(&self) -> Option<bool> {\n        None"), "{b}");
}

#[test]
fn every_shared_list_of_the_real_inventory_has_at_least_two_users() {
    let files = codegen::generate(&api_meta::snapshot::committed_inventory());
    let shared = &files["meta_fields.rs"];
    let names: Vec<&str> = shared
        .lines()
        .filter_map(|l| l.strip_prefix("pub(crate) const "))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert!(names.len() > 10, "{names:?}");
    // The Scene shape's nested lists are shared with the operations that repeat them.
    assert!(files["shapes/scene.rs"].contains("meta_fields::"));
    for name in names {
        let path = format!("meta_fields::{name},");
        let users: usize = files.values().map(|f| f.matches(&path).count()).sum();
        assert!(users >= 2, "{name} has {users} user(s)");
    }
}
