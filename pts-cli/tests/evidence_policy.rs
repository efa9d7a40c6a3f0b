//! The evidence policy when the evidence directory stops being writable mid-run (it is
//! replaced by a plain file, which stops writes for root too): the load the command started
//! is stopped, the calls that succeeded are reported as successes, the failure is a warning,
//! and the end is exit 7 (`pts run`) or `evidence_warnings` in the result (MCP `sla_run`).

mod common;
mod mcp_support;

use common::evidence_dirs;
use common::live::Live;
use mcp_support::{Mcp, save_args};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Waits (on a thread of its own) until an `action` evidence directory under `root` holds
/// the StartPtsScene record, then replaces the directory by a plain file. Returns its path.
fn break_evidence_after_start(
    root: PathBuf,
    action: &'static str,
) -> std::thread::JoinHandle<PathBuf> {
    std::thread::spawn(move || {
        let t0 = Instant::now();
        loop {
            assert!(t0.elapsed() < Duration::from_secs(30), "no started {action} evidence");
            for dir in evidence_dirs(&root, action) {
                if started_recorded(&dir) {
                    std::fs::remove_dir_all(&dir).unwrap();
                    std::fs::write(&dir, "not a directory any more").unwrap();
                    return dir;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    })
}

fn started_recorded(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|f| f.file_name().to_string_lossy().ends_with("-StartPtsScene.json"))
}

#[test]
fn pts_run_stops_its_load_reports_the_verdict_and_exits_7() {
    let live = Live::start(60.0, Duration::ZERO);
    // Thirty scene minutes: pts itself stops the load at --max-duration.
    let file = live.pts.home_path().join("evidence-gone.json");
    std::fs::write(&file, live.shop_scene("evidence-gone", 2, 30).to_string()).unwrap();
    let breaker = break_evidence_after_start(live.evidence_root(), "run");
    let args = ["run", file.to_str().unwrap(), "--sla", "error_rate<50%", "--max-duration", "3s"];
    let mut all = args.to_vec();
    all.push("--yes");
    let r = live.run(&all);
    let broken = breaker.join().unwrap();
    assert!(broken.is_file(), "the directory was replaced");
    r.assert_code(7);
    assert!(r.stderr.contains("warning: evidence"), "{}", r.stderr);
    assert!(r.stderr.contains("evidence write(s) failed"), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["passed"], true, "the run and its verdict stand: {v}");
    assert_eq!(v["ended"], "time_limit", "{v}");
    let scene_id = v["scene_id"].as_str().unwrap();
    assert_eq!(live.runtime_status(scene_id), "STOPPED", "the load was stopped");
    let served = live.target.counters().total();
    assert!(served > 0);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(live.target.counters().total(), served, "no traffic after the run");
}

#[test]
fn mcp_sla_run_reports_success_with_evidence_warnings() {
    let live = Live::start(60.0, Duration::ZERO);
    let mcp = Mcp::start(&live, &["--allow-mutations=local"]);
    let (_, saved) = mcp
        .plan_and_confirm("SavePtsScene", save_args(live.shop_scene("mcp-evidence-gone", 2, 30)));
    let scene_id = saved.ok()["SceneId"].as_str().unwrap().to_string();
    let breaker = break_evidence_after_start(live.evidence_root(), "run");
    let args = json!({"scene_id": scene_id, "sla": "error_rate<50%", "duration_s": 3});
    let (_, ran) = mcp.plan_and_confirm("sla_run", args);
    breaker.join().unwrap();
    let r = ran.ok().clone();
    assert_eq!(r["passed"], true, "{r}");
    let warnings = r["evidence_warnings"].as_array().expect("evidence_warnings");
    assert!(!warnings.is_empty(), "{r}");
    assert!(ran.text().contains("evidence write(s) failed"), "{}", ran.text());
    let status = mcp.call("GetPtsSceneRunningStatus", json!({"SceneId": scene_id}));
    assert_eq!(status.ok()["Status"], "STOPPED", "the load was stopped");
    mcp.finish();
}

/// The start itself cannot be recorded (the directory is a file before StartPtsScene is
/// sent): the start is still a start, with its PlanId, and the failure is kept as a warning.
#[test]
fn a_start_that_cannot_be_recorded_is_still_a_start() {
    use common::{Server, ok};
    use pts_ops::evidence::{Evidence, EvidenceOptions, Target};
    let server = Server::start(|_| ok(json!({"PlanId": "PLAN0001", "Success": true})));
    let root = tempfile::tempdir().unwrap();
    let opts = EvidenceOptions { root: root.path().to_path_buf(), enabled: true };
    let target = Target { region: "local".into(), endpoint: server.endpoint(), profile: None };
    let mut ev = Evidence::begin(&opts, "start", "SCENE001", target, &[]).unwrap();
    let dir = ev.dir().unwrap().to_path_buf();
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, "not a directory any more").unwrap();
    let client = pts_api::Client::builder()
        .endpoint(server.endpoint())
        .protocol(pts_api::client::Protocol::Http)
        .static_credentials(common::AK, common::SECRET, None)
        .build()
        .unwrap();
    let health = ev.health();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let started = rt.block_on(pts_ops::lifecycle::start_pts(&client, "SCENE001", &mut ev));
    assert_eq!(started.expect("the start succeeded").plan_id, "PLAN0001");
    let finished = ev.finish("ok", &[]);
    assert!(finished.is_ok(), "finishing never fails either: {finished:?}");
    let warnings = health.warnings();
    assert!(warnings.iter().any(|w| w.contains("StartPtsScene")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("summary.md")), "{warnings:?}");
}
