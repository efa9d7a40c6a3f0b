//! `pts local serve` end to end: the real binary serves pts-local on loopback, writes the
//! `local` profile, and `pts --profile local call ...` drives scenes on real state; SIGTERM
//! stops it cleanly. The generated secret never shows in any output.

mod common;

use common::{Pts, Run};
use std::process::Child;
use std::time::{Duration, Instant};

fn wait_for_file(path: &std::path::Path, child: &mut Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(path).map(|t| t.trim().to_string()).unwrap_or_default();
        if !text.is_empty() {
            return text;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("pts local serve exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("pts local serve wrote no endpoint file in 20 s");
}

fn assert_secret_absent(secret: &str, run: &Run) {
    assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "secret printed");
}

#[test]
fn local_serve_writes_a_profile_that_calls_work_against() {
    let pts = Pts::new();
    let data = pts.home_path().join("data");
    let endpoint_file = pts.home_path().join("endpoint");
    let mut server = pts
        .command(&[
            "local",
            "serve",
            "--port",
            "0",
            "--data",
            data.to_str().unwrap(),
            "--time-scale",
            "60",
            "--endpoint-file",
            endpoint_file.to_str().unwrap(),
        ])
        .spawn()
        .expect("spawn pts local serve");
    let endpoint = wait_for_file(&endpoint_file, &mut server);
    assert!(endpoint.starts_with("127.0.0.1:"), "{endpoint}");
    let creds: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("credentials.json")).unwrap()).unwrap();
    let secret = creds.to_string();
    let secret = secret.split("access_key_secret\":\"").nth(1).and_then(|s| s.split('"').next());
    let secret = secret.expect("generated secret in credentials.json").to_string();

    let list = pts.run(&[
        "--profile",
        "local",
        "call",
        "ListPtsScene",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
    ]);
    list.assert_code(0);
    assert_eq!(list.json()["Success"], true);
    assert_secret_absent(&secret, &list);

    let scene = serde_json::json!({
        "SceneName": "cli-e2e",
        "RelationList": [{"RelationName": "flow", "ApiList": [{
            "ApiName": "home", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 10
        }]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1,
            "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 1}}
    });
    let scene_file = pts.home_path().join("scene.json");
    std::fs::write(&scene_file, scene.to_string()).unwrap();
    let at_file = format!("@{}", scene_file.display());
    // A mutating call without --yes outside a terminal is refused before anything is sent.
    pts.run(&["--profile", "local", "call", "SavePtsScene", "--Scene", &at_file]).assert_code(2);
    let saved =
        pts.run(&["--profile", "local", "call", "SavePtsScene", "--Scene", &at_file, "--yes"]);
    saved.assert_code(0);
    let id = saved.json()["SceneId"].as_str().expect("SceneId").to_string();
    let got = pts.run(&["--profile", "local", "call", "GetPtsScene", "--SceneId", &id]);
    got.assert_code(0);
    assert_eq!(got.json()["Scene"]["SceneName"], "cli-e2e");
    let table =
        pts.run(&["--profile", "local", "call", "ListPtsScene", "--paginate", "-o", "table"]);
    table.assert_code(0);
    assert!(table.stdout.contains(&id) && table.stdout.contains("cli-e2e"), "{}", table.stdout);
    // A business error from real state: exit 1, with the service's code.
    let missing = pts.run(&["--profile", "local", "call", "GetPtsScene", "--SceneId", "NOPE1234"]);
    missing.assert_code(1);
    assert!(missing.stderr.contains("RequestId"), "{}", missing.stderr);
    for run in [&saved, &got, &table, &missing] {
        assert_secret_absent(&secret, run);
    }

    let pid = server.id().to_string();
    std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.try_wait().unwrap() {
            assert!(status.success(), "pts local serve exited with {status} on SIGTERM");
            break;
        }
        if Instant::now() > deadline {
            let _ = server.kill();
            panic!("pts local serve did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn local_upload_of_a_missing_file_is_a_usage_error() {
    let pts = Pts::new();
    let data = pts.home_path().join("data");
    let run =
        pts.run(&["local", "upload", "--data", data.to_str().unwrap(), "/nonexistent/file.csv"]);
    run.assert_code(2);
    assert!(run.stderr.contains("file.csv"), "{}", run.stderr);
    let csv = pts.home_path().join("users.csv");
    std::fs::write(&csv, "id,name\n1,a\n").unwrap();
    let ok = pts.run(&["local", "upload", "--data", data.to_str().unwrap(), csv.to_str().unwrap()]);
    ok.assert_code(0);
    assert!(ok.stdout.contains("users.csv"), "{}", ok.stdout);
}
