//! Load-engine benchmark: the engine pinned to CPU 0 against nginx (1 worker) pinned to CPU 1,
//! beside the reference tools in the same run, several rounds, medians. Three suites:
//!
//! * `closed`: 64 keep-alive connections, 79-byte body: wrk, the plain hyper closed loop
//!   `hyper-load` (anchor-helper), oha and the engine's concurrency mode.
//! * `tls`: the same over TLS (nginx with a CA and certificate made at bench start; the engine
//!   trusts the CA through its CA-file setting; wrk does not verify, oha runs `--insecure`).
//! * `open`: fixed rates (the engine's RPS mode) beside `h2load --h1 --rps` at the same rate
//!   and connection count: achieved rate, worst second, CPU seconds per 100k requests (each
//!   process's own rusage), p50/p99; and wrk held near one rate by a per-request delay, with
//!   the engine at the rate wrk achieved, for CPU per request at the same rate.
//!
//! `cargo bench -p pts-local --bench engine`. Knobs (env): `BENCH_SUITES` (closed,tls,open),
//! `BENCH_SECS` (10, max 30), `BENCH_CONNS` (64), `BENCH_ROUNDS` (3, 1..9; medians are
//! reported), `BENCH_RATES` (open suite, req/s: 10,1000,10000,50000), `BENCH_WRK_RATE`
//! (10000: wrk's delay is conns/rate), `BENCH_WORK` (/tmp/engine-bench: nginx prefix, TLS
//! files, helper builds), `HYPER_LOAD` (path of a built hyper-load; else built from
//! ../shared/bench/anchor-helper copied into BENCH_WORK), `OHA` (path; else
//! BENCH_WORK/oha/bin/oha or `oha` on PATH), `BENCH_TOOLS` (wrk,hyper,oha,h2load,engine),
//! `BENCH_PORT` (use an nginx already serving the 79-byte body on 127.0.0.1:PORT; closed and
//! open suites only). A missing tool is skipped with a message. Everything targets
//! 127.0.0.1, every run is bounded by time, and every process started here is stopped by PID.

mod nginx;
mod runs;
mod suites;
mod tools;

use nginx::{BODY_79, free_port, make_tls, reqwest_free_get, start_nginx};
use std::path::PathBuf;

/// Settings shared by the suites.
pub struct Bench {
    pub secs: u64,
    pub conns: usize,
    pub rounds: usize,
    pub work: PathBuf,
    tools: String,
}

impl Bench {
    pub fn want(&self, t: &str) -> bool {
        self.tools.split(',').any(|x| x.trim() == t)
    }

    pub fn pause(&self) {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

fn env<T: std::str::FromStr>(k: &str, d: T) -> T {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let b = Bench {
        secs: env("BENCH_SECS", 10u64).clamp(1, 30),
        conns: env("BENCH_CONNS", 64usize).max(1),
        rounds: env("BENCH_ROUNDS", 3usize).clamp(1, 9),
        work: PathBuf::from(env("BENCH_WORK", "/tmp/engine-bench".to_string())),
        tools: env("BENCH_TOOLS", "wrk,hyper,oha,h2load,engine".to_string()),
    };
    let suites = env("BENCH_SUITES", "closed,tls,open".to_string());
    let suite = |s: &str| suites.split(',').any(|x| x.trim() == s);
    std::fs::create_dir_all(&b.work).expect("work dir");
    if std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) < 2 {
        eprintln!("needs 2 CPUs (engine on 0, nginx on 1)");
        return;
    }
    // The harness thread sleeps; keep it off nginx's CPU.
    pts_local::engine::pin_current_thread(0);
    let tls = if suite("tls") { make_tls(&b.work.join("tls")) } else { None };
    let (port, tls_port, _nginx) =
        match std::env::var("BENCH_PORT").ok().and_then(|p| p.parse().ok()) {
            Some(p) => (p, None, None),
            None => {
                let (port, tport) = (free_port(), free_port());
                let Some(n) = start_nginx(&b.work, port, tls.as_ref().map(|t| (t, tport))) else {
                    return;
                };
                (port, tls.as_ref().map(|_| tport), Some(n))
            }
        };
    let url = format!("http://127.0.0.1:{port}/");
    assert_eq!(reqwest_free_get(port).as_deref(), Some(BODY_79), "nginx serves the 79-byte body");
    println!(
        "engine bench: {} connections, {} s per run, {} round(s) (medians), 79-byte body, nginx 1 worker on CPU 1, load on CPU 0",
        b.conns, b.secs, b.rounds
    );
    if suite("closed") {
        suites::closed(&b, &url, None);
    }
    if suite("tls") {
        match (tls_port, tls.as_ref()) {
            (Some(p), Some(t)) => {
                suites::closed(&b, &format!("https://127.0.0.1:{p}/"), Some(&t.ca))
            }
            _ => println!("tls suite skipped (needs the bench's own nginx and TLS files)"),
        }
    }
    if suite("open") {
        let rates: Vec<u32> = env("BENCH_RATES", "10,1000,10000,50000".to_string())
            .split(',')
            .filter_map(|r| r.trim().parse().ok())
            .collect();
        suites::open(&b, &url, &rates, env("BENCH_WRK_RATE", 10_000u32));
    }
}
