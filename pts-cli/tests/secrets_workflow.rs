//! A scene with secret-looking headers, parameters and body fields goes through apply,
//! start, debug, watch, report, run and the MCP tools against pts-local; every byte produced
//! (stdout, stderr with --verbose, every evidence file, exports, MCP messages) is searched
//! for the secret values.

mod common;
mod mcp_support;

use common::Run;
use common::live::Live;
use mcp_support::{Mcp, save_args};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const SECRETS: [&str; 8] = [
    "bearer-s3cr3t-AAA",
    "bearer-s3cr3t-BBB",
    "cookie-s3cr3t-CCC",
    "apikey-s3cr3t-DDD",
    "token-s3cr3t-EEE",
    "param-s3cr3t-FFF",
    "body-s3cr3t-GGG",
    "query-s3cr3t-HHH",
];

/// The shop scene with secrets in headers (Authorization `bearer`, Cookie, X-Api-Key,
/// X-Auth-Token), a global parameter, a JSON body field and a URL query parameter.
fn secret_scene(live: &Live, name: &str, bearer: &str, minutes: i32) -> Value {
    let mut s = live.shop_scene(name, 1, minutes);
    let headers = json!([
        {"HeaderName": "Authorization", "HeaderValue": format!("Bearer {bearer}")},
        {"HeaderName": "Cookie", "HeaderValue": format!("session={}", SECRETS[2])},
        {"HeaderName": "X-Api-Key", "HeaderValue": SECRETS[3]},
        {"HeaderName": "X-Auth-Token", "HeaderValue": SECRETS[4]},
        {"HeaderName": "Accept", "HeaderValue": "application/json"},
    ]);
    let login = &mut s["RelationList"][0]["ApiList"][0];
    login["HeaderList"] = headers.clone();
    login["Body"]["BodyValue"] = json!(format!(r#"{{"user":"demo","password":"{}"}}"#, SECRETS[6]));
    let items = &mut s["RelationList"][0]["ApiList"][1];
    items["HeaderList"] = headers;
    let url = items["Url"].as_str().unwrap().to_string();
    items["Url"] = json!(format!("{url}&access_token={}", SECRETS[7]));
    s["GlobalParameterList"] = json!([{"ParamName": "api_password", "ParamValue": SECRETS[5]}]);
    s
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p.to_str().unwrap().to_string()
}

/// Every file under `root`, recursively: (path, text).
fn files_under(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            let bytes = std::fs::read(&p).unwrap_or_default();
            out.push((p.display().to_string(), String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{s} leaked in {what}:\n{text}");
    }
}

fn check(runs: &[(String, Run)]) {
    for (what, r) in runs {
        assert_clean(&format!("stdout of {what}"), &r.stdout);
        assert_clean(&format!("stderr of {what}"), &r.stderr);
    }
}

#[test]
fn no_secret_of_a_scene_reaches_any_sink() {
    let live = Live::start(60.0, Duration::ZERO);
    let home = live.pts.home_path().to_path_buf();
    let mut runs: Vec<(String, Run)> = Vec::new();
    let mut run = |what: &str, args: &[&str]| -> Value {
        let r = live.run(args);
        let v = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
        assert!(r.code == 0, "{what}: exit {}\n{}\n{}", r.code, r.stdout, r.stderr);
        runs.push((what.to_string(), r));
        v
    };

    let file = write(&home, "secret.json", &secret_scene(&live, "secret", SECRETS[0], 2));
    let created = run("apply (create)", &["-v", "scene", "apply", "-f", &file, "--yes"]);
    let id = created["scene_id"].as_str().expect("scene_id").to_string();
    // A changed secret is a change (the diff shows it, masked).
    let mut changed = secret_scene(&live, "secret", SECRETS[1], 2);
    changed["SceneId"] = json!(id);
    let file2 = write(&home, "secret2.json", &changed);
    let modified = run("apply (modify)", &["-v", "scene", "apply", "-f", &file2, "--yes"]);
    assert_eq!(modified["changed"], true, "{modified}");
    let diff = modified["diff"].to_string();
    assert!(diff.contains("HeaderValue") && diff.contains("<redacted>"), "{diff}");

    let debug =
        ["-v", "scene", "debug", &id, "--yes", "--poll-interval", "0.2", "--max-wait", "10"];
    run("debug", &debug);
    let start = ["-v", "scene", "start", &id, "--yes", "--wait", "--poll-interval", "0.2"];
    let started = run("start --watch", &[&start[..], &["--watch"]].concat());
    let plan = started["plan_id"].as_str().or(started["PlanId"].as_str()).map(str::to_string);
    run("start", &start);
    run("watch", &["-v", "scene", "watch", &id, "--for", "1s"]);
    run("stop", &["scene", "stop", &id, "--yes", "--wait", "--poll-interval", "0.2"]);
    let reports = run("report list", &["-v", "report", "list", "--scene", &id]);
    let plan = plan.or_else(|| {
        reports.to_string().split("\"ReportId\":\"").nth(1).map(|s| s[..8].to_string())
    });
    if let Some(plan) = plan {
        run("report show", &["-v", "report", "show", "--scene", &id, "--plan", &plan]);
        for format in ["json", "html", "csv"] {
            let out = home.join(format!("export.{format}"));
            let out = out.to_str().unwrap();
            let args = ["--output-file", out, "report", "export", "--format", format];
            run("report export", &[&args[..], &["--scene", &id, "--plan", &plan]].concat());
        }
    }
    let gate = write(&home, "gate.json", &secret_scene(&live, "gate", SECRETS[0], 1));
    run("run", &["-v", "run", &gate, "--sla", "error_rate<100%", "--yes"]);
    check(&runs);
    let files = files_under(&home);
    assert!(files.iter().any(|(p, _)| p.ends_with("diff.txt")), "evidence written");
    for (path, text) in &files {
        if !path.ends_with("secret.json")
            && !path.ends_with("secret2.json")
            && !path.ends_with("gate.json")
        {
            assert_clean(path, text);
        }
    }

    // The MCP tools: plan, save, read, start, snapshot, stop, report.
    let mcp = Mcp::start(&live, &["--allow-mutations=local", "-v"]);
    let scene = secret_scene(&live, "mcp-secret", SECRETS[0], 2);
    let (_, saved) = mcp.plan_and_confirm("SavePtsScene", save_args(scene));
    let sid = saved.ok()["SceneId"].as_str().unwrap().to_string();
    let mut again = secret_scene(&live, "mcp-secret", SECRETS[1], 2);
    again["SceneId"] = json!(sid);
    let (plan, _) = mcp.plan_and_confirm("SavePtsScene", save_args(again));
    assert!(plan.to_string().contains("<redacted>"), "{plan}");
    mcp.call("scene_detail", json!({"scene_id": sid}));
    let (_, started) = mcp.plan_and_confirm("start_scene", json!({"scene_id": sid}));
    let plan_id = started.ok()["plan_id"].as_str().map(str::to_string);
    if let Some(p) = &plan_id {
        mcp.call("running_snapshot", json!({"scene_id": sid, "plan_id": p}));
    }
    mcp.plan_and_confirm("stop_scene", json!({"scene_id": sid}));
    if let Some(p) = &plan_id {
        mcp.call("report_summary", json!({"scene_id": sid, "plan_id": p}));
    }
    for text in mcp.finish() {
        assert_clean("an MCP message, the server's stderr or its evidence", &text);
    }
}
