//! What the README says each command prints, asserted. Keyed by the README's own text: a
//! command this test does not know fails, naming it.

use crate::Tour;
use crate::common::{Run, read_json};
use serde_json::Value;

/// Runs the README command `text` and asserts what its `comment` (or the table) promises.
pub fn check(t: &mut Tour, text: &str, comment: &str) {
    let args = t.args(text);
    let yes = |mut a: Vec<String>| {
        a.push("--yes".into());
        a
    };
    match text {
        "pts demo" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            for promise in
                ["RUNNING", "stopped scene", "# Report", "TPS", "Evidence: ", "Next steps:"]
            {
                assert!(r.stdout.contains(promise), "demo prints {promise:?}:\n{}", r.stdout);
            }
            let dir = t.evidence("demo");
            assert!(dir.join("report.html").exists() && dir.join("samples.jsonl").exists());
        }
        "pts scene validate examples/scene.yaml" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["valid"], true, "{}", r.stdout);
            assert!(comment.contains("valid"), "{comment}");
        }
        "pts scene apply -f examples/scene.yaml" => apply(t, args, comment),
        "pts scene list" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            let id = t.var("ID");
            assert_eq!(r.json()["SceneViewList"][0]["SceneId"], id, "JSON in a pipe: {}", r.stdout);
            if t.has_script {
                let tty = t.run_on_terminal(&args, None);
                tty.assert_code(0);
                assert!(!tty.stdout.trim_start().starts_with('{'), "a table: {}", tty.stdout);
                for cell in ["SceneId", "SceneName", id, "shop-browse"] {
                    assert!(tty.stdout.contains(cell), "table has {cell}: {}", tty.stdout);
                }
            }
        }
        "pts scene start ID --wait --watch" => {
            let r = t.run(&yes(args), None);
            r.assert_code(0);
            let lines: Vec<Value> = json_lines(&r);
            let (last, samples) = lines.split_last().expect("JSON lines");
            assert!(samples.len() >= 2, "live samples: {}", r.stdout);
            assert!(samples.iter().all(|s| s["status"].is_string() && s["tps"].is_number()));
            assert_eq!(samples.last().unwrap()["status"], "STOPPED", "{}", r.stdout);
            // The time scale: the file's 2 scene minutes pass in seconds, not 120 s.
            let ran_s = samples.last().unwrap()["elapsed_s"].as_f64().unwrap();
            assert!(ran_s < 30.0, "2 scene minutes took {ran_s} s");
            assert_eq!(last["verification"]["flowing"], true, "{}", r.stdout);
            let plan = last["plan_id"].as_str().expect("plan_id").to_string();
            for promise in
                ["pre-flight ok", "VUM estimate", &format!("PlanId {plan}"), "load flows"]
            {
                assert!(r.stderr.contains(promise), "stderr has {promise:?}: {}", r.stderr);
            }
            t.new_plan(&plan);
        }
        "pts scene start ID --wait [--poll-interval 3 --max-wait 120]" => {
            let r = t.run(&yes(args), None);
            r.assert_code(0);
            let v = r.json();
            assert_eq!(v["status_polling"]["final_status"], "RUNNING", "{}", r.stdout);
            assert_eq!(v["verification"]["flowing"], true, "{}", r.stdout);
            assert_eq!(v["preflight"]["ok"], true);
            assert!(v["preflight"]["vum_estimate"].is_number());
            t.new_plan(v["plan_id"].as_str().unwrap());
        }
        "pts scene stop ID --wait" => {
            let r = t.run(&yes(args), None);
            r.assert_code(0);
            let v = r.json();
            assert_eq!(v["status_polling"]["final_status"], "STOPPED", "{}", r.stdout);
            assert_eq!(v["scene_id"], t.var("ID"));
            assert_eq!(v["plan_id"], t.var("PLAN"));
            let next = format!("pts report show --scene {} --plan {}", t.var("ID"), t.var("PLAN"));
            assert!(r.stderr.contains(&next), "{}", r.stderr);
        }
        "pts scene watch ID" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            let lines = json_lines(&r);
            assert!(!lines.is_empty() && lines.iter().all(|s| s["status"].is_string()));
            assert_eq!(lines.last().unwrap()["status"], "STOPPED", "{}", r.stdout);
        }
        "pts scene debug ID" => {
            let r = t.run(&yes(args), None);
            r.assert_code(0);
            let v = r.json();
            assert!(v["plan_id"].is_string(), "{}", r.stdout);
            assert!(!v["logs"].as_array().unwrap().is_empty(), "sample logs: {}", r.stdout);
            assert!(r.stderr.contains("StopDebugPtsScene") || r.stderr.contains("sample log"));
        }
        "pts scene get ID" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["SceneId"], t.var("ID"));
        }
        "pts scene export ID --format yaml" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert!(r.stdout.contains("SceneName: shop-browse"), "{}", r.stdout);
        }
        "pts scene list --keyword K" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["PageNumber"], "all");
            assert_eq!(r.json()["SceneViewList"][0]["SceneId"], t.var("ID"));
        }
        "pts report show --scene ID --plan PLAN" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            for promise in ["QPS", "mean RT", "P99 RT", "success", "Findings", "TPS "] {
                assert!(r.stdout.contains(promise), "report has {promise:?}: {}", r.stdout);
            }
        }
        "pts report export --scene ID --plan PLAN --format html --output-file report.html" => {
            t.run(&args, None).assert_code(0);
            let html = std::fs::read_to_string(t.home().join("report.html")).unwrap();
            assert!(html.contains("<svg") && html.contains(t.var("PLAN")), "charts in report.html");
        }
        "pts report diff --scene ID --plan PLAN --against-plan OTHER" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert!(r.stdout.contains(&format!("plan {}", t.var("OTHER"))), "{}", r.stdout);
            assert!(r.stdout.contains("p99_rt"), "{}", r.stdout);
        }
        "pts report trend --scene ID" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            for plan in [t.var("PLAN"), t.var("OTHER")] {
                assert!(r.stdout.contains(plan), "trend lists {plan}: {}", r.stdout);
            }
        }
        "pts baseline set --from-report --scene ID --plan PLAN" => {
            let r = t.run(&yes(args), None);
            r.assert_code(0);
            assert_eq!(r.json()["report_id"], t.var("PLAN"));
        }
        "pts baseline show ID" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["kind"], "baseline");
            assert!(r.json()["scene"]["p99_rt_ms"].is_number(), "{}", r.stdout);
        }
        t_ if t_.starts_with("pts run ") => gate(t, args),
        "pts api list --output-dir D [--live]" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            let md = std::fs::read_dir(t.home().join("api-docs")).unwrap().next().unwrap();
            let md = std::fs::read_to_string(md.unwrap().path()).unwrap();
            assert!(md.contains("API count: 44"), "{md}");
        }
        "pts doctor" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["passed"], true, "{}", r.stdout);
            let validate = t.evidence("doctor").join("validate.txt");
            assert_eq!(std::fs::read_to_string(validate).unwrap().trim(), "ok");
        }
        "pts whoami" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["Profile"], "local", "{}", r.stdout);
            assert!(r.json()["AccessKeyId"].as_str().unwrap().contains("****"));
        }
        "pts configure --profile work --access-key-id LTAI... --access-key-secret-stdin" => {
            let r = t.run(&args, Some("tour-secret-value\n"));
            r.assert_code(0);
            assert!(!r.stdout.contains("tour-secret-value") && !r.stderr.contains("tour-secret"));
            let config = read_json(&t.home().join("pts/config.json"));
            assert!(config.to_string().contains("LTAI5tTourKeyId0001"), "{config}");
        }
        "pts jmeter list" => {
            let r = t.run(&args, None);
            r.assert_code(0);
            assert_eq!(r.json()["Count"], 0, "{}", r.stdout);
        }
        "pts --profile local mcp serve --allow-mutations=local" => mcp(t, args),
        other => panic!("README command `{other}` has no expectation in readme/steps.rs"),
    }
}

/// First apply: the diff and the question on a terminal, answered `y`; then the same file
/// again: "no changes" and the same id.
fn apply(t: &mut Tour, args: Vec<String>, comment: &str) {
    let first = if t.has_script {
        let r = t.run_on_terminal(&args, Some("y\n"));
        assert!(r.stdout.contains("proceed? [y/N]"), "asks: {}", r.stdout);
        r
    } else {
        let mut a = args.clone();
        a.push("--yes".into());
        t.run(&a, None)
    };
    first.assert_code(0);
    let all = format!("{}{}", first.stdout, first.stderr);
    assert!(all.contains("+ SceneName: \"shop-browse\""), "the diff: {all}");
    let id = all
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(3)
        .find(|w| w[0] == "scene" && w[2] == "created")
        .map(|w| w[1].to_string())
        .unwrap_or_else(|| panic!("\"scene ID created\": {all}"));
    t.vars.insert("ID", id.clone());
    let again = t.run(&args, None);
    again.assert_code(0);
    assert_eq!(again.json()["scene_id"], id.as_str());
    assert_eq!(again.json()["changed"], false);
    assert!(
        comment.contains("no changes") && again.stderr.contains("no changes"),
        "{}",
        again.stderr
    );
}

/// `pts run`: the verdict JSON on stdout, exit 0 (6 on a failed SLA), the scene reused,
/// verdict.json and junit.xml in the evidence.
fn gate(t: &mut Tour, args: Vec<String>) {
    let r = t.run(&args, None);
    r.assert_code(0);
    let verdict: Value = serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(verdict["passed"], true, "{}", r.stdout);
    assert_eq!(verdict["scene_id"], t.var("ID"), "the run reuses the applied scene");
    let dir = t.evidence("run");
    assert!(dir.join("verdict.json").exists() && dir.join("junit.xml").exists());
    t.new_plan(verdict["plan_id"].as_str().unwrap());
}

/// The MCP server on stdio: initialize, then tools/list: 44 operation tools and the
/// workflow tools.
fn mcp(t: &mut Tour, args: Vec<String>) {
    let input = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"readme-tour","version":"0"}}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
    ]
    .join("\n");
    let r = t.run(&args, Some(&format!("{input}\n")));
    r.assert_code(0);
    let replies = json_lines(&r);
    let tools = replies
        .iter()
        .find(|m| m["id"] == 2)
        .and_then(|m| m["result"]["tools"].as_array())
        .unwrap_or_else(|| panic!("tools/list reply: {}", r.stdout));
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    let ops = names.iter().filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase())).count();
    assert_eq!(ops, 44, "{names:?}");
    assert_eq!(names.len() - ops, 8, "workflow tools: {names:?}");
}

fn json_lines(r: &Run) -> Vec<Value> {
    r.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}
