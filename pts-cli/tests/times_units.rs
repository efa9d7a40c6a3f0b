//! Times and lengths a person can read, end to end against pts-local: one instant reads the
//! same in tables, JSON, YAML, the report text, the HTML and Markdown exports and the
//! evidence, in the local zone with its offset (or UTC with `--utc`); a run stopped early
//! shows its actual length beside the planned one.

mod common;

use common::live::Live;
use common::{read_json, wait_until};
use pts_api::time::Timestamp;
use serde_json::Value;
use std::time::Duration;

/// A zone no test machine runs in by accident: UTC+05:30, as a POSIX TZ string (no zone
/// database needed).
const TZ: &str = "IST-5:30";
const OFFSET: &str = "+05:30";

fn live_in_zone(scale: f64) -> Live {
    let mut live = Live::start(scale, Duration::ZERO);
    live.pts = std::mem::take(&mut live.pts).env("TZ", TZ);
    live
}

fn report_row(list: &Value, plan: &str) -> Value {
    let rows = list.as_array().unwrap_or_else(|| panic!("a list: {list}"));
    rows.iter().find(|r| r["PlanId"] == plan).unwrap_or_else(|| panic!("{plan} in {list}")).clone()
}

#[test]
fn one_instant_reads_the_same_in_every_output() {
    let live = live_in_zone(60.0);
    let file = live.pts.home_path().join("times.json");
    std::fs::write(&file, live.shop_scene("times", 2, 2).to_string()).unwrap();
    let r = live.run(&["run", file.to_str().unwrap(), "--sla", "error_rate<50%", "--yes"]);
    r.assert_code(0);
    let verdict = r.json();
    let (scene, plan) =
        (verdict["scene_id"].as_str().unwrap(), verdict["plan_id"].as_str().unwrap());

    // The evidence of the run is where the instant is first written.
    let dir = live.only_evidence_dir("run");
    let report = read_json(&dir.join("report.json"))["report"].clone();
    let started = report["started"].as_str().expect("started").to_string();
    let ended = report["ended"].as_str().expect("ended").to_string();
    assert!(started.ends_with(OFFSET) && started.contains('T'), "{started}");
    let instant = Timestamp::parse(&started).unwrap();
    let command = read_json(&dir.join("command.json"));
    assert!(command["started_at"].as_str().unwrap().ends_with(OFFSET), "{command}");

    let by_scene = ["report", "list", "--scene", scene];
    let json = live.run(&[&by_scene[..], &["-o", "json"]].concat());
    let row = report_row(&json.json(), plan);
    assert_eq!(
        (row["StartTime"].as_str(), row["EndTime"].as_str()),
        (Some(&*started), Some(&*ended))
    );
    let secs = row["DurationSeconds"].as_f64().expect("seconds in data");
    assert_eq!(
        secs,
        Timestamp::parse(&started).unwrap().until(Timestamp::parse(&ended).unwrap()).as_secs_f64()
    );
    for format in ["yaml", "table"] {
        let out = live.run(&[&by_scene[..], &["-o", format]].concat());
        out.assert_code(0);
        assert!(
            out.stdout.contains(&started) && out.stdout.contains(&ended),
            "{format}:\n{}",
            out.stdout
        );
    }
    // ListPtsReports writes the start as epoch ms, the scene's list as UTC+8 text: one instant.
    let all = live.run(&["report", "list", "-o", "json"]);
    let row = report_row(&all.json(), plan);
    assert_eq!(row["StartTime"].as_str(), Some(&*started), "{row}");
    assert!(row["DurationSeconds"].as_f64().is_some_and(|s| s >= 60.0), "from N分钟: {row}");
    let table = live.run(&["report", "list", "-o", "table"]);
    assert!(table.stdout.contains(&started) && table.stdout.contains("m 00s"), "{}", table.stdout);

    let run = ["--scene", scene, "--plan", plan];
    let shown = live.run(&[&["report", "show"][..], &run, &["-o", "json"]].concat());
    assert_eq!(shown.json()["report"]["started"].as_str(), Some(&*started));
    let text = live.run(&[&["report", "show"][..], &run].concat());
    assert!(text.stdout.contains(&format!("{started} .. {ended}")), "{}", text.stdout);
    for format in ["html", "md"] {
        let path = live.pts.home_path().join(format!("export.{format}"));
        let args = [
            &["report", "export"][..],
            &run,
            &["--format", format, "--output-file", path.to_str().unwrap()],
        ];
        live.run(&args.concat()).assert_code(0);
        let page = std::fs::read_to_string(&path).unwrap();
        assert!(page.contains(&started) && page.contains(&ended), "{format}:\n{page}");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains(&format!("<dd>{started}</dd>")), "{html}");

    // --utc: the same instant, written in UTC.
    let utc = live.run(&[&["--utc"][..], &by_scene, &["-o", "json"]].concat());
    let utc_start = report_row(&utc.json(), plan)["StartTime"].as_str().unwrap().to_string();
    assert!(utc_start.ends_with('Z'), "{utc_start}");
    assert_eq!(Timestamp::parse(&utc_start).unwrap(), instant);
}

#[test]
fn a_run_stopped_early_shows_actual_and_planned_length() {
    let live = live_in_zone(1.0);
    let scene = live.save_scene(&live.shop_scene("stopped-early", 2, 2));
    let start = live.run(&["call", "StartPtsScene", "--SceneId", &scene, "--yes"]);
    start.assert_code(0);
    let plan = start.json()["PlanId"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_secs(4));
    live.run(&["call", "StopPtsScene", "--SceneId", &scene, "--yes"]).assert_code(0);
    let run = ["--scene", scene.as_str(), "--plan", plan.as_str()];
    let show = |extra: &[&str]| live.run(&[&["report", "show"][..], &run, extra].concat());
    wait_until("the report is readable", Duration::from_secs(30), || {
        show(&["-o", "json"]).code == 0
    });

    let report = show(&["-o", "json"]).json()["report"].clone();
    let actual = report["actual_s"].as_f64().expect("actual length");
    // Stopped after about 4 s of a two-minute plan; the stop itself may take a moment.
    assert!((3.0..=20.0).contains(&actual), "{report}");
    assert_eq!(report["planned_s"].as_f64(), Some(120.0), "{report}");
    let text = show(&[]);
    let line = text
        .stdout
        .lines()
        .find(|l| l.contains("length"))
        .unwrap_or_else(|| panic!("{}", text.stdout));
    assert!(
        line.trim_start().starts_with("length ") && line.ends_with("(planned 2m 00s)"),
        "{line}"
    );
    assert!(!line.contains("m 00s (planned"), "an early stop is not the planned length: {line}");
}
