//! `pts call`: parameters (case-insensitive), --input, @file, validation before sending.

mod common;
use common::{AK, Pts, Server, scenes};
use serde_json::json;

#[test]
fn call_sends_signed_request_with_case_insensitive_params() {
    let server = Server::fixed(scenes(&["S1", "S2"]));
    let pts = Pts::new().with_env_creds();
    let run = pts.run(&[
        "call",
        "listptsscene",
        "--pagenumber",
        "1",
        "--PAGESIZE=10",
        "--KeyWord",
        "a b",
        "--endpoint",
        &server.endpoint(),
        "--protocol",
        "http",
    ]);
    run.assert_code(0);
    assert_eq!(run.json()["SceneViewList"][1]["SceneId"], "S2");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.action, "ListPtsScene");
    assert_eq!(r.method, "POST");
    assert_eq!(r.param("PageNumber"), Some("1"));
    assert_eq!(r.param("PageSize"), Some("10"));
    assert_eq!(r.param("KeyWord"), Some("a b"));
    assert_eq!(r.verified, Ok(()));
    assert!(r.header("authorization").unwrap().contains(AK));
}

#[test]
fn global_options_before_the_operation_and_v1_signature() {
    let server = Server::fixed(scenes(&["S1"]));
    let pts = Pts::new().with_env_creds();
    let run = pts.run(&[
        "--endpoint",
        &server.endpoint(),
        "--protocol",
        "http",
        "--signature",
        "v1",
        "call",
        "ListPtsScene",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
    ]);
    run.assert_code(0);
    let r = &server.requests()[0];
    assert_eq!(r.param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(r.verified, Ok(()));
}

#[test]
fn input_file_and_stdin() {
    let server = Server::fixed(scenes(&[]));
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http");
    let file = pts.home_path().join("params.json");
    std::fs::write(&file, r#"{"pagenumber": 2, "PageSize": "20"}"#).unwrap();
    pts.run(&["call", "ListPtsScene", "--input", file.to_str().unwrap()]).assert_code(0);
    // Command-line parameters win over --input.
    pts.run_stdin(
        &["call", "ListPtsScene", "--input", "-", "--PageNumber", "3"],
        Some(r#"{"PageNumber": 1, "PageSize": 10}"#),
    )
    .assert_code(0);
    let reqs = server.requests();
    assert_eq!(reqs[0].param("PageNumber"), Some("2"));
    assert_eq!(reqs[0].param("PageSize"), Some("20"));
    assert_eq!(reqs[1].param("PageNumber"), Some("3"));
    assert_eq!(reqs[1].param("PageSize"), Some("10"));
}

#[test]
fn json_params_as_text_and_at_file() {
    let server = Server::fixed(json!({"RequestId": "R", "Success": true}));
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http");
    pts.run(&["call", "DeletePtsScenes", "--SceneIds", r#"["A","B"]"#, "--yes"]).assert_code(0);
    let file = pts.home_path().join("ids.json");
    std::fs::write(&file, "[\"C\"]").unwrap();
    let at = format!("@{}", file.display());
    pts.run(&["call", "DeletePtsScenes", "--sceneids", &at, "--yes"]).assert_code(0);
    let reqs = server.requests();
    assert_eq!(reqs[0].param("SceneIds"), Some(r#"["A","B"]"#));
    assert_eq!(reqs[1].param("SceneIds"), Some(r#"["C"]"#));
}

#[test]
fn unknown_param_is_usage_error_with_suggestion_and_nothing_sent() {
    let server = Server::fixed(scenes(&[]));
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http");
    let run = pts.run(&["call", "ListPtsScene", "--PageNumbr", "1", "--PageSize", "10"]);
    run.assert_code(2);
    assert!(run.stderr.contains("PageNumbr"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean PageNumber"), "{}", run.stderr);
    assert!(server.requests().is_empty());
}

#[test]
fn unknown_operation_suggests() {
    let run = Pts::new().run(&["call", "ListPtsScenes", "--PageNumber", "1"]);
    run.assert_code(2);
    assert!(run.stderr.contains("did you mean ListPtsScene"), "{}", run.stderr);
}

#[test]
fn out_of_range_and_missing_are_usage_errors_naming_field_and_rule() {
    let server = Server::fixed(scenes(&[]));
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http");
    let run = pts.run(&["call", "ListPtsScene", "--PageNumber", "1", "--PageSize", "5"]);
    run.assert_code(2);
    assert!(run.stderr.contains("PageSize must be at least 10"), "{}", run.stderr);
    let run = pts.run(&["call", "ListPtsScene", "--PageNumber", "1"]);
    run.assert_code(2);
    assert!(run.stderr.contains("PageSize is required"), "{}", run.stderr);
    let run = pts.run(&["call", "ListPtsScene", "--PageNumber", "x", "--PageSize", "10"]);
    run.assert_code(2);
    assert!(run.stderr.contains("PageNumber must be of type int32"), "{}", run.stderr);
    let run = pts.run(&["call", "DeletePtsScenes", "--SceneIds", "[oops", "--yes"]);
    run.assert_code(2);
    assert!(run.stderr.contains("SceneIds must be valid JSON"), "{}", run.stderr);
    assert!(server.requests().is_empty());
}

#[test]
fn region_fills_region_id() {
    let server = Server::fixed(json!({"RequestId": "R", "Success": true, "Vpcs": []}));
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http");
    pts.run(&[
        "call",
        "GetUserVpcs",
        "--PageNumber",
        "1",
        "--PageSize",
        "10",
        "--region",
        "cn-shanghai",
    ])
    .assert_code(0);
    assert_eq!(server.requests()[0].param("RegionId"), Some("cn-shanghai"));
}
