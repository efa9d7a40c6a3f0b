//! `cargo xtask check` judges drift on the upstream facts: the shared snapshot is mutated in
//! the test and written to a temp file; the committed tree is only read.

use serde_json::Value;
use std::process::Command;

/// Runs `xtask check --from` on the snapshot after `edit`; `None` when the snapshot is absent.
fn check_with(edit: impl FnOnce(&mut Value)) -> Option<(i32, String, String)> {
    let path = api_meta::snapshot::require_shared(&api_meta::snapshot::snapshot_path())?;
    let mut doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut doc);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("api-docs.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["check", "--from"])
        .arg(&file)
        .env_remove("PTS_API_DOCS")
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    Some((out.status.code().unwrap(), text(out.stdout), text(out.stderr)))
}

fn page_size(doc: &mut Value) -> &mut Value {
    let params = doc["apis"]["ListJMeterReports"]["parameters"].as_array_mut().unwrap();
    params.iter_mut().find(|p| p["name"] == "PageSize").unwrap()
}

#[test]
fn an_upstream_change_under_an_override_fails_and_names_it() {
    let Some((code, _, err)) = check_with(|d| page_size(d)["schema"]["maximum"] = "10".into())
    else {
        return;
    };
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("~ ListJMeterReports.request.PageSize:"), "{err}");
    assert!(err.contains("[override jmeter-reports-page-size says"), "{err}");
}

#[test]
fn an_override_whose_target_is_gone_fails_and_names_it() {
    let Some((code, _, err)) = check_with(|d| {
        let params = d["apis"]["ListJMeterReports"]["parameters"].as_array_mut().unwrap();
        params.retain(|p| p["name"] != "PageSize");
    }) else {
        return;
    };
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("override jmeter-reports-page-size: target"), "{err}");
    assert!(err.contains("codegen/overrides.json"), "{err}");
}

#[test]
fn a_prose_only_change_passes_as_no_api_change() {
    let Some((code, out, err)) =
        check_with(|d| page_size(d)["schema"]["description"] = "reworded".into())
    else {
        return;
    };
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no API change"), "{out}");
}
