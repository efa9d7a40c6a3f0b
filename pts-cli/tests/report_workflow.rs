//! End to end against pts-local's real load engine: two short runs of the shop scene, then
//! `pts report list/show/export/diff` and `pts baseline set/show`, with every figure
//! checked against what GetPtsReportDetails returned.

mod common;

use common::live::Live;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

/// Saves the shop scene (2 VUs, one scene minute = one real second).
fn save_scene(live: &Live) -> String {
    let scene = live.shop_scene("report-e2e", 2, 1).to_string();
    let saved = live.run(&["call", "SavePtsScene", "--Scene", &scene, "--yes"]);
    saved.assert_code(0);
    saved.json()["SceneId"].as_str().expect("SceneId").to_string()
}

/// Starts the scene, waits until its runtime status is STOPPED and its report readable;
/// returns the PlanId.
fn run_scene(live: &Live, scene: &str) -> String {
    let started = live.run(&["call", "StartPtsScene", "--SceneId", scene, "--yes"]);
    started.assert_code(0);
    let plan = started.json()["PlanId"].as_str().expect("PlanId").to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = live.run(&["call", "GetPtsSceneRunningStatus", "--SceneId", scene]);
        status.assert_code(0);
        if status.json()["Status"] == "STOPPED" {
            let details = live.run(&details_args(scene, &plan));
            if details.code == 0 {
                return plan;
            }
        }
        assert!(Instant::now() < deadline, "scene {scene} plan {plan} did not stop in 30 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn details_args<'a>(scene: &'a str, plan: &'a str) -> [&'a str; 6] {
    ["call", "GetPtsReportDetails", "--SceneId", scene, "--PlanId", plan]
}

fn details(live: &Live, scene: &str, plan: &str) -> Value {
    let d = live.run(&details_args(scene, plan));
    d.assert_code(0);
    d.json()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A samples.jsonl in an evidence directory whose params.json names the plan, as a watch
/// leaves it: `n` seconds with TPS 40 + i.
fn place_samples(root: &Path, scene: &str, plan: &str, n: usize) {
    let dir = root.join(format!("20261125T120000Z-watch-{scene}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("params.json"),
        json!({"scene_id": scene, "plan_id": plan}).to_string(),
    )
    .unwrap();
    let lines: Vec<String> = (0..n)
        .map(|i| {
            json!({"at": format!("2026-11-25T12:00:{i:02}Z"), "elapsed_s": i as f64,
                   "status": "RUNNING", "concurrency": 2, "tps": 40.0 + i as f64,
                   "avg_rt_ms": 3.5, "p90_rt_ms": 6.0, "total_requests": 40 * (i + 1),
                   "failed_requests": 0, "failed_business": 0, "alive_agents": 1, "total_agents": 1})
            .to_string()
        })
        .collect();
    std::fs::write(dir.join("samples.jsonl"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn reports_exports_diffs_and_baselines_against_real_load() {
    let live = Live::start(60.0, Duration::from_millis(1));
    let scene = save_scene(&live);
    let plan_a = run_scene(&live, &scene);
    let plan_b = run_scene(&live, &scene);
    assert_ne!(plan_a, plan_b);
    let da = details(&live, &scene, &plan_a);
    let db = details(&live, &scene, &plan_b);
    let all_a = da["SceneMetrics"]["AllCount"].as_i64().unwrap();
    assert!(all_a > 0, "real load was measured: {da}");
    let served = live.target.counters().total() as i64;
    let all_b = db["SceneMetrics"]["AllCount"].as_i64().unwrap();
    assert!(served >= all_a + all_b - 4, "the target served the measured requests: {served}");

    // list: ListPtsReports (scene resolved) and GetPtsReportsBySceneId both give both ids.
    for args in [vec!["report", "list"], vec!["report", "list", "--scene", scene.as_str()]] {
        let listed = live.run(&args);
        listed.assert_code(0);
        let rows = listed.json();
        for plan in [&plan_a, &plan_b] {
            let row = rows.as_array().unwrap().iter().find(|r| r["PlanId"] == plan.as_str());
            let row = row.unwrap_or_else(|| panic!("{plan} in {rows}"));
            assert_eq!(row["SceneId"], scene.as_str(), "{args:?}: {row}");
        }
    }

    // show: the pilot summary, and the same structured.
    let shown = live.run(&["report", "show", "--scene", &scene, "--plan", &plan_a]);
    shown.assert_code(0);
    for part in ["QPS", "mean RT", "P99 RT", "success", "concurrency", "Findings:", "Next:"] {
        assert!(shown.stdout.contains(part), "{part}: {}", shown.stdout);
    }
    assert!(shown.stdout.contains(&format!("total requests {all_a}")), "{}", shown.stdout);
    let structured =
        live.run(&["-o", "json", "report", "show", "--scene", &scene, "--plan", &plan_a]);
    structured.assert_code(0);
    let s = structured.json();
    let sm = &da["SceneMetrics"];
    assert_eq!(s["report"]["scene"]["total_requests"], sm["AllCount"]);
    assert_eq!(f(&s["report"]["scene"]["avg_rt_ms"]), f(&sm["AvgRt"]));
    assert_eq!(f(&s["report"]["scene"]["p99_rt_ms"]), f(&sm["Seg99Rt"]));
    assert_eq!(f(&s["report"]["scene"]["success_rate"]), f(&sm["SuccessRateReq"]));
    assert!(s["findings"].is_array() && !s["next_actions"].as_array().unwrap().is_empty());

    // export json: the numbers GetPtsReportDetails returned, per API too.
    let run_ref = ["--scene", scene.as_str(), "--plan", plan_a.as_str()];
    let export = |format: &str| {
        let mut args = vec!["report", "export", "--format", format];
        args.extend(run_ref);
        let r = live.run(&args);
        r.assert_code(0);
        r
    };
    let j: Value = serde_json::from_str(&export("json").stdout).unwrap();
    assert_eq!(j["report"]["scene"]["total_requests"], sm["AllCount"]);
    assert_eq!(j["report"]["scene"]["failed_requests"], sm["FailCountReq"]);
    assert_eq!(f(&j["report"]["scene"]["avg_tps"]), f(&sm["AvgTps"]));
    for api in da["ApiMetricsList"].as_array().unwrap() {
        let name = api["ApiName"].as_str().unwrap();
        let got =
            j["report"]["apis"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap();
        assert_eq!(got["metrics"]["total_requests"], api["AllCount"]);
        assert_eq!(f(&got["metrics"]["p99_rt_ms"]), f(&api["Seg99Rt"]));
        assert_eq!(f(&got["metrics"]["max_rt_ms"]), f(&api["MaxRt"]));
    }

    // export csv: header, scene row, one row per API, same numbers.
    let csv = export("csv").stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("scope,name,total_requests,failed_requests"));
    assert_eq!(lines.len(), 2 + da["ApiMetricsList"].as_array().unwrap().len());
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(cells[0], "scene");
    assert_eq!(cells[2], sm["AllCount"].to_string());
    assert_eq!(cells[7].parse::<f64>().unwrap(), f(&sm["AvgRt"]));
    assert!(lines[2..].iter().any(|l| l.starts_with("api,login,")), "{csv}");

    // export md: tables and findings.
    let md = export("md").stdout;
    assert!(md.contains("| Name | Requests |") && md.contains("## Findings"), "{md}");
    assert!(md.contains(&format!("| (scene) | {all_a} |")), "{md}");

    // export html without samples: says so, keeps the tables, refers to nothing outside.
    let html = export("html");
    assert!(html.stderr.contains("no per-second samples"), "{}", html.stderr);
    let html = html.stdout;
    assert!(html.contains("No per-second samples were recorded") && !html.contains("<svg"));
    assert!(html.contains(&format!("<td>{all_a}</td>")));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));

    // export html with the samples a watch kept: charts drawn from them.
    place_samples(&live.evidence_root(), &scene, &plan_a, 20);
    let html = export("html").stdout;
    assert_eq!(html.matches("<svg").count(), 3, "TPS, RT, failures");
    assert!(html.contains("20 per-second samples"));
    assert!(html.contains(">100</text>"), "the TPS axis tops at 100, the nice ceiling of 59");
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));
    assert!(!html.contains("No per-second samples"));
    // ...and the other plan still has none.
    let other =
        live.run(&["report", "export", "--format", "html", "--scene", &scene, "--plan", &plan_b]);
    assert!(other.stdout.contains("No per-second samples were recorded"));

    // diff of two runs.
    let d = live.run(&[
        "-o",
        "json",
        "report",
        "diff",
        "--scene",
        &scene,
        "--plan",
        &plan_a,
        "--against-plan",
        &plan_b,
    ]);
    d.assert_code(0);
    let d = d.json();
    let total =
        d["scene"].as_array().unwrap().iter().find(|m| m["metric"] == "total_requests").unwrap();
    assert_eq!(f(&total["current"]), all_a as f64);
    assert_eq!(f(&total["reference"]), f(&db["SceneMetrics"]["AllCount"]));
    assert_eq!(d["apis"].as_array().unwrap().len(), 2);
    assert!(d["apis"].as_array().unwrap().iter().all(|a| a["presence"] == "both"));
    let text = live.run(&[
        "report",
        "diff",
        "--scene",
        &scene,
        "--plan",
        &plan_a,
        "--against-plan",
        &plan_b,
    ]);
    text.assert_code(0);
    assert!(text.stdout.contains("API login") && text.stdout.contains("p99_rt"), "{}", text.stdout);

    // No baseline yet: diff against it fails with the reason; show works without it.
    let none =
        live.run(&["report", "diff", "--scene", &scene, "--plan", &plan_a, "--against-baseline"]);
    none.assert_code(1);
    assert!(none.stderr.contains("has no baseline"), "{}", none.stderr);

    // baseline set: refused without --yes (not a terminal), then set with evidence.
    let set_b =
        ["baseline", "set", "--from-report", "--scene", scene.as_str(), "--plan", plan_b.as_str()];
    live.run(&set_b).assert_code(2);
    let mut read_only = vec!["--read-only", "--yes"];
    read_only.extend(set_b);
    let refused = live.run(&read_only);
    refused.assert_code(2);
    assert!(refused.stderr.contains("read-only"), "{}", refused.stderr);
    // A dry run shows the request and changes nothing.
    let mut dry = vec!["--dry-run"];
    dry.extend(set_b);
    let dry = live.run(&dry);
    dry.assert_code(0);
    assert_eq!(dry.json()["DryRun"], true);
    assert!(
        dry.json()["Body"].as_str().unwrap().contains(plan_b.as_str())
            || dry.json()["Url"].as_str().unwrap().contains(plan_b.as_str())
    );
    live.run(&["baseline", "show", &scene]).assert_code(1);
    let set = live.run(&[
        "baseline",
        "set",
        "--from-report",
        "--scene",
        &scene,
        "--plan",
        &plan_b,
        "--yes",
        "--reason",
        "second run is the reference",
    ]);
    set.assert_code(0);
    let set = set.json();
    assert_eq!(f(&set["baseline"]["scene"]["avg_rt_ms"]), f(&db["SceneMetrics"]["AvgRt"]));
    let ev = Path::new(set["evidence"].as_str().expect("evidence dir"));
    for file in [
        "01-GetPtsReportDetails.json",
        "02-CreatePtsSceneBaseLineFromReport.json",
        "03-GetPtsSceneBaseLine.json",
        "params.json",
        "summary.md",
    ] {
        assert!(ev.join(file).is_file(), "{file} in {}", ev.display());
    }
    let params: Value =
        serde_json::from_str(&std::fs::read_to_string(ev.join("params.json")).unwrap()).unwrap();
    assert_eq!(params["reason"], "second run is the reference");
    assert_eq!(params["plan_id"], plan_b.as_str());

    // baseline show: normalised, rates 0-1, no invented request count.
    let shown = live.run(&["baseline", "show", &scene]);
    shown.assert_code(0);
    let b = shown.json();
    assert_eq!(b["kind"], "baseline");
    assert_eq!(f(&b["scene"]["p99_rt_ms"]), f(&db["SceneMetrics"]["Seg99Rt"]));
    assert_eq!(f(&b["scene"]["success_rate"]), f(&db["SceneMetrics"]["SuccessRateReq"]));

    // diff against the baseline.
    let d = live.run(&[
        "-o",
        "json",
        "report",
        "diff",
        "--scene",
        &scene,
        "--plan",
        &plan_a,
        "--against-baseline",
    ]);
    d.assert_code(0);
    let d = d.json();
    assert_eq!(d["reference"], format!("baseline of scene {scene}"));
    let p99 = d["scene"].as_array().unwrap().iter().find(|m| m["metric"] == "p99_rt").unwrap();
    assert_eq!(f(&p99["reference"]), f(&db["SceneMetrics"]["Seg99Rt"]));
    assert_eq!(f(&p99["current"]), f(&da["SceneMetrics"]["Seg99Rt"]));
    assert!(
        d["scene"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["metric"] != "total_requests" || m["reference"].is_null())
    );
    assert!(d["findings"].as_array().unwrap().iter().all(|f| f["area"] != "PTS-Client-Config"));

    // NO-DATA-NO-ANALYSIS: an unknown plan gives the service's exact error, exit 1, nothing else.
    let missing = live.run(&["report", "show", "--scene", &scene, "--plan", "NOPE1234"]);
    missing.assert_code(1);
    assert!(
        missing.stderr.contains("GetPtsReportDetailsFail: Report does not exist"),
        "{}",
        missing.stderr
    );
    assert!(missing.stdout.is_empty(), "no findings on no data: {}", missing.stdout);
    let missing =
        live.run(&["report", "export", "--format", "md", "--scene", &scene, "--plan", "NOPE1234"]);
    missing.assert_code(1);
    assert!(missing.stdout.is_empty());

    // Bad input is refused before anything is sent.
    let big = live.run(&["report", "list", "--page-size", "50"]);
    big.assert_code(2);
    assert!(big.stderr.contains("ListPtsReports takes page sizes 1-20"), "{}", big.stderr);
    let bad = live.run(&["report", "show", "--scene", "A;B", "--plan", &plan_a]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("--scene"), "{}", bad.stderr);
}
