//! Scene files are safe to apply and run twice: a file is matched to the scene its SceneId
//! names, else to the one scene with its name, else creates one; `--create` forces a new
//! scene, `--write-id` writes the id back, `pts run --ephemeral` deletes its scene at the end.
//! Against pts-local with its real engine and the sample shop target (time scale 60).

mod common;

use common::live::Live;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn scene_file(live: &Live, file: &str, name: &str) -> PathBuf {
    let path = live.pts.home_path().join(file);
    std::fs::write(&path, serde_json::to_string_pretty(&live.shop_scene(name, 2, 1)).unwrap())
        .unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The ids of the scenes named `name`.
fn ids_named(live: &Live, name: &str) -> Vec<String> {
    let r = live.run(&["scene", "list", "-o", "json"]);
    r.assert_code(0);
    r.json()["SceneViewList"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["SceneName"] == name)
        .map(|v| v["SceneId"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn apply_twice_keeps_one_scene_and_the_second_sends_nothing() {
    let live = Live::start(60.0, Duration::ZERO);
    let f = scene_file(&live, "shop.json", "shop-once");
    let first = live.run(&["scene", "apply", "-f", s(&f), "--yes"]);
    first.assert_code(0);
    let id = first.json()["scene_id"].as_str().unwrap().to_string();
    assert_eq!(first.json()["matched_by"], "new");

    // Same file again: matched by name, nothing to change, nothing sent, no evidence.
    let evidence_before = live.evidence_dirs("apply").len();
    let again = live.run(&["scene", "apply", "-f", s(&f), "--yes"]);
    again.assert_code(0);
    assert!(again.stderr.contains("no changes"), "{}", again.stderr);
    let v = again.json();
    assert_eq!((v["scene_id"].as_str(), v["changed"].as_bool()), (Some(id.as_str()), Some(false)));
    assert_eq!(v["matched_by"], "name");
    assert_eq!(live.evidence_dirs("apply").len(), evidence_before);

    // A change to the file updates that scene in place, and --write-id records its id.
    let mut scene: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    scene["LoadConfig"]["MaxRunningTime"] = serde_json::json!(2);
    std::fs::write(&f, scene.to_string()).unwrap();
    let changed = live.run(&["scene", "apply", "-f", s(&f), "--yes", "--write-id"]);
    changed.assert_code(0);
    let v = changed.json();
    assert_eq!((v["created"].as_bool(), v["changed"].as_bool()), (Some(false), Some(true)), "{v}");
    assert_eq!(v["scene_id"], id.as_str());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    assert_eq!(written["SceneId"], id.as_str());
    assert_eq!(ids_named(&live, "shop-once"), vec![id.clone()]);

    // --create forces a second scene; then the name is ambiguous for a file without an id.
    let other = scene_file(&live, "copy.json", "shop-once");
    let created = live.run(&["scene", "apply", "-f", s(&other), "--yes", "--create"]);
    created.assert_code(0);
    let second = created.json()["scene_id"].as_str().unwrap().to_string();
    assert_ne!(second, id);
    let r = live.run(&["scene", "apply", "-f", s(&other), "--yes"]);
    r.assert_code(2);
    assert!(r.stderr.contains("2 PTS scenes are named \"shop-once\""), "{}", r.stderr);
    assert!(r.stderr.contains(&id) && r.stderr.contains(&second), "{}", r.stderr);
    // On a terminal `scene list` is a table (through `script`, which gives it a pty); in a
    // pipe it stays JSON for scripts.
    let pts_bin = env!("CARGO_BIN_EXE_pts");
    let on_tty = live.pts.run_program(
        "script",
        &["-qec", &format!("{pts_bin} scene list"), "/dev/null"],
        None,
    );
    on_tty.assert_code(0);
    assert!(
        on_tty.stdout.contains("SceneId") && on_tty.stdout.contains("Total page items: 2"),
        "{}",
        on_tty.stdout
    );
    assert!(!on_tty.stdout.trim_start().starts_with('{'), "{}", on_tty.stdout);

    // The file that carries its id still applies without any doubt.
    live.run(&["scene", "apply", "-f", s(&f), "--yes"]).assert_code(0);
    assert_eq!(ids_named(&live, "shop-once").len(), 2);
}

#[test]
fn run_twice_reuses_the_scene_and_ephemeral_leaves_none() {
    let live = Live::start(60.0, Duration::ZERO);
    let f = scene_file(&live, "gate.json", "gate-twice");
    let sla = "error_rate<50%";
    for _ in 0..2 {
        let r = live.run(&["run", s(&f), "--sla", sla, "--yes"]);
        r.assert_code(0);
    }
    let ids = ids_named(&live, "gate-twice");
    assert_eq!(ids.len(), 1);

    // Both runs of the one scene, side by side, oldest first, the second judged against the first.
    let html = live.pts.home_path().join("trend.html");
    let r = live.run(&["report", "trend", "--scene", &ids[0], "-o", "json", "--html", s(&html)]);
    r.assert_code(0);
    let runs = r.json()["runs"].as_array().unwrap().clone();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert!(runs.iter().all(|run| run["tps"].as_f64().unwrap() > 0.0), "{runs:?}");
    assert_eq!(runs[1]["judged_against"], "median of 1 previous run(s)");
    assert!(runs[0]["duration_s"].as_f64().is_some(), "{runs:?}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<svg").count(), 3);
    assert!(page.contains(runs[1]["plan_id"].as_str().unwrap()));
    let text = live.run(&["report", "trend", "--scene", &ids[0], "--last", "1"]);
    text.assert_code(0);
    let rows = text.stdout.lines().filter(|l| l.starts_with("│ ") && !l.contains("PlanId"));
    assert_eq!(rows.count(), 1, "{}", text.stdout);
    assert!(!text.stdout.contains(runs[0]["plan_id"].as_str().unwrap()), "{}", text.stdout);

    let e = scene_file(&live, "eph.json", "gate-ephemeral");
    let r = live.run(&["run", s(&e), "--sla", sla, "--yes", "--ephemeral"]);
    r.assert_code(0);
    assert!(r.stderr.contains("ephemeral scene"), "{}", r.stderr);
    assert!(ids_named(&live, "gate-ephemeral").is_empty());
    // Also when the run fails its SLA.
    let r = live.run(&["run", s(&e), "--sla", "tps>=1000000", "--yes", "--ephemeral"]);
    r.assert_code(6);
    assert!(ids_named(&live, "gate-ephemeral").is_empty(), "{}", r.stderr);
}

#[test]
fn help_puts_the_command_options_before_the_global_ones() {
    let r = common::Pts::new().run(&["scene", "apply", "--help"]);
    r.assert_code(0);
    let at = |needle: &str| {
        r.stdout.find(needle).unwrap_or_else(|| panic!("{needle} missing:\n{}", r.stdout))
    };
    assert!(at("--write-id") < at("Global options:"), "{}", r.stdout);
    assert!(at("--create") < at("Global options:"), "{}", r.stdout);
    assert!(at("Global options:") < at("--profile"), "{}", r.stdout);
}
