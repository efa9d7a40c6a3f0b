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

pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}
