//! A tiny HTTP/1.1 server on 127.0.0.1 for the client tests: it records every request and
//! answers with whatever the test's handler returns. Keep-alive, Content-Length bodies only.
#![allow(dead_code)]

use pts_api::__private::wire::SignatureVersion;
use pts_api::__private::wire::{DecodedRequest, Verified, VerifyError};
use pts_api::{Client, ClientBuilder};
use pts_api::{Jitter, RetryPolicy};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const AK_ID: &str = "LTAI5tTestKeyId0001";
pub const AK_SECRET: &str = "S3cr3t-never-print-me-0123456789";
pub const STS_TOKEN: &str = "STS.token-never-print-me-ABCDEFGH";

/// Every test body runs under this bound.
pub const TEST_BOUND: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    /// Names lower-case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn decoded(&self) -> DecodedRequest {
        DecodedRequest::from_raw(
            &self.method,
            &self.path,
            &self.raw_query,
            self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            self.body.clone(),
        )
    }

    /// A decoded query or form param.
    pub fn param(&self, name: &str) -> Option<String> {
        self.decoded().view().param(name).map(str::to_owned)
    }

    /// The action, from the v3 header or the v1 query param.
    pub fn action(&self) -> Option<String> {
        self.header("x-acs-action").map(str::to_string).or_else(|| self.param("Action"))
    }

    /// Checks the signature with the server-side verifier of `pts_api::__private::wire`.
    pub fn verify(&self) -> Result<Verified, VerifyError> {
        let d = self.decoded();
        pts_api::__private::wire::verify(&d.view(), |id| (id == AK_ID).then_some(AK_SECRET))
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sleep before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json;charset=utf-8".into())],
            body: body.into().into_bytes(),
            delay: Duration::ZERO,
        }
    }
    pub fn xml(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "text/xml;charset=utf-8".into())],
            body: body.into().into_bytes(),
            delay: Duration::ZERO,
        }
    }
    pub fn ok(body: impl Into<String>) -> Self {
        Self::json(200, body)
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

pub struct Server {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Starts on an ephemeral port. `handler` gets each request and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        Self::serve(listener, handler)
    }

    /// Serves on a listener the test already bound (e.g. a port first left closed).
    pub fn serve(
        listener: TcpListener,
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let addr = listener.local_addr().expect("local addr");
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let task_log = log.clone();
        let connections: Arc<std::sync::atomic::AtomicUsize> = Arc::default();
        let task_connections = connections.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                task_connections.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let log = task_log.clone();
                let handler = handler.clone();
                tokio::spawn(async move {
                    let _ = serve_conn(stream, log, handler).await;
                });
            }
        });
        Server { addr, log, connections, task }
    }

    /// `127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }
    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}

async fn serve_conn(
    mut stream: TcpStream,
    log: Arc<Mutex<Vec<Recorded>>>,
    handler: Arc<Handler>,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        // Head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let body_start = head_end + 4;
        while buf.len() < body_start + len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[body_start..body_start + len].to_vec();
        buf.drain(..body_start + len);
        let (path, raw_query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let rec = Recorded { method, path, raw_query, headers, body, at: Instant::now() };
        let index = {
            let mut l = log.lock().unwrap();
            l.push(rec.clone());
            l.len() - 1
        };
        let reply = handler(&rec, index);
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (n, v) in &reply.headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str(&format!(
            "content-length: {}\r\nconnection: keep-alive\r\n\r\n",
            reply.body.len()
        ));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&reply.body);
        stream.write_all(&bytes).await?;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A retry policy with short, exact waits.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(Jitter::None)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(500))
        .max_total(Duration::from_secs(10))
}

/// A client builder aimed at `endpoint` over plain HTTP, with static test credentials,
/// no proxy and fast retries.
pub fn builder_for(endpoint: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .protocol(pts_api::client::Protocol::Http)
        .static_credentials(AK_ID, AK_SECRET, None)
        .env_proxy(false)
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_secs(5))
        .retry_policy(fast_retry())
}

/// [`builder_for`] with an STS token beside the static keys, signing with `version`.
pub fn sts_builder_for(endpoint: &str, version: SignatureVersion) -> ClientBuilder {
    builder_for(endpoint)
        .static_credentials(AK_ID, AK_SECRET, Some(STS_TOKEN.to_string()))
        .signature_version(version)
}

pub fn client_for(server: &Server) -> Client {
    builder_for(&server.endpoint()).build().expect("client builds")
}

/// Runs `fut` under [`TEST_BOUND`].
pub async fn bounded<T>(fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(TEST_BOUND, fut).await.expect("test exceeded its time bound")
}

/// A port on 127.0.0.1 with nothing listening (bound, then released).
pub async fn closed_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr
}

pub const SCENE_BODY: &str = r#"{"RequestId":"REQ-1","Success":true,"Code":"200","HttpStatusCode":200,"Message":"","Scene":{"SceneId":"SC1","SceneName":"demo","Status":"Draft"}}"#;
