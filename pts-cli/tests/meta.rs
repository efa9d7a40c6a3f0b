//! `pts meta check` against the shared snapshot, and `pts completions`.

mod common;
use common::{Pts, snapshot};

#[test]
fn meta_check_snapshot_matches_compiled_inventory() {
    let Some(path) = snapshot() else { return };
    let run = Pts::new().run(&["meta", "check", "--from", path.to_str().unwrap()]);
    run.assert_code(0);
    assert!(run.stdout.contains("no drift"), "{}", run.stdout);
}

#[test]
fn meta_check_reports_drift_and_exits_1() {
    let Some(path) = snapshot() else { return };
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // Change a constraint and remove an operation.
    let apis = doc["apis"].as_object_mut().expect("apis object");
    apis.remove("StopTestingJMeterScene").expect("operation present");
    let list = apis.get_mut("ListPtsScene").unwrap();
    let params = list["parameters"].as_array_mut().unwrap();
    let size = params.iter_mut().find(|p| p["name"] == "PageSize").unwrap();
    size["schema"]["maximum"] = "500".into();
    let p = Pts::new();
    let modified = p.home_path().join("modified.json");
    std::fs::write(&modified, doc.to_string()).unwrap();
    let run = p.run(&["meta", "check", "--from", modified.to_str().unwrap()]);
    run.assert_code(1);
    assert!(run.stdout.contains("- operation StopTestingJMeterScene"), "{}", run.stdout);
    assert!(run.stdout.contains("ListPtsScene.request.PageSize"), "{}", run.stdout);
    assert!(run.stderr.contains("differs"), "{}", run.stderr);
    let j = p.run(&["meta", "check", "--from", modified.to_str().unwrap(), "--output", "json"]);
    j.assert_code(1);
    assert_eq!(j.json()["RemovedOperations"][0], "StopTestingJMeterScene");
}

/// The shared snapshot, mutated by `edit`, written into a fresh home; `None` to skip.
fn mutated(edit: impl FnOnce(&mut serde_json::Value)) -> Option<(Pts, String)> {
    let path = snapshot()?;
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut doc);
    let p = Pts::new();
    let modified = p.home_path().join("modified.json");
    std::fs::write(&modified, doc.to_string()).unwrap();
    Some((p, modified.to_str().unwrap().to_owned()))
}

fn jmeter_reports_params(doc: &mut serde_json::Value) -> &mut Vec<serde_json::Value> {
    doc["apis"]["ListJMeterReports"]["parameters"].as_array_mut().unwrap()
}

#[test]
fn meta_check_names_the_override_over_an_upstream_change() {
    let Some((p, file)) = mutated(|doc| {
        let size = jmeter_reports_params(doc).iter_mut().find(|p| p["name"] == "PageSize");
        size.unwrap()["schema"]["maximum"] = "10".into();
    }) else {
        return;
    };
    let run = p.run(&["meta", "check", "--from", &file]);
    run.assert_code(1);
    assert!(run.stdout.contains("<= 20 -> "), "{}", run.stdout);
    assert!(run.stdout.contains("[override jmeter-reports-page-size says"), "{}", run.stdout);
    assert!(run.stdout.contains("<= 50]"), "{}", run.stdout);
}

#[test]
fn meta_check_an_override_without_target_is_drift_naming_it() {
    let Some((p, file)) =
        mutated(|doc| jmeter_reports_params(doc).retain(|p| p["name"] != "PageSize"))
    else {
        return;
    };
    let run = p.run(&["meta", "check", "--from", &file]);
    run.assert_code(1);
    assert!(run.stdout.contains("override jmeter-reports-page-size"), "{}", run.stdout);
    assert!(!run.stderr.contains("not usable"), "{}", run.stderr);
    let j = p.run(&["meta", "check", "--from", &file, "--output", "json"]);
    j.assert_code(1);
    assert!(j.json()["OverrideFindings"][0].as_str().unwrap().contains("jmeter-reports-page-size"));
}

#[test]
fn meta_check_reports_a_redundant_override() {
    let Some((p, file)) = mutated(|doc| {
        let number = jmeter_reports_params(doc).iter_mut().find(|p| p["name"] == "PageNumber");
        number.unwrap()["schema"]["maximum"] = "100".into();
    }) else {
        return;
    };
    let run = p.run(&["meta", "check", "--from", &file]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("override jmeter-reports-page-number is redundant"),
        "{}",
        run.stdout
    );
}

#[test]
fn meta_check_prose_only_change_is_no_api_change() {
    let Some((p, file)) = mutated(|doc| {
        for param in jmeter_reports_params(doc) {
            param["schema"]["description"] = "reworded".into();
        }
    }) else {
        return;
    };
    let run = p.run(&["meta", "check", "--from", &file]);
    run.assert_code(0);
    assert!(run.stdout.contains("no API change"), "{}", run.stdout);
}

#[test]
fn meta_check_unreadable_file_is_usage() {
    Pts::new().run(&["meta", "check", "--from", "/nonexistent/api-docs.json"]).assert_code(2);
}

#[test]
fn completions_for_every_shell() {
    let p = Pts::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = p.run(&["completions", shell]);
        run.assert_code(0);
        // The script asks pts itself at each TAB, so it names no operation.
        assert!(
            run.stdout.contains("COMPLETE=") || run.stdout.contains("COMPLETE \""),
            "{shell}: {}",
            run.stdout
        );
        assert!(!run.stdout.contains("ListPtsScene"), "{shell}: a static list");
    }
}

/// What bash offers after sourcing `pts completions bash` for the words of a line, the
/// last one being completed.
fn bash_offers(line: &[&str]) -> Vec<String> {
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_pts")).parent().unwrap();
    let words = line.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
    let script = format!(
        "source <(pts completions bash)\nCOMP_WORDS=({words})\nCOMP_CWORD={}\n\
         _clap_complete_pts pts '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        line.len() - 1,
        line[line.len() - 1],
        line[line.len() - 2],
    );
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let run = Pts::new().env("PATH", &path).run_program("bash", &["-c", &script], None);
    run.assert_code(0);
    run.stdout.lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_operations_and_their_parameters_at_run_time() {
    let ops = bash_offers(&["pts", "call", "GetPtsSc"]);
    assert!(ops.contains(&"GetPtsScene".to_string()), "{ops:?}");
    assert!(ops.contains(&"GetPtsSceneRunningData".to_string()), "{ops:?}");
    assert!(ops.iter().all(|o| o.starts_with("GetPtsSc")), "{ops:?}");
    let params = bash_offers(&["pts", "call", "GetPtsReportDetails", "--"]);
    for want in ["--PlanId", "--SceneId", "--paginate"] {
        assert!(params.contains(&want.to_string()), "{want}: {params:?}");
    }
    let described = bash_offers(&["pts", "api", "describe", "StartT"]);
    assert_eq!(described, ["StartTestingJMeterScene"]);
    let sub = bash_offers(&["pts", "sce"]);
    assert_eq!(sub, ["scene"]);
}

#[test]
fn readme_documents_every_exit_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme.split("## Exit codes").nth(1).expect("exit code section");
    let documented: Vec<i32> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .collect();
    let codes: Vec<i32> = pts_cli::ExitCode::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(documented, codes);
}
