//! A reference client for timing tests: a plain hyper HTTP/1.1 client on a tokio
//! current-thread runtime (the same kind of client the engine is, without the engine), one
//! keep-alive connection per task. Run beside the engine against a twin target, it measures
//! what the machine adds to a request right now, so tolerances follow the load instead of
//! being fixed numbers.

use super::Target;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How the reference client sends.
#[derive(Clone, Copy)]
pub enum Pace {
    /// Each connection sends, waits for the answer, pauses this long, sends again.
    Closed(Duration),
    /// Open loop at this many requests/s in total (spread over the connections, staggered);
    /// latency runs from the intended send time, as the engine's RPS mode measures it.
    Rate(f64),
}

/// Sends GET requests to `target` on `conns` connections until `stop()` is true; returns
/// every latency (us).
pub fn run(target: &Target, conns: usize, pace: Pace, stop: impl Fn() -> bool + Sync) -> Vec<u64> {
    let done = Arc::new(AtomicBool::new(false));
    let addr = target.addr;
    let stop = &stop;
    std::thread::scope(|s| {
        let d = done.clone();
        s.spawn(move || {
            while !stop() {
                std::thread::sleep(Duration::from_millis(1));
            }
            d.store(true, Ordering::SeqCst);
        });
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async {
            let start = tokio::time::Instant::now();
            let tasks: Vec<_> = (0..conns)
                .map(|i| {
                    let slot = match pace {
                        Pace::Rate(r) => {
                            Some((start + Duration::from_secs_f64(i as f64 / r), conns as f64 / r))
                        }
                        Pace::Closed(_) => None,
                    };
                    tokio::task::spawn_local(connection(addr, pace, slot, done.clone()))
                })
                .collect();
            let mut out = Vec::new();
            for t in tasks {
                out.extend(t.await.unwrap());
            }
            out
        })
    })
}

/// One connection; `slot`: (first intended send, interval in seconds) when paced.
async fn connection(
    addr: SocketAddr,
    pace: Pace,
    slot: Option<(tokio::time::Instant, f64)>,
    done: Arc<AtomicBool>,
) -> Vec<u64> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (mut tx, conn) =
        hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
            .await
            .unwrap();
    tokio::task::spawn_local(conn);
    let mut out = Vec::new();
    let mut k = 0u32;
    while !done.load(Ordering::SeqCst) {
        let t0 = match slot {
            Some((first, every)) => {
                let t = first + Duration::from_secs_f64(every * k as f64);
                tokio::time::sleep_until(t).await;
                t.into_std()
            }
            None => Instant::now(),
        };
        k += 1;
        let req = http::Request::get("/reference")
            .header("host", "reference")
            .body(Empty::<Bytes>::new())
            .unwrap();
        let resp = tx.send_request(req).await.unwrap();
        resp.into_body().collect().await.unwrap();
        out.push(t0.elapsed().as_micros() as u64);
        if let Pace::Closed(pause) = pace {
            tokio::time::sleep(pause).await;
        }
    }
    out
}
