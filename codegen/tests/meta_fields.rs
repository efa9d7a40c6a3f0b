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
    let inv = inventory(vec![
        op("GetA", envelope(json!({ "HeaderList": { "type": "array", "items": pair() } }))),
        op("GetB", envelope(json!({ "HeaderList": { "type": "array", "items": pair() } }))),
        op("GetC", envelope(json!({ "HeaderList": { "type": "array", "items": ruled } }))),
    ]);
    let files = codegen::generate(&inv);
    let shared = &files["meta_fields.rs"];
    // A's and B's responses are equal as a whole: one constant, which names the inner list.
    assert_eq!(shared.matches("pub(crate) const HEADER_LIST_FIELDS").count(), 1, "{shared}");
    assert!(shared.contains("fields: crate::generated::meta_fields::HEADER_LIST_FIELDS"));
    for f in ["operations/get_a.rs", "operations/get_b.rs"] {
        assert!(files[f].contains("meta_fields::RESPONSE_WITH_HEADER_LIST_FIELDS"), "{}", files[f]);
    }
    // C's list differs in one rule: it stays inline, with its rule.
    let c = &files["operations/get_c.rs"];
    assert!(!c.contains("meta_fields::"), "{c}");
    assert!(c.contains("MaxLength(8u64)"), "{c}");
    assert!(!shared.contains("MaxLength"), "{shared}");
    assert!(files["mod.rs"].contains("mod meta_fields;"));
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
