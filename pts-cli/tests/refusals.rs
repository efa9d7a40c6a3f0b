//! Refusals that must stop a workflow where it stands, against the loopback fake server:
//! a start the service refuses inside an HTTP 200 (`Success: false`), and JMeter files
//! given by local path to an endpoint that is not pts-local.

mod common;

use common::{Pts, Server, files_in, ok, only_evidence_dir, read_json, status};
use serde_json::{Value, json};

fn pts(server: &Server) -> Pts {
    Pts::new().with_env_creds().env("PTS_ENDPOINT", &server.endpoint()).env("PTS_PROTOCOL", "http")
}

/// A scene that passes every pre-flight check: one API with a URL, 2 VUs for 1 minute.
fn scene(id: &str) -> Value {
    json!({
        "SceneId": id, "SceneName": "refused", "Status": "Draft",
        "RelationList": [{"RelationName": "r", "ApiList": [
            {"ApiName": "a", "Url": "http://127.0.0.1:9/x", "Method": "GET"}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1,
                       "Configuration": {"AllConcurrencyBegin": 2, "AllConcurrencyLimit": 2}}
    })
}

#[test]
fn a_start_refused_in_an_http_200_exits_1_and_waits_for_nothing() {
    let server = Server::start(|r| match r.action.as_str() {
        "GetPtsScene" => {
            ok(json!({"RequestId": "R-GET", "Success": true, "Scene": scene("SCENE001")}))
        }
        "GetPtsSceneRunningStatus" => {
            ok(json!({"RequestId": "R-STATUS", "Success": true, "Status": "STOPPED"}))
        }
        "StartPtsScene" => ok(json!({
            "RequestId": "RID-START-7", "Success": false, "Code": "Quota.Exceeded",
            "Message": "the concurrency quota is used up", "HttpStatusCode": 400
        })),
        other => status(
            500,
            json!({"Code": "Unexpected", "Message": format!("{other} was not expected")}),
        ),
    });
    let pts = pts(&server);
    let args = [
        "scene",
        "start",
        "SCENE001",
        "--yes",
        "--wait",
        "--poll-interval",
        "0.1",
        "--max-wait",
        "5",
    ];
    let r = pts.run(&args);
    r.assert_code(1);
    for needle in ["Quota.Exceeded", "the concurrency quota is used up", "RID-START-7"] {
        assert!(r.stderr.contains(needle), "{needle:?} in stderr: {}", r.stderr);
    }
    assert!(r.stderr.contains("pre-flight ok   not already running"), "{}", r.stderr);
    assert!(!r.stderr.contains("PlanId"), "no plan was announced: {}", r.stderr);
    assert!(r.stdout.is_empty(), "no result document: {}", r.stdout);

    // The pre-flight reads, one start, then nothing: no status poll, no verification.
    let sent: Vec<String> = server.requests().iter().map(|q| q.action.clone()).collect();
    assert_eq!(sent, ["GetPtsScene", "GetPtsSceneRunningStatus", "StartPtsScene"]);
    assert!(server.requests().iter().all(|q| q.verified.is_ok()));

    // The evidence keeps the pre-flight and the refused call, and says it failed.
    let dir = only_evidence_dir(&pts.home_path().join("output/aliyun-pts-manage"), "start");
    let files = files_in(&dir);
    assert!(files.contains(&"preflight.json".to_string()), "{files:?}");
    assert!(!files.contains(&"result.json".to_string()), "{files:?}");
    let call = read_json(&dir.join("01-StartPtsScene.json"));
    assert_eq!(
        (call["operation"].clone(), call["ok"].clone()),
        (json!("StartPtsScene"), json!(false))
    );
    assert_eq!(call["params"]["SceneId"], "SCENE001");
    let error = call["response"]["error"].as_str().unwrap_or_default();
    assert!(error.contains("Quota.Exceeded"), "{call}");
    assert_eq!(call["response"]["exit_code"], 1);
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("failed") && summary.contains("Quota.Exceeded"), "{summary}");
}

#[test]
fn local_jmeter_files_are_refused_for_a_cloud_endpoint_before_anything_is_sent() {
    // `pts.invalid` is not loopback, so the endpoint counts as the cloud; it never resolves,
    // and any attempt to send would go to a proxy that refuses: exit 4, not 2.
    let pts = Pts::new()
        .with_env_creds()
        .env("PTS_ENDPOINT", "pts.invalid")
        .env("HTTPS_PROXY", "http://127.0.0.1:1")
        .env("HTTP_PROXY", "http://127.0.0.1:1");
    let dir = pts.home_path().to_path_buf();
    std::fs::write(dir.join("plan.jmx"), "<jmeterTestPlan/>").unwrap();
    std::fs::write(
        dir.join("scene.yaml"),
        "SceneName: cloud\nMode: CONCURRENCY\nConcurrency: 1\nDuration: 60\nAgentCount: 1\nTestFile: plan.jmx\nFileList:\n  - Path: plan.jmx\n",
    )
    .unwrap();
    let r = pts.run(&["jmeter", "apply", "-f", "scene.yaml", "--yes"]);
    r.assert_code(2);
    assert!(r.stderr.contains("OpenJMeterScene.FileList[0].Path"), "{}", r.stderr);
    assert!(r.stderr.contains("upload plan.jmx to OSS"), "{}", r.stderr);
    assert!(r.stderr.contains("FileOssAddress"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(!dir.join(".pts-local").exists(), "nothing copied into a local file store");
    assert!(!dir.join("output").exists(), "no evidence: nothing was attempted");

    // The same file against the loopback fake server is taken as pts-local: the refusal
    // above is the endpoint's doing, not the file's.
    let server = Server::fixed(json!({"RequestId": "R", "Success": true, "JMeterScene": []}));
    // (The plan looks the scene up by name, a read, so the refusing proxy is bypassed here.)
    let local = pts
        .env("PTS_ENDPOINT", &server.endpoint())
        .env("PTS_PROTOCOL", "http")
        .env("NO_PROXY", "127.0.0.1");
    let r = local.run(&["jmeter", "apply", "-f", "scene.yaml", "--dry-run"]);
    r.assert_code(0);
    assert!(r.stderr.contains("upload") && r.stderr.contains("plan.jmx"), "{}", r.stderr);
}

/// An AccessKey the service does not know (`InvalidAccessKeyId.NotFound`, HTTP 404) is an
/// authorization failure for every workflow: exit 3, never "already gone" or "missing scene",
/// and nothing mutating is sent after it.
#[test]
fn an_unknown_access_key_exits_3_from_every_workflow() {
    let server = Server::start(|_| {
        status(
            404,
            json!({"RequestId": "R-AK", "Code": "InvalidAccessKeyId.NotFound",
                   "Message": "Specified access key is not found."}),
        )
    });
    let pts = pts(&server);
    let file = pts.home_path().join("scene.json");
    let mut doc = scene("SCENE001");
    doc.as_object_mut().unwrap().remove("Status");
    doc["RelationList"][0]["ApiList"][0]["RedirectCountLimit"] = json!(0);
    std::fs::write(&file, doc.to_string()).unwrap();
    let file = file.display().to_string();
    let commands: [&[&str]; 6] = [
        &["scene", "delete", "SCENE001", "--yes"],
        &["scene", "start", "SCENE001", "--yes"],
        &["scene", "stop", "SCENE001", "--yes"],
        &["scene", "apply", "-f", &file, "--yes"],
        &["report", "show", "--scene", "SCENE001", "--plan", "PLAN0001"],
        &["jmeter", "delete", "SCENE001", "--yes"],
    ];
    for args in commands {
        let r = pts.run(args);
        assert_eq!(r.code, 3, "{args:?}\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        assert!(r.stderr.contains("InvalidAccessKeyId.NotFound"), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("does not exist"), "{args:?}: {}", r.stderr);
    }
    let mutating = [
        "DeletePtsScene",
        "DeletePtsScenes",
        "RemoveOpenJMeterScene",
        "StartPtsScene",
        "StopPtsScene",
        "SavePtsScene",
    ];
    for req in server.requests() {
        assert!(!mutating.contains(&req.action.as_str()), "{} was sent", req.action);
    }
}
