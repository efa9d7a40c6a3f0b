//! Load-engine benchmark (shared/bench/README.md item 2, goal 4): the engine pinned to CPU 0
//! against nginx (1 worker) pinned to CPU 1, 64 keep-alive connections, 10 s, 79-byte body,
//! beside wrk, the plain hyper closed loop `hyper-load` (anchor-helper) and oha when present.
//!
//! `cargo bench -p pts-local --bench engine`. Knobs (env): `BENCH_SECS` (10, max 30),
//! `BENCH_CONNS` (64), `BENCH_WORK` (/tmp/engine-bench: nginx prefix, helper builds),
//! `HYPER_LOAD` (path of a built hyper-load; else it is built from ../shared/bench/anchor-helper
//! copied into BENCH_WORK), `OHA` (path; else BENCH_WORK/oha/bin/oha or `oha` on PATH; skipped
//! when absent), `BENCH_TOOLS` (comma list of wrk,hyper,oha,engine; default all), `BENCH_PORT`
//! (use an nginx already serving the 79-byte body on 127.0.0.1:PORT instead of starting one).
//! Everything targets 127.0.0.1, every run is bounded by time, and every process started here
//! is stopped by PID.

use pts_api::shapes::scene::{Api, Configuration, LoadConfig, Relation, Scene};
use pts_local::engine::{self, EngineConfig, NoFiles};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BODY_79: &str =
    r#"{"RequestId":"x","Success":true,"Code":"200","SceneViewList":[],"TotalCount":0}"#;

struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SAFETY: plain kill(2) on the PID of the child this process started.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_port(port: u16) -> bool {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

fn start_nginx(work: &Path, port: u16) -> Option<Nginx> {
    let nginx =
        which("nginx").or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()));
    let Some(nginx) = nginx else {
        eprintln!("nginx not found (apt-get install -y nginx); cannot run the benchmark");
        return None;
    };
    let prefix = work.join("nginx");
    std::fs::create_dir_all(prefix.join("tmp")).ok()?;
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/nginx.conf.in");
    let conf = std::fs::read_to_string(&shared).unwrap_or_else(|_| FALLBACK_CONF.to_string());
    let conf = conf
        .replace("@PREFIX@", prefix.to_str()?)
        .replace("127.0.0.1:18081", &format!("127.0.0.1:{port}"))
        .replace("127.0.0.1:18082", &format!("127.0.0.1:{}", free_port()));
    std::fs::write(prefix.join("nginx.conf"), conf).ok()?;
    let child = Command::new("taskset")
        .args(["-c", "1"])
        .arg(nginx)
        .arg("-p")
        .arg(&prefix)
        .args(["-c", "nginx.conf"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let n = Nginx { child };
    if !wait_port(port) {
        eprintln!("nginx did not come up on {port}");
        return None;
    }
    Some(n)
}

/// Parses `218.00us` / `1.2ms` / `0.5s` into ms.
fn dur_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, mul) = if let Some(v) = s.strip_suffix("us") {
        (v, 0.001)
    } else if let Some(v) = s.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = s.strip_suffix('s') {
        (v, 1000.0)
    } else {
        (s, 1.0)
    };
    num.parse::<f64>().ok().map(|v| v * mul)
}

#[derive(Debug, Clone, Copy)]
struct Row {
    rps: f64,
    p50: f64,
    p99: f64,
    /// CPU time (user + system) per request, microseconds (0 = unknown).
    cpu_us: f64,
}

/// User + system CPU seconds of this process (`RUSAGE_SELF`) or of its waited-for children.
fn cpu_secs(who: i32) -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Runs an external tool (`f`) and fills in its CPU per request from RUSAGE_CHILDREN.
fn with_child_cpu(secs: u64, f: impl FnOnce() -> Option<Row>) -> Option<Row> {
    let before = cpu_secs(libc::RUSAGE_CHILDREN);
    let mut r = f()?;
    let cpu = cpu_secs(libc::RUSAGE_CHILDREN) - before;
    r.cpu_us = cpu * 1e6 / (r.rps * secs as f64).max(1.0);
    Some(r)
}

fn run_cmd(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::inherit()).output().ok()?;
    if !out.status.success() {
        eprintln!("{cmd:?} failed: {}", out.status);
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn wrk(url: &str, conns: usize, secs: u64) -> Option<Row> {
    let wrk = which("wrk")?;
    let out = run_cmd(Command::new("taskset").args(["-c", "0"]).arg(wrk).args([
        "-t1",
        &format!("-c{conns}"),
        &format!("-d{secs}s"),
        "--latency",
        url,
    ]))?;
    let rps =
        out.lines().find_map(|l| l.trim().strip_prefix("Requests/sec:"))?.trim().parse().ok()?;
    let pct = |p: &str| {
        out.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(p).map(|v| v.trim().to_string()))
            .and_then(|v| dur_ms(&v))
    };
    Some(Row { rps, p50: pct("50%")?, p99: pct("99%")?, cpu_us: 0.0 })
}

/// The hyper-load binary (built from a copy of ../shared/bench/anchor-helper when needed).
fn hyper_load_bin(work: &Path) -> Option<PathBuf> {
    Some(match std::env::var_os("HYPER_LOAD") {
        Some(p) => PathBuf::from(p),
        None => {
            let bin = work.join("ah-target/release/hyper-load");
            if !bin.is_file() {
                let src =
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/anchor-helper");
                let dst = work.join("anchor-helper");
                if !dst.join("Cargo.toml").is_file() {
                    run_cmd(Command::new("cp").arg("-r").arg(&src).arg(work))?;
                    run_cmd(Command::new("chmod").args(["-R", "u+w"]).arg(&dst))?;
                }
                eprintln!("building hyper-load in {}", work.display());
                run_cmd(
                    Command::new("cargo")
                        .args([
                            "build",
                            "--release",
                            "-q",
                            "--bin",
                            "hyper-load",
                            "--manifest-path",
                        ])
                        .arg(dst.join("Cargo.toml"))
                        .arg("--target-dir")
                        .arg(work.join("ah-target")),
                )?;
            }
            bin
        }
    })
}

fn hyper_load(bin: &Path, url: &str, conns: usize, secs: u64) -> Option<Row> {
    let out = run_cmd(Command::new("taskset").args(["-c", "0"]).arg(bin).args([
        "--url",
        url,
        "-c",
        &conns.to_string(),
        "--secs",
        &secs.to_string(),
    ]))?;
    let field = |k: &str| {
        out.split_whitespace().find_map(|w| w.strip_prefix(k)).and_then(|v| v.parse::<f64>().ok())
    };
    Some(Row { rps: field("rps=")?, p50: field("p50_ms=")?, p99: field("p99_ms=")?, cpu_us: 0.0 })
}

fn oha(work: &Path, url: &str, conns: usize, secs: u64) -> Option<Row> {
    let bin = std::env::var_os("OHA")
        .map(PathBuf::from)
        .or_else(|| Some(work.join("oha/bin/oha")).filter(|p| p.is_file()))
        .or_else(|| which("oha"));
    let Some(bin) = bin else {
        eprintln!(
            "oha not found: skipped (cargo install oha --locked --root {}/oha)",
            work.display()
        );
        return None;
    };
    let out = run_cmd(Command::new("taskset").args(["-c", "0"]).arg(bin).args([
        "-z",
        &format!("{secs}s"),
        "-c",
        &conns.to_string(),
        "--no-tui",
        "--output-format",
        "json",
        url,
    ]))?;
    let v: serde_json::Value = serde_json::from_str(&out).ok()?;
    let rps = v["summary"]["requestsPerSec"].as_f64()?;
    let p = |k: &str| v["latencyPercentiles"][k].as_f64().map(|s| s * 1000.0);
    Some(Row { rps, p50: p("p50")?, p99: p("p99")?, cpu_us: 0.0 })
}

fn vm_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn engine_run(url: &str, conns: usize, secs: u64) -> Option<(Row, u64, u64)> {
    let scene = Scene {
        scene_name: "bench".into(),
        relation_list: vec![Relation {
            relation_name: "r".into(),
            api_list: vec![Api {
                api_name: "get".into(),
                method: "GET".into(),
                url: url.into(),
                ..Default::default()
            }],
            ..Default::default()
        }],
        load_config: LoadConfig {
            test_mode: "concurrency_mode".into(),
            max_running_time: 1,
            configuration: Configuration {
                all_concurrency_begin: Some(conns as i32),
                all_concurrency_limit: Some(conns as i32),
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let cfg = EngineConfig {
        // 1 scene minute = `secs` wall seconds.
        time_scale: secs as f64,
        max_run_duration: Duration::from_secs(secs + 5),
        workers: 1,
        pin_cpus: vec![0],
        inline_connections: std::env::var("BENCH_INLINE").is_ok_and(|v| v == "1"),
        ..Default::default()
    };
    let rss_before = vm_kib("VmRSS:");
    let cpu0 = cpu_secs(libc::RUSAGE_SELF);
    let run =
        engine::start_run(&scene, &NoFiles, &cfg).map_err(|e| eprintln!("engine: {e}")).ok()?;
    let report = run.wait();
    let cpu = cpu_secs(libc::RUSAGE_SELF) - cpu0;
    let peak = vm_kib("VmHWM:");
    let secs = report.duration.as_secs_f64();
    if report.scene.failed_requests > 0 {
        eprintln!(
            "engine: {} failed requests: {:?}",
            report.scene.failed_requests,
            report.scene.failure_reasons()
        );
    }
    Some((
        Row {
            rps: report.scene.count as f64 / secs,
            p50: report.latency.p50_ms,
            p99: report.latency.p99_ms,
            cpu_us: cpu * 1e6 / (report.scene.count.max(1) as f64),
        },
        peak,
        rss_before,
    ))
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let secs: u64 =
        std::env::var("BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(10).clamp(1, 30);
    let conns: usize = std::env::var("BENCH_CONNS").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let work =
        PathBuf::from(std::env::var("BENCH_WORK").unwrap_or_else(|_| "/tmp/engine-bench".into()));
    let tools = std::env::var("BENCH_TOOLS").unwrap_or_else(|_| "wrk,hyper,oha,engine".into());
    let want = |t: &str| tools.split(',').any(|x| x.trim() == t);
    std::fs::create_dir_all(&work).expect("work dir");
    if std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) < 2 {
        eprintln!("needs 2 CPUs (engine on 0, nginx on 1)");
        return;
    }
    // The harness thread sleeps; keep it off nginx's CPU.
    engine::pin_current_thread(0);
    // BENCH_PORT: use an nginx already listening on 127.0.0.1:PORT (e.g. to profile the
    // engine alone); otherwise start one.
    let (port, _nginx) = match std::env::var("BENCH_PORT").ok().and_then(|p| p.parse().ok()) {
        Some(p) => (p, None),
        None => {
            let port = free_port();
            let Some(n) = start_nginx(&work, port) else { return };
            (port, Some(n))
        }
    };
    let url = format!("http://127.0.0.1:{port}/");
    let body = reqwest_free_get(port);
    assert_eq!(body.as_deref(), Some(BODY_79), "nginx serves the 79-byte body");
    println!(
        "engine bench: {conns} connections, {secs} s, 79-byte body, nginx 1 worker on CPU 1, load on CPU 0"
    );
    let pause = || std::thread::sleep(Duration::from_secs(1));
    let hbin = if want("hyper") { hyper_load_bin(&work) } else { None };
    let w = if want("wrk") { with_child_cpu(secs, || wrk(&url, conns, secs)) } else { None };
    pause();
    let h = hbin.and_then(|b| with_child_cpu(secs, || hyper_load(&b, &url, conns, secs)));
    pause();
    let o = if want("oha") { with_child_cpu(secs, || oha(&work, &url, conns, secs)) } else { None };
    pause();
    let t = Instant::now();
    let e = if want("engine") { engine_run(&url, conns, secs) } else { None };
    let took = t.elapsed();
    let show = |name: &str, r: Option<Row>| match r {
        Some(r) => println!(
            "{name:<12} {:>10.0} req/s   p50 {:>7.3} ms   p99 {:>7.3} ms   load-gen CPU {:>5.2} us/req",
            r.rps, r.p50, r.p99, r.cpu_us
        ),
        None => println!("{name:<12} (not run)"),
    };
    show("wrk", w);
    show("hyper-load", h);
    show("oha", o);
    show("engine", e.map(|x| x.0));
    if let Some((er, peak, before)) = e {
        println!(
            "engine peak RSS {:.1} MiB (VmHWM of the bench process; {:.1} MiB before the run); wall {took:.1?}",
            peak as f64 / 1024.0,
            before as f64 / 1024.0
        );
        let ratio = |name: &str, other: Option<Row>, goal: &str| {
            if let Some(o) = other {
                println!(
                    "engine / {name:<10} rps {:.3}   p99 {:.2}x   CPU/req {:.2}x   ({goal})",
                    er.rps / o.rps,
                    er.p99 / o.p99,
                    er.cpu_us / o.cpu_us.max(1e-9)
                );
            }
        };
        ratio(
            "wrk",
            w,
            "goals: rps >= 0.8 (README; 0.9 stretch), p99 <= 1.5x (brief) / 2x (README)",
        );
        ratio("hyper-load", h, "goal: rps >= 0.9");
        ratio("oha", o, "goal: rps >= 1.0");
    }
}

/// One GET over a raw socket (no HTTP client dependency in the bench): the body.
fn reqwest_free_get(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

const FALLBACK_CONF: &str = r#"worker_processes 1;
daemon off;
pid @PREFIX@/nginx.pid;
error_log @PREFIX@/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_temp_path @PREFIX@/tmp/body;
    proxy_temp_path @PREFIX@/tmp/proxy;
    fastcgi_temp_path @PREFIX@/tmp/fastcgi;
    uwsgi_temp_path @PREFIX@/tmp/uwsgi;
    scgi_temp_path @PREFIX@/tmp/scgi;
    server {
        listen 127.0.0.1:18081 backlog=4096;
        location / {
            default_type application/json;
            return 200 '{"RequestId":"x","Success":true,"Code":"200","SceneViewList":[],"TotalCount":0}';
        }
    }
    server {
        listen 127.0.0.1:18082 backlog=4096;
        location / {
            default_type text/plain;
            return 200 'ok';
        }
    }
}
"#;
