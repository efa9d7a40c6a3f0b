//! The workflow tools of `pts mcp serve` over stdio against pts-local with real load:
//! inventory, detail, pre-flight, start with verification, snapshot, stop, report summary
//! with findings, and the SLA run; every message scanned for secrets.

mod common;
mod mcp_support;

use common::live::Live;
use mcp_support::{Mcp, save_args};
use serde_json::json;
use std::time::Duration;

fn scene_with(mcp: &Mcp, name: &str, vus: i32, minutes: i32) -> String {
    let (_, saved) =
        mcp.plan_and_confirm("SavePtsScene", save_args(mcp.live.shop_scene(name, vus, minutes)));
    saved.ok()["SceneId"].as_str().unwrap().to_string()
}

#[test]
fn workflow_tools_start_watch_stop_report() {
    let live = Live::start(60.0, Duration::from_millis(2));
    let mcp = Mcp::start(&live, &["--allow-mutations=local"]);
    let scene_id = scene_with(&mcp, "wf-cycle", 4, 10);
    let inv = mcp.call("scene_inventory", json!({"keyword": "wf-"}));
    assert_eq!(inv.ok()["count"], 1);
    assert_eq!(inv.ok()["next"]["scene_ids"][0], scene_id.as_str());
    let detail = mcp.call("scene_detail", json!({"scene_id": scene_id}));
    assert_eq!(detail.ok()["vum_estimate"], 40);
    let pf = mcp.call("preflight_start", json!({"scene_id": scene_id}));
    assert_eq!(pf.ok()["ok"], true, "{}", pf.text());
    assert_eq!(pf.ok()["vum_estimate"], 40);
    // start_scene: plan (pre-flight, VUM), then start, RUNNING, load verified.
    let (plan, started) = mcp.plan_and_confirm("start_scene", json!({"scene_id": scene_id}));
    assert_eq!(plan["plan"]["estimated_load"]["vum_estimate"], 40, "{plan}");
    assert_eq!(plan["plan"]["target"]["endpoint"], live.endpoint.as_str());
    let s = started.ok().clone();
    assert_eq!(s["verification"]["flowing"], true, "{s}");
    assert_eq!(s["status_polling"]["final_status"], "RUNNING", "{s}");
    let plan_id = s["plan_id"].as_str().unwrap().to_string();
    let dir = std::path::PathBuf::from(s["evidence_dir"].as_str().unwrap());
    assert!(dir.join("preflight.json").exists() && dir.join("result.json").exists());
    // A second start is refused by the pre-flight: nothing sent, no token.
    let again = mcp.call("start_scene", json!({"scene_id": scene_id}));
    assert_eq!(again.err()["error"], "preflight", "{}", again.text());
    let snap = mcp.call("running_snapshot", json!({"scene_id": scene_id, "plan_id": plan_id}));
    let snap = snap.ok().clone();
    assert!(snap["sample"]["total_requests"].as_i64().unwrap() > 0, "{snap}");
    assert_eq!(snap["load_flowing"], true);
    // stop_scene: plan, then stop and wait for STOPPED; the ids for the report.
    let (_, stopped) = mcp.plan_and_confirm("stop_scene", json!({"scene_id": scene_id}));
    let st = stopped.ok().clone();
    assert_eq!(st["status_polling"]["final_status"], "STOPPED", "{st}");
    assert_eq!(st["next"]["report_summary"]["plan_id"], plan_id.as_str(), "{st}");
    let idle = mcp.call("stop_scene", json!({"scene_id": scene_id}));
    assert_eq!(idle.ok()["not_running"], true);
    // report_summary: key metrics and rated findings.
    let mut rep = None;
    for _ in 0..50 {
        let r = mcp.call("report_summary", json!({"scene_id": scene_id, "plan_id": plan_id}));
        if !r.is_error() {
            rep = Some(r.ok().clone());
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let rep = rep.expect("a report");
    assert!(rep["summary_metrics"]["total_requests"].as_i64().unwrap() > 0, "{rep}");
    assert!(rep["findings"].is_array());
    for f in rep["findings"].as_array().unwrap() {
        assert!(["high", "medium", "low"].contains(&f["severity"].as_str().unwrap()), "{f}");
    }
    mcp.finish();
}

#[test]
fn sla_run_plans_runs_and_judges() {
    let live = Live::start(60.0, Duration::from_millis(2));
    let mcp = Mcp::start(&live, &["--allow-mutations=local"]);
    let scene_id = scene_with(&mcp, "wf-sla", 2, 2);
    let bad = mcp.call("sla_run", json!({"scene_id": scene_id, "sla": "latency~3"}));
    assert_eq!(bad.err()["field"], "sla", "{}", bad.text());
    let args = json!({"scene_id": scene_id, "sla": "error_rate<50%,avg_rt<5000ms"});
    let (plan, ran) = mcp.plan_and_confirm("sla_run", args);
    assert_eq!(plan["plan"]["estimated_load"]["vum_estimate"], 4, "{plan}");
    let r = ran.ok().clone();
    assert_eq!(r["passed"], true, "{r}");
    assert_eq!(r["verdict"]["ended"], "completed", "{r}");
    let dir = std::path::PathBuf::from(r["evidence_dir"].as_str().unwrap());
    for f in ["verdict.json", "junit.xml", "samples.jsonl", "preflight.json", "report.html"] {
        assert!(dir.join(f).exists(), "{f} in {dir:?}");
    }
    mcp.finish();
}

#[test]
fn sla_run_stops_the_scene_on_a_sustained_breach() {
    let live = Live::start(60.0, Duration::from_millis(5));
    let mcp = Mcp::start(&live, &["--allow-mutations=local"]);
    // 30 scene minutes: 30 s at this time scale, far longer than the breach takes.
    let scene_id = scene_with(&mcp, "wf-breach", 2, 30);
    let (_, ran) =
        mcp.plan_and_confirm("sla_run", json!({"scene_id": scene_id, "sla": "avg_rt<1ms"}));
    let r = ran.ok().clone();
    assert_eq!(r["passed"], false, "{r}");
    assert_eq!(r["verdict"]["ended"], "breach", "{r}");
    let status = mcp.call("GetPtsSceneRunningStatus", json!({"SceneId": scene_id}));
    assert_eq!(status.ok()["Status"], "STOPPED");
    mcp.finish();
}
