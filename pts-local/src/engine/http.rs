//! HTTP/1.1 client (plain or TLS): one keep-alive connection per (virtual user, target),
//! driven in the virtual user's own task (the wire format lives in [`super::http1`]).
//! Everything is single-threaded per worker.

use super::http1::{Wire, WireError};
use super::lifecycle::Lifecycle;
use super::plan::Prepared;
use super::safety::Safety;
use super::stats::FailureReason;
use super::tls::{Stream, Tls, server_name};
use http::{HeaderMap, StatusCode};
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpStream;

/// A failed exchange: reason and message.
pub(crate) type XErr = (FailureReason, String);

pub(crate) struct Conn {
    host: String,
    port: u16,
    tls: bool,
    io: Stream,
    wire: Wire,
    /// No further request may use this connection.
    done: bool,
    used: u64,
}

/// A response, body collected (up to a cap) or only counted.
pub(crate) struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// Collected body when asked for (first `cap` bytes).
    pub body: Option<Vec<u8>>,
    /// Body bytes received in total.
    pub body_len: u64,
    /// Size of the status line and headers.
    pub head_len: u64,
    /// Microseconds from send to response head.
    pub first_byte_us: u64,
}

/// Where a connection goes: host (also the TLS server name), port, and whether it is TLS.
#[derive(Clone, Copy)]
struct Dest<'a> {
    host: &'a str,
    port: u16,
    tls: bool,
}

impl Conn {
    /// Connects to `dest` after the connect-time safety check (TLS: handshake with the host as
    /// server name, whatever address a domain binding gives it).
    async fn connect(
        dest: Dest<'_>,
        safety: &Safety,
        tls: &Tls,
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
                    let io = if dest.tls {
                        let t = Instant::now();
                        let s = handshake(tls, host, stream).await?;
                        timing.tls_us = Some(t.elapsed().as_micros() as u64);
                        s
                    } else {
                        Stream::Plain(stream)
                    };
                    return Ok(Conn {
                        host: host.to_string(),
                        port,
                        tls: dest.tls,
                        io,
                        wire: Wire::default(),
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
        !self.done
    }

    /// One request/response on this connection. `cap`: collect up to this many body bytes
    /// (`None`: only count them).
    async fn exchange(
        &mut self,
        p: &Prepared,
        cap: Option<usize>,
        self_timed: bool,
    ) -> Result<Box<Resp>, Fail> {
        let reused = self.used > 0;
        self.used += 1;
        // Every failure leaves the connection in an unknown state.
        self.done = true;
        // Time to first byte only when someone looks at it (sample logs): clock reads are
        // a visible share of the per-request cost.
        let t0 = self_timed.then(Instant::now);
        if let Err(e) = self.wire.send(&mut self.io, p).await {
            return Err(if reused {
                Fail::Stale(e.to_string())
            } else {
                Fail::Other(e.to_string())
            });
        }
        let head = match self.wire.read_head(&mut self.io, &p.method).await {
            Ok(h) => h,
            Err(WireError::Unanswered(m)) if reused => return Err(Fail::Stale(m)),
            Err(e) => return Err(Fail::Other(e.message())),
        };
        let first_byte_us = t0.map(|t| t.elapsed().as_micros() as u64).unwrap_or(0);
        let mut collected = cap.map(|c| Vec::with_capacity(c.min(16 * 1024)));
        let mut body_len = 0u64;
        let sink = |data: &[u8]| {
            body_len += data.len() as u64;
            if let (Some(buf), Some(c)) = (collected.as_mut(), cap)
                && buf.len() < c
            {
                buf.extend_from_slice(&data[..(c - buf.len()).min(data.len())]);
            }
        };
        self.wire
            .read_body(&mut self.io, &head, sink)
            .await
            .map_err(|e| Fail::Other(e.message()))?;
        self.done = !head.keep_alive || self.wire.has_leftover();
        Ok(Box::new(Resp {
            status: head.status,
            head_len: head.len,
            headers: head.headers,
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
    pub(crate) fn new(tls: Arc<Tls>, life: Arc<Lifecycle>) -> Self {
        Pool { conns: Vec::new(), tls, life }
    }

    /// Drops every connection (their state is unknown after a timeout).
    pub(crate) fn clear(&mut self) {
        self.conns.clear();
    }

    /// Sends `p` to its host, reusing or (re)opening the connection. A request that fails
    /// on a stale keep-alive connection before any response is retried once on a new one.
    pub(crate) async fn send(
        &mut self,
        p: &Prepared,
        safety: &Safety,
        cap: Option<usize>,
        timing: &mut Timing,
    ) -> Result<Box<Resp>, XErr> {
        let dest = Dest { host: &p.host, port: p.port, tls: p.tls };
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
                    let c = Box::pin(Conn::connect(dest, safety, &self.tls, timing)).await;
                    // A request that cannot connect is load too: it is sent and counted failed.
                    let c = c.inspect_err(|_| self.life.sending())?;
                    self.conns.push(c);
                    self.conns.len() - 1
                }
            };
            self.life.sending();
            match self.conns[idx].exchange(p, cap, timing.measure).await {
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
