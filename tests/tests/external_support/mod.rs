//! Running clients written by others (Python and Node.js scripts) against pts-local: where
//! their toolchains are, a bounded run of one script, and the rule for a missing toolchain
//! (the test fails under `CI=true`, where `.ci/run` installs everything, and is skipped with
//! a message elsewhere).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Reports a missing toolchain: a panic under `CI=true`, else a skip notice and `None`.
pub fn missing<T>(what: &str, how: &str) -> Option<T> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is missing: {how}");
    }
    eprintln!("skipping: {what} is missing: {how}");
    None
}

/// The Python interpreter of the project's venv: `PTS_PYTHON`, else `<workspace>/.venv`.
pub fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PTS_PYTHON").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let venv = workspace().join(".venv/bin/python");
    if venv.exists() {
        return Some(venv);
    }
    let how = format!("set PTS_PYTHON or create {} (see .ci/run)", venv.display());
    missing("a Python venv", &how)
}

/// That interpreter, if it can import `module`.
pub fn python_with(module: &str) -> Option<PathBuf> {
    let py = python()?;
    let ok = Command::new(&py)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Some(py);
    }
    missing(&format!("Python module {module} in {}", py.display()), "install it as .ci/run does")
}

/// Runs `cmd` to completion (killed after `limit`), with loopback exempt from any proxy.
/// Panics with its output when it fails; returns its stdout.
pub async fn run(mut cmd: Command, what: &str, limit: Duration) -> String {
    let mut child = cmd
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} ran over {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{what}:\n{stdout}");
    assert!(status.success(), "{what} failed:\n{stdout}\n{stderr}");
    stdout
}
