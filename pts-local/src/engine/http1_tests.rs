use super::*;
use crate::engine::plan::prepare;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

fn req(method: Method, headers: &[(&str, &str)], body: Option<&str>) -> Prepared {
    prepare(&method, "http://127.0.0.1:9/p?q=1", headers, body, None).unwrap()
}

/// What the client wrote for `p`, as text.
async fn written(p: &Prepared) -> String {
    let (mut c, mut s) = tokio::io::duplex(1 << 16);
    Wire::default().send(&mut c, p).await.unwrap();
    drop(c);
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

/// A client end whose peer sends `reply` in pieces of `step` bytes, then closes.
fn serve(reply: &[u8], step: usize) -> DuplexStream {
    let (c, mut s) = tokio::io::duplex(16);
    let reply = reply.to_vec();
    tokio::spawn(async move {
        for piece in reply.chunks(step.max(1)) {
            if s.write_all(piece).await.is_err() {
                return;
            }
        }
    });
    c
}

/// Head and body of the first response in `reply` (sent `step` bytes at a time).
async fn read(method: Method, reply: &[u8], step: usize) -> Result<(Head, Vec<u8>), WireError> {
    let mut io = serve(reply, step);
    let mut w = Wire::default();
    let head = w.read_head(&mut io, &method).await?;
    let mut body = Vec::new();
    w.read_body(&mut io, &head, |d| body.extend_from_slice(d)).await?;
    Ok((head, body))
}

fn broken_with(r: Result<(Head, Vec<u8>), WireError>, want: &str) {
    match r {
        Err(WireError::Broken(m)) => assert!(m.contains(want), "{m}"),
        Err(WireError::Unanswered(m)) => panic!("unanswered: {m}"),
        Ok((h, _)) => panic!("accepted: {}", h.status),
    }
}

#[tokio::test]
async fn a_request_is_written_with_its_own_length() {
    let p = req(Method::POST, &[("X-A", "b"), ("Content-Length", "99")], Some("hi"));
    let text = written(&p).await;
    assert!(text.starts_with("POST /p?q=1 HTTP/1.1\r\n"), "{text}");
    assert!(text.contains("\r\nx-a: b\r\n") && text.contains("\r\nhost: 127.0.0.1:9\r\n"));
    assert!(text.ends_with("\r\ncontent-length: 2\r\n\r\nhi"), "{text}");
    assert!(!text.contains("99"), "the given length is replaced: {text}");
    let get = written(&req(Method::GET, &[], None)).await;
    assert!(!get.contains("content-length"), "{get}");
    let post = written(&req(Method::POST, &[], None)).await;
    assert!(post.ends_with("content-length: 0\r\n\r\n"), "{post}");
}

#[tokio::test]
async fn a_body_of_given_length_arrives_in_any_pieces() {
    let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Y: z\r\n\r\nhello";
    for step in [1, 3, reply.len()] {
        let (h, body) = read(Method::GET, reply, step).await.unwrap();
        assert_eq!(h.status, StatusCode::OK);
        assert_eq!(h.headers["x-y"], "z");
        assert_eq!(h.len, 46);
        assert!(h.keep_alive);
        assert_eq!(body, b"hello", "pieces of {step}");
    }
}

#[tokio::test]
async fn chunked_bodies_with_extensions_and_trailers() {
    let reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
        5;ext=1\r\nhello\r\n1B\r\n, world and then some more!\r\n0\r\nX-T: 1\r\n\r\n";
    for step in [1, 7, reply.len()] {
        let (h, body) = read(Method::GET, reply, step).await.unwrap();
        assert!(h.keep_alive);
        assert_eq!(body, b"hello, world and then some more!", "pieces of {step}");
    }
    let bad = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
    broken_with(read(Method::GET, bad, 64).await, "chunk size");
    let no_crlf = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY";
    broken_with(read(Method::GET, no_crlf, 64).await, "CRLF");
}

#[tokio::test]
async fn a_body_without_length_runs_to_the_close() {
    let reply = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it";
    let (h, body) = read(Method::GET, reply, 4).await.unwrap();
    assert!(!h.keep_alive, "the connection ends with the body");
    assert_eq!(body, b"all of it");
}

#[tokio::test]
async fn responses_that_have_no_body() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    let (h, body) = read(Method::HEAD, head, 64).await.unwrap();
    assert!(body.is_empty() && h.keep_alive, "HEAD: the length is the GET body's");
    for status in ["204 No Content", "304 Not Modified"] {
        let reply = format!("HTTP/1.1 {status}\r\n\r\n");
        let (h, body) = read(Method::GET, reply.as_bytes(), 64).await.unwrap();
        assert!(body.is_empty() && h.keep_alive, "{status}");
    }
}

#[tokio::test]
async fn interim_responses_are_skipped() {
    let reply = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
    let (h, body) = read(Method::POST, reply, 5).await.unwrap();
    assert_eq!(h.status, StatusCode::CREATED);
    assert_eq!(h.len, 25 + 43, "both heads are counted");
    assert_eq!(body, b"ok");
}

#[tokio::test]
async fn keep_alive_follows_the_version_and_connection_header() {
    let cases: [(&[u8], bool); 4] = [
        (b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
        (b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true),
        (b"HTTP/1.1 200 OK\r\nConnection: x, Close\r\nContent-Length: 0\r\n\r\n", false),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true),
    ];
    for (reply, keep) in cases {
        let (h, _) = read(Method::GET, reply, 64).await.unwrap();
        assert_eq!(h.keep_alive, keep, "{}", String::from_utf8_lossy(reply));
    }
}

#[tokio::test]
async fn a_close_before_any_byte_is_unanswered_and_later_is_broken() {
    match read(Method::GET, b"", 1).await {
        Err(WireError::Unanswered(_)) => {}
        other => panic!("want unanswered, got ok={}", other.is_ok()),
    }
    broken_with(read(Method::GET, b"HTTP/1.1 200 OK\r\nConte", 4).await, "inside a response head");
    let short = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc";
    broken_with(read(Method::GET, short, 4).await, "inside a body");
}

#[tokio::test]
async fn malformed_heads_are_refused() {
    let two = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc";
    broken_with(read(Method::GET, two, 64).await, "conflicting");
    let bad = b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n";
    broken_with(read(Method::GET, bad, 64).await, "invalid Content-Length");
    broken_with(read(Method::GET, b"SSH-2.0-x\r\n\r\n", 64).await, "response");
    let huge = format!("HTTP/1.1 200 OK\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
    broken_with(read(Method::GET, huge.as_bytes(), 4096).await, "over");
}

#[tokio::test]
async fn responses_follow_each_other_on_one_connection() {
    let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\n\
        Transfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n";
    let mut io = serve(reply, 3);
    let mut w = Wire::default();
    let mut seen = vec![];
    for _ in 0..2 {
        let h = w.read_head(&mut io, &Method::GET).await.unwrap();
        let mut body = vec![];
        w.read_body(&mut io, &h, |d| body.extend_from_slice(d)).await.unwrap();
        seen.push((h.status.as_u16(), body));
    }
    assert_eq!(seen, [(200, b"a".to_vec()), (404, b"b".to_vec())]);
    assert!(!w.has_leftover());
}
