//! Control-plane benchmark: pts-api calls/s and latency against pts-local, side by side in the
//! same run with the bare fixed-response server of `../shared/bench/anchor-helper` under the
//! same client.
//!
//! `cargo bench -p pts-local --bench control_plane` (run on demand, never in CI).
//!
//! - Client: one pts-api `Client` with 32 requests in flight (32 tasks on a current_thread
//!   runtime), pinned to CPU 0; servers pinned to CPU 1 with `taskset` when it exists.
//! - Workloads: GetPtsScene, and ListPtsScene with PageSize 10 over 1,000 scenes.
//! - pts-local runs as its own process (the `pts-local` binary) so its RSS can be read from
//!   /proc; it runs with a nonce cap of `BENCH_NONCE_CAP` (default 65,536) so the nonce
//!   window fills during the run, and RSS is sampled while it fills and after.
//! - The anchor server is built from a copy of `../shared/bench/anchor-helper` in a temp
//!   target dir (`BENCH_ANCHOR_DIR`, default `/tmp/pts-local-bench-anchor`); nothing is
//!   written into `../shared`. Every server exits by itself (`--max-secs`, or killed at the end).
//!
//! Env: `BENCH_SECS` (per measurement, default 8), `PTS_SHARED_DIR` (default `../shared`).

use pts_api::client::Protocol;
use pts_api::ops::get_pts_scene::{GetPtsScene, GetPtsSceneRequest};
use pts_api::ops::list_pts_scene::{ListPtsScene, ListPtsSceneRequest};
use pts_api::ops::save_pts_scene::{SavePtsScene, SavePtsSceneRequest};
use pts_api::{Client, RetryPolicy};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const AK: &str = "LTAI5tBenchKey0000001";
const SK: &str = "BenchSecret";
const IN_FLIGHT: usize = 32;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn pinned(cpu: &str, program: &Path) -> Command {
    if Path::new("/usr/bin/taskset").exists() {
        let mut c = Command::new("/usr/bin/taskset");
        c.args(["-c", cpu]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server on port {port} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Builds `fixed-server` from a copy of the anchor helper (release, temp target dir).
fn build_anchor() -> PathBuf {
    let shared = std::env::var_os("PTS_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let src = shared.join("bench/anchor-helper");
    let work = PathBuf::from(
        std::env::var("BENCH_ANCHOR_DIR").unwrap_or_else(|_| "/tmp/pts-local-bench-anchor".into()),
    );
    let bin = work.join("target/release/fixed-server");
    if bin.exists() {
        return bin;
    }
    std::fs::create_dir_all(work.join("src/bin")).unwrap();
    for f in
        ["Cargo.toml", "src/bin/fixed-server.rs", "src/bin/hyper-load.rs", "src/bin/clap-hello.rs"]
    {
        std::fs::copy(src.join(f), work.join(f)).unwrap_or_else(|e| panic!("copy {f}: {e}"));
    }
    eprintln!("building the anchor fixed-server in {} ...", work.display());
    let status = Command::new("cargo")
        .args(["build", "--release", "--bin", "fixed-server"])
        .current_dir(&work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .status()
        .unwrap();
    assert!(status.success(), "anchor build failed");
    bin
}

fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn client(port: u16) -> Client {
    Client::builder()
        .endpoint(format!("127.0.0.1:{port}"))
        .protocol(Protocol::Http)
        .env_proxy(false)
        .static_credentials(AK, SK, None)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[derive(Clone, Copy)]
enum Work {
    Get,
    List,
}

struct Figures {
    calls_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

/// 32 requests in flight for `secs`; latency of every call.
async fn measure(c: &Client, work: Work, scene: &str, secs: u64) -> Figures {
    let stop = Instant::now() + Duration::from_secs(secs);
    let scene = Arc::new(scene.to_string());
    let mut tasks = Vec::new();
    for _ in 0..IN_FLIGHT {
        let (c, scene) = (c.clone(), scene.clone());
        tasks.push(tokio::task::spawn_local(async move {
            let (mut lat, mut errors) = (Vec::with_capacity(100_000), 0u64);
            while Instant::now() < stop {
                let t = Instant::now();
                let ok = match work {
                    Work::Get => {
                        let req =
                            GetPtsSceneRequest::builder().scene_id(scene.as_str()).build().unwrap();
                        c.send::<GetPtsScene>(req).await.is_ok()
                    }
                    Work::List => {
                        let req = ListPtsSceneRequest::builder()
                            .page_number(1)
                            .page_size(10)
                            .build()
                            .unwrap();
                        c.send::<ListPtsScene>(req).await.is_ok()
                    }
                };
                lat.push(t.elapsed().as_micros() as u32);
                errors += u64::from(!ok);
            }
            (lat, errors)
        }));
    }
    let start = Instant::now();
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64().max(secs as f64);
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    Figures {
        calls_per_s: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
    }
}

fn scene(i: usize) -> pts_api::shapes::scene::Scene {
    serde_json::from_value(serde_json::json!({
        "SceneName": format!("bench-{i}"),
        "RelationList": [{"RelationName": "r", "ApiList": [
            {"ApiName": "a", "Url": "http://127.0.0.1:9/a", "Method": "GET", "RedirectCountLimit": 10},
            {"ApiName": "b", "Url": "http://127.0.0.1:9/b", "Method": "POST", "RedirectCountLimit": 0,
             "Body": {"ContentType": "application/json", "BodyValue": "{\"k\":1}"}}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 10,
                       "Configuration": {"AllConcurrencyBegin": 10, "AllConcurrencyLimit": 100}}
    }))
    .unwrap()
}

fn main() {
    let _ = Command::new("/usr/bin/taskset")
        .args(["-pc", "0", &std::process::id().to_string()])
        .output();
    let secs = env_u64("BENCH_SECS", 8);
    let nonce_cap = env_u64("BENCH_NONCE_CAP", 65_536);
    let anchor = build_anchor();
    let data = tempfile::tempdir().unwrap();

    let a_port = free_port();
    let mut anchor_child: Child = pinned("1", &anchor)
        .args(["--addr", &format!("127.0.0.1:{a_port}"), "--max-secs", "600"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let l_port = free_port();
    let mut local: Child = pinned("1", Path::new(env!("CARGO_BIN_EXE_pts-local")))
        .args([
            "serve",
            "--port",
            &l_port.to_string(),
            "--access-key-id",
            AK,
            "--access-key-secret",
            SK,
        ])
        .args(["--no-profile", "--nonce-capacity", &nonce_cap.to_string()])
        .arg("--data")
        .arg(data.path())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_port(a_port);
    wait_port(l_port);

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let local_set = tokio::task::LocalSet::new();
    local_set.block_on(&rt, async {
        let lc = client(l_port);
        let ac = client(a_port);
        // 1,000 scenes.
        let mut first = String::new();
        for chunk in (0..1000).collect::<Vec<_>>().chunks(IN_FLIGHT) {
            let mut hs = Vec::new();
            for &i in chunk {
                let c = lc.clone();
                hs.push(tokio::task::spawn_local(async move {
                    let req = SavePtsSceneRequest::builder().scene(scene(i)).build().unwrap();
                    c.send::<SavePtsScene>(req).await.unwrap().body.scene_id.unwrap()
                }));
            }
            for h in hs {
                let id = h.await.unwrap();
                if first.is_empty() {
                    first = id;
                }
            }
        }
        let pid = local.id();
        println!("pts-local control plane vs anchor fixed-server: {IN_FLIGHT} in flight, {secs} s each");
        println!("RSS pts-local after 1,000 scenes: {} KiB", rss_kib(pid));
        // Warm-up both.
        let _ = measure(&lc, Work::Get, &first, 1).await;
        let _ = measure(&ac, Work::Get, &first, 1).await;
        let mut rows = Vec::new();
        for (name, work) in [("GetPtsScene", Work::Get), ("ListPtsScene(PageSize 10, 1,000 scenes)", Work::List)] {
            let anchor_f = measure(&ac, work, &first, secs).await;
            let local_f = measure(&lc, work, &first, secs).await;
            println!(
                "{name}: pts-local {:.0} calls/s (p50 {:.2} ms, p99 {:.2} ms, {} errors) | anchor {:.0} calls/s (p50 {:.2} ms, p99 {:.2} ms) | ratio {:.2}x",
                local_f.calls_per_s, local_f.p50_ms, local_f.p99_ms, local_f.errors,
                anchor_f.calls_per_s, anchor_f.p50_ms, anchor_f.p99_ms,
                local_f.calls_per_s / anchor_f.calls_per_s
            );
            rows.push((name, local_f, anchor_f));
        }
        // Nonce window: keep calling until well past the cap and watch RSS level off.
        let mut samples = Vec::new();
        let mut calls = 0f64;
        for _ in 0..6 {
            let f = measure(&lc, Work::Get, &first, secs.max(4)).await;
            calls += f.calls_per_s * secs.max(4) as f64;
            samples.push((calls as u64, rss_kib(pid)));
        }
        println!("RSS pts-local while signing nonces (nonce cap {nonce_cap}):");
        for (n, kib) in &samples {
            println!("  after ~{n} more calls: {kib} KiB");
        }
        for (name, l, a) in &rows {
            let goal = if name.starts_with("Get") { 0.3 } else { 0.2 };
            let ratio = l.calls_per_s / a.calls_per_s;
            println!(
                "goal {name}: ratio {ratio:.2} >= {goal} {} ; p99 {:.2} ms < 5 ms {}",
                if ratio >= goal { "met" } else { "NOT met" },
                l.p99_ms,
                if l.p99_ms < 5.0 { "met" } else { "NOT met" }
            );
        }
    });
    let _ = Command::new("kill").args(["-TERM", &local.id().to_string()]).status();
    let _ = local.wait();
    let _ = anchor_child.kill();
    let _ = anchor_child.wait();
}
