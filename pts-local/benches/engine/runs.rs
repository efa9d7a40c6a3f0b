//! The engine's side of the benchmark: a closed-model run (fixed connections) and an
//! open-model run (RPS mode at a fixed rate), in this process, on CPU 0.

use crate::tools::{Row, cpu_secs};
use pts_api::shapes::scene::{Api, Configuration, LoadConfig, Relation, Scene};
use pts_local::engine::{self, EngineConfig, NoFiles, RunReport};
use std::path::PathBuf;
use std::time::Duration;

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

fn scene(url: &str, load: LoadConfig) -> Scene {
    pts_api::make!(Scene {
        scene_name: "bench".into(),
        relation_list: vec![pts_api::make!(Relation {
            relation_name: "r".into(),
            api_list: vec![pts_api::make!(Api {
                api_name: "get".into(),
                method: "GET".into(),
                url: url.into(),
            })],
        })],
        load_config: load,
    })
}

fn config(secs: u64, conns: usize, ca: Option<&PathBuf>) -> EngineConfig {
    EngineConfig {
        // 1 scene minute = `secs` wall seconds.
        time_scale: secs as f64,
        max_run_duration: Duration::from_secs(secs + 5),
        workers: 1,
        pin_cpus: vec![0],
        // RPS mode: at most `conns` virtual users, each with one connection.
        max_concurrency: conns as u32,
        ca_files: ca.into_iter().cloned().collect(),
        ..Default::default()
    }
}

/// What an engine run measured besides the row.
pub struct EngineExtra {
    /// Peak RSS of the bench process after the run (KiB), and RSS before it.
    pub peak_kib: u64,
    pub before_kib: u64,
    pub report: std::sync::Arc<RunReport>,
}

fn run(scene: &Scene, cfg: &EngineConfig, secs: u64) -> Option<(Row, EngineExtra)> {
    let before_kib = vm_kib("VmRSS:");
    let cpu0 = cpu_secs(libc::RUSAGE_SELF);
    let run = engine::start_run(scene, &NoFiles, cfg).map_err(|e| eprintln!("engine: {e}")).ok()?;
    let report = run.wait();
    let cpu = cpu_secs(libc::RUSAGE_SELF) - cpu0;
    let s = &report.scene;
    if s.failed_requests > 0 {
        eprintln!("engine: {} failed requests: {:?}", s.failed_requests, s.failure_reasons());
    }
    let row = Row {
        // Over the planned duration: the drain after it adds no sends.
        rps: s.count as f64 / secs as f64,
        p50: report.latency.p50_ms,
        p99: report.latency.p99_ms,
        cpu_us: cpu * 1e6 / (s.count.max(1) as f64),
    };
    Some((row, EngineExtra { peak_kib: vm_kib("VmHWM:"), before_kib, report }))
}

/// Closed model: `conns` virtual users, each one keep-alive connection, for `secs`.
pub fn closed(
    url: &str,
    conns: usize,
    secs: u64,
    ca: Option<&PathBuf>,
) -> Option<(Row, EngineExtra)> {
    let load = pts_api::make!(LoadConfig {
        test_mode: "concurrency_mode".into(),
        max_running_time: 1,
        configuration: pts_api::make!(Configuration {
            all_concurrency_begin: Some(conns as i32),
            all_concurrency_limit: Some(conns as i32),
        }),
    });
    run(&scene(url, load), &config(secs, conns, ca), secs)
}

/// Open model: `rate` requests/s (RPS mode) with at most `conns` connections, for `secs`.
pub fn open(url: &str, rate: u32, conns: usize, secs: u64) -> Option<(Row, EngineExtra)> {
    let load = pts_api::make!(LoadConfig {
        test_mode: "tps_mode".into(),
        max_running_time: 1,
        configuration: pts_api::make!(Configuration {
            all_rps_begin: Some(rate as i32),
            all_rps_limit: Some(rate as i32),
        }),
    });
    let mut cfg = config(secs, conns, None);
    cfg.max_rps = None;
    run(&scene(url, load), &cfg, secs)
}

/// Worst deviation from `rate` over the complete seconds of a run's timeline, leaving out
/// the first (start-up) and the last (cut by the stop): a fraction of the rate.
pub fn worst_second(report: &RunReport, rate: f64) -> (f64, usize) {
    let full: Vec<f64> = report
        .timeline
        .iter()
        .filter(|p| p.span_ms == 1000 && p.second >= 1)
        .map(|p| p.requests as f64)
        .collect();
    let inner = &full[..full.len().saturating_sub(1)];
    let worst = inner.iter().map(|n| (n - rate).abs() / rate).fold(0.0, f64::max);
    (worst, inner.len())
}
