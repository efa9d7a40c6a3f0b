//! Discovery (`pts api list --output-dir`), the self-check (`pts doctor`) and `pts demo`,
//! end to end with the real binary; everything stays on loopback.

mod common;

use common::Pts;
use common::live::Live;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn only_dir(root: &Path, action: &str) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(&format!("-{action}-")))
        .collect();
    assert_eq!(dirs.len(), 1, "one {action} evidence dir: {dirs:?}");
    dirs[0].clone()
}

#[test]
fn api_list_writes_the_discovery_files_offline() {
    // No credentials, no endpoint, and a proxy that does not exist: nothing may be fetched.
    let pts =
        Pts::new().env("HTTPS_PROXY", "http://127.0.0.1:1").env("HTTP_PROXY", "http://127.0.0.1:1");
    let r = pts.run(&["api", "list", "--output-dir", "discovery"]);
    r.assert_code(0);
    assert_eq!(r.json().as_array().unwrap().len(), 44, "the list is still printed");
    let dir = pts.home_path().join("discovery");
    let md = std::fs::read_to_string(dir.join("PTS_2020-10-20_api_list.md")).unwrap();
    assert!(md.lines().any(|l| l == "API count: 44"), "{md}");
    assert!(md.contains("| StartPtsScene | "), "{md}");
    assert!(!dir.join("PTS_2020-10-20_api_docs.json").exists(), "raw metadata only when live");
    let live_alone = pts.run(&["api", "list", "--live"]);
    live_alone.assert_code(2);
}

#[test]
fn doctor_passes_against_pts_local() {
    let live = Live::start(60.0, Duration::ZERO);
    let r = live.run(&["doctor"]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["passed"], true, "{v}");
    let names: Vec<&str> =
        v["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["configuration", "credentials", "inventory", "endpoint"]);
    assert!(v["checks"][1]["detail"].as_str().unwrap().contains("source env"), "{v}");
    let dir = only_dir(&live.evidence_root(), "doctor");
    assert_eq!(std::fs::read_to_string(dir.join("validate.txt")).unwrap(), "ok\n");
    assert!(dir.join("doctor.json").is_file());
}

#[test]
fn doctor_fails_with_the_network_code_when_the_endpoint_is_unreachable() {
    // Port 1 on loopback: nothing listens there.
    let pts =
        Pts::new().with_env_creds().env("PTS_ENDPOINT", "127.0.0.1:1").env("PTS_PROTOCOL", "http");
    let t0 = Instant::now();
    let r = pts.run(&["doctor"]);
    r.assert_code(4);
    assert!(t0.elapsed() < Duration::from_secs(20), "bounded: {:?}", t0.elapsed());
    assert_eq!(r.json()["checks"][3]["result"], "fail");
    let dir = only_dir(&pts.home_path().join("output/aliyun-pts-manage"), "doctor");
    let validate = std::fs::read_to_string(dir.join("validate.txt")).unwrap();
    assert!(!validate.lines().any(|l| l == "ok"), "{validate}");
    assert!(validate.contains("fail endpoint"), "{validate}");
}

#[test]
fn doctor_without_credentials_exits_3() {
    let pts = Pts::new().env("PTS_ENDPOINT", "127.0.0.1:1").env("PTS_PROTOCOL", "http");
    let r = pts.run(&["doctor"]);
    r.assert_code(3);
    let v = r.json();
    assert_eq!(v["checks"][1]["result"], "fail", "{v}");
    assert_eq!(v["checks"][3]["result"], "skipped", "no call without credentials: {v}");
}

#[test]
fn demo_runs_a_real_load_test_with_no_account() {
    // No credentials and no config: the demo must not need or touch either.
    let pts = Pts::new();
    let t0 = Instant::now();
    let r = pts.run(&["demo", "--seconds", "3"]);
    r.assert_code(0);
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    for needle in [
        "created scene",
        "RUNNING",
        "# Report",
        "| login |",
        "| items |",
        "TPS ",
        "Next steps:",
        "pts run ",
    ] {
        assert!(r.stdout.contains(needle), "{needle:?} in:\n{}", r.stdout);
    }
    assert!(r.stdout.contains('█') || r.stdout.contains('▇'), "a chart:\n{}", r.stdout);
    let dir = only_dir(&pts.home_path().join("output/aliyun-pts-manage"), "demo");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<svg"), "charts in report.html");
    let samples = std::fs::read_to_string(dir.join("samples.jsonl")).unwrap();
    assert!(samples.lines().count() >= 3, "{samples}");
    for f in ["report.json", "scene.json", "summary.md", "01-SavePtsScene.json"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(!pts.config_path().exists(), "the user's pts config is never written");
}
