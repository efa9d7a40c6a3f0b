//! The accept loop: HTTP/1.1 connections under [`Limits`]. Beyond `max_connections` a
//! connection gets a 503 JSON error and is closed at once; each connection's socket is
//! [`Watched`] for the header-read and idle timeouts.

use crate::envelope::{Fail, error_body};
use crate::limits::Limits;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};

/// What the service tells the socket watcher: requests begun and in flight.
#[derive(Default)]
pub struct ConnState {
    begun: AtomicU64,
    in_flight: AtomicUsize,
}

/// Marks one request in flight on its connection while alive.
pub struct InFlight(Arc<ConnState>);

impl ConnState {
    pub fn begin(self: &Arc<Self>) -> InFlight {
        self.begun.fetch_add(1, Ordering::Relaxed);
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A socket that fails with `TimedOut` when, with no request in flight, nothing moved for
/// the idle timeout, or a request head begun has not been handed to the service within the
/// header-read timeout.
pub struct Watched<T> {
    io: T,
    state: Arc<ConnState>,
    idle: std::time::Duration,
    header: std::time::Duration,
    timer: Pin<Box<Sleep>>,
    last_activity: Instant,
    head_started: Option<Instant>,
    seen: u64,
}

impl<T> Watched<T> {
    pub fn new(io: T, state: Arc<ConnState>, limits: &Limits) -> Self {
        let now = Instant::now();
        Watched {
            io,
            state,
            idle: limits.idle_timeout,
            header: limits.header_read_timeout,
            timer: Box::pin(tokio::time::sleep_until(now + limits.idle_timeout)),
            last_activity: now,
            head_started: None,
            seen: 0,
        }
    }

    fn deadline(&mut self) -> Option<Instant> {
        let begun = self.state.begun.load(Ordering::Relaxed);
        if begun != self.seen {
            self.seen = begun;
            self.head_started = None;
        }
        if self.state.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let idle = self.last_activity + self.idle;
        Some(self.head_started.map_or(idle, |t| idle.min(t + self.header)))
    }

    fn read_some(&mut self) {
        self.last_activity = Instant::now();
        if self.deadline().is_some() && self.head_started.is_none() {
            self.head_started = Some(self.last_activity);
        }
    }

    /// `Err(TimedOut)` when past the deadline; otherwise arms the timer to wake the task.
    fn expired(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        let Some(deadline) = self.deadline() else { return Ok(()) };
        if Instant::now() >= deadline {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "connection timed out"));
        }
        self.timer.as_mut().reset(deadline);
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Err(io::Error::new(io::ErrorKind::TimedOut, "connection timed out")),
            Poll::Pending => Ok(()),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.read_some();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => match self.expired(cx) {
                Ok(()) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                self.last_activity = Instant::now();
                Poll::Ready(Ok(n))
            }
            Poll::Pending => match self.expired(cx) {
                Ok(()) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// The 503 written to a connection over the cap (small enough for the socket buffer).
fn refusal(limits: &Limits) -> Vec<u8> {
    let fail = Fail::gateway(
        503,
        "ServiceUnavailable",
        format!("Too many connections (the limit is {}); retry later", limits.max_connections),
    );
    let (_, body) = error_body(&fail, &crate::ids::request_id(), "", false);
    let mut out = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json;charset=utf-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

/// Resolves once `stop` is true (the borrow guard is not held across an await).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Serves connections until `stop` turns true, then lets open connections finish their
/// current request.
pub async fn serve<F, Fut>(
    listener: TcpListener,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    handler: F,
) where
    F: Fn(hyper::Request<hyper::body::Incoming>, Arc<ConnState>) -> Fut
        + Clone
        + Send
        + Sync
        + 'static,
    Fut: Future<Output = hyper::Response<http_body_util::Full<bytes::Bytes>>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                // Out of file descriptors and the like: back off briefly, keep serving.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        while tasks.try_join_next().is_some() {}
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            let _ = stream.try_write(&refusal(&limits));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (limits, handler, stop) = (limits.clone(), handler.clone(), stop.clone());
        tasks.spawn(async move {
            serve_one(stream, &limits, stop, handler).await;
            drop(permit);
        });
    }
    while tasks.join_next().await.is_some() {}
}

async fn serve_one<F, Fut>(
    stream: TcpStream,
    limits: &Limits,
    mut stop: watch::Receiver<bool>,
    handler: F,
) where
    F: Fn(hyper::Request<hyper::body::Incoming>, Arc<ConnState>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = hyper::Response<http_body_util::Full<bytes::Bytes>>> + Send + 'static,
{
    let state = Arc::new(ConnState::default());
    let io = TokioIo::new(Watched::new(stream, state.clone(), limits));
    let service = hyper::service::service_fn(move |req| {
        let fut = handler(req, state.clone());
        async move { Ok::<_, std::convert::Infallible>(fut.await) }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .header_read_timeout(None)
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stopped(&mut stop) => conn.as_mut().graceful_shutdown(),
    }
    let _ = conn.await;
}
