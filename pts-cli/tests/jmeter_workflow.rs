//! `pts jmeter ...` end to end: a JMX (ThreadGroup + HTTPSamplerProxy) given by path is
//! uploaded to pts-local's file store, the scene saved, started, checked, logged, stopped
//! and removed, against the sample target on loopback (time scale 60).

mod common;

use common::live::Live;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

fn scene_yaml(name: &str, concurrency: i64) -> String {
    format!(
        "SceneName: {name}\nMode: CONCURRENCY\nConcurrency: {concurrency}\nDuration: 1200\nAgentCount: 1\nTestFile: health.jmx\nFileList:\n  - Path: health.jmx\n"
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn jmeter_scene_from_a_jmx_path_runs_and_is_removed() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("health.jmx"), live.health_jmx(None)).unwrap();
    let file = dir.path().join("scene.yaml");
    std::fs::write(&file, scene_yaml("health", 2)).unwrap();
    let data = live.data.path().to_str().unwrap().to_string();

    // Offline refusal: TestFile not among the files.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        scene_yaml("bad", 2).replace("TestFile: health.jmx", "TestFile: other.jmx"),
    )
    .unwrap();
    let r = live.run(&["jmeter", "apply", "-f", s(&bad), "--data", &data, "--yes"]);
    r.assert_code(2);
    assert!(
        r.stderr.contains("OpenJMeterScene.TestFile must name a file of FileList"),
        "{}",
        r.stderr
    );

    live.run(&["jmeter", "apply", "-f", s(&file), "--data", &data]).assert_code(2);
    let r = live.run(&["jmeter", "apply", "-f", s(&file), "--data", &data, "--yes"]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["created"], true, "{v}");
    let id = v["scene_id"].as_str().unwrap().to_string();
    assert!(live.data.path().join("files").join("health.jmx").is_file());

    // The same file again (no SceneId in it): matched by name, nothing to change.
    let r = live.run(&["jmeter", "apply", "-f", s(&file), "--data", &data, "--yes"]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(
        (v["scene_id"].as_str(), v["changed"].as_bool()),
        (Some(id.as_str()), Some(false)),
        "{v}"
    );
    assert_eq!(v["matched_by"], "name");

    // Unchanged on a second apply (given the scene id), changed when the JMX changes.
    let with_id = format!("SceneId: {id}\n{}", scene_yaml("health", 2));
    std::fs::write(&file, &with_id).unwrap();
    let r = live.run(&["jmeter", "apply", "-f", s(&file), "--data", &data]);
    r.assert_code(0);
    assert_eq!(r.json()["changed"], false, "{}", r.stdout);

    let r = live.run(&["jmeter", "list"]);
    r.assert_code(0);
    assert_eq!(r.json()["JMeterScene"][0]["SceneId"], id.as_str());
    let r = live.run(&["jmeter", "get", &id]);
    assert_eq!(r.json()["TestFile"], "health.jmx");

    let r =
        live.run(&["jmeter", "debug", &id, "--yes", "--poll-interval", "0.2", "--max-wait", "5"]);
    r.assert_code(0);
    let dbg = r.json();
    assert!(!dbg["logs"].as_array().unwrap().is_empty(), "{dbg}");
    assert_eq!(live.run(&["jmeter", "stop", &id, "--yes"]).json()["not_running"], true);

    let r = live.run_waiting(&["jmeter", "start", &id]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["status_polling"]["final_status"], "RUNNING", "{v}");
    assert!(!v["report_id"].as_str().unwrap().is_empty());
    assert_eq!(v["verification"]["flowing"], true, "{v}");
    assert!(live.target.counters().health.load(Ordering::Relaxed) > 0);
    live.run(&["jmeter", "start", &id, "--yes"]).assert_code(2);
    live.run(&["jmeter", "adjust", &id, "--speed", "0", "--yes"]).assert_code(2);
    let r = live.run(&["jmeter", "adjust", &id, "--speed", "3", "--yes"]);
    r.assert_code(0);
    assert_eq!(r.json()["response"]["ReportId"], v["report_id"]);

    let r = live.run(&["jmeter", "logs", &id, "--samples", "--page-size", "5"]);
    r.assert_code(0);
    assert_eq!(r.json()["report_id"], v["report_id"]);

    let r = live.run_waiting(&["jmeter", "stop", &id]);
    r.assert_code(0);
    assert_eq!(r.json()["status_polling"]["final_status"], "STOPPED");
    let r = live.run(&["jmeter", "logs", &id]);
    r.assert_code(0);
    assert_eq!(r.json()["report_id"], v["report_id"]);

    let r = live.run(&["jmeter", "delete", &id, "--yes"]);
    r.assert_code(0);
    assert_eq!(r.json()["deleted"][0]["outcome"], "deleted");
    let r = live.run(&["jmeter", "delete", &id, "--yes"]);
    r.assert_code(0);
    assert_eq!(
        r.json()["deleted"],
        json!([{"scene_id": id, "outcome": "already gone", "stopped_first": false}])
    );
    let r = live.run(&["jmeter", "list"]);
    assert_eq!(r.json()["Count"], Value::from(0));
}
