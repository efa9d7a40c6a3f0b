//! A reference client for timing tests: plain blocking HTTP/1.1 keep-alive requests, one OS
//! thread per connection. Run beside the engine against a twin target, it measures what the
//! machine adds to a request right now (scheduling, loopback), so tolerances follow the load
//! instead of being fixed numbers.

use super::Target;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Sends GET requests to `target` on `conns` connections until `stop()` is true, each
/// connection pausing `pause` between requests; returns every latency (us).
pub fn run(
    target: &Target,
    conns: usize,
    pause: Duration,
    stop: impl Fn() -> bool + Sync,
) -> Vec<u64> {
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..conns).map(|_| s.spawn(|| connection(target, pause, &stop))).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

fn connection(target: &Target, pause: Duration, stop: &(impl Fn() -> bool + Sync)) -> Vec<u64> {
    let sock = TcpStream::connect(target.addr).unwrap();
    sock.set_nodelay(true).unwrap();
    let mut w = sock.try_clone().unwrap();
    let mut r = BufReader::new(sock);
    let mut out = Vec::new();
    while !stop() {
        let t0 = Instant::now();
        w.write_all(b"GET /reference HTTP/1.1\r\nHost: ref\r\n\r\n").unwrap();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        out.push(t0.elapsed().as_micros() as u64);
        std::thread::sleep(pause);
    }
    out
}
