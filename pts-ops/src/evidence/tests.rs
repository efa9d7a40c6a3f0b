use super::*;

fn target() -> Target {
    Target { region: "cn-hangzhou".into(), endpoint: "127.0.0.1:1".into(), profile: None }
}

#[test]
fn writes_the_directory_with_calls_params_and_summary() {
    let root = tempfile::tempdir().unwrap();
    let opts = EvidenceOptions { root: root.path().to_path_buf(), enabled: true };
    let cmd: Vec<String> = ["pts", "scene", "start", "AB12CD34", "--yes"].map(String::from).into();
    let mut ev = Evidence::begin(&opts, "start", "AB12CD34", target(), &cmd).unwrap();
    ev.param("scene_id", "AB12CD34");
    let resp = json!({"RequestId": "R-1", "PlanId": "P1", "Success": true});
    ev.call("StartPtsScene", &json!({"SceneId": "AB12CD34"}), Ok(&resp)).unwrap();
    let err = CliError::usage("boom");
    ev.call("GetPtsSceneRunningStatus", &json!({}), Err(&err)).unwrap();
    let dir = ev.finish("started", &["PlanId P1".into()]).unwrap().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    assert!(name.ends_with("-start-AB12CD34"), "{name}");
    assert!(name.starts_with("20") && name.contains('T') && name.contains('Z'), "{name}");
    let call: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("01-StartPtsScene.json")).unwrap())
            .unwrap();
    assert_eq!(call["request_id"], "R-1");
    assert_eq!(call["params"]["SceneId"], "AB12CD34");
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("Outcome: **started**"), "{summary}");
    assert!(summary.contains("| 1 | StartPtsScene | true | R-1 |"), "{summary}");
    assert!(summary.contains("| 2 | GetPtsSceneRunningStatus | false | - |"), "{summary}");
    assert!(summary.contains("scene_id: `AB12CD34`"), "{summary}");
    let params = std::fs::read_to_string(dir.join("params.json")).unwrap();
    assert!(params.contains("started_at") && params.contains("ended_at"), "{params}");
}

#[test]
fn disabled_writes_nothing_and_ids_cannot_escape() {
    let root = tempfile::tempdir().unwrap();
    let off = EvidenceOptions { root: root.path().to_path_buf(), enabled: false };
    let ev = Evidence::begin(&off, "start", "X", target(), &[]).unwrap();
    assert!(ev.dir().is_none());
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    let on = EvidenceOptions { root: root.path().to_path_buf(), enabled: true };
    let ev = Evidence::begin(&on, "delete", "../../etc", target(), &[]).unwrap();
    assert!(ev.dir().unwrap().starts_with(root.path()));
    assert!(!ev.dir().unwrap().file_name().unwrap().to_str().unwrap().contains('/'));
    // Two directories in the same second get distinct names.
    let again = Evidence::begin(&on, "delete", "../../etc", target(), &[]).unwrap();
    assert_ne!(ev.dir(), again.dir());
}
