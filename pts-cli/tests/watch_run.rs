//! `pts run` (the SLA gate) and `pts scene watch` end to end: the real `pts` binary against
//! pts-local's real load engine and the sample shop target, all on loopback. Time scale 60:
//! one scene minute lasts one real second.

mod common;

use common::live::Live;
use common::{Run, Server, files_in, ok, read_json, wait_until};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SCALE: f64 = 60.0;

fn write_scene(live: &Live, name: &str, vus: i32, minutes: i32) -> PathBuf {
    let path = live.pts.home_path().join(format!("{name}.json"));
    std::fs::write(&path, live.shop_scene(name, vus, minutes).to_string()).unwrap();
    path
}

/// `pts run FILE --sla SLA EXTRA --yes`.
fn gate(live: &Live, file: &Path, sla: &str, extra: &[&str]) -> Run {
    let mut args = vec!["run", file.to_str().unwrap(), "--sla", sla];
    args.extend(extra);
    args.push("--yes");
    live.run(&args)
}

#[test]
fn run_passes_a_generous_sla_and_writes_the_verdict() {
    let live = Live::start(SCALE, Duration::ZERO);
    let file = write_scene(&live, "gate-pass", 2, 2);
    let sla = "p99<2s,avg_rt<1s,p90<1s,error_rate<5%,tps>=1";
    let r = gate(&live, &file, sla, &["--junit", "ci/junit.xml"]);
    r.assert_code(0);
    let verdict = r.json();
    assert_eq!(verdict["passed"], true, "{verdict}");
    assert_eq!(verdict["ended"], "completed");
    assert_eq!(verdict["criteria"].as_array().unwrap().len(), 5);
    assert!(verdict["criteria"].as_array().unwrap().iter().all(|c| c["source"] == "report"));
    let dir = live.only_evidence_dir("run");
    for f in [
        "verdict.json",
        "junit.xml",
        "report.json",
        "report.html",
        "samples.jsonl",
        "scene.json",
        "summary.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} in {}", dir.display());
    }
    assert_eq!(read_json(&dir.join("verdict.json"))["passed"], true);
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.contains("tests=\"5\" failures=\"0\""), "{junit}");
    assert_eq!(std::fs::read_to_string(live.pts.home_path().join("ci/junit.xml")).unwrap(), junit);
    assert!(live.target.counters().total() > 0, "load reached the target");
}

#[test]
fn a_sustained_live_breach_stops_the_run_early_with_exit_6() {
    let live = Live::start(SCALE, Duration::from_millis(20));
    // Thirty scene minutes: thirty seconds unless the breach stops it first.
    let file = write_scene(&live, "gate-breach", 2, 30);
    let t0 = Instant::now();
    let r = gate(&live, &file, "avg_rt<1ms,error_rate<50%", &["--breach-for", "2s"]);
    r.assert_code(6);
    assert!(t0.elapsed() < Duration::from_secs(20), "stopped early: {:?}", t0.elapsed());
    let v = r.json();
    assert_eq!((v["passed"].clone(), v["ended"].clone()), (json!(false), json!("breach")), "{v}");
    assert_eq!(v["stopped_early"], true);
    assert_eq!(v["breach"]["criterion"], "avg_rt<1ms");
    assert_eq!(v["criteria"][0]["source"], "live");
    assert_eq!(v["criteria"][1]["passed"], true, "the rest is judged from the report");
    assert!(r.stderr.contains("SLA breach"), "{}", r.stderr);
    let scene_id = v["scene_id"].as_str().unwrap();
    assert_eq!(live.runtime_status(scene_id), "STOPPED");
    let dir = live.only_evidence_dir("run");
    let calls = files_in(&dir);
    assert!(calls.iter().any(|c| c.ends_with("-StopPtsScene.json")), "{calls:?}");
    assert!(std::fs::read_to_string(dir.join("junit.xml")).unwrap().contains("<failure"));
}

#[test]
fn p99_is_judged_from_the_report() {
    let live = Live::start(SCALE, Duration::from_millis(5));
    let file = write_scene(&live, "gate-p99", 2, 2);
    let r = gate(&live, &file, "p99<1ms,tps>=1", &[]);
    r.assert_code(6);
    let v = r.json();
    assert_eq!(v["ended"], "completed", "p99 never stops a run: {v}");
    let p99 = &v["criteria"][0];
    assert_eq!((p99["source"].clone(), p99["passed"].clone()), (json!("report"), json!(false)));
    assert!(p99["actual"].as_f64().unwrap() >= 5.0, "{p99}");
    assert_eq!(v["criteria"][1]["passed"], true);
    assert!(r.stderr.contains("SLA failed"), "{}", r.stderr);
}

#[test]
fn invalid_criteria_are_usage_errors_and_nothing_is_sent() {
    let server = Server::start(|_| ok(json!({"RequestId": "R", "Success": true})));
    let pts = common::Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http");
    let file = pts.home_path().join("scene.json");
    std::fs::write(&file, json!({"SceneName": "x"}).to_string()).unwrap();
    for (sla, needle) in [
        ("p42<1ms", "unknown metric \"p42\""),
        ("foo<1", "unknown metric \"foo\""),
        ("p99=1", "operator"),
    ] {
        let r = pts.run(&["run", file.to_str().unwrap(), "--sla", sla, "--yes"]);
        r.assert_code(2);
        assert!(r.stderr.contains(needle), "{sla}: {}", r.stderr);
    }
    assert!(server.requests().is_empty(), "nothing sent: {:?}", server.requests());
}

#[test]
fn sigterm_during_run_stops_the_scene_and_exits_130() {
    let live = Live::start(SCALE, Duration::ZERO);
    let file = write_scene(&live, "gate-term", 2, 30);
    let child = live
        .pts
        .command(&["run", file.to_str().unwrap(), "--sla", "p99<10s", "--yes"])
        .spawn()
        .unwrap();
    wait_until("load flows", Duration::from_secs(15), || live.target.counters().total() >= 20);
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "stderr: {stderr}");
    assert!(stderr.contains("stopping scene"), "{stderr}");
    let scene_id = stderr
        .lines()
        .find_map(|l| l.strip_prefix("started scene "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the scene id on stderr")
        .to_string();
    assert_eq!(live.runtime_status(&scene_id), "STOPPED");
    let served = live.target.counters().total();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(live.target.counters().total(), served, "traffic stopped growing");
    let dir = live.only_evidence_dir("run");
    assert_eq!(read_json(&dir.join("interrupt-stop.json"))["ok"], true);
}

/// Ctrl-C (SIGINT) during `scene start --watch`: the scene pts started is stopped first.
#[test]
fn ctrl_c_during_start_watch_stops_the_scene_and_exits_130() {
    let live = Live::start(SCALE, Duration::ZERO);
    let scene_id = live.save_scene(&live.shop_scene("watch-int", 2, 30));
    let child =
        live.pts.command(&["scene", "start", &scene_id, "--yes", "--watch"]).spawn().unwrap();
    wait_until("load flows", Duration::from_secs(15), || live.target.counters().total() >= 20);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "stderr: {stderr}");
    assert_eq!(live.runtime_status(&scene_id), "STOPPED");
    let served = live.target.counters().total();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(live.target.counters().total(), served, "traffic stopped growing");
}

#[test]
fn scene_watch_writes_json_lines_with_growing_totals_until_for() {
    let live = Live::start(SCALE, Duration::ZERO);
    let scene = live.shop_scene("watched", 2, 20);
    let scene_id = live.save_scene(&scene);
    let started = live.run(&["call", "StartPtsScene", "--SceneId", &scene_id, "--yes"]);
    started.assert_code(0);
    let plan_id = started.json()["PlanId"].as_str().unwrap().to_string();
    let t0 = Instant::now();
    let r = live.run(&["scene", "watch", &scene_id, "--plan", &plan_id, "--for", "3s"]);
    r.assert_code(0);
    assert!(t0.elapsed() < Duration::from_secs(8), "--for bounds the watch: {:?}", t0.elapsed());
    let samples: Vec<Value> =
        r.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert!(samples.len() >= 3, "{}", r.stdout);
    let totals: Vec<i64> = samples.iter().map(|s| s["total_requests"].as_i64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    assert!(totals.last() > totals.first(), "{totals:?}");
    for key in ["concurrency", "tps", "avg_rt_ms", "p90_rt_ms", "failed_requests", "alive_agents"] {
        assert!(samples[1].get(key).is_some(), "{key} in {}", samples[1]);
    }
    assert_eq!(live.runtime_status(&scene_id), "RUNNING", "a watch leaves the scene running");
    let dir = live.only_evidence_dir("watch");
    let kept = std::fs::read_to_string(dir.join("samples.jsonl")).unwrap();
    assert_eq!(kept.lines().count(), samples.len());
    assert_eq!(read_json(&dir.join("params.json"))["plan_id"], json!(plan_id));
    // Without --plan, the plan comes from the evidence that named it (the watch above).
    let again = live.run(&["scene", "watch", &scene_id, "--for", "1s"]);
    again.assert_code(0);
    assert!(again.stdout.lines().count() >= 1, "{}", again.stderr);
    assert!(again.stderr.contains(&format!("plan {plan_id}")), "{}", again.stderr);
    live.run(&["call", "StopPtsScene", "--SceneId", &scene_id, "--yes"]).assert_code(0);
    // A scene that never ran, with no plan anywhere: a usage error that says what to pass.
    let idle = live.save_scene(&live.shop_scene("idle", 1, 1));
    let r = live.run(&["scene", "watch", &idle]);
    r.assert_code(2);
    assert!(r.stderr.contains("--plan"), "{}", r.stderr);
}

#[test]
fn max_duration_stops_the_run_and_judges_what_ran() {
    let live = Live::start(SCALE, Duration::ZERO);
    let file = write_scene(&live, "gate-capped", 2, 30);
    let t0 = Instant::now();
    let r = gate(&live, &file, "error_rate<1%,tps>=1", &["--max-duration", "2s"]);
    r.assert_code(0);
    assert!(t0.elapsed() < Duration::from_secs(15), "{:?}", t0.elapsed());
    let v = r.json();
    assert_eq!(
        (v["ended"].clone(), v["stopped_early"].clone()),
        (json!("time_limit"), json!(true))
    );
    assert_eq!(v["passed"], true, "{v}");
    assert_eq!(live.runtime_status(v["scene_id"].as_str().unwrap()), "STOPPED");
}
