//! Conformance with clients written by others, each against a fresh pts-local: Alibaba
//! Cloud's Node.js RPC client `@alicloud/pop-core` and its Node.js OpenAPI client
//! `@alicloud/openapi-client` (`tests/clients/node`, pinned in its package-lock.json), and
//! the legacy Python core SDK `aliyun-python-sdk-core` (`tests/clients/python`). Every
//! signature scheme, method and parameter placement each client supports saves, gets and
//! lists a scene and is refused with a wrong secret. (`@alicloud/openapi-client` sends no
//! body on a GET, so its GETs carry every parameter in the query.)
//!
//! Toolchains: `node` on PATH with `npm ci --prefix tests/clients/node` done, and the
//! project's venv (`PTS_PYTHON` or `.venv`) with `aliyun-python-sdk-core==2.16.1`; `.ci/run`
//! installs both. When one is missing the test fails under `CI=true` and is skipped elsewhere.

mod external_support;

use external_support::{missing, python_with, run, workspace};
use pts_local::{Config, Key, RunningServer, Server};
use std::process::Command;
use std::time::Duration;

const AK: &str = "LTAI5tIndependentKey01";
const SK: &str = "Independent/Secret+With=Chars";

async fn server(dir: &std::path::Path) -> RunningServer {
    let config = Config::new(dir).with_keys(vec![Key::new(AK, SK)]).with_null_engine();
    Server::start(config).await.expect("server starts")
}

fn with_env(mut cmd: Command, server: &RunningServer) -> Command {
    cmd.env("PTS_ENDPOINT", server.endpoint()).env("PTS_AK", AK).env("PTS_SK", SK);
    cmd
}

fn node_clients() -> Option<()> {
    let dir = workspace().join("tests/clients/node");
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !node {
        return missing("node", "install Node.js 18 or later");
    }
    if !dir.join("node_modules/@alicloud/pop-core").is_dir() {
        return missing("the Node.js clients", "run `npm ci --prefix tests/clients/node`");
    }
    Some(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alibaba_node_clients_pop_core_and_openapi_client() {
    let Some(()) = node_clients() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let mut cmd = Command::new("node");
    cmd.arg(workspace().join("tests/clients/node/conformance.js"));
    let out = run(with_env(cmd, &server), "node clients", Duration::from_secs(120)).await;
    // 2 pop-core shapes + openapi-client's 2 schemes x (GET query + POST x 3 placements).
    assert_eq!(out.lines().filter(|l| l.starts_with("ran ")).count(), 10, "{out}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_python_core_sdk() {
    let Some(py) = python_with("aliyunsdkcore") else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let mut cmd = Command::new(py);
    cmd.arg(workspace().join("tests/clients/python/core_sdk_conformance.py"));
    let out = run(with_env(cmd, &server), "python core sdk", Duration::from_secs(120)).await;
    // 2 methods x 3 placements.
    assert_eq!(out.lines().filter(|l| l.starts_with("ran ")).count(), 6, "{out}");
    server.shutdown().await;
}
