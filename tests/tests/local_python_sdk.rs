//! Conformance (b): the official Python SDK (`alibabacloud-pts20201020==1.10.0`,
//! `alibabacloud-tea-openapi==0.4.6`) calls every operation against pts-local with both
//! signature versions (`tests/python/local_sdk_conformance.py`): success and error paths,
//! exact Code and HTTP status. Afterwards every typed body the SDK dumped is compared with
//! what pts-local returns to pts-api for the same read, field for field.
//!
//! Interpreter: `PTS_PYTHON`, else `<workspace>/.venv/bin/python`; when neither exists the test
//! fails under `CI=true` and is skipped with a message otherwise. Set up a venv with
//! `python3 -m venv .venv && .venv/bin/pip install alibabacloud-pts20201020==1.10.0 alibabacloud-tea-openapi==0.4.6`.

mod external_support;

use external_support::{python, run as run_script, workspace};
use pts_api::client::Protocol;
use pts_api::{Client, RetryPolicy};
use pts_local::{Config, Key, Server};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const AK: &str = "LTAI5tPythonSdkKey001";
const SK: &str = "Python/Sdk+Secret=1";

/// Runs the script for one signature version against a fresh server, then compares bodies.
async fn run(py: &Path, sig: &str) {
    let dir = tempfile::tempdir().unwrap();
    // The NullEngine: the conformance script asserts that nothing is measured (no engine) and
    // starts a placeholder JMX; real load is covered by pts-local's engine_service_* tests.
    let config = Config::new(dir.path())
        .with_keys(vec![Key::new(AK, SK)])
        .with_time_scale(60.0)
        .with_null_engine();
    let server = Server::start(config).await.unwrap();
    for (name, bytes) in [
        ("users.csv", &b"alice\nbob\n"[..]),
        ("plan.jmx", b"<jmeterTestPlan/>"),
        ("data.csv", b"a\n"),
        ("ext.jar", b"PK"),
    ] {
        server.upload_bytes(name, bytes).unwrap();
    }
    let dump = dir.path().join("dump.json");
    let script = workspace().join("tests/python/local_sdk_conformance.py");
    let mut cmd = Command::new(py);
    cmd.arg(&script).args([server.endpoint().as_str(), AK, SK, sig]).arg(&dump);
    run_script(cmd, &format!("python sdk ({sig})"), Duration::from_secs(180)).await;

    // The SDK's typed bodies carry exactly the state pts-local holds.
    let client = Client::builder()
        .endpoint(server.endpoint())
        .protocol(Protocol::Http)
        .env_proxy(false)
        .static_credentials(AK, SK, None)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let dumped: Vec<Value> = serde_json::from_slice(&std::fs::read(&dump).unwrap()).unwrap();
    assert!(dumped.len() >= 20, "only {} bodies dumped", dumped.len());
    for entry in dumped {
        let op = entry["op"].as_str().unwrap();
        let meta = pts_api::operation_meta(op).unwrap();
        let mine = client
            .send_json(meta, entry["params"].clone())
            .await
            .unwrap_or_else(|e| panic!("{op}: {e}"));
        let (mut theirs, mut mine) = (entry["body"].clone(), mine.body);
        theirs.as_object_mut().unwrap().remove("RequestId");
        mine.as_object_mut().unwrap().remove("RequestId");
        drop_empty_lists(&mut theirs);
        drop_empty_lists(&mut mine);
        assert_eq!(
            theirs, mine,
            "{op} {}: the SDK's typed body differs from pts-local's",
            entry["params"]
        );
    }
    server.shutdown().await;
}

/// The SDK's typed models write `[]` for every unset list field, so an empty
/// list and an absent one are the same state.
fn drop_empty_lists(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, x| !matches!(x, Value::Array(a) if a.is_empty()));
            map.values_mut().for_each(drop_empty_lists);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_empty_lists),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_python_sdk_calls_every_operation_with_both_signatures() {
    let Some(py) = python() else { return };
    run(&py, "v3").await;
    run(&py, "v1").await;
}
