//! Every JSON example response in the metadata deserializes into its generated type, and
//! no field the schema declares is lost on the way (walked against the re-serialized value).

use pts_api::{OperationVisitor, visit_operation};
use serde_json::Value;

struct Roundtrip(Value);

impl OperationVisitor for Roundtrip {
    type Output = Result<Value, String>;
    fn visit<O: pts_api::Operation>(self) -> Self::Output {
        let typed: O::Response = serde_json::from_value(self.0).map_err(|e| e.to_string())?;
        serde_json::to_value(&typed).map_err(|e| e.to_string())
    }
}

#[test]
fn every_example_response_survives_the_typed_model() {
    let Some(docs) = tests::snapshot() else { return };
    let inventory = api_meta::snapshot::committed_inventory();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, api) in &docs.apis {
        let op = inventory.operation(name).unwrap_or_else(|| panic!("{name} not in inventory"));
        for example in api.json_examples() {
            let typed = visit_operation(name, Roundtrip(example.clone()))
                .unwrap_or_else(|| panic!("{name} has no generated type"));
            match typed {
                Err(e) => failures.push(format!("{name}: does not deserialize: {e}")),
                Ok(v) => {
                    for lost in tests::json_walk::lost_fields(&op.response, &example, &v, name) {
                        failures.push(lost);
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 44, "only {checked} examples found; every operation has one");
}

#[test]
fn the_walk_notices_a_lost_field() {
    // Guard against a walk that cannot fail: drop a declared field from the typed side.
    let inventory = api_meta::snapshot::committed_inventory();
    let op = inventory.operation("GetPtsScene").unwrap();
    let example = serde_json::json!({"RequestId": "X", "Scene": {"SceneName": "a"}});
    let typed = serde_json::json!({"RequestId": "X", "Scene": {}});
    let lost = tests::json_walk::lost_fields(&op.response, &example, &typed, "GetPtsScene");
    assert_eq!(lost, vec!["GetPtsScene.Scene.SceneName: missing".to_string()]);
}
