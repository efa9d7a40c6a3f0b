//! `pts scene ...` end to end against pts-local with its real load engine and the sample
//! shop target on loopback (time scale 60: one scene minute lasts one real second).

mod common;

use common::live::Live;
use common::{files_in, read_json};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Creates a scene with `apply --yes` and returns its id.
fn create(live: &Live, dir: &Path, scene: &Value) -> String {
    let name = scene["SceneName"].as_str().unwrap().replace(' ', "_");
    let f = write(dir, &format!("{name}.json"), scene);
    let r = live.run(&["scene", "apply", "-f", s(&f), "--yes"]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["created"], true, "{v}");
    v["scene_id"].as_str().unwrap().to_string()
}

fn list_count(live: &Live) -> usize {
    let r = live.run(&["scene", "list"]);
    r.assert_code(0);
    r.json()["SceneViewList"].as_array().unwrap().len()
}

#[test]
fn validate_reports_every_problem_offline() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", &live.shop_scene("good", 2, 1));
    live.run(&["scene", "validate", s(&good)]).assert_code(0);

    let mut bad = live.shop_scene("bad", 2, 1);
    bad["RelationList"][0]["ApiList"][0]["TimeoutInSecond"] = json!(5000);
    bad["RelationList"][0]["ApiList"][1]["Method"] = json!("FETCH");
    bad["LoadConfig"]["MaxRunningTime"] = json!(0);
    bad["LoadConfig"]["Configuration"]["AllConcurrencyBegin"] = json!(9);
    bad["Relations"] = json!([]);
    let bad = write(dir.path(), "bad.yaml", &bad);
    let r = live.run(&["scene", "validate", s(&bad)]);
    r.assert_code(2);
    for needle in [
        "Scene.RelationList[0].ApiList[0].TimeoutInSecond must be at most 60 (got 5000)",
        "Scene.RelationList[0].ApiList[1].Method must be one of GET",
        "Scene.LoadConfig.MaxRunningTime must be at least 1 (got 0)",
        "Scene.LoadConfig.Configuration.AllConcurrencyBegin must not exceed AllConcurrencyLimit (got 9)",
        "Scene.Relations is not a field of this object (did you mean RelationList?)",
    ] {
        assert!(r.stderr.contains(needle), "missing {needle:?} in:\n{}", r.stderr);
    }
    assert_eq!(r.json()["problems"].as_array().unwrap().len(), 5);
    // apply of the same file is refused before anything is sent.
    live.run(&["scene", "apply", "-f", s(&bad), "--yes"]).assert_code(2);
    assert_eq!(list_count(&live), 0);
}

#[test]
fn apply_creates_modifies_and_exports_with_an_empty_diff() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "shop.json", &live.shop_scene("shop", 2, 1));

    // Not a terminal and no --yes: refused; --dry-run and read-only send nothing.
    let r = live.run(&["scene", "apply", "-f", s(&f)]);
    r.assert_code(2);
    assert!(r.stderr.contains("refusing without --yes"), "{}", r.stderr);
    live.run(&["scene", "apply", "-f", s(&f), "--dry-run"]).assert_code(0);
    let r = live.run(&["--read-only", "scene", "apply", "-f", s(&f), "--yes"]);
    r.assert_code(2);
    assert!(r.stderr.contains("read-only"), "{}", r.stderr);
    assert_eq!(list_count(&live), 0);

    let id = create(&live, dir.path(), &live.shop_scene("shop", 2, 1));
    let ev = live.evidence_dirs("apply");
    assert_eq!(ev.len(), 1);
    let files = files_in(&ev[0]);
    for want in [
        "command.json",
        "params.json",
        "summary.md",
        "scene.json",
        "01-SavePtsScene.json",
        "same-name-before.json",
    ] {
        assert!(files.contains(&want.to_string()), "{files:?}");
    }
    let call: Value = read_json(&ev[0].join("01-SavePtsScene.json"));
    assert_eq!(
        (call["operation"].clone(), call["ok"].clone()),
        (json!("SavePtsScene"), json!(true))
    );
    assert_eq!(call["response"]["SceneId"], id.as_str());
    for f in &files {
        let text = std::fs::read_to_string(ev[0].join(f)).unwrap();
        assert!(!text.contains(common::SECRET), "secret in {f}");
    }

    // get, then export -> apply: nothing to change, nothing asked, nothing sent.
    let got = live.run(&["scene", "get", &id]);
    got.assert_code(0);
    assert_eq!(got.json()["SceneName"], "shop");
    let exported = dir.path().join("export.yaml");
    live.run(&["--output-file", s(&exported), "scene", "export", &id]).assert_code(0);
    let r = live.run(&["scene", "apply", "-f", s(&exported)]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!((v["changed"].clone(), v["diff"].clone()), (json!(false), json!([])), "{v}");

    // A change shows in the diff and modifies the same scene.
    let text = std::fs::read_to_string(&exported).unwrap();
    let changed = text.replace("AllConcurrencyLimit: 2", "AllConcurrencyLimit: 3");
    assert_ne!(text, changed, "{text}");
    std::fs::write(&exported, changed).unwrap();
    let r = live.run(&["scene", "apply", "-f", s(&exported), "--yes"]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["created"], false);
    assert_eq!(v["scene_id"], id.as_str());
    assert_eq!(v["diff"], json!(["~ LoadConfig.Configuration.AllConcurrencyLimit: 2 -> 3"]));
    assert!(r.stderr.contains("AllConcurrencyLimit: 2 -> 3"), "{}", r.stderr);
    assert_eq!(list_count(&live), 1);
    let got = live.run(&["scene", "get", &id]).json();
    assert_eq!(got["LoadConfig"]["Configuration"]["AllConcurrencyLimit"], 3);

    // An update naming a scene that does not exist is refused, not turned into a create.
    let mut ghost = live.shop_scene("ghost", 1, 1);
    ghost["SceneId"] = json!("ZZZZZZZZ");
    let g = write(dir.path(), "ghost.json", &ghost);
    let r = live.run(&["scene", "apply", "-f", s(&g), "--yes"]);
    assert_ne!(r.code, 0);
    assert_eq!(list_count(&live), 1);
}

#[test]
fn list_pages_filters_and_tables() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    for i in 0..11 {
        create(&live, dir.path(), &live.shop_scene(&format!("page{i:02}"), 1, 1));
    }
    create(&live, dir.path(), &live.shop_scene("other", 1, 1));
    assert_eq!(list_count(&live), 12);
    let r = live.run(&["scene", "list", "--page-number", "2", "--page-size", "10"]);
    r.assert_code(0);
    assert_eq!(r.json()["SceneViewList"].as_array().unwrap().len(), 2);
    let r = live.run(&["scene", "list", "--keyword", "page"]);
    assert_eq!(r.json()["Count"], 11);
    let r = live.run(&["scene", "list", "--status", "Running"]);
    assert_eq!(r.json()["Count"], 0);
    let r = live.run(&["-o", "table", "scene", "list", "--keyword", "other"]);
    r.assert_code(0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let header = lines[1];
    assert!(
        ["SceneId", "SceneName", "CreateTime"].iter().all(|c| header.contains(c)),
        "{}",
        r.stdout
    );
    assert!(lines[3].contains("other"), "{}", r.stdout);
    assert!(lines[5].starts_with("Total page items: 1 (region="), "{}", r.stdout);
    // One table style: the same frame as any `-o table` output.
    let generic =
        live.run(&["-o", "table", "call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"]);
    let frame = |t: &str| t.lines().map(|l| l.chars().next()).take(3).collect::<Vec<_>>();
    assert_eq!(frame(&r.stdout), frame(&generic.stdout), "{}\n{}", r.stdout, generic.stdout);
    let r = live.run(&["scene", "list", "--page-number", "1", "--page-size", "5"]);
    r.assert_code(2);
    assert!(r.stderr.contains("--page-size must be 10-1000"), "{}", r.stderr);
    // Deleting an id that does not exist: already gone, exit 0.
    let r = live.run(&["scene", "delete", "NOSUCH01", "--yes"]);
    r.assert_code(0);
    assert_eq!(r.json()["deleted"][0]["outcome"], "already gone");
}

#[test]
fn start_waits_verifies_adjusts_and_stops() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let id = create(&live, dir.path(), &live.shop_scene("run", 2, 20));

    let r = live.run(&["scene", "start", &id]);
    r.assert_code(2);
    assert!(r.stderr.contains("refusing without --yes"), "{}", r.stderr);
    let r = live.run(&["scene", "start", &id, "--dry-run"]);
    r.assert_code(0);
    assert_eq!(r.json()["preflight"]["vum_estimate"], 40);
    assert_eq!(live.target.counters().total(), 0);

    let out = dir.path().join("start.json");
    let r = live.run_waiting(&["--output-file", s(&out), "scene", "start", &id]);
    r.assert_code(0);
    let v: Value = read_json(&out);
    for key in ["region", "scene_id", "plan_id", "started_at", "ended_at", "start_response"] {
        assert!(!v[key].is_null(), "{key} missing: {v}");
    }
    let plan = v["plan_id"].as_str().unwrap().to_string();
    assert!(r.stderr.contains(&format!("PlanId {plan}")), "{}", r.stderr);
    let p = &v["status_polling"];
    assert_eq!(
        (p["timed_out"].clone(), p["final_status"].clone()),
        (json!(false), json!("RUNNING")),
        "{p}"
    );
    assert!(p["attempts"].as_u64().unwrap() >= 1 && p["polls"].is_array());
    assert_eq!(v["verification"]["flowing"], true, "{v}");
    assert!(live.target.counters().total() > 0);
    let ev = live.evidence_dirs("start");
    let params: Value = read_json(&ev[0].join("params.json"));
    assert_eq!(params["plan_id"], plan.as_str());
    assert!(files_in(&ev[0]).contains(&"preflight.json".to_string()));

    let st = live.run(&["scene", "status", &id]);
    assert_eq!(st.json()["status"], "RUNNING");
    let again = live.run(&["scene", "start", &id, "--yes"]);
    again.assert_code(2);
    assert!(again.stderr.contains("already running"), "{}", again.stderr);

    let r = live.run(&["scene", "adjust", &id, "--speed", "3", "--yes"]);
    r.assert_code(0);
    assert_eq!(r.json()["targets"][0]["relation"], "shop");
    let r = live.run(&["scene", "adjust", &id, "--speed", "3", "--api", "items", "--yes"]);
    r.assert_code(2);
    assert!(r.stderr.contains("not the first API"), "{}", r.stderr);

    let r = live.run_waiting(&["scene", "stop", &id]);
    r.assert_code(0);
    let v = r.json();
    assert_eq!(v["status_polling"]["final_status"], "STOPPED");
    assert!(v.get("stop_response").is_some() && v["scene_id"] == id.as_str());
    let before = live.target.counters().total();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(live.target.counters().total(), before, "load continued after stop");
    // Stopping a stopped scene sends nothing and is not an error.
    let r = live.run(&["scene", "stop", &id, "--yes"]);
    r.assert_code(0);
    assert_eq!(r.json()["not_running"], true);
}

#[test]
fn wait_timeout_exits_5_and_delete_stops_a_running_scene_first() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let id = create(&live, dir.path(), &live.shop_scene("doomed", 1, 20));
    let r = live.run(&[
        "scene",
        "start",
        &id,
        "--yes",
        "--wait",
        "--poll-interval",
        "0.1",
        "--max-wait",
        "0",
    ]);
    r.assert_code(5);
    assert_eq!(r.json()["status_polling"]["timed_out"], true);

    let r = live.run(&["scene", "delete", &id]);
    r.assert_code(2);
    assert_eq!(list_count(&live), 1);
    let r = live.run(&["scene", "delete", &id, "--yes"]);
    r.assert_code(0);
    let d = &r.json()["deleted"][0];
    assert_eq!(
        (d["outcome"].clone(), d["stopped_first"].clone()),
        (json!("deleted"), json!(true)),
        "{d}"
    );
    assert_eq!(list_count(&live), 0);
    let ev = live.evidence_dirs("delete");
    let files = files_in(&ev[0]);
    assert!(files.iter().any(|f| f.ends_with("-StopPtsScene.json")), "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("-DeletePtsScene.json")), "{files:?}");
}

#[test]
fn rps_chain_refusal_and_debug_logs() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let mut scene = live.shop_scene("rps", 1, 20);
    scene["LoadConfig"] = json!({"TestMode": "tps_mode", "MaxRunningTime": 20,
        "Configuration": {"AllRpsBegin": 20, "AllRpsLimit": 20}});
    let id = create(&live, dir.path(), &scene);

    // Debug: sample logs printed, ended by StopDebugPtsScene (never StopPtsScene).
    let r =
        live.run(&["scene", "debug", &id, "--yes", "--poll-interval", "0.2", "--max-wait", "10"]);
    r.assert_code(0);
    let v = r.json();
    assert!(!v["logs"].as_array().unwrap().is_empty(), "{v}");
    assert!(r.stderr.contains("/api/login"), "{}", r.stderr);
    let files = files_in(&live.evidence_dirs("debug")[0]);
    assert!(files.iter().any(|f| f.ends_with("-StopDebugPtsScene.json")), "{files:?}");
    assert!(!files.iter().any(|f| f.ends_with("-StopPtsScene.json")), "{files:?}");

    live.run(&["scene", "start", &id, "--yes", "--wait", "--poll-interval", "0.2"]).assert_code(0);
    let r = live.run(&["scene", "adjust", &id, "--speed", "50", "--api", "items", "--yes"]);
    r.assert_code(2);
    assert!(r.stderr.contains("RPS must not increase along relation shop"), "{}", r.stderr);
    let r = live.run(&["scene", "adjust", &id, "--speed", "4", "--yes"]);
    r.assert_code(0);
    assert_eq!(r.json()["targets"].as_array().unwrap().len(), 2);
    let r = live.run(&["scene", "stop", &id, "--yes", "--wait", "--poll-interval", "0.2"]);
    r.assert_code(0);
    // The PlanId of the run just stopped, ready for `report show`.
    let plan = r.json()["plan_id"].as_str().expect("plan_id after stop --wait").to_string();
    assert!(
        r.stderr.contains(&format!("pts report show --scene {id} --plan {plan}")),
        "{}",
        r.stderr
    );
    live.run(&["report", "show", "--scene", &id, "--plan", &plan, "-o", "json"]).assert_code(0);
}

#[test]
fn start_with_watch_follows_the_run_until_it_stops() {
    let live = Live::start(60.0, Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let id = create(&live, dir.path(), &live.shop_scene("watched", 1, 2));
    let r =
        live.run(&["scene", "start", &id, "--yes", "--wait", "--poll-interval", "0.2", "--watch"]);
    r.assert_code(0);
    // In a pipe: one JSON object per line, the live samples, then the result.
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(lines.len() >= 2, "{}", r.stdout);
    assert!(lines[..lines.len() - 1].iter().all(|l| l.get("tps").is_some()), "{}", r.stdout);
    assert_eq!(lines.last().unwrap()["scene_id"], id.as_str(), "{}", r.stdout);
    assert_eq!(live.run(&["scene", "status", &id]).json()["status"], "STOPPED");
    let ev = live.evidence_dirs("start");
    let samples = std::fs::read_to_string(ev[0].join("samples.jsonl")).unwrap();
    assert!(samples.lines().count() >= 1, "{samples}");
}
