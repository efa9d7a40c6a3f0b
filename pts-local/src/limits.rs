//! How much one client may hold of the server: connection count, time to send a request,
//! body size, and the memory of bodies buffered before their signature is checked (a
//! signature covers the body, so every body is read whole first).

use crate::envelope::Fail;
use bytes::Bytes;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The server's limits; [`Limits::default`] suits a local service.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A request head must be complete within this time of its first byte.
    pub header_read_timeout: Duration,
    /// A connection with no request in flight and no byte moving for this long is closed
    /// (idle keep-alive, or a client that stalls).
    pub idle_timeout: Duration,
    /// A request body must be complete within this time of its head.
    pub body_read_timeout: Duration,
    /// Open connections at most; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Largest request body (413 beyond).
    pub max_body_bytes: usize,
    /// Request bytes buffered at once across all connections. A request that does not fit
    /// waits up to [`Limits::budget_wait`], then is answered 503.
    pub buffer_budget_bytes: usize,
    pub budget_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_body_bytes: 8 * 1024 * 1024,
            buffer_budget_bytes: 16 * 1024 * 1024,
            budget_wait: Duration::from_secs(2),
        }
    }
}

impl Limits {
    /// A clear error naming the field when the limits cannot work together.
    pub fn check(&self) -> Result<(), String> {
        if self.max_connections == 0 {
            return Err("limits: max_connections must be at least 1".into());
        }
        if self.max_body_bytes > self.buffer_budget_bytes {
            return Err(format!(
                "limits: max_body_bytes ({}) must not exceed buffer_budget_bytes ({})",
                self.max_body_bytes, self.buffer_budget_bytes
            ));
        }
        if self.buffer_budget_bytes > u32::MAX as usize {
            return Err("limits: buffer_budget_bytes must be below 4 GiB".into());
        }
        Ok(())
    }
}

/// Makes glibc serve allocations of 256 KiB and more (request bodies) with mmap, so their
/// memory goes back to the system when freed; by default glibc raises that threshold after
/// the first large free and keeps later bodies in its heap. For the `serve` process only.
pub fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a malloc tunable; called before serving starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// `serve` flags that override [`Limits::default`].
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitArgs {
    /// Seconds a request head may take from its first byte [default: 10].
    #[arg(long, value_name = "SECS", value_parser = secs)]
    pub header_read_timeout: Option<Duration>,
    /// Seconds a connection may sit idle between requests [default: 60].
    #[arg(long, value_name = "SECS", value_parser = secs)]
    pub idle_timeout: Option<Duration>,
    /// Open connections at most; more are answered 503 [default: 1024].
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,
    /// Request body bytes buffered at once across connections [default: 16 MiB].
    #[arg(long, value_name = "BYTES")]
    pub buffer_budget_bytes: Option<usize>,
}

fn secs(s: &str) -> Result<Duration, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(v)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{s:?} must be a positive number of seconds"))
}

impl LimitArgs {
    /// `base` with these overrides.
    pub fn apply(&self, mut base: Limits) -> Limits {
        base.header_read_timeout = self.header_read_timeout.unwrap_or(base.header_read_timeout);
        base.idle_timeout = self.idle_timeout.unwrap_or(base.idle_timeout);
        base.max_connections = self.max_connections.unwrap_or(base.max_connections);
        base.buffer_budget_bytes = self.buffer_budget_bytes.unwrap_or(base.buffer_budget_bytes);
        base
    }
}

/// The shared budget of buffered request bytes (a semaphore with one permit per byte).
#[derive(Clone)]
pub struct ByteBudget {
    sem: Arc<Semaphore>,
    wait: Duration,
}

impl ByteBudget {
    pub fn new(limits: &Limits) -> Self {
        ByteBudget {
            sem: Arc::new(Semaphore::new(limits.buffer_budget_bytes)),
            wait: limits.budget_wait,
        }
    }

    /// Bytes not reserved now.
    pub fn available(&self) -> usize {
        self.sem.available_permits()
    }

    async fn reserve(&self, bytes: usize) -> Result<OwnedSemaphorePermit, Fail> {
        let n = u32::try_from(bytes).unwrap_or(u32::MAX);
        let acquire = self.sem.clone().acquire_many_owned(n);
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(p)) => Ok(p),
            _ => Err(Fail::gateway(
                503,
                "ServiceUnavailable",
                "The server is busy buffering other requests; retry later",
            )),
        }
    }
}

/// A request body read whole within the limits, and its share of the budget (held until the
/// request is answered).
pub struct Body {
    pub bytes: Vec<u8>,
    pub reserved: Option<OwnedSemaphorePermit>,
}

fn too_large(limits: &Limits) -> Fail {
    Fail::gateway(
        413,
        "RequestEntityTooLarge",
        format!("The request body exceeds {} bytes", limits.max_body_bytes),
    )
}

/// Reads `body` (of announced `length`, if any): 413 beyond the size cap, 503 when the
/// budget stays full, 408 when it does not arrive in time.
pub async fn read_body<B>(
    mut body: B,
    length: Option<u64>,
    limits: &Limits,
    budget: &ByteBudget,
) -> Result<Body, Fail>
where
    B: hyper::body::Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    if length.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return Err(too_large(limits));
    }
    let collect = async {
        // An announced length is reserved whole, before any byte is read; otherwise each
        // frame is reserved as it comes.
        let mut reserved = match length {
            Some(n) if n > 0 => Some(budget.reserve(n as usize).await?),
            _ => None,
        };
        let mut bytes = Vec::with_capacity(length.unwrap_or(0) as usize);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| Fail::gateway(400, "InvalidRequest", e.to_string()))?;
            let Ok(data) = frame.into_data() else { continue };
            if bytes.len() + data.len() > limits.max_body_bytes {
                return Err(too_large(limits));
            }
            if length.is_none_or(|n| (bytes.len() + data.len()) as u64 > n) {
                let more = budget.reserve(data.len()).await?;
                match &mut reserved {
                    Some(r) => r.merge(more),
                    None => reserved = Some(more),
                }
            }
            bytes.extend_from_slice(&data);
        }
        Ok(Body { bytes, reserved })
    };
    match tokio::time::timeout(limits.body_read_timeout, collect).await {
        Ok(r) => r,
        Err(_) => {
            Err(Fail::gateway(408, "RequestTimeout", "The request body did not arrive in time"))
        }
    }
}
