//! `pts call` of a mutating operation keeps evidence: command line, target, parameters,
//! request id and response, under output/aliyun-pts-manage (or --evidence-dir); reads and
//! dry runs keep none; --no-evidence turns it off; secrets never reach the files.

mod common;
use common::{Pts, SECRET, Server, TOKEN};
use serde_json::json;
use std::path::Path;

fn server() -> Server {
    Server::fixed(json!({"RequestId": "R-EV-1", "Success": true, "Code": "200", "PlanId": "P1"}))
}

fn pts(server: &Server) -> Pts {
    Pts::new()
        .with_env_creds()
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http")
}

fn dirs(root: &Path) -> Vec<std::path::PathBuf> {
    let Ok(rd) = std::fs::read_dir(root) else { return Vec::new() };
    let mut v: Vec<_> = rd.map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

fn all_text(dir: &Path) -> String {
    dirs(dir).iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_mutating_call_writes_evidence_without_secrets() {
    let s = server();
    let p = pts(&s);
    p.run(&["call", "StartPtsScene", "--SceneId", "S1", "--yes"]).assert_code(0);
    let root = p.home_path().join("output/aliyun-pts-manage");
    let made = dirs(&root);
    assert_eq!(made.len(), 1, "{made:?}");
    let dir = &made[0];
    assert!(dir.to_str().unwrap().ends_with("-StartPtsScene-S1"), "{}", dir.display());
    let call: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("01-StartPtsScene.json")).unwrap())
            .unwrap();
    assert_eq!(call["request_id"], "R-EV-1");
    assert_eq!(call["params"]["SceneId"], "S1");
    assert_eq!(call["response"]["PlanId"], "P1");
    let command: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("command.json")).unwrap()).unwrap();
    assert_eq!(command["target"]["endpoint"], s.endpoint());
    assert!(command["command"].to_string().contains("StartPtsScene"));
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("SceneId: `S1`") && summary.contains("R-EV-1"), "{summary}");
    let text = all_text(dir);
    assert!(!text.contains(SECRET) && !text.contains(TOKEN), "secret in evidence");
}

#[test]
fn reads_dry_runs_and_no_evidence_write_nothing_and_evidence_dir_moves_it() {
    let s = server();
    let p = pts(&s);
    let root = p.home_path().join("output/aliyun-pts-manage");
    p.run(&["call", "GetPtsScene", "--SceneId", "S1"]).assert_code(0);
    p.run(&["call", "StartPtsScene", "--SceneId", "S1", "--dry-run"]).assert_code(0);
    p.run(&["call", "StartPtsScene", "--SceneId", "S1", "--yes", "--no-evidence"]).assert_code(0);
    assert!(dirs(&root).is_empty(), "{:?}", dirs(&root));
    let other = p.home_path().join("elsewhere");
    let other_s = other.to_str().unwrap();
    p.run(&["call", "StopPtsScene", "--SceneId", "S1", "--yes", "--evidence-dir", other_s])
        .assert_code(0);
    assert_eq!(dirs(&other).len(), 1);
    assert!(dirs(&root).is_empty());
}
