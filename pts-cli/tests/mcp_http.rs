//! `pts mcp serve --http 127.0.0.1:0`: streamable HTTP on loopback. A raw HTTP client
//! initializes a session and lists the tools; a non-loopback address is refused.

mod common;

use common::live::Live;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// POSTs one JSON-RPC message and returns (headers, body) as text; SSE bodies are read
/// until `until` appears or the stream ends.
fn post(port: u16, session: Option<&str>, body: &str, until: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(id) = session {
        req.push_str(&format!("Mcp-Session-Id: {id}\r\nMCP-Protocol-Version: 2025-06-18\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
        if String::from_utf8_lossy(&out).contains(until) {
            break;
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

#[test]
fn streamable_http_on_loopback() {
    let live = Live::start(60.0, Duration::ZERO);
    let mut child = live.pts.command(&["mcp", "serve", "--http", "127.0.0.1:0"]).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let port: u16 = line
        .trim()
        .rsplit_once(':')
        .and_then(|(_, rest)| rest.trim_end_matches("/mcp").parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}"#;
    let (head, body) = post(port, None, init, "serverInfo");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}\n{body}");
    assert!(body.contains("\"serverInfo\"") && body.contains("read-only"), "{body}");
    let session = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("mcp-session-id:")
                .then(|| l[15..].trim().to_string())
        })
        .expect("session id");
    let (head, _) =
        post(port, Some(&session), r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, "");
    assert!(head.starts_with("HTTP/1.1 202"), "{head}");
    let list = r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#;
    let (_, body) = post(port, Some(&session), list, "sla_run");
    assert!(body.contains("\"ListPtsScene\"") && body.contains("sla_run"), "{body}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn http_refuses_a_non_loopback_address() {
    let live = Live::start(60.0, Duration::ZERO);
    let run = live.run(&["mcp", "serve", "--http", "0.0.0.0:0"]);
    run.assert_code(2);
    assert!(run.stderr.contains("loopback"), "{}", run.stderr);
}
