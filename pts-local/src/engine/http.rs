//! HTTP/1.1 client (plain or TLS): one hyper `client::conn::http1` connection per (virtual
//! user, target),
//! kept alive across requests. By default each connection runs as its own local task, as in a
//! plain hyper client; with `EngineConfig::inline_connections` it is driven inside the virtual
//! user's task instead (fewer wake-ups per request, but measured slower on the benchmark: the
//! runtime parks more often). Everything is single-threaded per worker.

use super::lifecycle::Lifecycle;
use super::safety::Safety;
use super::stats::FailureReason;
use super::tls::{Stream, Tls, server_name};
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{Connection, SendRequest};
use hyper_util::rt::TokioIo;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::Poll;
use std::time::Instant;
use tokio::net::TcpStream;

pub(crate) type ReqBody = Full<Bytes>;
type Io = TokioIo<Stream>;

/// A failed exchange: reason and message.
pub(crate) type XErr = (FailureReason, String);

pub(crate) struct Conn {
    host: String,
    port: u16,
    tls: bool,
    tx: SendRequest<ReqBody>,
    /// The connection future when driven inline; None when it runs as its own task.
    conn: Option<Pin<Box<Connection<Io, ReqBody>>>>,
    /// The connection's own task (spawned mode), aborted when this `Conn` is dropped.
    task: Option<tokio::task::JoinHandle<()>>,
    done: bool,
    used: u64,
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(t) = &self.task {
            t.abort();
        }
    }
}

/// A response, body collected (up to a cap) or only counted.
pub(crate) struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// Collected body when asked for (first `cap` bytes).
    pub body: Option<Vec<u8>>,
    /// Body bytes received in total.
    pub body_len: u64,
    /// Estimated size of the status line and headers.
    pub head_len: u64,
    /// Microseconds from send to response head.
    pub first_byte_us: u64,
}

/// Polls `fut` and (inline mode) the connection together until `fut` completes.
async fn drive<F: Future>(
    conn: &mut Option<Pin<Box<Connection<Io, ReqBody>>>>,
    done: &mut bool,
    fut: F,
) -> Result<F::Output, String> {
    let Some(conn) = conn else {
        return Ok(fut.await);
    };
    let mut fut = pin!(fut);
    poll_fn(|cx| {
        if let Poll::Ready(v) = fut.as_mut().poll(cx) {
            return Poll::Ready(Ok(v));
        }
        if *done {
            return Poll::Ready(Err("connection closed".to_string()));
        }
        match conn.as_mut().poll(cx) {
            Poll::Ready(r) => {
                *done = true;
                if let Poll::Ready(v) = fut.as_mut().poll(cx) {
                    return Poll::Ready(Ok(v));
                }
                Poll::Ready(Err(match r {
                    Ok(()) => "connection closed by peer".to_string(),
                    Err(e) => e.to_string(),
                }))
            }
            // The connection may just have handed `fut` its result: take it now rather than
            // after a self-wake round trip through the scheduler.
            Poll::Pending => fut.as_mut().poll(cx).map(Ok),
        }
    })
    .await
}

fn head_len(parts: &http::response::Parts) -> u64 {
    let mut n = 17u64;
    for (k, v) in &parts.headers {
        n += k.as_str().len() as u64 + v.len() as u64 + 4;
    }
    n + 2
}

/// Where a connection goes: host (also the TLS server name), port, and whether it is TLS.
#[derive(Clone, Copy)]
pub(crate) struct Dest<'a> {
    pub host: &'a str,
    pub port: u16,
    pub tls: bool,
}

impl Conn {
    /// Connects to `dest` after the connect-time safety check (TLS: handshake with the host as
    /// server name, whatever address a domain binding gives it). `inline`: drive the
    /// connection inside the caller's task instead of spawning a task for it.
    async fn connect(
        dest: Dest<'_>,
        safety: &Safety,
        tls: &Tls,
        inline: bool,
        timing: &mut Timing,
    ) -> Result<Conn, XErr> {
        let Dest { host, port, .. } = dest;
        let t = Instant::now();
        let addrs = safety.resolve(host, port).await.map_err(|(refused, m)| {
            (if refused { FailureReason::TargetRefused } else { FailureReason::ConnectError }, m)
        })?;
        let mut last = String::new();
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    timing.connect_us = Some(t.elapsed().as_micros() as u64);
                    let stream = if dest.tls {
                        let t = Instant::now();
                        let s = handshake(tls, host, stream).await?;
                        timing.tls_us = Some(t.elapsed().as_micros() as u64);
                        s
                    } else {
                        Stream::Plain(stream)
                    };
                    let (tx, conn) = hyper::client::conn::http1::Builder::new()
                        .handshake::<_, ReqBody>(TokioIo::new(stream))
                        .await
                        .map_err(|e| (FailureReason::ConnectError, e.to_string()))?;
                    let (conn, task) = if inline {
                        (Some(Box::pin(conn)), None)
                    } else {
                        (
                            None,
                            Some(tokio::task::spawn_local(async move {
                                let _ = conn.await;
                            })),
                        )
                    };
                    return Ok(Conn {
                        host: host.to_string(),
                        port,
                        tls: dest.tls,
                        tx,
                        conn,
                        task,
                        done: false,
                        used: 0,
                    });
                }
                Err(e) => last = format!("connect {addr}: {e}"),
            }
        }
        Err((FailureReason::ConnectError, last))
    }

    fn usable(&self) -> bool {
        !self.done && !self.tx.is_closed()
    }

    /// One request/response on this connection. `cap`: collect up to this many body bytes
    /// (`None`: only count them).
    async fn exchange(
        &mut self,
        req: Request<ReqBody>,
        cap: Option<usize>,
        self_timed: bool,
    ) -> Result<Box<Resp>, Fail> {
        let Conn { tx, conn, done, used, .. } = self;
        let reused = *used > 0;
        let fresh = |m: String| if reused { Fail::Stale(m) } else { Fail::Other(m) };
        match drive(conn, done, poll_fn(|cx| tx.poll_ready(cx))).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(fresh(e.to_string())),
            Err(e) => return Err(fresh(e)),
        }
        *used += 1;
        // Time to first byte only when someone looks at it (sample logs): clock reads are
        // a visible share of the per-request cost.
        let t0 = self_timed.then(Instant::now);
        let resp = match drive(conn, done, tx.send_request(req)).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                return Err(if reused && (e.is_canceled() || e.is_incomplete_message()) {
                    Fail::Stale(e.to_string())
                } else {
                    Fail::Other(e.to_string())
                });
            }
            Err(e) => return Err(fresh(e)),
        };
        let first_byte_us = t0.map(|t| t.elapsed().as_micros() as u64).unwrap_or(0);
        let (parts, mut body) = resp.into_parts();
        let mut collected = cap.map(|c| Vec::with_capacity(c.min(16 * 1024)));
        let mut body_len = 0u64;
        loop {
            match drive(conn, done, body.frame()).await {
                Ok(None) => break,
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        body_len += data.len() as u64;
                        if let (Some(buf), Some(c)) = (collected.as_mut(), cap)
                            && buf.len() < c
                        {
                            let take = (c - buf.len()).min(data.len());
                            buf.extend_from_slice(&data[..take]);
                        }
                    }
                }
                Ok(Some(Err(e))) => return Err(Fail::Other(e.to_string())),
                Err(e) => return Err(Fail::Other(e)),
            }
        }
        Ok(Box::new(Resp {
            status: parts.status,
            head_len: head_len(&parts),
            headers: parts.headers,
            body: collected,
            body_len,
            first_byte_us,
        }))
    }
}

enum Fail {
    /// Failed on a reused keep-alive connection before any response: retry on a new one.
    Stale(String),
    Other(String),
}

/// TLS handshake over `stream`, verifying the certificate for `host`.
async fn handshake(tls: &Tls, host: &str, stream: TcpStream) -> Result<Stream, XErr> {
    let fail = |m: String| (FailureReason::ConnectError, m);
    let connector = tls.connector().map_err(|e| fail(format!("TLS: {e}")))?;
    let name = server_name(host).map_err(fail)?;
    let s = connector
        .connect(name, stream)
        .await
        .map_err(|e| fail(format!("TLS handshake with {host}: {e}")))?;
    Ok(Stream::Tls(Box::new(s)))
}

/// A virtual user's connections, one per target.
pub(crate) struct Pool {
    conns: Vec<Conn>,
    inline: bool,
    tls: Arc<Tls>,
    /// The run's phase: a request written on an open connection makes the run running.
    life: Arc<Lifecycle>,
}

/// Timing of one exchange.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Timing {
    /// DNS + TCP connect, when a new connection was opened.
    pub connect_us: Option<u64>,
    /// TLS handshake, when a new TLS connection was opened.
    pub tls_us: Option<u64>,
    pub first_byte_us: u64,
    /// Measure `first_byte_us` (only sampled requests need it).
    pub measure: bool,
}

impl Pool {
    pub(crate) fn new(inline: bool, tls: Arc<Tls>, life: Arc<Lifecycle>) -> Self {
        Pool { conns: Vec::new(), inline, tls, life }
    }

    /// Drops every connection (their state is unknown after a timeout).
    pub(crate) fn clear(&mut self) {
        self.conns.clear();
    }

    /// Sends `req` to `dest`, reusing or (re)opening the connection. A request that fails
    /// on a stale keep-alive connection before any response is retried once on a new one.
    pub(crate) async fn send(
        &mut self,
        dest: Dest<'_>,
        safety: &Safety,
        build: &dyn Fn() -> Request<ReqBody>,
        cap: Option<usize>,
        timing: &mut Timing,
    ) -> Result<Box<Resp>, XErr> {
        let mut retried = false;
        loop {
            let found = self
                .conns
                .iter()
                .position(|c| c.port == dest.port && c.tls == dest.tls && c.host == dest.host);
            let idx = match found {
                Some(i) if self.conns[i].usable() => i,
                found => {
                    if let Some(i) = found {
                        self.conns.swap_remove(i);
                    }
                    // Boxed: resolving, connecting and the TLS handshake would otherwise make
                    // every request's future (moved per request) several times larger.
                    let c =
                        Box::pin(Conn::connect(dest, safety, &self.tls, self.inline, timing)).await;
                    // A request that cannot connect is load too: it is sent and counted failed.
                    let c = c.inspect_err(|_| self.life.sending())?;
                    self.conns.push(c);
                    self.conns.len() - 1
                }
            };
            self.life.sending();
            match self.conns[idx].exchange(build(), cap, timing.measure).await {
                Ok(r) => {
                    timing.first_byte_us = r.first_byte_us;
                    return Ok(r);
                }
                Err(Fail::Stale(m)) => {
                    self.conns.swap_remove(idx);
                    if retried {
                        return Err((FailureReason::Transport, m));
                    }
                    retried = true;
                }
                Err(Fail::Other(m)) => {
                    self.conns.swap_remove(idx);
                    return Err((FailureReason::Transport, m));
                }
            }
        }
    }
}
