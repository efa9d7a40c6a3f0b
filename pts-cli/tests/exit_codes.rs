//! The exit-code table: service errors (1), usage (2), credentials/authorization by code (3),
//! network (4), interrupted (130).

mod common;
use common::{Pts, Server, status};
use serde_json::json;

fn pts(server: &Server) -> Pts {
    Pts::new().with_env_creds().env("PTS_ENDPOINT", &server.endpoint()).env("PTS_PROTOCOL", "http")
}

const GET: &[&str] = &["call", "GetPtsScene", "--SceneId", "S1"];

#[test]
fn service_error_exits_1_with_code_message_request_id_and_hint() {
    let s = Server::start(|_| {
        status(
            400,
            json!({"RequestId": "RID-400", "Code": "Throttling.User", "Message": "Request was denied due to user flow control."}),
        )
    });
    let run = pts(&s).run(GET);
    run.assert_code(1);
    assert!(run.stderr.contains("error: Throttling.User: Request was denied"), "{}", run.stderr);
    assert!(run.stderr.contains("RequestId RID-400"), "{}", run.stderr);
    assert!(run.stderr.contains("hint: throttled"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

/// A start refused because the plan cannot run: the hint says what to change, not that the
/// scene does not exist.
#[test]
fn plan_invalid_hint_says_what_to_change() {
    let s = Server::start(|_| {
        status(
            400,
            json!({"RequestId": "RID-P", "Code": pts_local::envelope::PLAN_INVALID,
                   "Message": "invalid scene: relation `r`, API `a`: unknown checkpoint operator `x`"}),
        )
    });
    let run = pts(&s).run(&["call", "StartPtsScene", "--SceneId", "S1", "--yes"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("Scene.PlanInvalid: invalid scene: relation `r`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: the scene cannot run as written"), "{}", run.stderr);
    assert!(run.stderr.contains("pts scene apply -f"), "{}", run.stderr);
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn success_false_in_http_200_exits_1() {
    let s = Server::start(|_| {
        status(
            200,
            json!({"RequestId": "RID-200", "Success": false, "Code": "4001", "Message": "scene not found", "HttpStatusCode": 404}),
        )
    });
    let run = pts(&s).run(GET);
    run.assert_code(1);
    assert!(run.stderr.contains("4001: scene not found"), "{}", run.stderr);
    assert!(run.stderr.contains("RID-200"), "{}", run.stderr);
    assert!(
        run.stderr.contains("hint: check the request against `pts api describe GetPtsScene`"),
        "{}",
        run.stderr
    );
}

#[test]
fn authorization_is_decided_by_code_not_status() {
    let s = Server::start(|_| {
        status(
            404,
            json!({"RequestId": "RID-A", "Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}),
        )
    });
    let run = pts(&s).run(GET);
    run.assert_code(3);
    assert!(run.stderr.contains("InvalidAccessKeyId.NotFound"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);

    let s = Server::start(|_| {
        status(
            400,
            json!({"RequestId": "RID-S", "Code": "SignatureDoesNotMatch", "Message": "bad signature"}),
        )
    });
    let run = pts(&s).run(GET);
    run.assert_code(3);
    assert!(run.stderr.contains("check the AccessKey secret"), "{}", run.stderr);

    // PTS answers 403 for objects that do not exist: a service error, not authorization.
    let s = Server::start(|_| {
        status(
            403,
            json!({"RequestId": "RID-N", "Code": "SceneNotExist", "Message": "The scene does not exist"}),
        )
    });
    let run = pts(&s).run(GET);
    run.assert_code(1);
    assert!(
        run.stderr.contains("SceneNotExist: The scene does not exist (RequestId RID-N, HTTP 403)"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_credentials_exit_3_and_nothing_sent() {
    let s = Server::fixed(json!({"RequestId": "R"}));
    let p = Pts::new().env("PTS_ENDPOINT", &s.endpoint()).env("PTS_PROTOCOL", "http");
    let run = p.run(GET);
    run.assert_code(3);
    assert!(run.stderr.contains("no credentials found"), "{}", run.stderr);
    assert!(s.requests().is_empty());
}

#[test]
fn connection_refused_exits_4() {
    // A port that was just free: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let p = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", &format!("127.0.0.1:{port}"))
        .env("PTS_PROTOCOL", "http");
    let run = p.run(GET);
    run.assert_code(4);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let p = Pts::new();
    p.run(&["call"]).assert_code(2);
    p.run(&["nonsense"]).assert_code(2);
    p.run(&["--output", "xml", "api", "list"]).assert_code(2);
    p.run(&["--query", "[", "api", "list"]).assert_code(2);
    p.run(&["call", "ListPtsScene", "stray"]).assert_code(2);
    p.run(&["call", "GetPtsScene", "--SceneId", "S", "--paginate"]).assert_code(2);
    p.run(&["--help"]).assert_code(0);
    p.run(&["--version"]).assert_code(0);
}

#[test]
fn ctrl_c_exits_130() {
    let s = Server::start(|_| common::Reply {
        status: 200,
        body: json!({"RequestId": "slow"}).to_string(),
        delay: std::time::Duration::from_secs(5),
    });
    let p = pts(&s);
    let mut child = p.command(GET).spawn().unwrap();
    // Wait until the request has reached the server, then interrupt.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.requests().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed =
        std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    if !killed.is_ok_and(|s| s.success()) {
        let _ = child.kill();
        let _ = child.wait();
        eprintln!("skipping: no `kill` command to send SIGINT");
        return;
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
}
