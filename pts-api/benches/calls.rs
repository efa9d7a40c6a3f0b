//! Sequential calls per second through `pts_api::Client` against a loopback fixed-response
//! server, beside a bare floor loop (the same signed request built with `pts_api::__private::wire` and
//! sent with one `reqwest::Client`, no retries, no error model) to show what the client's
//! layers cost. See shared/bench/README.md, goal 1.
//!
//! `cargo bench -p pts-api --bench calls`. Environment:
//! - `PTS_BENCH_CALLS` (default 2000) timed calls per run, after 20 warm-up calls;
//! - `PTS_BENCH_ENDPOINT` (`host:port`) to use an external server such as
//!   `anchor-helper fixed-server` instead of the in-process one;
//! - `PTS_BENCH_RUNS` (default 3).
//!
//! The in-process server runs on its own thread and tokio runtime; the client side runs on a
//! current-thread runtime on the main thread, whose CPU time (from
//! `/proc/thread-self/schedstat`) gives the per-call client CPU.

use pts_api::Client;
use pts_api::RetryPolicy;
use pts_api::client::Protocol;
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The anchor server's body (shared/bench/README.md item 1).
const BODY: &str =
    r#"{"RequestId":"x","Success":true,"Code":"200","SceneViewList":[],"TotalCount":0}"#;
const WARMUP: u32 = 20;

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Nanoseconds this thread has spent on a CPU, where Linux tells.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// A keep-alive HTTP/1.1 server answering every request with [`BODY`], on its own thread.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap().to_string()).unwrap();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: {}\r\n\r\n{BODY}",
                BODY.len()
            );
            let response: &'static [u8] = Box::leak(response.into_bytes().into_boxed_slice());
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { return };
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16384];
                    let mut filled = 0usize;
                    loop {
                        // One request: head, then content-length bytes.
                        let (head_end, len) = loop {
                            if let Some(i) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                                let head = std::str::from_utf8(&buf[..i]).unwrap_or("");
                                let len = head
                                    .lines()
                                    .filter_map(|l| l.split_once(':'))
                                    .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                                    .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                                    .unwrap_or(0);
                                break (i + 4, len);
                            }
                            match stream.read(&mut buf[filled..]).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => filled += n,
                            }
                        };
                        while filled < head_end + len {
                            match stream.read(&mut buf[filled..]).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => filled += n,
                            }
                        }
                        buf.copy_within(head_end + len..filled, 0);
                        filled -= head_end + len;
                        if stream.write_all(response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    rx.recv().unwrap()
}

struct Run {
    calls_per_s: f64,
    cpu_us_per_call: Option<f64>,
}

async fn timed<F, Fut>(calls: u32, mut call: F) -> Run
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..WARMUP {
        call().await;
    }
    let cpu0 = thread_cpu_ns();
    let t0 = Instant::now();
    for _ in 0..calls {
        call().await;
    }
    let secs = t0.elapsed().as_secs_f64();
    let cpu = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) => Some((b - a) as f64 / 1000.0 / f64::from(calls)),
        _ => None,
    };
    Run { calls_per_s: f64::from(calls) / secs, cpu_us_per_call: cpu }
}

/// The floor: the same signed request through `pts_api::__private::wire` and a bare reqwest client.
async fn floor_call(http: &reqwest::Client, endpoint: &str, query: &[(&str, String)]) {
    let parts = pts_api::__private::wire::RpcRequestParts {
        host: endpoint,
        action: "ListPtsScene",
        version: "2020-10-20",
        query,
        form: &[],
        user_agent: "bench",
        credentials_provider: "static_ak",
        retry: None,
    };
    let key = pts_api::__private::wire::SigningKey {
        access_key_id: "ak",
        access_key_secret: "sk",
        security_token: None,
    };
    let nonce = pts_api::__private::wire::new_nonce();
    let date = pts_api::__private::wire::format_date(SystemTime::now());
    let w = pts_api::__private::wire::build_signed_request(
        &parts,
        &key,
        pts_api::__private::wire::SignatureVersion::V3,
        &nonce,
        &date,
    );
    let mut rb = http.post(format!("http://{endpoint}/?{}", w.query_string));
    for (n, v) in &w.headers {
        rb = rb.header(n.as_str(), v.as_str());
    }
    let bytes = rb.send().await.unwrap().bytes().await.unwrap();
    let body: pts_api::ops::list_pts_scene::ListPtsSceneResponse =
        serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body.success, Some(true));
}

fn report(name: &str, runs: &[Run]) -> f64 {
    let mut rates: Vec<f64> = runs.iter().map(|r| r.calls_per_s).collect();
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    let cpu: Vec<String> = runs
        .iter()
        .map(|r| r.cpu_us_per_call.map_or("n/a".into(), |c| format!("{c:.1}")))
        .collect();
    println!(
        "{name:<24} calls/s min {:>8.0}  median {:>8.0}  max {:>8.0}   client CPU us/call [{}]",
        rates[0],
        median,
        rates[rates.len() - 1],
        cpu.join(", ")
    );
    median
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing special. Either way
    // a short run keeps `cargo test --all-targets` cheap.
    let is_bench = std::env::args().any(|a| a == "--bench");
    let calls = if is_bench { env_u32("PTS_BENCH_CALLS", 2000) } else { 50 };
    let runs = if is_bench { env_u32("PTS_BENCH_RUNS", 3) } else { 1 };
    let endpoint = std::env::var("PTS_BENCH_ENDPOINT").unwrap_or_else(|_| start_server());

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let client = Client::builder()
            .endpoint(endpoint.clone())
            .protocol(Protocol::Http)
            .static_credentials("ak", "sk", None)
            .env_proxy(false)
            .retry_policy(RetryPolicy::default())
            .read_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let http =
            reqwest::Client::builder().no_proxy().tcp_nodelay(true).http1_only().build().unwrap();
        let get = GetPtsSceneRequest::builder().scene_id("SC1").build().unwrap();
        let list = ListPtsSceneRequest::builder().page_number(1).page_size(10).build().unwrap();
        let query = vec![("PageNumber", "1".to_string()), ("PageSize", "10".to_string())];

        println!("endpoint {endpoint}, {calls} calls per run, {runs} runs, {WARMUP} warm-up calls");
        let mut floor = Vec::new();
        let mut list_runs = Vec::new();
        let mut get_runs = Vec::new();
        for _ in 0..runs {
            floor.push(timed(calls, || floor_call(&http, &endpoint, &query)).await);
            list_runs.push(
                timed(calls, || async {
                    client.send::<ListPtsScene>(list.clone()).await.unwrap();
                })
                .await,
            );
            get_runs.push(
                timed(calls, || async {
                    client.send::<GetPtsScene>(get.clone()).await.unwrap();
                })
                .await,
            );
        }
        let f = report("floor (wire+reqwest)", &floor);
        let l = report("Client ListPtsScene", &list_runs);
        let g = report("Client GetPtsScene", &get_runs);
        println!("ratio to floor: ListPtsScene {:.2}x, GetPtsScene {:.2}x", l / f, g / f);
    });
}
