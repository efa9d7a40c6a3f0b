//! The engine's HTTP/1.1 client against servers written by others: Python's standard
//! `http.server` (HTTP/1.0, bodies that end with the connection) and Node.js's `http` module
//! (keep-alive, chunked bodies, length-delimited echoes). Each run's report must match
//! the server's own count exactly, with every checkpoint on the bodies passing.
//!
//! Toolchains: `python3` and `node` on PATH (`.ci/run` installs Node.js). A missing one fails
//! the test under `CI=true` and skips it with a message elsewhere.

mod engine_support;

use engine_support::*;
use pts_local::engine::{self, NoFiles};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A server process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `program script` (from tests/servers), which prints its port first.
    fn start(program: &str, script: &str) -> Option<Server> {
        let path = format!("{}/tests/servers/{script}", env!("CARGO_MANIFEST_DIR"));
        let child = Command::new(program)
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => {
                let what = format!("`{program}` ({e})");
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("{what} is missing: .ci/run installs it");
                }
                eprintln!("skipping: {what} is missing");
                return None;
            }
        };
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("{script} printed {line:?}"));
        Some(Server { child, port })
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The number of requests the server answered, by its own count.
    fn count(&self) -> u64 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(b"GET /count HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let body = out.split_once("\r\n\r\n").map(|(_, b)| b.trim()).unwrap_or("");
        body.parse().unwrap_or_else(|_| panic!("count: {out:?}"))
    }
}

/// Runs `apis` with 2 virtual users for 2 s; checks the report against the server's count.
fn run_against(server: &Server, apis: Vec<pts_api::shapes::scene::Api>) {
    let n = apis.len();
    let scene = conc_scene(vec![relation("r", apis)], 2, 1);
    let report = engine::start_run(&scene, &NoFiles, &cfg(2.0))
        .unwrap()
        .wait_timeout(Duration::from_secs(20))
        .unwrap();
    let s = &report.scene;
    assert_eq!(s.failed_requests, 0, "{:?}", s.failure_reasons());
    assert_eq!(s.failed_business, 0, "every checkpoint on the bodies passed");
    assert!(s.count >= 10 * n as u64, "traffic: {}", s.count);
    assert_eq!(s.count, server.count(), "report total == the server's count");
}

#[test]
fn python_stdlib_server_bodies_end_with_the_connection() {
    let Some(server) = Server::start("python3", "stdlib_server.py") else { return };
    let mut get = api("get", "GET", &server.url("/hello"));
    get.check_point_list = Some(vec![
        check("STATUS_CODE", "", "eq", "200"),
        check("BODY_TEXT", "", "regex", r"^python says hello \d+$"),
    ]);
    run_against(&server, vec![get]);
}

#[test]
fn node_http_server_chunked_bodies_and_echoes() {
    let Some(server) = Server::start("node", "node_server.js") else { return };
    let mut chunked = api("chunked", "GET", &server.url("/chunked"));
    chunked.check_point_list = Some(vec![
        check("HEADER", "Transfer-Encoding", "eq", "chunked"),
        check("BODY_TEXT", "", "eq", "node says chunk-two end"),
    ]);
    let mut echo = with_body(api("echo", "POST", &server.url("/echo")), "text/plain", "ping-pong");
    echo.check_point_list = Some(vec![
        check("HEADER", "Content-Length", "eq", "9"),
        check("BODY_TEXT", "", "eq", "ping-pong"),
    ]);
    run_against(&server, vec![chunked, echo]);
}
