//! Response objects shared by structure: one struct under `shapes` for a structure two
//! operations use, a `same_as` override merging a subset into a larger shape, `distinct`
//! keeping an occurrence apart, and NAMES.md saying how same-named objects differ.

mod fixture_ops;

use fixture_ops::{inventory, op};
use serde_json::{Value, json};

fn item() -> Value {
    json!({ "type": "object", "properties": {
        "Id": { "type": "string" }, "Count": { "type": "integer", "format": "int64" }
    }})
}

#[test]
fn one_structure_in_two_operations_is_one_shape() {
    // Rules (required, ranges) are not structure: the second copy differs only in them.
    let mut ruled = item();
    ruled["properties"]["Count"]["constraints"] = json!({ "minimum": 1 });
    let inv = inventory(vec![
        op("GetA", json!({ "Item": item() })),
        op("GetB", json!({ "Items": { "type": "array", "items": ruled } })),
        op(
            "GetC",
            json!({ "Item": { "type": "object", "properties": { "Id": { "type": "integer" } } } }),
        ),
    ]);
    let files = codegen::generate(&inv);
    let shape = &files["shapes/item.rs"];
    assert!(shape.contains("pub struct Item {"), "{shape}");
    assert!(shape.contains("`GetA.response.Item`, also at `GetB.response.Items[]`"), "{shape}");
    assert!(files["operations/get_a.rs"].contains("Option<crate::generated::shapes::item::Item>"));
    assert!(
        files["operations/get_b.rs"].contains("Option<Vec<crate::generated::shapes::item::Item>>")
    );
    // A different structure keeps its own local struct, and NAMES.md says how it differs.
    assert!(files["operations/get_c.rs"].contains("pub struct Item {"));
    let names = &files["NAMES.md"];
    assert!(names.contains("## `Item`"), "{names}");
    assert!(
        names.contains("- response `GetC.response.Item`: lacks `Count`; types differently `Id`")
    );
}

#[test]
fn same_as_merges_a_subset_and_distinct_keeps_apart() {
    let mut inv = inventory(vec![
        op("GetA", json!({ "Item": item() })),
        op(
            "GetB",
            json!({ "Snapshot": { "type": "object", "properties": {
            "Id": { "type": "string" } } } }),
        ),
        op("GetC", json!({ "Item": item() })),
    ]);
    inv.operations[1].response.properties.get_mut("Snapshot").unwrap().same_as =
        Some("GetA.response.Item".into());
    inv.operations[2].response.properties.get_mut("Item").unwrap().distinct = true;
    let files = codegen::generate(&inv);
    assert!(
        files["operations/get_b.rs"].contains("Option<crate::generated::shapes::item::Item>"),
        "{}",
        files["operations/get_b.rs"]
    );
    assert!(files["operations/get_c.rs"].contains("pub struct Item {"));
    assert!(!files["operations/get_c.rs"].contains("shapes::item"));
}

#[test]
#[should_panic(expected = "does not fit at `GetB.response.Snapshot.Extra`")]
fn same_as_that_does_not_fit_is_refused() {
    let mut inv = inventory(vec![
        op("GetA", json!({ "Item": item() })),
        op(
            "GetB",
            json!({ "Snapshot": { "type": "object", "properties": {
            "Extra": { "type": "string" } } } }),
        ),
    ]);
    inv.operations[1].response.properties.get_mut("Snapshot").unwrap().same_as =
        Some("GetA.response.Item".into());
    codegen::generate(&inv);
}
