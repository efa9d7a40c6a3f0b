//! Drift judged on the upstream facts: the shared snapshot is loaded as JSON, mutated in the
//! test, and checked against the committed inventory under the committed overrides.

use api_meta::drift::{Drift, Finding, check};
use api_meta::overrides::{committed, unapply_all};
use api_meta::snapshot::{committed_inventory, require_shared, snapshot_path};
use serde_json::Value;

fn snapshot() -> Option<Value> {
    let path = require_shared(&snapshot_path())?;
    Some(serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap())
}

fn drift_of(doc: &Value) -> Drift {
    check(&committed_inventory(), doc.to_string().as_bytes(), &committed().unwrap()).unwrap()
}

fn param<'d>(doc: &'d mut Value, op: &str, name: &str) -> &'d mut Value {
    let params = doc["apis"][op]["parameters"].as_array_mut().unwrap();
    params.iter_mut().find(|p| p["name"] == name).unwrap()
}

#[test]
fn the_committed_inventory_records_the_upstream_facts_exactly() {
    let Some(doc) = snapshot() else { return };
    let mut inv = committed_inventory();
    unapply_all(&mut inv).unwrap();
    let raw = std::fs::read(snapshot_path()).unwrap();
    let upstream =
        api_meta::normalize::normalize_bytes(&raw, api_meta::normalize::PTS_API_DOCS_URL).unwrap();
    assert_eq!(inv, upstream);
    let d = drift_of(&doc);
    assert!(!d.is_drift(), "{:?}", d.upstream);
    assert!(d.findings.is_empty(), "no committed override is redundant or broken");
}

#[test]
fn prose_only_changes_are_no_api_change() {
    let Some(mut doc) = snapshot() else { return };
    let size = param(&mut doc, "ListJMeterReports", "PageSize");
    size["schema"]["description"] = "reworded".into();
    size["schema"]["example"] = "7".into();
    doc["apis"]["ListJMeterReports"]["summary"] = "another summary".into();
    let d = drift_of(&doc);
    assert!(!d.is_drift(), "{:?} {:?}", d.upstream, d.changes);
    assert!(d.prose_only);
}

#[test]
fn an_upstream_change_under_an_override_is_reported_with_the_override() {
    let Some(mut doc) = snapshot() else { return };
    param(&mut doc, "ListJMeterReports", "PageSize")["schema"]["maximum"] = "10".into();
    let d = drift_of(&doc);
    assert!(d.is_drift());
    assert!(d.changes.is_empty(), "the override hides it after overrides: {:?}", d.changes);
    let lines: Vec<String> = d.upstream.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert!(line.starts_with("~ ListJMeterReports.request.PageSize:"), "{line}");
    assert!(line.contains("<= 20 -> ") && line.contains("<= 10 ["), "{line}");
    assert!(
        line.ends_with("[override jmeter-reports-page-size says int32, required, >= 1; <= 50]")
    );
}

#[test]
fn an_override_whose_target_is_gone_is_named() {
    let Some(mut doc) = snapshot() else { return };
    let params = doc["apis"]["ListJMeterReports"]["parameters"].as_array_mut().unwrap();
    params.retain(|p| p["name"] != "PageSize");
    let d = drift_of(&doc);
    let ids: Vec<&str> = d.findings.iter().map(Finding::override_id).collect();
    assert_eq!(ids, ["jmeter-reports-page-size"]);
    let text = d.findings[0].to_string();
    assert!(text.contains("ListJMeterReports.request.PageSize") && text.contains("no such"));
    assert!(d.upstream.iter().any(|c| c.to_string() == "- ListJMeterReports.request.PageSize"));
}

#[test]
fn an_override_equal_to_upstream_is_redundant() {
    let Some(mut doc) = snapshot() else { return };
    param(&mut doc, "ListJMeterReports", "PageNumber")["schema"]["maximum"] = "100".into();
    let d = drift_of(&doc);
    assert!(matches!(
        d.findings.as_slice(),
        [Finding::Redundant { id, .. }] if id == "jmeter-reports-page-number"
    ));
    assert!(d.findings[0].to_string().contains("redundant"));
    assert!(d.changes.is_empty());
}
