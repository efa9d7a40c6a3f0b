//! The reference load generators of the engine benchmark (wrk, the hyper loop of
//! anchor-helper, oha), each pinned to CPU 0, and CPU accounting.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Parses `218.00us` / `1.2ms` / `0.5s` into ms.
pub fn dur_ms(s: &str) -> Option<f64> {
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
pub struct Row {
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
    /// CPU time (user + system) per request, microseconds (0 = unknown).
    pub cpu_us: f64,
}

/// The 1-minute load average (other work on the machine skews every figure beside it).
pub fn load1() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// User + system CPU seconds of this process (`RUSAGE_SELF`) or of its waited-for children.
pub fn cpu_secs(who: i32) -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Runs an external tool (`f`) and fills in its CPU per request from RUSAGE_CHILDREN.
pub fn with_child_cpu(secs: u64, f: impl FnOnce() -> Option<Row>) -> Option<Row> {
    let before = cpu_secs(libc::RUSAGE_CHILDREN);
    let mut r = f()?;
    let cpu = cpu_secs(libc::RUSAGE_CHILDREN) - before;
    r.cpu_us = cpu * 1e6 / (r.rps * secs as f64).max(1.0);
    Some(r)
}

pub fn run_cmd(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::inherit()).output().ok()?;
    if !out.status.success() {
        eprintln!("{cmd:?} failed: {}", out.status);
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn wrk(url: &str, conns: usize, secs: u64) -> Option<Row> {
    wrk_with(url, conns, secs, None)
}

/// wrk with a Lua script whose `delay()` pauses each connection `delay_ms` between requests:
/// wrk has no rate option, so this holds it near `conns / delay` requests/s (closed loop with
/// think time; it measures from the actual send, not from a schedule).
pub fn wrk_paced(work: &Path, url: &str, conns: usize, secs: u64, delay_ms: u32) -> Option<Row> {
    let script = work.join(format!("wrk-delay-{delay_ms}.lua"));
    std::fs::write(&script, format!("function delay()\n  return {delay_ms}\nend\n")).ok()?;
    wrk_with(url, conns, secs, Some(&script))
}

fn wrk_with(url: &str, conns: usize, secs: u64, script: Option<&Path>) -> Option<Row> {
    let wrk = which("wrk")?;
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "0"]).arg(wrk).args([
        "-t1",
        &format!("-c{conns}"),
        &format!("-d{secs}s"),
        "--latency",
    ]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = run_cmd(cmd.arg(url))?;
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
pub fn hyper_load_bin(work: &Path) -> Option<PathBuf> {
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

pub fn hyper_load(bin: &Path, url: &str, conns: usize, secs: u64) -> Option<Row> {
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

pub fn oha(work: &Path, url: &str, conns: usize, secs: u64) -> Option<Row> {
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
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "0"]).arg(bin).args([
        "-z",
        &format!("{secs}s"),
        "-c",
        &conns.to_string(),
        "--no-tui",
        "--output-format",
        "json",
    ]);
    // The bench's own CA is not in the system's roots (wrk does not verify either).
    if url.starts_with("https:") {
        cmd.arg("--insecure");
    }
    let out = run_cmd(cmd.arg(url))?;
    let v: serde_json::Value = serde_json::from_str(&out).ok()?;
    let rps = v["summary"]["requestsPerSec"].as_f64()?;
    let p = |k: &str| v["latencyPercentiles"][k].as_f64().map(|s| s * 1000.0);
    Some(Row { rps, p50: p("p50")?, p99: p("p99")?, cpu_us: 0.0 })
}

pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// h2load (nghttp2) over HTTP/1.1 at a fixed total `rate` over `conns` connections (its
/// `--rps` is per connection), for `secs`. Its summary has no percentiles: p50/p99 and the
/// worst second come from its per-request log (send time, status, duration). Its durations
/// run from the actual send, so a send it held back does not carry the wait.
pub fn h2load(work: &Path, url: &str, rate: f64, conns: usize, secs: u64) -> Option<(Row, f64)> {
    let bin = which("h2load")?;
    let log = work.join("h2load.log");
    let _ = std::fs::remove_file(&log);
    let out = run_cmd(Command::new("taskset").args(["-c", "0"]).arg(bin).args([
        "--h1",
        "-t1",
        &format!("-c{conns}"),
        &format!("--rps={}", rate / conns as f64),
        &format!("-D{secs}"),
        &format!("--log-file={}", log.display()),
        url,
    ]))?;
    let done: f64 = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("requests:"))
        .and_then(|l| l.split(',').find_map(|f| f.trim().strip_suffix(" succeeded")))
        .and_then(|v| v.trim().parse().ok())?;
    let mut rows: Vec<(u64, u64)> = std::fs::read_to_string(&log)
        .ok()?
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let start: u64 = f.next()?.parse().ok()?;
            let _status = f.next()?;
            Some((start, f.next()?.parse().ok()?))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut lat: Vec<u64> = rows.iter().map(|r| r.1).collect();
    lat.sort_unstable();
    let q = |p: f64| {
        lat[((p * lat.len() as f64).ceil() as usize).clamp(1, lat.len()) - 1] as f64 / 1000.0
    };
    rows.sort_unstable();
    let t0 = rows[0].0;
    let mut per_sec = vec![0u64; secs as usize + 2];
    for (t, _) in &rows {
        if let Some(c) = per_sec.get_mut(((t - t0) / 1_000_000) as usize) {
            *c += 1;
        }
    }
    // Complete seconds, leaving out the first and the last as for the engine.
    let inner = &per_sec[1..(secs as usize).saturating_sub(1).max(1)];
    let worst = inner.iter().map(|&n| (n as f64 - rate).abs() / rate).fold(0.0, f64::max);
    Some((Row { rps: done / secs as f64, p50: q(0.5), p99: q(0.99), cpu_us: 0.0 }, worst))
}
