//! The secret (and the STS token) never appear in any output: normal calls, --dry-run,
//! errors, --verbose, whoami, configure. (Every run in every test file is also scanned by
//! the harness.)

mod common;
use common::{Pts, Recorded, SECRET, Server, TOKEN, ok, status};
use serde_json::json;

#[test]
fn secret_never_printed_in_any_mode() {
    let s = Server::start(|r: &Recorded| match r.action.as_str() {
        "GetPtsScene" => {
            status(403, json!({"RequestId": "R-E", "Code": "SceneNotExist", "Message": "no"}))
        }
        "GetPtsReportDetails" => status(
            400,
            json!({"RequestId": "R-S", "Code": "SignatureDoesNotMatch", "Message": "bad"}),
        ),
        _ => ok(json!({"RequestId": "R-OK", "Success": true, "SceneViewList": []})),
    });
    let p = Pts::new()
        .with_env_creds()
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .env("PTS_ENDPOINT", &s.endpoint())
        .env("PTS_PROTOCOL", "http");
    let list = ["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10"];
    let mut runs = vec![
        p.run(&list),
        p.run(&[&list[..], &["--verbose"]].concat()),
        p.run(&[&list[..], &["--dry-run", "-v"]].concat()),
        p.run(&[&list[..], &["--dry-run", "--signature", "v1", "-o", "yaml"]].concat()),
        p.run(&["-v", "call", "GetPtsScene", "--SceneId", "S"]),
        p.run(&["-v", "call", "GetPtsReportDetails", "--SceneId", "S", "--PlanId", "P"]),
        p.run(&["-v", "call", "ListPtsScene", "--PageNumber", "0", "--PageSize", "10"]),
        p.run(&["whoami", "-v"]),
        p.run(&["whoami", "-o", "table"]),
        p.run_stdin(
            &[
                "configure",
                "--profile",
                "x",
                "--access-key-id",
                "LTAIx1234",
                "--access-key-secret-stdin",
                "-v",
            ],
            Some(SECRET),
        ),
        p.run(&["configure", "list", "-v"]),
        p.run(&["whoami", "--profile", "x", "-o", "yaml"]),
        p.run(&[
            "--profile",
            "x",
            "-v",
            "call",
            "ListPtsScene",
            "--PageNumber",
            "1",
            "--PageSize",
            "10",
            "--dry-run",
        ]),
    ];
    // The real signatures the server received must not be printed either.
    let signatures: Vec<String> = s
        .requests()
        .iter()
        .filter_map(|r| {
            r.header("authorization").map(|a| a.rsplit("Signature=").next().unwrap().to_string())
        })
        .collect();
    assert!(!signatures.is_empty());
    runs.push(p.run(&["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "10", "-v"]));
    for run in &runs {
        for secret in
            [SECRET, TOKEN].iter().map(|s| s.to_string()).chain(signatures.iter().cloned())
        {
            assert!(!run.stdout.contains(&secret), "leak in stdout: {}", run.stdout);
            assert!(!run.stderr.contains(&secret), "leak in stderr: {}", run.stderr);
        }
    }
    // The verbose runs did log something.
    assert!(runs[1].stderr.contains("DEBUG"), "{}", runs[1].stderr);
}
